"""handbook/site/serve.py without a server: the error page, the busy-port check, the problem parser (tests/test_serve.py
runs the real `python -m handbook serve`)."""

from __future__ import annotations

import socket

from handbook.site import serve


def test_the_error_page_lists_each_problem_by_file_line_and_field():
    page = serve.error_page(['data/questions/part1.yml:13: questions[0].minutes: must be a whole number, got "<b>"',
                             "1 problem found in data/", "Aborted with a BuildError!"]).decode("utf-8")
    assert ("<tr><td>data/questions/part1.yml</td><td>13</td><td>questions[0].minutes</td>"
            "<td>must be a whole number, got &quot;&lt;b&gt;&quot;</td></tr>") in page  # escaped: data is never markup
    assert "<li>1 problem found in data/</li>" in page and "Aborted" not in page
    assert "reloads by itself" in page and "<link" not in page  # self-contained: no asset of the broken site


def test_a_problem_line_is_split_into_its_parts():
    m = serve.PROBLEM.match("data/rubric.yml:16: areas: rubric weights must sum to 100, got 95")
    assert m and (m["file"], m["line"], m["where"]) == ("data/rubric.yml", "16", "areas")
    assert serve.PROBLEM.match("1 problem found in data/") is None


def test_a_busy_port_is_seen_before_any_build():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        assert serve.port_in_use("127.0.0.1", port)
    assert not serve.port_in_use("127.0.0.1", port)


def test_a_page_s_includes_are_keyed_by_size_and_time(tmp_path):
    (tmp_path / "a.py").write_text("x = 1\n")
    key = serve._included('text --8<-- "a.py:part" and --8<-- "gone.py"', tmp_path)
    assert key[0][0] == "a.py:part" and key[0][1] == 6 and key[1] == ("gone.py", -1, -1)
    assert serve._included("--8<-- a.py (unquoted: a form not read here)", tmp_path) is None


def test_compiled_templates_are_kept_in_memory():
    import jinja2

    cache = serve._Bytecode()
    env = jinja2.Environment(loader=jinja2.DictLoader({"t": "{{ 1 + 1 }}"}), bytecode_cache=cache)
    assert env.get_template("t").render() == "2" and len(cache.store) == 1
    again = jinja2.Environment(loader=jinja2.DictLoader({"t": "{{ 1 + 1 }}"}), bytecode_cache=cache)
    assert again.get_template("t").render() == "2" and len(cache.store) == 1


def test_a_rebuild_reuses_each_unchanged_page_and_gives_the_same_site(tmp_path):
    """The caches make serve's second build reuse every page's Markdown, mermaid2 and search results."""
    from material.plugins.search.plugin import SearchIndex
    from mermaid2.plugin import MarkdownMermaidPlugin
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.structure.pages import Page
    from mkdocs.theme import Theme

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n\nSee [the other page](other.md).\n")
    (tmp_path / "docs" / "m.js").write_text("// a stand-in for the vendored mermaid loader\n")
    (tmp_path / "docs" / "other.md").write_text("# Other\n\n```mermaid\ngraph LR\n  a --> b\n```\n")
    (tmp_path / "mkdocs.yml").write_text(
        "site_name: t\ntheme: {name: material, font: false}\nplugins: [search, {mermaid2: {javascript: m.js}}]\n"
        "markdown_extensions:\n  - pymdownx.superfences:\n      custom_fences:\n        - name: mermaid\n"
        "          class: mermaid\n          format: !!python/name:mermaid2.fence_mermaid_custom\n")
    saved = (Theme.get_env, MarkdownMermaidPlugin.on_post_page, SearchIndex.add_entry_from_context, Page.render)
    try:
        serve.install_caches()
        sites = []
        for n in (1, 2):
            before = dict(serve.HITS)
            build(load_config(config_file=str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / f"site{n}")))
            sites.append({p.relative_to(tmp_path / f"site{n}"): p.read_bytes()
                          for p in (tmp_path / f"site{n}").rglob("*.html")})
        assert serve.HITS["render"] - before["render"] == 2  # both pages' Markdown reused on the second build
        assert serve.HITS["search"] - before["search"] >= 2
        assert sites[0] == sites[1]
    finally:
        Theme.get_env, MarkdownMermaidPlugin.on_post_page, SearchIndex.add_entry_from_context, Page.render = saved
