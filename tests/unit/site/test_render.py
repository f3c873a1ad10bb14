"""Rendering: YAML text is Markdown but never HTML, and the candidate view holds no interviewer-only field."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import jinja2
import markdown
import pytest

from handbook.core.model import CANDIDATE, INTERVIEWER, SnippetRef, interviewer_only_strings
from handbook.core.validate import load_all
from handbook.core.view import view_of
from handbook.site.render import Renderer, RenderError, inline, plain, safe_markdown
from tests.helpers import ORG, ROOT, VALID, copy_valid

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click]( JavaScript:alert(1))",
    "[click][x]\n\n[x]: javascript:alert(1)",
    "Look {: onclick=\"alert(1)\" }",
    '--8<-- "snippets/part1/data_processor.py"',
    "<!-- handbook:rubric -->",
]


def to_html(text: str) -> str:
    return markdown.markdown(safe_markdown(text), extensions=["attr_list", "pymdownx.snippets"])


class Elements(HTMLParser):
    """Every element and attribute in a piece of HTML."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += [(k, v or "") for k, v in attrs]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_yaml_text_renders_as_inert_text(text):
    html = to_html(text)
    found = Elements(html)
    assert set(found.tags) <= {"p", "code", "a"}, html
    assert not [k for k, _ in found.attrs if k.startswith("on")], html
    assert not [v for k, v in found.attrs if k == "href" and not v.startswith("http")], html
    assert "class DataProcessor" not in html  # the snippet include did not run


SITE_EXTENSIONS = ["admonition", "attr_list", "tables", "toc", "pymdownx.details", "pymdownx.highlight",
                   "pymdownx.inlinehilite", "pymdownx.snippets", "pymdownx.superfences"]
BYPASSES = [  # each once turned YAML text into live HTML or a script link on the built site
    "\\`<img src=x onerror=alert(1)>`",  # an escaped backtick is no code span to Markdown
    "[x](javascript&#58;alert(1))",  # the browser decodes the entity in href
    "[x](&#106;avascript:alert(1))",
    "[x](javascript\\:alert(1))",  # Markdown drops the backslash
    "[x](java\nscript:alert(1))",  # browsers drop newlines from URLs
    "> [x]: javascript:alert(1)\n>\n> [y][x]",  # a reference definition inside a quote
    "- [x]: javascript:alert(1)\n\n[y][x]",  # ... or a list item
    "[x]:\n  javascript:alert(1)\n\n[y][x]",
    "![x](https://tracker.example/p.png)",  # an image loads from another host
    "```python onclick=x\n<script>alert(1)</script>\n```",  # a fence header Markdown rejects
    '```\n--8<-- "tests/fixtures/valid/snippets/demo/reference.py"\n```',  # a snippet include inside a fence
]
CONTEXTS = ["{}", "- **Why:** {}", "**How it runs.** {}", "!!! note\n    {}"]


