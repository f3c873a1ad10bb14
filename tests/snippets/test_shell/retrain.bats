#!/usr/bin/env bats
# Behaviour of snippets/shell/retrain.sh against stub pull/train/evaluate commands.
# Each @test runs in its own subshell, so exporting stub settings inside one test is meant to stay local:
# shellcheck disable=SC2030,SC2031

setup() {
  SCRIPT="$BATS_TEST_DIRNAME/../../../snippets/shell/retrain.sh"
  STUBS="$BATS_TEST_DIRNAME/stubs"
  export STUB_STATE="$BATS_TEST_TMPDIR/state"
  export TMPDIR="$BATS_TEST_TMPDIR/tmp"
  export RETRAIN_PULL_CMD="$STUBS/pull-data"
  export RETRAIN_TRAIN_CMD="$STUBS/train-model"
  export RETRAIN_EVAL_CMD="$STUBS/evaluate-model"
  export RETRAIN_ALERT_CMD="$STUBS/alert"
  mkdir -p "$STUB_STATE" "$TMPDIR"

  # A registry with one live model that scores 0.80 on any holdout.
  MODEL_DIR="$BATS_TEST_TMPDIR/models"
  LIVE=20261120T020000Z-100
  mkdir -p "$MODEL_DIR/releases/$LIVE"
  echo 0.80 >"$MODEL_DIR/releases/$LIVE/model.bin"
  ln -s "releases/$LIVE" "$MODEL_DIR/current"

  PROM="$BATS_TEST_TMPDIR/textfile/retrain_ranker.prom"
  LOG="$BATS_TEST_TMPDIR/log/retrain-ranker.log"
  ARGS=(--model-name ranker --model-dir "$MODEL_DIR" --data-source s3://ml-data/ranker/dt=2026-11-27
    --backoff 0 --lock-file "$BATS_TEST_TMPDIR/retrain-ranker.lock"
    --log-dir "$BATS_TEST_TMPDIR/log" --metrics-dir "$BATS_TEST_TMPDIR/textfile")
}

current_release() { basename "$(readlink "$MODEL_DIR/current")"; }
metric() { awk -v m="$1" '$1 ~ "^"m"[{]" { print $2 }' "$PROM"; }
no_leftovers() {
  [ -z "$(find "$MODEL_DIR" -maxdepth 1 -name '.staging-*')" ]
  [ -z "$(ls -A "$TMPDIR")" ]
}

@test "a better candidate is promoted: current moves, previous keeps the old model, metrics say so" {
  export STUB_CANDIDATE_METRIC=0.83
  run "$SCRIPT" "${ARGS[@]}"
  [ "$status" -eq 0 ]
  new=$(current_release)
  [ "$new" != "$LIVE" ]
  [ "$(cat "$MODEL_DIR/releases/$new/model.bin")" = 0.83 ]
  [ "$(readlink "$MODEL_DIR/previous")" = "releases/$LIVE" ]
  grep -qx 'metric=0.83' "$MODEL_DIR/releases/$new/RELEASE"
  grep -qx "replaced=$LIVE" "$MODEL_DIR/releases/$new/RELEASE"
  [ "$(metric retrain_last_exit_code)" = 0 ]
  [ "$(metric retrain_last_promoted)" = 1 ]
  [ "$(metric retrain_candidate_metric)" = 0.83 ]
  [ "$(metric retrain_live_metric)" = 0.80 ]
  [ "$(metric retrain_last_success_timestamp_seconds)" = "$(metric retrain_last_run_timestamp_seconds)" ]
  [ ! -e "$STUB_STATE/alerts" ]
  no_leftovers
}

@test "every log line is timestamped in UTC and tagged with the model and run id" {
  export STUB_CANDIDATE_METRIC=0.83
  run "$SCRIPT" "${ARGS[@]}"
  [ "$status" -eq 0 ]
  # The file also holds the commands' own output; our lines all carry the run tag.
  own=$(grep -c 'ranker\[' "$LOG")
  [ "$own" -ge 5 ]
  [ "$(grep -cE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z (INFO|WARN|ERROR) +ranker\[[0-9TZ]+-[0-9]+\] ' "$LOG")" -eq "$own" ]
  grep -q 'train-model: epoch 3/3 done' "$LOG"
}

