"""MkDocs hook: refuse invalid data before anything is written, add the generated pages, fill markers, set edit links."""

from __future__ import annotations

import hashlib
import logging
import os
import posixpath
import re
import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files

from handbook.core.sites import NOTEBOOK_DIR, NOTEBOOKS, source_of
from handbook.core.validate import DataError, load_all, summary
from handbook.site.notebook_pages import slim_page
from handbook.site.org import OrgError, check_org, placeholders
from handbook.site.render import Renderer, RenderError

log = logging.getLogger("mkdocs.plugins.handbook")
# Not under "mkdocs": a placeholder is worth a warning on every build, but must not fail a --strict one (tests, CI)
notice = logging.getLogger("handbook.notice")
if not notice.handlers:
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(logging.Formatter("WARNING -  %(message)s"))
    notice.addHandler(_handler)
    notice.propagate = False
# mkdocs-mermaid2 logs an INFO line per page and per rebuild ("MERMAID2 - ..."; 48 on each `make serve` rebuild):
# only its warnings and errors are worth a line. mkdocs-jupyter logs three lines per notebook page likewise.
for _name in ("mkdocs.plugins.mermaid2.util", "mkdocs.mkdocs-jupyter", "mkdocs.plugins.mkdocs_jupyter"):
    logging.getLogger(_name).setLevel(logging.WARNING)
_state: dict = {}


@event_priority(100)
def on_config(config):
    settings = config.extra.get("handbook") or {}
    root = Path(config.config_file_path).absolute().parent
    try:
        data = load_all(root)
    except DataError as err:
        for problem in err.problems:
            log.error(str(problem))
        raise PluginError(f"{summary(len(err.problems))}; no site was written") from None
    try:
        org = check_org(settings.get("org"))
    except OrgError as err:
        raise PluginError(f"{config.config_file_path}: {err}") from None
    try:
        renderer = Renderer(data, settings.get("audience", ""), org)
    except RenderError as err:
        raise PluginError(f"{config.config_file_path}: extra.handbook.audience: {err}") from None
    if renderer.audience == "candidate" and (keys := placeholders(org)):
        notice.warning("the public candidate guide still shows example values: " + ", ".join(
            f"extra.handbook.org.{k} = {org[k]!r}" for k in keys) + " (set them in mkdocs.yml, or HANDBOOK_"
            + "/HANDBOOK_".join(k.upper() for k in keys) + " in the environment, before publishing)")
    _state.clear()
    _state.update(root=root, renderer=renderer, edit_base=settings.get("edit_base"), sources={})
    return config


@event_priority(100)  # before mkdocs-jupyter, so it sees the notebooks added here
def on_files(files: Files, config) -> Files:
    renderer: Renderer = _state["renderer"]
    root: Path = _state["root"]
    try:
        pages = renderer.pages()
    except RenderError as err:
        raise PluginError(str(err)) from None
    for page in pages:
        if files.get_file_from_path(page.uri):
            raise PluginError(f"{page.uri} is generated from {page.source}; remove the file of that name from docs/")
        files.append(File.generated(config, page.uri, content=page.markdown))
        _state["sources"][page.uri] = page.source
    notebooks = NOTEBOOKS if renderer.audience == "interviewer" else []
    for path in (f"{NOTEBOOK_DIR}/{nb}" for nb in notebooks):
        if not (root / path).is_file():
            raise PluginError(f"{path} is missing (handbook/core/sites.py lists it): `make notebooks` writes it from "
                              f"{source_of(path)}")
    for uri in notebooks:  # a plain File (not generated) so that mkdocs-jupyter can wrap it
        files.append(File(uri, str(root / NOTEBOOK_DIR), config.site_dir, config.use_directory_urls))
        _state["sources"][uri] = source_of(f"{NOTEBOOK_DIR}/{uri}")  # "edit" opens the .py, not the .ipynb
    return files


def on_page_markdown(markdown: str, page, config, files) -> str:
    renderer: Renderer = _state["renderer"]
    source = _state["sources"].get(page.file.src_uri)
    if source is None:
        try:
            markdown, source = renderer.fill_markers(markdown)
        except RenderError as err:
            raise PluginError(f"{page.file.src_uri}: {err}") from None
        if source is None:  # a written page with no marker: edit the page itself
            docs = Path(os.path.relpath(config.docs_dir, Path(config.config_file_path).resolve().parent)).as_posix()
            source = f"{docs}/{page.file.src_uri}"
    if _state["edit_base"]:
        page.edit_url = _state["edit_base"] + source
    return markdown


def on_page_content(html: str, page, config, files) -> str:
    """Diagrams stay out of the search index (Material's search would index their Mermaid source, config lines and
    all, as page text). Notebook pages: the inline JupyterLab CSS goes to one shared stylesheet, dead scripts go."""
    html = re.sub(r'<pre\s+class="mermaid">', '<pre class="mermaid" data-search-exclude>', html)  # mermaid2: "<pre  class"
    if page.file.src_uri not in NOTEBOOKS:
        return html
    html, css = slim_page(html)
    name = f"assets/stylesheets/notebook-{hashlib.sha256(css.encode()).hexdigest()[:12]}.css"
    target = Path(config.site_dir) / name
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(css, encoding="utf-8")
    href = posixpath.relpath(name, posixpath.dirname(page.file.dest_uri))
    return html.replace("<!-- notebook-css -->", f'<link rel="stylesheet" href="{href}">', 1)
