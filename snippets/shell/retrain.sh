#!/usr/bin/env bash
# retrain.sh: pull fresh data, retrain, gate the candidate against the live model, promote atomically.
#
# Reference solution for the shell challenge. Layout of the model registry on disk:
#   MODEL_DIR/releases/<run-id>/   one directory per trained model (artifact + RELEASE metadata)
#   MODEL_DIR/current  -> releases/<run-id>    what serving loads
#   MODEL_DIR/previous -> releases/<run-id>    what --rollback restores
#
# Exit codes (cron, systemd OnFailure= and the alert rules key off these):
#   0 success (promoted, rolled back, or dry run)   5 training failed
#   1 unexpected error                              6 evaluation failed or printed no number
#   2 usage or configuration error                  7 validation gate rejected the candidate
#   3 another run holds the lock                    8 promoted model failed its smoke test; rolled back
#   4 data pull failed after all retries            9 --rollback with no previous release
# Needs bash >= 4.3 and GNU coreutils/util-linux (flock, timeout, mv -T): Linux hosts, not macOS.

set -Eeuo pipefail
IFS=$'\n\t'
umask 027

readonly PROG=${0##*/}
readonly EX_OK=0 EX_ERROR=1 EX_USAGE=2 EX_LOCKED=3 EX_PULL=4 EX_TRAIN=5 EX_EVAL=6 EX_GATE=7
readonly EX_PROMOTE=8 EX_NO_PREVIOUS=9

# External commands, overridable so one script serves every model and tests can use stubs.
PULL_CMD=${RETRAIN_PULL_CMD:-pull-data}
TRAIN_CMD=${RETRAIN_TRAIN_CMD:-train-model}
EVAL_CMD=${RETRAIN_EVAL_CMD:-evaluate-model}
SMOKE_CMD=${RETRAIN_SMOKE_CMD:-}
ALERT_CMD=${RETRAIN_ALERT_CMD:-}

# Defaults; the option parser below overrides them.
MODEL_NAME="" MODEL_DIR="" DATA_SOURCE=""
MIN_DELTA=0 MIN_METRIC=0 RETRIES=3 BACKOFF=30 PULL_TIMEOUT=1800 KEEP_RELEASES=5
LOCK_FILE="" LOG_DIR=/var/log/retrain METRICS_DIR="" DRY_RUN=0 MODE=retrain

# Run state, read by the EXIT trap.
printf -v RUN_ID '%s-%07d' "$(date -u +%Y%m%dT%H%M%SZ)" "$$"  # sorts by time, then pid
LOG_FILE="" WORK_DIR="" STAGING_DIR="" HOLDS_LOCK=0 REPORT_STATUS=0
CANDIDATE_METRIC="" LIVE_METRIC="" PROMOTED=0

# --8<-- [start:usage]
usage() {
  cat <<EOF
Usage: $PROG --model-name NAME --model-dir DIR --data-source URI [options]
       $PROG --model-name NAME --model-dir DIR --rollback [options]

Retrain NAME from URI, evaluate the candidate and the live model on the same fresh
holdout, and promote the candidate only if it scores at least live + --min-delta.

Required:
  --model-name NAME       model id used in lock, log and metric names ([a-z0-9_-], max 64)
  --model-dir DIR         registry root holding releases/, current and previous
  --data-source URI       handed to the pull command, e.g. s3://ml-data/ranker/dt=2026-11-27
Options:
  --min-delta X           candidate must score >= live + X (default 0; higher metric is better)
  --min-metric X          absolute floor for the candidate; the only gate on a first run (default 0)
  --retries N             data pull attempts, >= 1 (default 3)
  --backoff SECONDS       delay before the first retry, doubled each time, capped at 600 (default 30)
  --pull-timeout SECONDS  per-attempt time limit for the data pull (default 1800)
  --keep-releases N       releases kept on disk, >= 2 (default 5)
  --lock-file PATH        (default /var/lock/retrain-NAME.lock)
  --log-dir DIR           (default /var/log/retrain)
  --metrics-dir DIR       node_exporter textfile-collector directory (default: no metrics)
  --rollback              point current back at previous, then exit
  -n, --dry-run           check arguments and commands, take the lock, print the plan; change nothing
  -h, --help              show this help

Commands (environment variable, default, interface):
  RETRAIN_PULL_CMD   pull-data       CMD --source URI --out DIR   writes DIR/train/ and DIR/holdout/
  RETRAIN_TRAIN_CMD  train-model     CMD --data DIR --out DIR     writes the model artifact into DIR
  RETRAIN_EVAL_CMD   evaluate-model  CMD --model DIR --data DIR   prints the metric on its last stdout line
  RETRAIN_SMOKE_CMD  (none)          CMD --model DIR              exits 0 if the promoted model serves
  RETRAIN_ALERT_CMD  (none)          CMD EXIT_CODE MESSAGE        called when a run exits non-zero

Exit codes: 0 ok, 1 unexpected error, 2 usage, 3 locked, 4 pull failed, 5 train failed,
            6 eval failed, 7 gate rejected, 8 rolled back after smoke test, 9 nothing to roll back to.
EOF
}
# --8<-- [end:usage]

# --8<-- [start:logging]
log() {
  local level=$1 line
  shift
  printf -v line '%s %-5s %s[%s] %s' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$level" \
    "${MODEL_NAME:-retrain}" "$RUN_ID" "$*"
  printf '%s\n' "$line" >&2
  if [[ -n $LOG_FILE ]]; then
    printf '%s\n' "$line" >>"$LOG_FILE"
  fi
}

fail() {  # fail EXIT_CODE MESSAGE: log and exit; the EXIT trap reports and cleans up
  log ERROR "$2"
  exit "$1"
}

run_logged() {  # run a command with its stdout and stderr appended to the run log
  log INFO "running: $*"
  "$@" >>"$LOG_FILE" 2>&1
}
# --8<-- [end:logging]

usage_error() {
  printf '%s: %s\nTry '\''%s --help'\''.\n' "$PROG" "$1" "$PROG" >&2
  exit "$EX_USAGE"
}

is_uint() { [[ $1 =~ ^[0-9]+$ ]] && ((10#$1 >= ${2:-0})); }  # is_uint VALUE [MIN]
is_number() { [[ $1 =~ ^-?[0-9]+([.][0-9]+)?([eE][-+]?[0-9]+)?$ ]]; }

# --8<-- [start:args]
parse_args() {
  while (($#)); do
    case $1 in
      -h | --help) usage; exit "$EX_OK" ;;
      -n | --dry-run) DRY_RUN=1; shift; continue ;;
      --rollback) MODE=rollback; shift; continue ;;
      --model-name | --model-dir | --data-source | --min-delta | --min-metric | --retries | \
        --backoff | --pull-timeout | --keep-releases | --lock-file | --log-dir | --metrics-dir)
        (($# >= 2)) && [[ -n $2 && $2 != --* ]] || usage_error "$1 needs a value"
        ;;
      *) usage_error "unknown argument: $1" ;;
    esac
    case $1 in
      --model-name) MODEL_NAME=$2 ;;
      --model-dir) MODEL_DIR=$2 ;;
      --data-source) DATA_SOURCE=$2 ;;
      --min-delta) MIN_DELTA=$2 ;;
      --min-metric) MIN_METRIC=$2 ;;
      --retries) RETRIES=$2 ;;
      --backoff) BACKOFF=$2 ;;
      --pull-timeout) PULL_TIMEOUT=$2 ;;
      --keep-releases) KEEP_RELEASES=$2 ;;
      --lock-file) LOCK_FILE=$2 ;;
      --log-dir) LOG_DIR=$2 ;;
      --metrics-dir) METRICS_DIR=$2 ;;
    esac
    shift 2
  done

  [[ -n $MODEL_NAME ]] || usage_error "--model-name is required"
  [[ $MODEL_NAME =~ ^[a-z0-9_-]{1,64}$ ]] || usage_error "--model-name must match [a-z0-9_-]{1,64}"
  [[ -n $MODEL_DIR ]] || usage_error "--model-dir is required"
  if [[ $MODE == retrain && -z $DATA_SOURCE ]]; then usage_error "--data-source is required"; fi
  is_number "$MIN_DELTA" || usage_error "--min-delta must be a number, got '$MIN_DELTA'"
  is_number "$MIN_METRIC" || usage_error "--min-metric must be a number, got '$MIN_METRIC'"
  is_uint "$RETRIES" 1 || usage_error "--retries must be an integer >= 1"
  is_uint "$BACKOFF" || usage_error "--backoff must be a whole number of seconds"
  is_uint "$PULL_TIMEOUT" 1 || usage_error "--pull-timeout must be >= 1"
  is_uint "$KEEP_RELEASES" 2 || usage_error "--keep-releases must be >= 2"
  # Leading zeros would make bash arithmetic read "08" as bad octal.
  RETRIES=$((10#$RETRIES)) BACKOFF=$((10#$BACKOFF)) PULL_TIMEOUT=$((10#$PULL_TIMEOUT))
  KEEP_RELEASES=$((10#$KEEP_RELEASES))
  LOCK_FILE=${LOCK_FILE:-/var/lock/retrain-$MODEL_NAME.lock}
}
# --8<-- [end:args]

preflight() {  # configuration errors are usage errors: retrying will not fix them
  local cmd
  if [[ $MODE == retrain ]]; then
    for cmd in "$PULL_CMD" "$TRAIN_CMD" "$EVAL_CMD" ${SMOKE_CMD:+"$SMOKE_CMD"}; do
      command -v -- "$cmd" >/dev/null || usage_error "command not found: $cmd"
    done
  fi
  mkdir -p -- "$MODEL_DIR/releases" "$LOG_DIR" ${METRICS_DIR:+"$METRICS_DIR"} ||
    usage_error "cannot create directories under $MODEL_DIR, $LOG_DIR or $METRICS_DIR"
  LOG_FILE="$LOG_DIR/retrain-$MODEL_NAME.log"
  touch -- "$LOG_FILE" || usage_error "cannot write $LOG_FILE"
}

# --8<-- [start:lock]
acquire_lock() {
  local holder lock_fd
  mkdir -p -- "$(dirname -- "$LOCK_FILE")"
  # flock(1) on an fd the shell keeps open: the kernel drops the lock when this process
  # exits, even on SIGKILL, so there is no stale lock file to clean up by hand.
  exec {lock_fd}>>"$LOCK_FILE"
  if ! flock --nonblock "$lock_fd"; then
    holder=$(cat -- "$LOCK_FILE" 2>/dev/null || true)
    # Exit without touching the status metrics: they belong to the run holding the lock.
    log WARN "another run (pid ${holder:-unknown}) holds $LOCK_FILE; refusing to start"
    exit "$EX_LOCKED"
  fi
  printf '%s\n' "$$" >"$LOCK_FILE"
  HOLDS_LOCK=1
}
# --8<-- [end:lock]

# --8<-- [start:retry]
retry() {  # retry ATTEMPTS BASE_DELAY COMMAND...: exponential backoff with jitter
  local attempts=$1 delay=$2 attempt=1 rc wait_s
  shift 2
  until "$@"; do
    rc=$?
    if ((attempt >= attempts)); then
      log ERROR "attempt $attempt/$attempts failed (rc=$rc); giving up"
      return "$rc"
    fi
    wait_s=$((delay * 2 ** (attempt - 1)))
    ((wait_s > 600)) && wait_s=600
    ((delay > 0)) && wait_s=$((wait_s + RANDOM % (delay + 1)))  # jitter: spread out retry storms
    log WARN "attempt $attempt/$attempts failed (rc=$rc); retrying in ${wait_s}s"
    sleep "$wait_s"
    attempt=$((attempt + 1))
  done
  ((attempt == 1)) || log INFO "succeeded on attempt $attempt/$attempts"
}

pull_once() {  # one attempt: a clean directory each time, so a partial download never survives
  rm -rf -- "$WORK_DIR/data"
  mkdir -p -- "$WORK_DIR/data"
  log INFO "pulling $DATA_SOURCE"
  timeout --kill-after=30 "$PULL_TIMEOUT" "$PULL_CMD" --source "$DATA_SOURCE" --out "$WORK_DIR/data" \
    >>"$LOG_FILE" 2>&1
}
# --8<-- [end:retry]

evaluate() {  # evaluate MODEL_DIR VAR: store the metric in VAR, or exit EX_EVAL
  # Not called as $(evaluate ...): an exit inside a command substitution only leaves the subshell.
  local model=$1 out metric
  log INFO "running: $EVAL_CMD --model $model --data $WORK_DIR/data/holdout"
  out=$("$EVAL_CMD" --model "$model" --data "$WORK_DIR/data/holdout" 2>>"$LOG_FILE") ||
    fail "$EX_EVAL" "evaluation of $model failed"
  metric=${out##*$'\n'}
  # A NaN or an empty line must not slip through the numeric comparison below.
  is_number "$metric" || fail "$EX_EVAL" "evaluation of $model printed '$metric', not a number"
  printf -v "$2" '%s' "$metric"
}

# --8<-- [start:gate]
passes_gate() {  # passes_gate CANDIDATE LIVE: LIVE is empty on the very first run
  awk -v c="$1" -v l="$2" -v delta="$MIN_DELTA" -v floor="$MIN_METRIC" \
    'BEGIN { exit !(c + 0 >= floor + 0 && (l == "" || c + 0 >= l + delta)) }'
}

validation_gate() {
  # Score the live model on the SAME fresh holdout as the candidate. Comparing with the metric
  # recorded when the live model was trained would mix model quality with this week's data drift.
  evaluate "$STAGING_DIR" CANDIDATE_METRIC
  if [[ -e $MODEL_DIR/current ]]; then
    evaluate "$MODEL_DIR/current" LIVE_METRIC
  fi
  log INFO "candidate=$CANDIDATE_METRIC live=${LIVE_METRIC:-none} min_delta=$MIN_DELTA min_metric=$MIN_METRIC"
  passes_gate "$CANDIDATE_METRIC" "$LIVE_METRIC" ||
    fail "$EX_GATE" "gate rejected candidate ($CANDIDATE_METRIC vs live ${LIVE_METRIC:-none}); nothing promoted"
}
# --8<-- [end:gate]

# --8<-- [start:promote]
swap_link() {  # swap_link TARGET LINK: repoint LINK with one rename(2), so readers never see it missing
  local tmp="$2.tmp.$$"
  ln -sfn -- "$1" "$tmp"
  mv -Tf -- "$tmp" "$2"
}

release_of() { [[ -L $1 ]] && basename -- "$(readlink -- "$1")"; }

promote() {
  local old new=$RUN_ID
  old=$(release_of "$MODEL_DIR/current" || true)
  {
    printf 'run_id=%s\ndata_source=%s\nmetric=%s\n' "$RUN_ID" "$DATA_SOURCE" "$CANDIDATE_METRIC"
    printf 'replaced=%s\nreplaced_metric=%s\n' "${old:-none}" "${LIVE_METRIC:-none}"
  } >"$STAGING_DIR/RELEASE"
  # Staging lives inside MODEL_DIR, so this is a same-filesystem rename, not a copy.
  mv -T -- "$STAGING_DIR" "$MODEL_DIR/releases/$new"
  STAGING_DIR=""
  if [[ -n $old ]]; then swap_link "releases/$old" "$MODEL_DIR/previous"; fi
  swap_link "releases/$new" "$MODEL_DIR/current"  # relative targets: the tree can be moved or mounted
  log INFO "promoted releases/$new (replaced ${old:-nothing})"

  if [[ -n $SMOKE_CMD ]] && ! run_logged "$SMOKE_CMD" --model "$MODEL_DIR/current"; then
    if [[ -n $old ]]; then
      swap_link "releases/$old" "$MODEL_DIR/current"
      fail "$EX_PROMOTE" "smoke test failed on releases/$new; current rolled back to releases/$old"
    fi
    rm -f -- "$MODEL_DIR/current"
    fail "$EX_PROMOTE" "smoke test failed on releases/$new and there is nothing to roll back to"
  fi
  PROMOTED=1
}
# --8<-- [end:promote]

# --8<-- [start:rollback]
rollback() {
  local cur prev
  prev=$(release_of "$MODEL_DIR/previous") || fail "$EX_NO_PREVIOUS" "no previous release to roll back to"
  cur=$(release_of "$MODEL_DIR/current" || true)
  if ((DRY_RUN)); then
    log INFO "dry run: would point current at releases/$prev (now ${cur:-nothing})"
    return
  fi
  swap_link "releases/$prev" "$MODEL_DIR/current"
  # Swap rather than drop: running --rollback again rolls forward.
  if [[ -n $cur ]]; then swap_link "releases/$cur" "$MODEL_DIR/previous"; fi
  log INFO "rolled back: current -> releases/$prev, previous -> releases/${cur:-none}"
}
# --8<-- [end:rollback]

prune_releases() {  # keep the newest KEEP_RELEASES, never current or previous (run ids sort by time)
  local keep_current keep_previous release
  local -a releases
  keep_current=$(release_of "$MODEL_DIR/current" || true)
  keep_previous=$(release_of "$MODEL_DIR/previous" || true)
  mapfile -t releases < <(find "$MODEL_DIR/releases" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort)
  ((${#releases[@]} > KEEP_RELEASES)) || return 0
  for release in "${releases[@]:0:${#releases[@]}-KEEP_RELEASES}"; do
    [[ $release == "$keep_current" || $release == "$keep_previous" ]] && continue
    log INFO "pruning releases/$release"
    rm -rf -- "${MODEL_DIR:?}/releases/$release"
  done
}

# --8<-- [start:metrics]
write_metrics() {  # node_exporter textfile collector: one file per model, replaced atomically
  local rc=$1 file="$METRICS_DIR/retrain_$MODEL_NAME.prom" now last_success=0 label
  [[ -n $METRICS_DIR ]] || return 0
  now=$(date +%s)
  label="model=\"$MODEL_NAME\""
  if ((rc == 0)); then
    last_success=$now
  elif [[ -f $file ]]; then  # keep the last success across failures: that is what staleness alerts on
    last_success=$(awk '/^retrain_last_success_timestamp_seconds/ { print $2 }' "$file")
  fi
  {
    printf '# HELP retrain_last_run_timestamp_seconds End time of the last retrain run.\n'
    printf '# TYPE retrain_last_run_timestamp_seconds gauge\n'
    printf 'retrain_last_run_timestamp_seconds{%s} %s\n' "$label" "$now"
    printf '# HELP retrain_last_success_timestamp_seconds End time of the last run that exited 0.\n'
    printf '# TYPE retrain_last_success_timestamp_seconds gauge\n'
    printf 'retrain_last_success_timestamp_seconds{%s} %s\n' "$label" "${last_success:-0}"
    printf '# HELP retrain_last_exit_code Exit code of the last run (see retrain.sh --help).\n'
    printf '# TYPE retrain_last_exit_code gauge\n'
    printf 'retrain_last_exit_code{%s} %s\n' "$label" "$rc"
    printf '# HELP retrain_last_duration_seconds Wall time of the last run.\n'
    printf '# TYPE retrain_last_duration_seconds gauge\n'
    printf 'retrain_last_duration_seconds{%s} %s\n' "$label" "$SECONDS"
    printf '# HELP retrain_last_promoted 1 if the last run promoted a new model.\n'
    printf '# TYPE retrain_last_promoted gauge\n'
    printf 'retrain_last_promoted{%s} %s\n' "$label" "$PROMOTED"
    if [[ -n $CANDIDATE_METRIC ]]; then
      printf '# HELP retrain_candidate_metric Holdout metric of the last candidate.\n'
      printf '# TYPE retrain_candidate_metric gauge\n'
      printf 'retrain_candidate_metric{%s} %s\n' "$label" "$CANDIDATE_METRIC"
    fi
    if [[ -n $LIVE_METRIC ]]; then
      printf '# HELP retrain_live_metric Holdout metric of the live model on the same data.\n'
      printf '# TYPE retrain_live_metric gauge\n'
      printf 'retrain_live_metric{%s} %s\n' "$label" "$LIVE_METRIC"
    fi
  } >"$file.$$.tmp"
  # The collector may read at any moment: never let it see a half-written file.
  mv -f -- "$file.$$.tmp" "$file"
}

alert() {  # the hook must never change the exit code or hang the run
  local rc=$1
  [[ -n $ALERT_CMD ]] || return 0
  timeout 60 "$ALERT_CMD" "$rc" "retrain $MODEL_NAME run $RUN_ID exited $rc; log: $LOG_FILE" \
    >>"$LOG_FILE" 2>&1 || log WARN "alert hook $ALERT_CMD failed"
}
# --8<-- [end:metrics]

# --8<-- [start:cleanup]
on_exit() {
  local rc=$?
  trap - EXIT
  set +e
  [[ -n $STAGING_DIR && -d $STAGING_DIR ]] && rm -rf -- "$STAGING_DIR"
  [[ -n $WORK_DIR && -d $WORK_DIR ]] && rm -rf -- "$WORK_DIR"
  if ((REPORT_STATUS)); then
    write_metrics "$rc" || log WARN "could not write metrics to $METRICS_DIR"
    ((rc == 0)) || alert "$rc"
  fi
  ((HOLDS_LOCK)) && log INFO "finished rc=$rc in ${SECONDS}s"
  exit "$rc"
}

on_error() {  # an unexpected failure: report it as EX_ERROR, not whatever code the command had
  log ERROR "line $1: '$2' failed with rc=$3"
  exit "$EX_ERROR"
}

trap on_exit EXIT
trap 'on_error "$LINENO" "$BASH_COMMAND" "$?"' ERR
trap 'log WARN "interrupted"; exit 130' INT
trap 'log WARN "terminated"; exit 143' TERM
# --8<-- [end:cleanup]

main() {
  parse_args "$@"
  preflight
  acquire_lock
  log INFO "start mode=$MODE dry_run=$DRY_RUN model_dir=$MODEL_DIR source=${DATA_SOURCE:-n/a}"

  if [[ $MODE == rollback ]]; then
    rollback  # an operator action, not a scheduled run: leaves the status metrics alone
    return
  fi

  if ((DRY_RUN)); then
    log INFO "dry run: would pull $DATA_SOURCE with $PULL_CMD ($RETRIES attempts, backoff ${BACKOFF}s)"
    log INFO "dry run: would train with $TRAIN_CMD into $MODEL_DIR/.staging-$RUN_ID"
    log INFO "dry run: would gate with $EVAL_CMD: candidate >= live ($(release_of "$MODEL_DIR/current" ||
      echo none)) + $MIN_DELTA and >= $MIN_METRIC"
    log INFO "dry run: would promote to $MODEL_DIR/releases/$RUN_ID and keep $KEEP_RELEASES releases"
    return
  fi

  REPORT_STATUS=1
  WORK_DIR=$(mktemp -d "${TMPDIR:-/tmp}/retrain-$MODEL_NAME.XXXXXX")
  STAGING_DIR="$MODEL_DIR/.staging-$RUN_ID"
  mkdir -p -- "$STAGING_DIR"

  retry "$RETRIES" "$BACKOFF" pull_once || fail "$EX_PULL" "data pull failed after $RETRIES attempts"
  [[ -n $(ls -A -- "$WORK_DIR/data/train" 2>/dev/null) && -n $(ls -A -- "$WORK_DIR/data/holdout" 2>/dev/null) ]] ||
    fail "$EX_PULL" "pull succeeded but train/ or holdout/ is empty: refusing to train on nothing"

  run_logged "$TRAIN_CMD" --data "$WORK_DIR/data/train" --out "$STAGING_DIR" ||
    fail "$EX_TRAIN" "training failed; see $LOG_FILE"

  validation_gate
  promote
  prune_releases
}

main "$@"