@test "gate failure: a worse candidate exits 7, nothing is promoted, staging is cleaned, alert fires" {
  export STUB_CANDIDATE_METRIC=0.79
  run "$SCRIPT" "${ARGS[@]}"
  [ "$status" -eq 7 ]
  [[ $output == *"gate rejected candidate (0.79 vs live 0.80); nothing promoted"* ]]
  [ "$(current_release)" = "$LIVE" ]
  [ ! -e "$MODEL_DIR/previous" ]
  [ "$(ls "$MODEL_DIR/releases")" = "$LIVE" ]
  [ "$(metric retrain_last_exit_code)" = 7 ]
  [ "$(metric retrain_last_promoted)" = 0 ]
  [ "$(metric retrain_last_success_timestamp_seconds)" = 0 ]
  grep -q '^7 retrain ranker run .* exited 7' "$STUB_STATE/alerts"
  no_leftovers
}

@test "gate: a candidate equal to live passes with min-delta 0 but fails with min-delta 0.01" {
  export STUB_CANDIDATE_METRIC=0.80
  run "$SCRIPT" "${ARGS[@]}" --min-delta 0.01
  [ "$status" -eq 7 ]
  run "$SCRIPT" "${ARGS[@]}"
  [ "$status" -eq 0 ]
}

@test "gate: both models are scored on the same fresh holdout" {
  export STUB_CANDIDATE_METRIC=0.83
  run "$SCRIPT" "${ARGS[@]}"
  [ "$status" -eq 0 ]
  [ "$(wc -l <"$STUB_STATE/evaluated")" -eq 2 ]
  grep -q "/models/.staging-" "$STUB_STATE/evaluated"
  grep -q "/models/current$" "$STUB_STATE/evaluated"
}

@test "gate: first run with no live model is held to the absolute floor" {
  rm "$MODEL_DIR/current"
  export STUB_CANDIDATE_METRIC=0.60
  run "$SCRIPT" "${ARGS[@]}" --min-metric 0.7
  [ "$status" -eq 7 ]
  [ ! -e "$MODEL_DIR/current" ]
  export STUB_CANDIDATE_METRIC=0.75
  run "$SCRIPT" "${ARGS[@]}" --min-metric 0.7
  [ "$status" -eq 0 ]
  [ "$(cat "$MODEL_DIR/current/model.bin")" = 0.75 ]
}

@test "an evaluator that prints NaN fails the run with 6 instead of passing the gate" {
  export STUB_EVAL_OUTPUT=nan
  run "$SCRIPT" "${ARGS[@]}"
  [ "$status" -eq 6 ]
  [[ $output == *"printed 'nan', not a number"* ]]
  [ "$(current_release)" = "$LIVE" ]
}

@test "a concurrent run is refused with exit 3 while the first one finishes normally" {
  export STUB_CANDIDATE_METRIC=0.83 STUB_TRAIN_WAIT_FOR="$STUB_STATE/go"
  "$SCRIPT" "${ARGS[@]}" 2>/dev/null 3>&- &
  first=$!
  for _ in $(seq 100); do [ -e "$STUB_STATE/train.started" ] && break; sleep 0.1; done
  [ -e "$STUB_STATE/train.started" ]

  run "$SCRIPT" "${ARGS[@]}"
  [ "$status" -eq 3 ]
  [[ $output == *"another run (pid $first) holds"* ]]
  [ ! -e "$PROM" ]  # the refused run does not overwrite the running job's status

  touch "$STUB_STATE/go"
  wait "$first"
  [ "$(cat "$MODEL_DIR/current/model.bin")" = 0.83 ]
  [ "$(metric retrain_last_exit_code)" = 0 ]
}