class Html(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.text = ""
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag in {"script", "img", "svg", "iframe", "object", "embed", "style"}:
            self.problems.append(f"<{tag}>")
        for k, v in attrs:
            if k.startswith("on"):
                self.problems.append(f"{tag} {k}=")
            if k in {"href", "src"} and re.match(r"\s*[a-z][a-z0-9+.-]*:", v or "", re.IGNORECASE) and \
                    not re.match(r"(https?|mailto):", v or ""):
                self.problems.append(f"{tag} {k}={v}")

    def handle_data(self, data):
        self.text += data


@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize("text", BYPASSES)
def test_known_bypasses_stay_inert_wherever_a_template_puts_the_text(text, context):
    """Rendered with the site's Markdown extensions, in each kind of place the templates put YAML text."""
    page = context.format(safe_markdown(text).replace("\n", "\n    " if context.startswith("!!!") else "\n"))
    html = markdown.markdown(page, extensions=SITE_EXTENSIONS,
                             extension_configs={"pymdownx.snippets": {"base_path": [str(ROOT)]}})
    found = Html(html)
    assert found.problems == [], html
    assert "x = 1" not in found.text  # the snippet include did not run


def test_an_inline_link_to_a_page_or_site_still_works():
    html = to_html("See [the rubric](../rubric/#weights), [docs](https://example.org/a:b) or [mail](mailto:a@b.c).")
    assert '<a href="../rubric/#weights">the rubric</a>' in html
    assert '<a href="https://example.org/a:b">docs</a>' in html
    assert '<a href="mailto:a@b.c">mail</a>' in html


def test_ampersands_and_entities_show_as_typed():
    assert to_html("AWS & GCP, &lt;b&gt;") == "<p>AWS &amp; GCP, &amp;lt;b&amp;gt;</p>"


def test_page_titles_are_one_line_of_plain_text_without_tags():
    """Front matter titles: Material shows them as HTML in the nav and escapes them again in labels."""
    assert plain("Part 3: AWS & Distributed\nSystems") == "Part 3: AWS & Distributed Systems"
    assert plain("<img src=x onerror=alert(1)>") == "&lt;img src=x onerror=alert(1)>"
    assert plain("&lt;/title&gt;&lt;script&gt;") == "&amp;lt;/title&amp;gt;&amp;lt;script&amp;gt;"


def test_diagram_source_reaches_the_page_escaped(tmp_path):
    """mkdocs-mermaid2 copies a fence into the page as raw HTML, so the renderer escapes it (mermaid reads text)."""
    root = copy_valid(tmp_path / "repo")
    (root / "diagrams" / "demo.mmd").write_text('graph TD\n  A["<img src=x onerror=alert(1)>"] --> B\n')
    fence = Renderer(load_all(root), INTERVIEWER).diagram("demo")
    assert fence == '```mermaid\ngraph TD\n  A["&lt;img src=x onerror=alert(1)&gt;"] --&gt; B\n```'


def test_a_snippet_title_cannot_break_out_of_its_fence_header(tmp_path):
    renderer = Renderer(load_all(copy_valid(tmp_path / "repo")), INTERVIEWER)
    ref = SnippetRef(path="snippets/demo/starter.py", title='Starter\n--8<-- "data/rubric.yml"\n"x"')
    assert renderer.snippet(ref) == ('```python title="Starter --8<-- \'data/rubric.yml\' \'x\'"\n'
                                     '--8<-- "snippets/demo/starter.py"\n```')


def test_script_tag_is_shown_as_text():
    assert to_html("Beware <script>alert(1)</script> here") == \
        "<p>Beware &lt;script&gt;alert(1)&lt;/script&gt; here</p>"


def test_markdown_in_yaml_still_works():
    html = to_html("Use **bold**, `a < b` in code, and a [link](https://example.org).")
    assert "<strong>bold</strong>" in html
    assert "<code>a &lt; b</code>" in html
    assert '<a href="https://example.org">link</a>' in html


def test_unknown_marker_is_an_error(tmp_path):
    renderer = Renderer(load_all(copy_valid(tmp_path / "repo")), INTERVIEWER)
    with pytest.raises(RenderError, match="unknown handbook marker 'rubrik'"):
        renderer.fill_markers("# Page\n<!-- handbook:rubrik -->\n")


def test_candidate_renderer_generates_no_interviewer_pages():
    data = load_all(ROOT)
    assert Renderer(data, CANDIDATE).pages() == []
    uris = [p.uri for p in Renderer(data, INTERVIEWER).pages()]
    assert {f"parts/{p.id}.md" for p in data.interview.parts} <= set(uris)
    assert {f"questions/{q.id}.md" for q in data.questions} <= set(uris)


CANDIDATE_PAGES = sorted((ROOT / "docs" / "candidate").glob("*.md"))


def candidate_markers() -> list[str]:
    """The markers the candidate site's pages use, each once (the templates its renderer renders)."""
    found = [" ".join(m.group(1).split()) for page in CANDIDATE_PAGES
             for m in re.finditer(r"<!--\s*handbook:([a-z-]+(?:\s+[a-z0-9_-]+)*)\s*-->", page.read_text(encoding="utf-8"))]
    return list(dict.fromkeys(found))


def test_the_candidate_renderer_holds_the_candidate_view_and_nothing_else():
    data = load_all(VALID)
    renderer = Renderer(view_of(data, CANDIDATE))
    assert renderer.view.audience == CANDIDATE
    assert not any(value is data or value is data.rubric or value is data.interview for value in vars(renderer).values())
    assert renderer.questions == [] and renderer.pages() == []  # question files are interviewer-only, whole
    # a question's title exists on the interviewer's model and not at all on the candidate's
    assert Renderer(data, INTERVIEWER).questions[0].title
    assert not hasattr(view_of(data, CANDIDATE).exercises["demo-review"], "answer_key")


def test_every_template_of_the_candidate_site_renders_from_the_view_alone():
    """Every marker on docs/candidate/ renders from the candidate view; nothing interviewer-only reaches it."""
    data = load_all(VALID)
    markers = candidate_markers()
    assert {"overview", "parts", "practice", "rubric", "org contact"} <= set(markers)
    renderer = Renderer(view_of(data, CANDIDATE), org=ORG)
    hidden = {s for obj in (data.interview, data.rubric, *data.exercises.values(), *data.questions)
              for s in interviewer_only_strings(obj)}
    shown = {s for obj in (renderer.interview, renderer.rubric, *renderer.exercises.values())
             for s in _strings(obj)}
    secrets = [s for s in hidden - shown if len(s) > 12]
    assert secrets
    for name in markers:
        markdown, _ = renderer.fill_markers(f"<!-- handbook:{name} -->")
        assert markdown.strip() and "handbook:" not in markdown, name
        assert [s for s in secrets if s in markdown] == [], name
    whole = "\n".join(renderer.fill_markers(p.read_text(encoding="utf-8"))[0] for p in CANDIDATE_PAGES)
    assert inline(data.interview.parts[0].title) in whole  # the candidate pages do show the candidate fields


@pytest.mark.parametrize(("marker", "missing"), [
    ("print-kit", "CandidateInterview object' has no attribute 'timing_resolution'"),
    ("run-sheet", "has no attribute 'timing_resolution'"),
    ("scorecard", "CandidateRubricArea object' has no attribute 'anchors'"),
])
def test_an_interviewer_template_cannot_render_from_the_candidate_view(marker, missing):
    """The candidate view lacks the fields these templates read: rendering fails, it never shows an empty value."""
    renderer = Renderer(view_of(load_all(VALID), CANDIDATE))
    with pytest.raises(jinja2.UndefinedError, match=missing):
        renderer.fill_markers(f"<!-- handbook:{marker} -->")


def _strings(value) -> list[str]:
    if hasattr(value, "model_dump"):
        value = value.model_dump()
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return [value] if isinstance(value, str) else []
