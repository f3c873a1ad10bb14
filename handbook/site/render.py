"""Render the validated data into Markdown pages with Jinja templates, for one audience at a time."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import jinja2
from markdown.extensions.toc import slugify

from ..core import cards, changes, scoring
from ..core.model import CANDIDATE, INTERVIEWER, Question, SnippetRef
from ..core.scoring import browser_rule
from ..core.validate import TIMELINE_DIAGRAM, DataSet
from ..core.view import AudienceView, view_of

TEMPLATES = Path(__file__).parent / "templates"
MERMAID_COMMENT = re.compile(r"^\s*%%(?!\{)")
MARKER = re.compile(r"<!--\s*handbook:([a-z-]+)((?:\s+[a-z0-9_-]+)*)\s*-->")
LANGUAGES = {".py": "python", ".sh": "bash", ".bats": "bash", ".yml": "yaml", ".yaml": "yaml", ".json": "json",
             ".jsonl": "json", ".service": "ini", ".timer": "ini", ".cron": "text", ".log": "text", ".csv": "text",
             ".txt": "text", ".mmd": "text", ".prom": "text"}


class RenderError(Exception):
    """A page asks for something the renderer does not know (an unknown marker or id)."""


# --- making YAML text safe Markdown ---------------------------------------------------------------

# Only one-line code spans stay raw (Markdown escapes them wherever they land); a backslash before the backtick
# makes it text in Markdown, so it is text here too. Fenced blocks are not code here: code lives in snippets/.
_CODE = re.compile(r"((?<!\\)`[^`\n]+`)")
_LINK = re.compile(r"\]\(|\]:")  # an inline link's or a reference definition's target follows
_SCHEME = re.compile(r"[^/?#)]*?:")
_ALLOWED_SCHEME = re.compile(r"(https?|mailto):")


def _neutralise_link(chunk: str, match: re.Match) -> str:
    """`](target` or `]: target` stays a link only to http(s), mailto, a fragment or a path; else `]` turns text."""
    target = re.sub(r"[\s\\]", "", chunk[match.end(): match.end() + 200]).lower()  # browsers drop tabs/newlines
    target = target.removeprefix("&lt;")
    if _SCHEME.match(target) and not _ALLOWED_SCHEME.match(target):
        return "&#93;" + match.group(0)[1:]
    return match.group(0)


def safe_markdown(text: str | None) -> str:
    """Markdown from YAML with raw HTML, entities, attribute lists, snippet includes, images and script links made
    inert text. The result is safe wherever a template puts it: inline, in a list, in an admonition."""
    if not text:
        return ""
    out = []
    for i, chunk in enumerate(_CODE.split(text)):
        if i % 2:  # a one-line code span: Markdown escapes it already
            out.append(chunk)
            continue
        chunk = chunk.replace("&", "&amp;").replace("<", "&lt;").replace("{", "&#123;").replace("}", "&#125;")
        chunk = chunk.replace("![", "!&#91;")  # no images: nothing may load from another host
        chunk = _LINK.sub(lambda m, c=chunk: _neutralise_link(c, m), chunk)
        out.append(chunk)
    return "".join(out).strip()


def md(text: str | None) -> str:
    return safe_markdown(text)


def inline(text: str | None) -> str:
    """One line of Markdown: safe, with line breaks folded (for list items and headings)."""
    return " ".join(md(text).split())


def plain(text: str | None) -> str:
    """A page title or tag: one line of text, no markup. Material puts it into the nav as HTML and escapes it again
    for labels, so only `<` and entity-like `&` are escaped: `AWS & GCP` stays readable in both."""
    text = re.sub(r"&(?=#?[0-9A-Za-z]+;)", "&amp;", " ".join((text or "").split()))
    return text.replace("<", "&lt;")


def cell(text: str | None) -> str:
    """A Markdown table cell: one line, pipes escaped."""
    return inline(text).replace("|", "\\|")


def url(text: str) -> str:
    """A validated https URL as a Markdown link target: characters that end or break the target are percent-encoded."""
    return "".join(f"%{ord(c):02X}" if c in '()<>"\'`[]\\' else c for c in text)


def indent(text: str, width: int = 4) -> str:
    pad = " " * width
    return "\n".join(pad + line if line.strip() else "" for line in text.splitlines())


# --- the renderer ---------------------------------------------------------------------------------


@dataclass
class Page:
    """A generated page: where it goes in the site, its Markdown, and the data file behind it."""

    uri: str
    markdown: str
    source: str


class Renderer:
    """One audience's view of the data, rendered through the shared templates.

    It holds the AudienceView only (`Renderer(view)`, or `Renderer(data, audience)`, which makes the view and keeps
    nothing else): the candidate site's renderer, and every template it hands itself to, never sees a field the
    candidate may not read."""

    def __init__(self, data: DataSet | AudienceView, audience: str | None = None,
                 org: dict | None = None) -> None:
        audience = data.audience if isinstance(data, AudienceView) else audience
        if audience not in (INTERVIEWER, CANDIDATE):
            raise RenderError(f"unknown audience {audience!r}")
        self.view = data if isinstance(data, AudienceView) else view_of(data, audience)
        self.audience = audience
        self.org = org  # extra.handbook.org of the MkDocs config (handbook/site/org.py), for the `org` marker
        self.interview = self.view.interview
        self.rubric = self.view.rubric
        self.exercises = self.view.exercises
        self.questions = list(self.view.questions)
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), undefined=jinja2.StrictUndefined,
                                 autoescape=False, keep_trailing_newline=True, trim_blocks=True, lstrip_blocks=True)
        env.filters.update(md=md, inline=inline, plain=plain, cell=cell, indent=indent, url=url, snippet=self.snippet,
                           diagram=self.diagram, clock=clock, quote=quote, short=short,
                           language=lambda path: LANGUAGES.get(Path(path).suffix, "text"),
                           slug=lambda text: slugify(html.unescape(inline(text)), "-"))  # as toc slugs the shown text
        env.globals.update(r=self, interview=self.interview, rubric=self.rubric, audience=audience,
                           interviewer=audience == INTERVIEWER, schedule=self.schedule(), org=org,
                           browser_rule=browser_rule, scoring=scoring)
        self.env = env

    # helpers the templates call
    def schedule(self) -> list[dict]:
        """Opening, parts and closing with their start and end minute."""
        rows, t = [], 0
        iv = self.interview
        for kind, seg in [("segment", iv.opening), *[("part", p) for p in iv.parts], ("segment", iv.closing)]:
            rows.append({"kind": kind, "item": seg, "start": t, "end": t + seg.minutes})
            t += seg.minutes
        return rows

    def part(self, part_id: str):
        for p in self.interview.parts:
            if p.id == part_id:
                return p
        raise RenderError(f"unknown part {part_id!r}")

    def questions_of(self, part_id: str, active_only: bool = False) -> list[Question]:
        return self.view.questions_of(part_id, active_only)

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise RenderError(f"unknown question {question_id!r}")

    def part_of(self, question_id: str):
        return self.part(self.view.part_of(question_id))

    def area(self, area_id: str):
        for a in self.rubric.areas:
            if a.id == area_id:
                return a
        raise RenderError(f"unknown rubric area {area_id!r}")

    def snippet(self, ref: SnippetRef) -> str:
        lang = LANGUAGES.get(Path(ref.path).suffix, "text")
        target = f"{ref.path}:{ref.section}" if ref.section else ref.path
        title = ref.title or (f"{ref.path} ({ref.section})" if ref.section else ref.path)
        title = " ".join(title.split()).replace('"', "'")  # one line: a newline would end the fence header
        return f'```{lang} title="{title}"\n--8<-- "{target}"\n```'

    def diagram(self, diagram_id: str) -> str:
        if diagram_id == TIMELINE_DIAGRAM:
            source = self.render("timeline.mmd.j2").strip()
        else:
            source = self.view.diagram_path(diagram_id).read_text(encoding="utf-8").strip()
        # `%%` comments are notes for contributors (the first names the diagram for diagram_title): mermaid ignores
        # them, but the page and its search entry would show them as text. `%%{...}%%` directives stay.
        source = "\n".join(ln for ln in source.splitlines() if not MERMAID_COMMENT.match(ln))
        # mkdocs-mermaid2's fence copies the source into the page as raw HTML; Material hands mermaid the element's
        # textContent, so escaping here shows mermaid the same source and the browser no markup from it
        return f"```mermaid\n{html.escape(source, quote=False)}\n```"

    def diagram_title(self, diagram_id: str) -> str:
        if diagram_id == TIMELINE_DIAGRAM:
            return "Interview timeline"
        first = self.view.diagram_path(diagram_id).read_text(encoding="utf-8").splitlines()[0]
        return first.lstrip("%").strip() if first.startswith("%%") else diagram_id

    def cards(self) -> list[cards.Card]:
        """The cue cards in interview order (handbook.core.cards)."""
        return cards.cards(self.interview, self.rubric, self.questions_of)

    def room_plan(self) -> dict:
        """What the room page's clock needs: each card's planned minutes and its time cues' start minutes."""
        out = []
        for c in self.cards():
            cues = [{"start": cards.cue_span(cue)[0], "text": " ".join(cue.split())}
                    for cue in getattr(c.item, "time_cues", []) if cards.cue_span(cue)]
            title = f"Part {c.number}: {c.item.title}" if c.number else c.item.title
            out.append({"id": c.id, "title": title, "start": c.start, "end": c.end, "cues": cues,
                        "areas": [b.area.id for b in c.bars]})
        return {"slot_minutes": self.interview.slot_minutes, "cards": out}

    def releases(self) -> list[changes.Release]:
        """This audience's question and rubric history grouped by version, newest first."""
        return changes.releases(self.questions, self.rubric)

    def lifecycle(self, q: Question) -> changes.Lifecycle:
        return changes.lifecycle(q)

    def org_value(self, args: list[str]) -> str:
        """`<!-- handbook:org KEY -->` in running text: the configured value, as safe inline Markdown."""
        keys = [k for k in (self.org or {}) if k != "process"]
        if len(args) != 1 or args[0] not in keys:
            raise RenderError(f"the org marker takes one of {', '.join(keys)}, got {' '.join(args) or 'nothing'}")
        value = " ".join(str(self.org[args[0]]).split())
        if args[0] == "contact":
            return f"[{inline(value)}](mailto:{value})"
        return inline(value)

    def render(self, template: str, **context) -> str:
        return self.env.get_template(template).render(**context)

    # pages
    def pages(self) -> list[Page]:
        """The pages generated from data for this audience (the interviewer gets one per part, question, exercise)."""
        if self.audience != INTERVIEWER:
            return []
        out = []
        for p in self.interview.parts:
            out.append(Page(f"parts/{p.id}.md", self.render("part.md.j2", part=p),
                            self.view.part_files[p.id]))
        for q in self.questions:
            out.append(Page(f"questions/{q.id}.md", self.render("question_page.md.j2", q=q),
                            self.view.sources[f"question:{q.id}"]))
        for ex in self.exercises.values():
            out.append(Page(f"exercises/{ex.id}.md", self.render("exercise_page.md.j2", ex=ex),
                            self.view.sources[f"exercise:{ex.id}"]))
        return out

    def fill_markers(self, markdown: str) -> tuple[str, str | None]:
        """Replace `<!-- handbook:NAME args -->` markers; return the page and the data file behind its first marker."""
        sources: list[str] = []

        def replace(match: re.Match) -> str:
            name, args = match.group(1), match.group(2).split()
            if name in ("org", "process") and not self.org:
                raise RenderError(f"the {name!r} marker needs extra.handbook.org in the MkDocs config")
            if name == "org":  # inline, inside a sentence: no template, no line break
                return self.org_value(args)
            template = f"marker_{name.replace('-', '_')}.md.j2"
            try:
                self.env.get_template(template)
            except jinja2.TemplateNotFound:
                raise RenderError(f"unknown handbook marker {name!r}") from None
            sources.append(MARKER_SOURCES.get(name, "data/interview.yml"))
            return self.render(template, args=args)

        return MARKER.sub(replace, markdown), (sources[0] if sources else None)


MARKER_SOURCES = {"process": "mkdocs.yml", "levels": "data/rubric.yml", "rubric": "data/rubric.yml",
                  "scorecard": "data/rubric.yml", "bank": "data/questions", "calibration": "data/questions", "practice": "data/exercises", "changes": "data/questions"}


def short(title: str) -> str:
    """A question's title up to its colon ("Data Pipeline Design: features for ..." -> "Data Pipeline Design"), for
    links on a cue card; a one-word prefix ("Scenario: ...") keeps the whole title."""
    head, sep, _ = title.partition(": ")
    return head if sep and len(head.split()) > 1 else title


def quote(text: str) -> str:
    """A Markdown blockquote of (already safe) Markdown text."""
    return "\n".join("> " + line if line.strip() else ">" for line in text.splitlines())


def clock(minutes: int) -> str:
    return f"{minutes // 60}:{minutes % 60:02d}"
