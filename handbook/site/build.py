"""Build both sites with `mkdocs build --strict` into a temporary folder, and swap each in only on success.

Also the build plumbing every other command shares: the build environment (`mkdocs_env`) and a snapshot of the
working tree (`snapshot`), as the release test, the reproducibility test and the bench copy it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ..core.sites import SITES
from ..core.validate import DataError, load_all, summary

FALLBACK_EPOCH = "1767225600"  # 2026-01-01T00:00:00Z: the build date outside git, never the clock


def source_date_epoch(root: Path) -> str:
    """The last commit's time, so two builds of one commit are identical (falls back to a fixed date)."""
    try:
        out = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True,
                             check=True).stdout.strip()
        return out or FALLBACK_EPOCH
    except (OSError, subprocess.CalledProcessError):
        return FALLBACK_EPOCH


def mkdocs_env(root: Path, **extra: str) -> dict[str, str]:
    """The environment of every MkDocs run (build, release, serve in tests, the bench): this process's, with the
    build date of `root`'s last commit unless SOURCE_DATE_EPOCH is set, Material's end-of-life banner silenced, and
    `extra` on top."""
    env = dict(os.environ)
    env.setdefault("SOURCE_DATE_EPOCH", source_date_epoch(root))
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.update(extra)
    return env


def working_tree_files(root: Path) -> list[str]:
    """What `git status` would commit: tracked and untracked files, not ignored ones, not those deleted on disk."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=root,
                            check=True, capture_output=True).stdout.decode().split("\0")
    return [rel for rel in dict.fromkeys(filter(None, listed)) if (root / rel).exists() or (root / rel).is_symlink()]


def snapshot(root: Path, dest: Path, exclude: tuple[str, ...] = ()) -> Path:
    """Copy the working tree of `root` (working_tree_files) into dest, symlinks kept as links, files already in dest
    replaced; paths under a top-level name in `exclude` are left out. Returns dest."""
    for rel in working_tree_files(root):
        if rel.split("/")[0] in exclude:
            continue
        src, target = root / rel, dest / rel
        if target.is_symlink() or target.is_file():
            target.unlink()
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target, follow_symlinks=False)
    return dest


def build(root: Path, out: Path, sites: list[str]) -> int:
    """Build the named sites into out/<site>/; on any failure leave what was there untouched. Returns an exit code.

    The sites build at the same time, one mkdocs process each (they share nothing but the read-only sources), and
    are swapped in only when every one of them succeeded.
    """
    out.mkdir(parents=True, exist_ok=True)
    staged: dict[str, Path] = {}
    try:
        running = {}
        for site in sites:
            tmp = Path(tempfile.mkdtemp(prefix=f".build-{site}-", dir=out))
            staged[site] = tmp
            # not --quiet: it silences warnings before --strict can count them, so a broken link would pass
            cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", SITES[site].config, "-d", str(tmp)]
            running[site] = subprocess.Popen(cmd, cwd=root, env=mkdocs_env(root), stdout=subprocess.PIPE,
                                             stderr=subprocess.STDOUT, text=True)
        # The data is checked here, once, while the sites build: a data problem is printed once, as `validate`
        # prints it, and not once per site by each mkdocs process's hook.
        try:
            load_all(root)
        except DataError as err:
            for proc in running.values():
                proc.kill()
                proc.communicate()
            for problem in err.problems:
                print(problem, file=sys.stderr)
            print(summary(len(err.problems)), file=sys.stderr)
            print(f"no site was built; {out} was left as it was", file=sys.stderr)
            return 1
        failed = []
        for site, proc in running.items():
            output, _ = proc.communicate()
            if proc.returncode == 0:  # a successful build keeps quiet, except for warnings meant for a person
                for line in output.splitlines():
                    if line.startswith("WARNING"):
                        print(f"{site} site: {line}", file=sys.stderr)
            if proc.returncode != 0:
                failed.append(site)
                for line in output.splitlines():
                    if line.strip() and not line.startswith("INFO"):
                        print(line, file=sys.stderr)
        if failed:
            for site in failed:
                print(f"{site} site: build failed; {out / site} was left as it was", file=sys.stderr)
            for site in sorted(set(sites) - set(failed)):
                print(f"{site} site: built, but not swapped in while another site fails; {out / site} was left "
                      "as it was", file=sys.stderr)
            return 1
        for site, tmp in staged.items():
            target = out / site
            old = out / f".old-{site}"
            shutil.rmtree(old, ignore_errors=True)
            if target.exists():
                target.rename(old)
            tmp.rename(target)
            shutil.rmtree(old, ignore_errors=True)
            print(f"built {target}")
        staged.clear()
        return 0
    finally:
        for tmp in staged.values():
            shutil.rmtree(tmp, ignore_errors=True)
