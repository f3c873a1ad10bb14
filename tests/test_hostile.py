"""Hostile text: script-injection strings in every text field of data/ render as inert text on both sites.

One build of a fixture project whose every free-text field holds a corpus of injection strings, then every page of
both sites in a real Chromium: no payload runs, no element or attribute from a payload exists, no link has a
script URL, no snippet outside the data's own references is pulled in, and the strings are visible as text.
"""

from __future__ import annotations

import contextlib
import json
import re
from pathlib import Path

import pytest
import yaml
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from handbook.core.loader import format_loc
from handbook.core.sites import SITES
from handbook.core.validate import DataError, load_all
from tests.browser import OPEN_SHADOW_ROOTS, PageWatch, browser, serve
from tests.helpers import VALID, run_handbook, site_root

pytestmark = pytest.mark.browser

SECRET = "SNIPPET-SECRET-4f1c9a"  # the content of a snippet file no data references: must never be included
SCRIPT = "<script>window.__pwned=1</script>"
INLINE = [  # one line each: every text field gets these
    SCRIPT,
    '<img src=x onerror="window.__pwned=1">',
    "<svg onload=window.__pwned=1>",
    '"><script>window.__pwned=1</script>',
    "</textarea></title><script>window.__pwned=1</script>",
    "\\`<img src=x onerror=window.__pwned=1>`",
    "[j1](javascript:window.__pwned=1)",
    "[j2](javascript&#58;window.__pwned=1)",
    "[j3](java\\script:window.__pwned=1)", "&lt;/title&gt;&lt;script&gt;window.__pwned=1&lt;/script&gt;",
    "[j4](&#106;avascript:window.__pwned=1)",
    "![i](x)",
    "{: onclick=\"window.__pwned=1\" }",
    "\\x3csvg onload=window.__pwned=1\\x3e",
    "${{ secrets.X }} {{ config }} {% raw %}",
]
BLOCK = [  # several lines: only fields that take more than a line of text
    '--8<-- "snippets/demo/secret.txt"',
    '```\n--8<-- "snippets/demo/secret.txt"\n```',
    "```python onclick=x\n" + SCRIPT + "\n```",
    "```\n```\n" + SCRIPT,
    "> [r1]: javascript:window.__pwned=1\n>\n> [see][r1]",
    "- [r2]:\n  javascript:window.__pwned=1\n\n[see][r2]",
    "<!-- handbook:rubric -->",
    '```mermaid\ngraph TD\n  A["<img src=x onerror=window.__pwned=1>"] --> B\n  click A call eval("window.__pwned=1")\n```',
    "# Heading { #h onclick=\"window.__pwned=1\" }",
    "!!! note \"<img src=x onerror=window.__pwned=1>\"\n    body",
]
BREAKOUT = "\n```\n" + SCRIPT + "\n```\n"  # a "one-line" field with line breaks: must not end a fence it lands in
FULL = "\n\n".join(INLINE + BLOCK)
# fields of at most 500 characters (titles, list items) get half the one-line corpus each, alternately
SHORTS = [" ".join(INLINE[0::2]) + BREAKOUT, " ".join(INLINE[1::2]) + BREAKOUT]

# optional fields the fixture leaves out, added so their templates are exercised too
EXTRAS = {
    "data/questions/part1.yml": lambda d: d["questions"][0].update(
        calibration=[{"level": "strong", "answer": "a", "scores": {"python_oop": 3}, "why": "w"}],
        alternatives=[{"design": "d", "trade_off": "t"}],
        snippets=[{"path": "snippets/demo/starter.py", "title": "t"}]),
    "data/exercises/demo-review.yml": lambda d: (
        d["starter_snippets"][0].update(title="t"), d["reference_snippets"][0].update(title="t"),
        d.update(root_cause="r", investigation_path=["i"], red_herrings=["h"])),
}


