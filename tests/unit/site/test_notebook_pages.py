"""handbook/site/notebook_pages.py: a notebook page keeps its content, loses its inline CSS and dead scripts."""

from __future__ import annotations

from handbook.site.notebook_pages import slim_page

PAGE = """<html><head>
<style type="text/css">.jp-Cell { margin: 0 }</style>
<style type="text/css">.highlight { color: red }</style>
<style>
.jp-Mermaid { display: block }</style>
<script src=""></script>
<!-- MathJax configuration -->
<script type="text/x-mathjax-config">MathJax.Hub.Config({});</script>
<!-- End of mathjax configuration -->
<script type="module">
document.addEventListener("DOMContentLoaded", async () => {
  const diagrams = document.querySelectorAll(".jp-Mermaid > pre.mermaid");
  import("https://cdnjs.cloudflare.com/ajax/libs/mermaid/10.7.0/mermaid.esm.min.mjs");
});
</script>
<style>['pre { line-height: 125%; }']</style>
</head><body><div class="jp-Cell">drift: 0.12</div></body></html>"""


def test_the_css_moves_out_and_a_placeholder_marks_where_it_was():
    html, css = slim_page(PAGE)
    assert css == ".jp-Cell { margin: 0 }\n.highlight { color: red }\n.jp-Mermaid { display: block }\n"
    assert html.count("<!-- notebook-css -->") == 1 and "<style" not in html
    assert '<div class="jp-Cell">drift: 0.12</div>' in html


def test_dead_scripts_and_the_cdn_import_are_gone():
    html, _ = slim_page(PAGE)
    assert "<script" not in html and "cdnjs" not in html and "MathJax" not in html and "mathjax" not in html


def test_a_page_without_notebook_css_is_left_as_it_is():
    assert slim_page("<p>plain</p>") == ("<p>plain</p>", "\n")
