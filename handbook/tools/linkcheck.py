"""Links of the built sites: every internal link and anchor must resolve; external links are listed, checked on request.

`python -m handbook linkcheck` (`make linkcheck`) reads site/interviewer and site/candidate, fails on any broken
internal link, writes every external URL with the pages that use it to site/external-links.txt, and then requests
each external URL (HEAD, falling back to GET) unless `--no-external`. `make test` never touches the network: it
checks only the internal links, in tests/test_links.py.
"""

from __future__ import annotations

import posixpath
import re
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..core.sites import OUTPUT_DIR
from ..core.sites import SITES as _SITES

SITES = tuple(_SITES)  # the built sites' folder names under site/
LINK_ATTRS = {"a": "href", "link": "href", "area": "href", "script": "src", "img": "src", "iframe": "src",
              "source": "src", "video": "src", "audio": "src"}
SKIP_SCHEMES = ("mailto:", "tel:", "data:", "blob:", "javascript:")


@dataclass
class Page:
    """What one HTML page links to and which anchors it offers."""

    links: list[str] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


class _Scanner(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        for name in ("id", "name") if tag == "a" else ("id",):
            if values.get(name):
                self.page.ids.add(values[name])
        attr = LINK_ATTRS.get(tag)
        if attr and values.get(attr) is not None:
            self.page.links.append(values[attr].strip())

    handle_startendtag = handle_starttag


def scan(path: Path) -> Page:
    scanner = _Scanner()
    scanner.feed(path.read_text(encoding="utf-8"))
    return scanner.page


def is_external(url: str) -> bool:
    return url.startswith(("http://", "https://", "//"))


def resolve(site: Path, page: Path, url: str) -> tuple[Path, str]:
    """The file a relative link on `page` points at, and its fragment ('' if none)."""
    parts = urlsplit(url)
    if not parts.path:
        return page, unquote(parts.fragment)
    base = site if parts.path.startswith("/") else page.parent
    out = Path(posixpath.normpath(posixpath.join(base.as_posix(), unquote(parts.path).lstrip("/"))))
    if parts.path.endswith("/") or out.is_dir():
        out = out / "index.html"
    return out, unquote(parts.fragment)


@dataclass
class Report:
    broken: list[str] = field(default_factory=list)  # "site/page: url (why)"
    external: dict[str, set[str]] = field(default_factory=dict)  # url -> pages using it
    checked: int = 0


def site_url_of(site: Path) -> str:
    """The site's own address (its config's site_url), read back from the sitemap MkDocs wrote: the longest common
    folder of its pages. '' when the sitemap lists none (no site_url)."""
    sitemap = site / "sitemap.xml"
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap.read_text(encoding="utf-8")) if sitemap.is_file() else []
    if not locs:
        return ""
    common = posixpath.commonprefix(locs)
    return common[:common.rindex("/") + 1]


def check_sites(root: Path, sites: tuple[str, ...] = SITES) -> Report:
    """Every internal link of every page of the built sites under `root` (a folder holding interviewer/, candidate/).
    A link to the site's own address (the canonical link) or to a root-absolute path under its site_url's sub-path
    (what Material writes into 404.html) is a link inside the site, checked like a relative one."""
    report = Report()
    for name in sites:
        site = (root / name).resolve()
        own = site_url_of(site)
        base = urlsplit(own).path or "/"
        pages = {p: scan(p) for p in sorted(site.rglob("*.html"))}
        for page, info in pages.items():
            where = f"{name}/{page.relative_to(site).as_posix()}"
            for url in info.links:
                if not url or url.startswith(SKIP_SCHEMES):
                    continue
                if own and url.startswith(own):
                    url = "/" + url[len(own):]
                elif base != "/" and url.startswith("/") and not url.startswith("//"):
                    if not url.startswith(base):
                        report.broken.append(f"{where}: {url} (outside the site's path {base})")
                        continue
                    url = "/" + url[len(base):]
                if is_external(url):
                    report.external.setdefault(url, set()).add(where)
                    continue
                report.checked += 1
                target, fragment = resolve(site, page, url)
                if site not in target.parents and target != site:
                    report.broken.append(f"{where}: {url} (leaves the site)")
                elif not target.is_file():
                    report.broken.append(f"{where}: {url} ({target.relative_to(site).as_posix()} does not exist)")
                elif fragment and target.suffix == ".html":
                    ids = pages[target].ids if target in pages else scan(target).ids
                    if fragment not in ids:
                        report.broken.append(f"{where}: {url} (no element with id {fragment!r})")
    return report


def write_external(report: Report, dest: Path) -> None:
    lines = [f"{url}\t{', '.join(sorted(pages))}" for url, pages in sorted(report.external.items())]
    dest.write_text("# external links of the built sites: URL<TAB>pages (checked by `make linkcheck`)\n" +
                    "".join(line + "\n" for line in lines), encoding="utf-8")


def probe(url: str, timeout: float = 10.0) -> str | None:
    """None if the URL answers with a success or redirect, else why not."""
    full = "https:" + url if url.startswith("//") else url
    last = ""
    for method in ("HEAD", "GET"):  # some servers refuse HEAD
        request = urllib.request.Request(full, method=method, headers={"User-Agent": "handbook-linkcheck"})
        try:
            with urllib.request.urlopen(request, timeout=timeout):  # http(s) only: see is_external
                return None
        except urllib.error.HTTPError as err:
            last = f"HTTP {err.code}"
            if err.code not in (403, 405, 501):
                return last
        except (urllib.error.URLError, TimeoutError, OSError) as err:
            return f"unreachable: {getattr(err, 'reason', err)}"
    return last


def main(root: Path, check_external: bool = True) -> int:
    site_root = root / OUTPUT_DIR
    missing = [s for s in SITES if not (site_root / s / "index.html").is_file()]
    if missing:
        print(f"no built site in {site_root} ({', '.join(missing)}): run `make build` first", file=sys.stderr)
        return 2
    report = check_sites(site_root)
    for line in report.broken:
        print(f"broken: {line}", file=sys.stderr)
    write_external(report, site_root / "external-links.txt")
    print(f"{report.checked} internal links checked, {len(report.broken)} broken; "
          f"{len(report.external)} external links listed in {site_root / 'external-links.txt'}")
    failed = 0
    if check_external and report.external:
        with ThreadPoolExecutor(max_workers=8) as pool:
            for url, why in zip(report.external, pool.map(probe, report.external)):
                if why:
                    failed += 1
                    print(f"external: {url}: {why} (on {', '.join(sorted(report.external[url]))})", file=sys.stderr)
        print(f"{len(report.external) - failed} of {len(report.external)} external links answered")
    return 1 if report.broken or failed else 0
