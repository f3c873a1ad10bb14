"""Notebook pages as mkdocs-jupyter renders them, made lighter for the site."""

from __future__ import annotations

import re

# mkdocs-jupyter (0.26) inlines ~590 KB of JupyterLab CSS into every notebook page, plus scripts our notebooks never
# use: an empty MathJax <script src="">, its config, and a module that imports mermaid from cdnjs.cloudflare.com when
# an output holds a mermaid diagram (none of ours does; the site must never load from another host). slim_page moves
# the CSS into one shared, cacheable stylesheet and drops those scripts, so a notebook page weighs ~100 KB, not 700.
_PAGE_CSS = re.compile(r'<style type="text/css">(.*?)</style>', re.DOTALL)
_MERMAID_CSS = re.compile(r'<style>\s*(\.jp-Mermaid.*?)</style>', re.DOTALL)
_DEAD = re.compile(
    r'<script src="">\s*</script>'
    r'|<!-- MathJax configuration -->\s*<script type="text/x-mathjax-config">.*?</script>'
    r'|<script type="module">\s*document\.addEventListener\("DOMContentLoaded", async \(\) => \{\s*'
    r'const diagrams = document\.querySelectorAll\("\.jp-Mermaid.*?</script>'
    r"|<style>\s*\['pre \{.*?</style>"  # the pygments CSS again, as a Python list's repr: not CSS at all
    r"|<!-- (?:Load mathjax|End of mathjax configuration|End of mermaid configuration) -->",
    re.DOTALL)


def slim_page(html: str) -> tuple[str, str]:
    """(page HTML without inline notebook CSS and dead scripts, the CSS it needs). The first <style> found is where
    the caller links the stylesheet: the placeholder <!-- notebook-css --> marks it."""
    css: list[str] = []

    def take(match: re.Match) -> str:
        first = not css
        css.append(match.group(1).strip())
        return "<!-- notebook-css -->" if first else ""

    html = _PAGE_CSS.sub(take, html)
    html = _MERMAID_CSS.sub(take, html)
    html = _DEAD.sub("", html)
    return html, "\n".join(css) + "\n"