@test "retry then success: two failed pulls, then the run completes and logs each attempt" {
  export STUB_PULL_FAILURES=2 STUB_CANDIDATE_METRIC=0.83
  run "$SCRIPT" "${ARGS[@]}"
  [ "$status" -eq 0 ]
  [ "$(cat "$STUB_STATE/pull.calls")" -eq 3 ]
  grep -q 'attempt 1/3 failed (rc=1); retrying in 0s' "$LOG"
  grep -q 'attempt 2/3 failed (rc=1); retrying in 0s' "$LOG"
  grep -q 'succeeded on attempt 3/3' "$LOG"
  grep -q '503 SlowDown' "$LOG"
  [ "$(cat "$MODEL_DIR/current/model.bin")" = 0.83 ]
}

@test "retry backoff doubles from --backoff, with jitter of at most one base delay" {
  export STUB_PULL_FAILURES=3 PATH="$STUBS:$PATH"  # the stub sleep records delays
  args=("${ARGS[@]}")
  args[7]=10  # --backoff 10
  run "$SCRIPT" "${args[@]}" --retries 4
  [ "$status" -eq 0 ]
  mapfile -t sleeps <"$STUB_STATE/sleeps"
  [ "${#sleeps[@]}" -eq 3 ]
  (( sleeps[0] >= 10 && sleeps[0] <= 20 ))
  (( sleeps[1] >= 20 && sleeps[1] <= 30 ))
  (( sleeps[2] >= 40 && sleeps[2] <= 50 ))
}

@test "retries exhausted: exit 4, nothing promoted, alert fires" {
  export STUB_PULL_FAILURES=5
  run "$SCRIPT" "${ARGS[@]}" --retries 3
  [ "$status" -eq 4 ]
  [ "$(cat "$STUB_STATE/pull.calls")" -eq 3 ]
  [[ $output == *"data pull failed after 3 attempts"* ]]
  [ "$(current_release)" = "$LIVE" ]
  grep -q '^4 ' "$STUB_STATE/alerts"
  no_leftovers
}

@test "a pull that succeeds with an empty holdout is refused with 4, before any training" {
  export STUB_PULL_EMPTY_HOLDOUT=1
  run "$SCRIPT" "${ARGS[@]}"
  [ "$status" -eq 4 ]
  [ ! -e "$STUB_STATE/train.started" ]
}

@test "training failure exits 5, keeps the live model and cleans up" {
  export STUB_TRAIN_FAIL=1
  run "$SCRIPT" "${ARGS[@]}"
  [ "$status" -eq 5 ]
  grep -q 'CUDA out of memory' "$LOG"
  [ "$(current_release)" = "$LIVE" ]
  no_leftovers
}

@test "a promoted model that fails its smoke test is rolled back and the run exits 8" {
  export STUB_CANDIDATE_METRIC=0.9 RETRAIN_SMOKE_CMD="$STUBS/smoke-check" STUB_SMOKE_RC=1
  run "$SCRIPT" "${ARGS[@]}"
  [ "$status" -eq 8 ]
  [ "$(current_release)" = "$LIVE" ]
  [[ $output == *"current rolled back to releases/$LIVE"* ]]
  [ "$(metric retrain_last_promoted)" = 0 ]
}

@test "--rollback points current at previous, and a second --rollback rolls forward" {
  export STUB_CANDIDATE_METRIC=0.83
  run "$SCRIPT" "${ARGS[@]}"
  new=$(current_release)
  run "$SCRIPT" --model-name ranker --model-dir "$MODEL_DIR" --rollback \
    --lock-file "$BATS_TEST_TMPDIR/retrain-ranker.lock" --log-dir "$BATS_TEST_TMPDIR/log"
  [ "$status" -eq 0 ]
  [ "$(current_release)" = "$LIVE" ]
  [ "$(readlink "$MODEL_DIR/previous")" = "releases/$new" ]
  run "$SCRIPT" --model-name ranker --model-dir "$MODEL_DIR" --rollback \
    --lock-file "$BATS_TEST_TMPDIR/retrain-ranker.lock" --log-dir "$BATS_TEST_TMPDIR/log"
  [ "$(current_release)" = "$new" ]
}

@test "--rollback with no previous release exits 9 and leaves current alone" {
  run "$SCRIPT" --model-name ranker --model-dir "$MODEL_DIR" --rollback \
    --lock-file "$BATS_TEST_TMPDIR/retrain-ranker.lock" --log-dir "$BATS_TEST_TMPDIR/log"
  [ "$status" -eq 9 ]
  [ "$(current_release)" = "$LIVE" ]
}

