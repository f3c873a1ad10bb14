"""`make serve`: MkDocs' own live-reload server, with what a contributor needs around it.

- A failed build (invalid data, a broken link under --strict) does not freeze the browser, as `mkdocs serve` does
  (mkdocs 1.6 keeps every request waiting until a build succeeds). Every page answers at once with an error page
  listing the problems, which reloads by itself into the handbook once a save fixes them.
- Each rebuild runs the package as it is on disk: the modules of `handbook` are dropped from `sys.modules` and the
  hook is loaded again, so an edit to a template or to the package shows on the next reload.
- A busy port is one line naming the PORT variable, said before anything is built.
"""

from __future__ import annotations

import errno
import html
import logging
import re
import shutil
import socket
import sys
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import watchdog.observers
from mkdocs.commands.build import build as mkdocs_build
from mkdocs.config import config_options, load_config
from mkdocs.livereload import LiveReloadServer, _Handler, _serve_url

log = logging.getLogger("mkdocs.handbook.serve")
KEEP = {"handbook", "handbook.cli", "handbook.__main__", __name__}  # the running server itself is not reloaded
PROBLEM = re.compile(r"^(?P<file>[^\s:][^:]*):(?P<line>\d+): (?P<where>[^:]+): (?P<what>.+)$")


class _Collect(logging.Handler):
    """Keep the warnings and errors a build logs: they are what the error page shows."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


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