def strings(value, loc=()):
    if isinstance(value, str):
        yield loc
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings(v, (*loc, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from strings(v, (*loc, i))


def put(value, loc, new):
    for part in loc[:-1]:
        value = value[part]
    value[loc[-1]] = new


def poison(root: Path) -> int:
    """Put the corpus into every string of data/ that validation accepts it in; return how many strings got it."""
    files = sorted((root / "data").rglob("*.yml"))
    files = [f for f in files if "schemas" not in f.parts]
    original = {f: f.read_text(encoding="utf-8") for f in files}
    parsed = {f: yaml.safe_load(original[f]) for f in files}
    for f, extra in EXTRAS.items():
        extra(parsed[root / f])
    level = {(f, loc): 0 for f in files for loc in strings(parsed[f])}  # 0 full corpus, 1 one line, 2 untouched
    clean = {key: _get(parsed[key[0]], key[1]) for key in level}
    order = {key: i for i, key in enumerate(level)}
    for _ in range(6):
        for (f, loc), lvl in level.items():
            put(parsed[f], loc, [FULL, SHORTS[order[(f, loc)] % 2], clean[(f, loc)]][lvl])
        for f in files:
            header = original[f].split("\n", 1)[0]
            f.write_text(header + "\n" + yaml.safe_dump(parsed[f], sort_keys=False, allow_unicode=True, width=200),
                         encoding="utf-8")
        try:
            load_all(root)
            return sum(lvl < 2 for lvl in level.values())
        except DataError as err:
            for p in err.problems:
                for (f, loc), lvl in list(level.items()):
                    if f == root / p.path and format_loc(loc).startswith(p.where) and lvl < 2:
                        level[(f, loc)] = 1 if "is too long" in p.message and lvl == 0 else 2
    raise AssertionError("could not place the corpus so that the data validates")


def _get(value, loc):
    for part in loc:
        value = value[part]
    return value


CHECK_PAGE = """() => {
  const roots = [document, ...[...document.querySelectorAll('*')].filter(e => e.shadowRoot).map(e => e.shadowRoot)];
  const bad = [];
  for (const root of roots) {
    for (const el of root.querySelectorAll('*')) {
      const tag = el.tagName.toLowerCase();
      if (['iframe', 'object', 'embed'].includes(tag)) bad.push(el.outerHTML.slice(0, 120));
      if (tag === 'img' && el.getAttribute('src') === 'x') bad.push(el.outerHTML.slice(0, 120));
      if (tag === 'a' && el.hasAttribute('href') && !['http:', 'https:', 'mailto:'].includes(el.protocol))
        bad.push(el.outerHTML.slice(0, 120));
      for (const a of el.attributes) {
        const v = a.value.replace(/\\s/g, '').toLowerCase();
        if ((a.name.startsWith('on') && v.includes('__pwned')) || /^(javascript:|data:text\\/html)/.test(v))
          bad.push(tag + ' ' + a.name + '=' + a.value.slice(0, 80));
      }
    }
  }
  for (const s of document.scripts)
    if ((!s.type || /javascript|module/.test(s.type)) && s.textContent.includes('__pwned')) bad.push('script: ' + s.textContent.slice(0, 80));
  return {pwned: window.__pwned, bad, text: document.body.innerText};
}"""


@pytest.fixture(scope="module")
def hostile_sites(tmp_path_factory) -> tuple[Path, int]:
    root = site_root(tmp_path_factory.mktemp("hostile") / "repo", VALID)
    (root / "snippets" / "demo" / "secret.txt").write_text(SECRET + "\n", encoding="utf-8")
    poisoned = poison(root)
    result = run_handbook("build", root=root)
    assert result.returncode == 0, f"the poisoned project must still build:\n{result.stderr[-3000:]}"
    return root / "site", poisoned


def test_every_free_text_field_was_poisoned(hostile_sites):
    _, poisoned = hostile_sites
    assert poisoned >= 150  # the fixture's titles, prompts, signals, anchors, criteria, cues, briefs, keys...


def test_no_snippet_is_included_from_yaml_text(hostile_sites):
    site, _ = hostile_sites
    leaks = [str(p) for p in site.rglob("*") if p.is_file() and p.suffix in {".html", ".json", ".xml"}
             and SECRET in p.read_text(encoding="utf-8", errors="replace")]
    assert leaks == []


def test_the_search_index_holds_the_payloads_escaped(hostile_sites):
    """Material shows search results as HTML built from the index: a raw tag there would run when searched for."""
    site, _ = hostile_sites
    for name in SITES:
        docs = json.loads((site / name / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
        text = " ".join(d["title"] + " " + d["text"] for d in docs)
        assert "&lt;script&gt;window.__pwned=1" in text  # the payload was indexed, as text
        assert not re.search(r"<(script|img|svg|iframe)\b", text, re.IGNORECASE), name
        assert not re.search(r"<[a-z]+[^>]*\son[a-z]+=", text, re.IGNORECASE), name


def test_no_jinja_or_marker_in_yaml_text_is_evaluated(hostile_sites):
    site, _ = hostile_sites
    page = (site / "interviewer" / "questions" / "demo-question-1" / "index.html").read_text(encoding="utf-8")
    assert "{{ config }}" in page.replace("&#123;", "{").replace("&#125;", "}")
    assert "site_name" not in page.split("<article", 1)[1]  # `{{ config }}` was not rendered by any template
    assert not re.search(r"<!-- handbook:rubric -->", page)


def test_hostile_text_is_inert_in_a_real_browser(hostile_sites):
    site, _ = hostile_sites
    problems, shown = [], {"interviewer": 0, "candidate": 0}
    with browser() as b:
        for name in SITES:
            pages = sorted(p for p in (site / name).rglob("*.html") if p.name != "404.html")
            assert len(pages) >= (15 if name == "interviewer" else 4)
            with serve(site / name) as base:
                context = b.new_context()
                context.add_init_script(OPEN_SHADOW_ROOTS)
                watch = PageWatch(context)
                for path in pages:
                    rel = path.relative_to(site / name).as_posix()
                    watch.page.goto(f"{base}/{rel}", wait_until="load")
                    # mermaid loads only near a diagram (mermaid-loader.js): visit each, give them time to render
                    for i in range(watch.page.evaluate("document.querySelectorAll('.mermaid').length")):
                        watch.page.evaluate("i => document.querySelectorAll('.mermaid')[i].scrollIntoView()", i)
                        watch.page.wait_for_timeout(30)
                    with contextlib.suppress(PlaywrightTimeout):  # a diagram mermaid rejects stays a <pre>
                        watch.page.wait_for_function("() => !document.querySelector('pre.mermaid')", timeout=5_000)
                    watch.page.wait_for_timeout(100)  # let failed images fire onerror
                    found = watch.page.evaluate(CHECK_PAGE)
                    if found["pwned"] is not None:
                        problems.append(f"{name}/{rel}: a payload ran (window.__pwned = {found['pwned']})")
                    problems += [f"{name}/{rel}: {b}" for b in found["bad"]]
                    shown[name] += SCRIPT in found["text"]
                context.close()
    assert problems == [], '\n'.join(sorted(set(problems))[:40])
    assert shown["interviewer"] >= 10, shown  # the payload is on the page as visible text, not swallowed
    assert shown["candidate"] >= 2, shown