@test "old releases are pruned to --keep-releases, never current or previous" {
  for m in 0.81 0.82 0.83; do
    STUB_CANDIDATE_METRIC=$m run "$SCRIPT" "${ARGS[@]}" --keep-releases 2
    [ "$status" -eq 0 ]
  done
  [ "$(find "$MODEL_DIR/releases" -mindepth 1 -maxdepth 1 | wc -l)" -eq 2 ]
  [ "$(cat "$MODEL_DIR/current/model.bin")" = 0.83 ]
  [ "$(cat "$MODEL_DIR/previous/model.bin")" = 0.82 ]
}

@test "dry run takes the lock, prints the plan, runs no command and changes nothing" {
  before=$(find "$MODEL_DIR" -printf '%p %l\n' | sort)
  run "$SCRIPT" "${ARGS[@]}" --dry-run
  [ "$status" -eq 0 ]
  [[ $output == *"dry run: would pull s3://ml-data/ranker/dt=2026-11-27"* ]]
  [[ $output == *"candidate >= live ($LIVE) + 0"* ]]
  [ "$(find "$MODEL_DIR" -printf '%p %l\n' | sort)" = "$before" ]
  [ -z "$(ls -A "$STUB_STATE")" ]
  [ ! -e "$PROM" ]
}

@test "bad arguments exit 2 with a usage hint and touch nothing" {
  run "$SCRIPT"
  [ "$status" -eq 2 ]
  [[ $output == *"--model-name is required"* ]]
  [[ $output == *"--help"* ]]

  run "$SCRIPT" "${ARGS[@]}" --frobnicate
  [ "$status" -eq 2 ]
  [[ $output == *"unknown argument: --frobnicate"* ]]

  run "$SCRIPT" "${ARGS[@]}" --retries
  [ "$status" -eq 2 ]
  [[ $output == *"--retries needs a value"* ]]

  run "$SCRIPT" "${ARGS[@]}" --retries zero
  [ "$status" -eq 2 ]
  run "$SCRIPT" "${ARGS[@]}" --retries 0
  [ "$status" -eq 2 ]
  run "$SCRIPT" "${ARGS[@]}" --min-delta 1e
  [ "$status" -eq 2 ]
  run "$SCRIPT" "${ARGS[@]}" --model-name 'Ranker;rm -rf /'
  [ "$status" -eq 2 ]
  run "$SCRIPT" --model-name ranker --model-dir "$MODEL_DIR"
  [ "$status" -eq 2 ]
  [[ $output == *"--data-source is required"* ]]

  [ -z "$(ls -A "$STUB_STATE")" ]
  [ "$(current_release)" = "$LIVE" ]
}

@test "a missing command is a configuration error (exit 2), found before any work starts" {
  export RETRAIN_TRAIN_CMD=/nonexistent/train-model
  run "$SCRIPT" "${ARGS[@]}"
  [ "$status" -eq 2 ]
  [[ $output == *"command not found: /nonexistent/train-model"* ]]
  [ ! -e "$STUB_STATE/pull.calls" ]
}

@test "--help prints the interface and exits 0" {
  run "$SCRIPT" --help
  [ "$status" -eq 0 ]
  [[ $output == *"Usage: retrain.sh --model-name NAME"* ]]
  [[ $output == *"RETRAIN_EVAL_CMD"* ]]
}

@test "a failing run keeps the last success timestamp, so staleness alerts see the real age" {
  export STUB_CANDIDATE_METRIC=0.83
  run "$SCRIPT" "${ARGS[@]}"
  ok_at=$(metric retrain_last_success_timestamp_seconds)
  [ "$ok_at" -gt 0 ]
  export STUB_TRAIN_FAIL=1
  run "$SCRIPT" "${ARGS[@]}"
  [ "$status" -eq 5 ]
  [ "$(metric retrain_last_exit_code)" = 5 ]
  [ "$(metric retrain_last_success_timestamp_seconds)" = "$ok_at" ]
}
