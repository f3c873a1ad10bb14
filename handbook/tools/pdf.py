"""Print a kit page of the interviewer site to a PDF with headless Chromium, from the site served on 127.0.0.1: the
room kit (room-kit/: timeline, cue cards, blank scorecard; at most 8 A4 pages) or the prep kit (print-kit/: the run
sheet, every active question with its follow-ups and signals, a blank scorecard; no page limit)."""

from __future__ import annotations

import sys
from pathlib import Path

from ..core.sites import INTERVIEWER_SITE, OUTPUT_DIR
from ..site import build
from .browser import DIAGRAMS_DRAWN, OPEN_SHADOW_ROOTS, diagrams_in, find_chromium, launch, serve

KITS = {"room": "room-kit/", "prep": "print-kit/"}  # make pdf KIT=room|prep
OUT = {"room": "site/room-kit.pdf", "prep": "site/prep-kit.pdf"}
TITLES = {"room": "Room kit", "prep": "Prep kit"}
ROOM_KIT_MAX_PAGES = 8
# A tall flowchart at full width is taller than an A4 page and would run over the next part's first page.
FIT_DIAGRAMS = """() => { for (const e of document.querySelectorAll('*')) if (e.shadowRoot)
    for (const svg of e.shadowRoot.querySelectorAll('svg')) Object.assign(svg.style, {maxHeight: '220mm', maxWidth: '100%'}); }"""
FOOTER = ('<div style="font-size:8px;width:100%;padding:0 15mm;color:#555;display:flex;justify-content:space-between">'
          '<span>{title}: internal, do not share with candidates</span>'
          '<span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>')


def write_pdf(site: Path, out: Path, kit: str = "room") -> int:
    """Print the kit's page of the built site to `out`; returns the number of diagrams waited for."""
    chromium = find_chromium()
    if not chromium:
        raise RuntimeError("no Chromium on PATH (Debian: apt-get install chromium)")
    if kit not in KITS:
        raise RuntimeError(f"unknown kit {kit!r} (known: {', '.join(KITS)})")
    page_file = site / KITS[kit] / "index.html"
    if not page_file.is_file():
        raise RuntimeError(f"{page_file} does not exist: is {site} a built interviewer site?")
    diagrams = diagrams_in(page_file.read_text(encoding="utf-8"))
    out.parent.mkdir(parents=True, exist_ok=True)
    with serve(site) as base, launch(chromium) as browser:
        context = browser.new_context()
        context.add_init_script(OPEN_SHADOW_ROOTS)
        page = context.new_page()
        page.goto(f"{base}/{KITS[kit]}", wait_until="load")
        if diagrams:
            page.wait_for_function(DIAGRAMS_DRAWN, arg=diagrams, timeout=30_000)
        page.emulate_media(media="print")
        page.evaluate(FIT_DIAGRAMS)
        page.pdf(path=str(out), format="A4", print_background=True, display_header_footer=True,
                 header_template="<span></span>", footer_template=FOOTER.format(title=TITLES[kit]),
                 margin={"top": "15mm", "bottom": "18mm", "left": "15mm", "right": "15mm"})
    return diagrams


def main(root: Path, site: Path | None, out: Path | None, kit: str = "room") -> int:
    """`python -m handbook pdf [--kit room|prep]`: build the interviewer site into site/ unless one is given, then
    print the kit (default out: site/room-kit.pdf or site/prep-kit.pdf)."""
    out = out or (root / OUT[kit])
    if site is None:
        code = build.build(root, root / OUTPUT_DIR, [INTERVIEWER_SITE.name])
        if code:
            return code
        site = root / INTERVIEWER_SITE.output
    try:
        write_pdf(site.resolve(), out, kit)
    except RuntimeError as err:
        print(f"pdf: {err}", file=sys.stderr)
        return 1
    print(f"wrote {out}")
    return 0
