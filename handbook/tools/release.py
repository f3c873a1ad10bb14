"""`make release VERSION=1.4`: deploy both sites with mike as version 1.4 and `latest`, to local branches only.

- the candidate prep site to `gh-pages` (the branch GitHub Pages serves; the publish workflow pushes it);
- the interviewer handbook to `interviewer-pages`, a branch of its own that is never pushed or served by Pages.
  The two branches share no commits, so pushing `gh-pages` cannot carry interviewer content with it.

Each branch gets `<version>/`, a `latest` alias, `versions.json` and a root `index.html` that redirects to
`latest/`. The version selector is switched on for these builds only (HANDBOOK_VERSION_PROVIDER=mike, read by
mkdocs.yml): a plain `make build` has no versions.json next to it, and asking for one would be a 404.
Nothing is pushed: mike runs without --push. mike builds each site into its config's site_dir (site/candidate,
site/interviewer) before committing it, so a release also replaces what `make build` left there.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from ..core.sites import SITES, all_sources
from ..site.build import mkdocs_env

VERSION = re.compile(r"^[0-9]+\.[0-9]+(\.[0-9]+)?$")
ALIAS = "latest"


class ReleaseError(Exception):
    """The release cannot start; the message says why in one line."""


def release_env(root: Path) -> dict[str, str]:
    bin_dir = str(Path(sys.executable).parent)  # mike runs `mkdocs` from PATH: use this venv's
    return mkdocs_env(root, HANDBOOK_VERSION_PROVIDER="mike",  # mkdocs.yml: extra.version.provider
                      PATH=bin_dir + os.pathsep + os.environ.get("PATH", ""))


def check(root: Path, version: str) -> None:
    if not VERSION.fullmatch(version):
        raise ReleaseError(f"VERSION must look like 1.4 or 1.4.2, got {version!r}; usage: make release VERSION=1.4")
    # What a release is built from must be committed, so the version on the branch matches a commit.
    status = subprocess.run(["git", "status", "--porcelain", "--", *all_sources()], cwd=root, capture_output=True,
                            text=True, check=False)
    if status.returncode != 0:
        raise ReleaseError(f"{root} is not a git repository: {status.stderr.strip()}")
    dirty = [line[3:] for line in status.stdout.splitlines()]
    if dirty:
        shown = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
        raise ReleaseError(f"uncommitted changes in {shown}: commit them first, a release is built from a commit")


def redirects_to(root: Path, branch: str, alias: str) -> bool:
    """Whether the branch's root index.html (mike's set-default page) already sends readers to alias/."""
    shown = subprocess.run(["git", "show", f"{branch}:index.html"], cwd=root, capture_output=True, text=True,
                           check=False)
    return shown.returncode == 0 and f"url={alias}/" in shown.stdout


def _deploy(root: Path, env: dict[str, str], site: str, version: str) -> tuple[str, str | None]:
    """mike deploy (and set-default on a branch's first release) of one site; returns (output, failed command)."""
    config, branch = SITES[site].config, SITES[site].branch
    mike = [str(Path(sys.executable).parent / "mike")]
    commands = [[*mike, "deploy", "--config-file", config, "--branch", branch, "--update-aliases", version, ALIAS]]
    if not redirects_to(root, branch, ALIAS):  # the first release; later ones would commit nothing
        commands.append([*mike, "set-default", "--config-file", config, "--branch", branch, ALIAS])
    output = f"{site} site {version} -> branch {branch}\n"
    for cmd in commands:
        result = subprocess.run(cmd, cwd=root, env=env, check=False, capture_output=True, text=True)
        output += result.stdout + result.stderr
        if result.returncode != 0:
            return output, f"`mike {' '.join(cmd[1:])}` failed (see above); branch {branch} is as mike left it"
    return output, None


def release(root: Path, version: str) -> None:
    """Both sites at once, as `make build` does: each has its own config, site_dir and branch (mike commits to one
    branch each, so the two never touch the same ref)."""
    check(root, version)
    env = release_env(root)
    with ThreadPoolExecutor(max_workers=len(SITES)) as pool:
        results = list(pool.map(lambda site: _deploy(root, env, site, version), sorted(SITES)))
    failures = []
    for output, failure in results:
        print(output, end="", flush=True)
        if failure:
            failures.append(failure)
    if failures:
        raise ReleaseError("; ".join(failures))
    branches = " and ".join(f"{SITES[s].branch} ({s} site)" for s in sorted(SITES))
    print(f"released {version}: {branches}, not pushed")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m handbook.tools.release VERSION   (make release VERSION=1.4)", file=sys.stderr)
        return 2
    try:
        release(Path.cwd(), args[0])
    except ReleaseError as err:
        print(f"release: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
