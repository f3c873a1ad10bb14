"""`make serve`: MkDocs' own live-reload server, with what a contributor needs around it.

- A failed build (invalid data, a broken link under --strict) does not freeze the browser, as `mkdocs serve` does
  (mkdocs 1.6 keeps every request waiting until a build succeeds). Every page answers at once with an error page
  listing the problems, which reloads by itself into the handbook once a save fixes them.
- Each rebuild runs the package as it is on disk: the modules of `handbook` are dropped from `sys.modules` and the
  hook is loaded again, so an edit to a template or to the package shows on the next reload.
- A busy port is one line naming the PORT variable, said before anything is built.
"""

from __future__ import annotations

import copy
import errno
import hashlib
import html
import logging
import os
import re
import shutil
import socket
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import jinja2
import jinja2.bccache
import watchdog.events
import watchdog.observers
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import config_options, load_config
from mkdocs.livereload import LiveReloadServer, _Handler, _serve_url

log = logging.getLogger("mkdocs.handbook.serve")
KEEP = {"handbook", "handbook.cli", "handbook.__main__", __name__}  # the running server itself is not reloaded
CHANGES = {"created", "deleted", "modified", "moved"}
PROBLEM = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+): (?P<where>[^:]+): (?P<what>.+)$")


class _Collect(logging.Handler):
    """Keep the warnings and errors a build logs: they are what the error page shows."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())
        self.records.append(record)


class _RequestLog(_Handler):
    """A request answered with an error is logged at INFO, not WARNING: mkdocs counts every WARNING of its loggers
    during a build, so under --strict a browser's 404 (or the error page's 500) during a rebuild failed that build."""

    def log_request(self, code="-", size="-"):
        level = logging.DEBUG if str(code) == "200" else logging.INFO
        logging.getLogger("mkdocs.livereload").log(level, f'"{self.requestline}" code {code}')


class Server(LiveReloadServer):
    """LiveReloadServer that answers every page with the error page while the last build failed."""

    error_page: bytes | None = None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.RequestHandlerClass = _RequestLog
        # mkdocs polls every watched file each 0.5 s (0.25 s of every edit, on average); inotify tells at once
        self.observer = watchdog.observers.Observer()

    def watch(self, path: str, func: None = None, *, recursive: bool = True) -> None:
        """As LiveReloadServer.watch, but only a change to a file starts a rebuild: inotify also reports each file a
        build opens and reads, and Python writes __pycache__ when it imports the package again."""
        path = os.path.abspath(path)
        if path in self._watched_paths:
            self._watched_paths[path] += 1
            return
        self._watched_paths[path] = 1

        def callback(event) -> None:
            if event.is_directory or event.event_type not in CHANGES or "__pycache__" in str(event.src_path):
                return
            with self._rebuild_cond:
                self._want_rebuild = True
                self._rebuild_cond.notify_all()

        handler = watchdog.events.FileSystemEventHandler()
        handler.on_any_event = callback
        self._watch_refs[path] = self.observer.schedule(handler, path, recursive=recursive)

    def _serve_request(self, environ, start_response):
        path = environ["PATH_INFO"]
        page = self.error_page
        if page is not None and not path.startswith("/livereload/") and (
                path.endswith(("/", ".html")) or "." not in path.rsplit("/", 1)[-1]):
            content = self._inject_js_into_html(page, self._visible_epoch)
            start_response("500 Internal Server Error", [("Content-Type", "text/html; charset=utf-8"),
                                                         ("Content-Length", str(len(content)))])
            return [content]
        return super()._serve_request(environ, start_response)


def error_page(lines: list[str]) -> bytes:
    """A self-contained page (no asset of the site it replaces) listing the build's problems."""
    rows, other = [], []
    for line in lines:
        m = PROBLEM.match(line)
        if m:
            rows.append("<tr>" + "".join(f"<td>{html.escape(m[k])}</td>" for k in ("file", "line", "where", "what"))
                        + "</tr>")
        elif not line.startswith("Aborted with"):
            other.append(f"<li>{html.escape(line)}</li>")
    table = ("<table><thead><tr><th>file</th><th>line</th><th>field</th><th>problem</th></tr></thead><tbody>"
             + "".join(rows) + "</tbody></table>") if rows else ""
    listing = f"<ul>{''.join(other)}</ul>" if other else ""
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Build failed: ML Engineer Interview Handbook</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;margin:2rem;max-width:70rem;color:#1a1a1a}}
h1{{color:#b00020;font-size:1.5rem}}table{{border-collapse:collapse;width:100%}}
td,th{{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}}
td:nth-child(-n+3){{font-family:monospace;white-space:nowrap}}</style></head>
<body><main id="handbook-build-error"><h1>The handbook could not be built</h1>
<p>Fix each problem below in your editor and save: this page reloads by itself, into the handbook once the build
succeeds. <code>make validate</code> prints the same data problems in the terminal.</p>
{table}{listing}</main></body></html>""".encode()


# --- rebuild only what an edit changes -------------------------------------------------------------------------
# A rebuild re-renders all ~45 pages. Three steps of it are pure functions of a page's HTML, which an edit changes on
# a few pages only: mkdocs-mermaid2's on_post_page (it re-parses the page with BeautifulSoup's pure-Python parser),
# the search plugin's indexing of the page, and compiling the theme's Jinja templates. Between rebuilds of one
# `make serve` their results are kept, keyed by everything they read, so an unchanged page costs a dictionary look-up.
# `make build` keeps nothing: every build there starts from nothing.

HITS = {"render": 0, "mermaid2": 0, "search": 0}  # results reused, for the tests and the curious
_MERMAID: dict[tuple, str] = {}
_SEARCH: dict[tuple, list] = {}
_LIMIT = 5000  # entries; a long session starts over rather than grow without bound


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


class _Bytecode(jinja2.BytecodeCache):
    """Compiled theme templates, in memory: Jinja checks each template's source checksum before reusing one."""

    def __init__(self) -> None:
        self.store: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        if bucket.key in self.store:
            bucket.bytecode_from_string(self.store[bucket.key])

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.store[bucket.key] = bucket.bytecode_to_string()


def install_caches() -> None:
    """Wrap the three steps for this process (the serve command only)."""
    from material.plugins.search.plugin import SearchIndex
    from mermaid2.plugin import MarkdownMermaidPlugin
    from mkdocs.structure.pages import Page
    from mkdocs.theme import Theme

    if getattr(Theme.get_env, "_handbook_cached", False):
        return
    bytecode = _Bytecode()
    get_env, post_page, add_entry = Theme.get_env, MarkdownMermaidPlugin.on_post_page, SearchIndex.add_entry_from_context

    def cached_get_env(self):
        env = get_env(self)
        env.bytecode_cache = bytecode
        return env

    def cached_post_page(self, output_content, config, page, **kwargs):
        key = (page.url, _digest(output_content), repr(sorted(self.config.items())))
        if key not in _MERMAID:
            if len(_MERMAID) > _LIMIT:
                _MERMAID.clear()
            _MERMAID[key] = post_page(self, output_content, config, page, **kwargs)
        else:
            HITS["mermaid2"] += 1
        return _MERMAID[key]

    def cached_add_entry(self, page):
        key = (page.url, page.title, _digest(page.content or ""), repr(page.meta), repr(self.config))
        if key not in _SEARCH:
            if len(_SEARCH) > _LIMIT:
                _SEARCH.clear()
            before = len(self.entries)
            add_entry(self, page)
            _SEARCH[key] = copy.deepcopy(self.entries[before:])
        else:
            HITS["search"] += 1
            self.entries.extend(copy.deepcopy(_SEARCH[key]))

    Page.render = _cached_render(Page.render)
    cached_get_env._handbook_cached = True
    Theme.get_env, MarkdownMermaidPlugin.on_post_page = cached_get_env, cached_post_page
    SearchIndex.add_entry_from_context = cached_add_entry


_RENDER: dict[tuple, dict] = {}
_INCLUDE = re.compile(r'--8<--\s+"([^"]+)"')


def _included(markdown: str, root: Path) -> tuple | None:
    """(path, size, mtime) of each file a page includes with --8<-- "path[:section]"; None for a form not read here."""
    if markdown.count("--8<--") != len(_INCLUDE.findall(markdown)):
        return None
    out = []
    for ref in _INCLUDE.findall(markdown):
        path = root / re.sub(r":[\w-]+$", "", ref)
        stat = path.stat() if path.is_file() else None
        out.append((ref, stat.st_size if stat else -1, stat.st_mtime_ns if stat else -1))
    return tuple(out)


def _cached_render(render):
    """Page.render (Markdown to HTML, the largest step of a rebuild) kept per page between rebuilds, keyed by the
    page's Markdown, the files it includes, the site's list of files (links) and mkdocs.yml. What it logged (a broken
    link under --strict) is logged again on every build that reuses it."""
    from mkdocs.structure.pages import Page

    def cached(self, config, files):
        root = Path(config.config_file_path).parent
        included = _included(self.markdown or "", root) if type(self) is Page else None
        if included is None:
            return render(self, config, files)
        listing = getattr(files, "_handbook_signature", None)
        if listing is None:
            listing = _digest(repr(sorted((f.src_uri, f.dest_uri) for f in files)))
            files._handbook_signature = listing
        key = (self.file.src_uri, _digest(self.markdown), included, listing, config.use_directory_urls,
               _digest(repr((config.markdown_extensions, config.mdx_configs))))
        hit = _RENDER.get(key)
        if hit is None:
            collect = _Collect()
            logging.getLogger("mkdocs").addHandler(collect)
            try:
                render(self, config, files)
            finally:
                logging.getLogger("mkdocs").removeHandler(collect)
            if len(_RENDER) > _LIMIT:
                _RENDER.clear()
            anchors = {f.src_uri: v for f, v in (self.links_to_anchors or {}).items()}
            _RENDER[key] = hit = {"content": self.content, "toc": self.toc, "title": self._title_from_render,
                                  "present": set(self.present_anchor_ids or ()), "anchors": anchors,
                                  "records": collect.records}
            return None
        HITS["render"] += 1
        for record in hit["records"]:
            logging.getLogger(record.name).handle(record)
        self.content, self.toc = hit["content"], copy.deepcopy(hit["toc"])
        self._title_from_render, self.present_anchor_ids = hit["title"], set(hit["present"])
        self.links_to_anchors = {files.get_file_from_path(uri): dict(v) for uri, v in hit["anchors"].items()}
        return None

    return cached


def port_in_use(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server binds: a closing socket is no clash
        try:
            s.bind((host, port))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return True
            raise
    return False


def _fresh_package() -> None:
    """Forget the loaded modules of the package and the loaded hook, so the next build imports them from disk."""
    for name in [n for n in sys.modules if n.startswith("handbook.") and n not in KEEP]:
        del sys.modules[name]
    config_options.Hooks._load_hook.cache_clear()


def serve(root: Path, config_file: str, host: str, port: int) -> int:
    if port_in_use(host, port):
        print(f"port {port} is in use (another `make serve`?): stop that server, or serve on another port with "
              f"`make serve PORT={port + 1}`", file=sys.stderr)
        return 2
    site_dir = tempfile.mkdtemp(prefix="handbook-serve-")
    serve_url = _serve_url(host, port, "/")
    server: Server | None = None

    def get_config():
        config = load_config(config_file=str(root / config_file), site_dir=site_dir, dev_addr=f"{host}:{port}")
        config.site_url = serve_url
        return config

    def builder(config=None) -> None:
        collect = _Collect()
        logging.getLogger("mkdocs").addHandler(collect)
        try:
            if config is None:
                _fresh_package()
                config = get_config()
            log.info("Building documentation...")
            mkdocs_build(config, serve_url=serve_url)
        except (Exception, SystemExit) as exc:  # any failure becomes the error page (mkdocs' Abort is a SystemExit)
            lines = collect.lines or [str(exc)]
            if not collect.lines:
                log.error(f"{type(exc).__name__}: {exc}", exc_info=not isinstance(exc, SystemExit))
            if server is not None:
                server.error_page = error_page(lines)
            log.error(f"build failed: every page shows the problems at {serve_url} until a save fixes them")
            return
        finally:
            logging.getLogger("mkdocs").removeHandler(collect)
        if server is not None:
            server.error_page = None

    install_caches()
    config = get_config()
    config.plugins.on_startup(command="serve", dirty=False)
    server = Server(builder=builder, host=host, port=port, root=site_dir, mount_path=urlsplit(serve_url).path)
    try:
        builder(config)
        server.watch(config.docs_dir)
        server.watch(config.config_file_path)
        server = config.plugins.on_serve(server, config=config, builder=builder)
        for item in config.watch:
            server.watch(item)
        try:
            server.serve()
        except KeyboardInterrupt:
            log.info("Shutting down...")
        finally:
            server.shutdown()
    finally:
        config.plugins.on_shutdown()
        shutil.rmtree(site_dir, ignore_errors=True)
    return 0


def setup_logging() -> None:
    """What `mkdocs serve` prints: INFO and above, as `LEVEL - message`."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-8s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
