"""Command line: `python -m handbook validate | check-files | schema | build | serve | notebooks | debrief | pdf | diff | linkcheck`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .core import schema
from .core.sites import OUTPUT_DIR, SITES
from .core.validate import DataError, load_all, summary
from .site import build
from .tools import diff


def cmd_validate(args: argparse.Namespace) -> int:
    try:
        data = load_all(args.root)
    except DataError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        print(summary(len(err.problems)), file=sys.stderr)
        return 1
    active = sum(q.status == "active" for q in data.questions)
    print(f"data/ is valid: {len(data.interview.parts)} parts, {len(data.questions)} questions ({active} active), "
          f"{len(data.rubric.areas)} rubric areas, {len(data.exercises)} exercises, "
          f"{data.interview.slot_minutes}-minute slot")
    return 0


def cmd_check_files(args: argparse.Namespace) -> int:
    from .core import declared

    problems = declared.check_files(args.files, args.root)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        n = len(problems)
        print(f"{n} problem{'s' if n != 1 else ''} found against the schemas the files name", file=sys.stderr)
    return 1 if problems else 0


def cmd_schema(args: argparse.Namespace) -> int:
    if args.check:
        stale = schema.stale(args.root)
        for name in stale:
            print(f"data/schemas/{name}: out of date with handbook/core/model.py; run `make schema`",
                  file=sys.stderr)
        return 1 if stale else 0
    for name in schema.write(args.root):
        print(f"wrote data/schemas/{name}")
    return 0


def cmd_build(args: argparse.Namespace) -> int:
    sites = list(SITES) if args.site == "all" else [args.site]
    return build.build(args.root, (args.root / args.out).resolve(), sites)


def cmd_serve(args: argparse.Namespace) -> int:
    from .site import serve

    serve.setup_logging()
    return serve.serve(args.root, args.config_file, "127.0.0.1", args.port)


def cmd_diff(args: argparse.Namespace) -> int:
    try:
        print(diff.report(args.root, args.base), end="")
    except diff.DiffError as err:
        print(f"handbook diff: {err}", file=sys.stderr)
        return 2
    return 0


def cmd_debrief(args: argparse.Namespace) -> int:
    from .core.scorecard import follow_ups
    from .tools import debrief

    try:
        data = load_all(args.root)
    except DataError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return 1
    asked = follow_ups(data.questions)
    try:
        cards = debrief.read_cards(args.cards, data.rubric, asked)
    except debrief.CardError as err:
        for problem in err.problems:
            print(problem, file=sys.stderr)
        return 1
    sys.stdout.write(debrief.render(cards, data.rubric, asked))
    return 0


def cmd_pdf(args: argparse.Namespace) -> int:
    from .tools import pdf

    return pdf.main(args.root, args.site, (args.root / args.out).resolve() if args.out else None, args.kit)


def cmd_linkcheck(args: argparse.Namespace) -> int:
    from .tools import linkcheck

    return linkcheck.main(args.root, check_external=not args.no_external)


def cmd_notebooks(args: argparse.Namespace) -> int:
    from .tools import notebooks

    return notebooks.main(args.root, check=args.check)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m handbook", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path("."), help="repository root (default: .)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("validate", help="check every file under data/; print each problem as path:line: where: what")
    p = sub.add_parser("schema", help="regenerate data/schemas/*.json from the model")
    p.add_argument("--check", action="store_true", help="only report stale schema files (exit 1)")
    p = sub.add_parser("check-files", help="check data files against the JSON Schema their first line names, as an "
                       "editor does (the pre-commit hook)")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE.yml")
    p = sub.add_parser("build", help="build the sites with --strict into a temporary folder, swap in on success")
    p.add_argument("--site", choices=["all", *SITES], default="all")
    p.add_argument("--out", type=Path, default=Path(OUTPUT_DIR), help=f"output folder (default: {OUTPUT_DIR})")
    p = sub.add_parser("serve", help="serve a site on 127.0.0.1, rebuilding on every save; a failed build shows its "
                       "problems on every page until fixed")
    p.add_argument("--port", type=int, default=8000, help="default: 8000")
    p.add_argument("-f", "--config-file", default="mkdocs.yml", help="default: mkdocs.yml (the interviewer handbook)")
    p = sub.add_parser("diff", help="summarise what changed in data/ since a git ref, as Markdown (for PR reviews)")
    p.add_argument("base", metavar="BASE", help="git ref to compare the working tree with, e.g. origin/main")
    p = sub.add_parser("debrief", help="combine a panel's exported scorecards (JSON) into a Markdown debrief sheet")
    p.add_argument("cards", nargs="+", type=Path, metavar="CARD.json", help="scorecards exported from the scorecard page")
    p = sub.add_parser("pdf", help="print the room kit (or --kit prep, the long prep kit) to a PDF with headless Chromium")
    p.add_argument("--kit", choices=["room", "prep"], default="room",
                   help="room: timeline, cue cards, blank scorecard (at most 8 A4 pages); prep: the run sheet and every "
                   "active question in full")
    p.add_argument("--site", type=Path, help="an already built interviewer site (default: build it into site/)")
    p.add_argument("--out", type=Path, help="default: site/room-kit.pdf or site/prep-kit.pdf")
    p = sub.add_parser("linkcheck", help="check the built sites' internal links and anchors, list external links in "
                       "site/external-links.txt and request each one")
    p.add_argument("--no-external", action="store_true", help="list external links without requesting them")
    p = sub.add_parser("notebooks", help="run each snippets/notebooks/*.py in a kernel and write the .ipynb the site "
                       "renders, with its outputs")
    p.add_argument("--check", action="store_true", help="only report .ipynb files out of date with their .py (exit 1)")
    args = parser.parse_args(argv)
    args.root = args.root.resolve()
    commands = {"validate": cmd_validate, "check-files": cmd_check_files, "schema": cmd_schema, "build": cmd_build,
                "serve": cmd_serve,
                "diff": cmd_diff,
                "debrief": cmd_debrief, "pdf": cmd_pdf, "linkcheck": cmd_linkcheck,
                "notebooks": cmd_notebooks}
    return commands[args.command](args)
