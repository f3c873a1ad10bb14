"""handbook/site/mkdocs_hook.py called as MkDocs calls it, on the valid fixture, without building a site."""

from __future__ import annotations

import logging
from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.config import load_config
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

from handbook.core.sites import NOTEBOOKS
from handbook.site import mkdocs_hook as hook
from tests.helpers import VALID, site_root


def config_of(root: Path, name: str = "mkdocs.yml", **extra):
    config = load_config(config_file=str(root / name), site_dir=str(root / "out"))
    config.extra["handbook"] = {**config.extra["handbook"], **extra}
    config.plugins._current_plugin = "hooks"  # MkDocs sets it while an event runs; File.generated reads it
    return config


@pytest.fixture
def root(tmp_path):
    return site_root(tmp_path / "repo", VALID)


def page(src_uri: str, dest_uri: str = "x/index.html"):
    return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri, dest_uri=dest_uri), edit_url=None)


def test_the_interviewer_site_gets_its_generated_pages_notebooks_and_edit_links(root):
    config = hook.on_config(config_of(root))
    files = hook.on_files(Files([]), config)
    uris = {f.src_uri for f in files}
    assert {"parts/part1.md", "questions/demo-question-1.md", "exercises/demo-review.md", *NOTEBOOKS} <= uris
    generated = page("questions/demo-question-1.md")
    markdown = files.get_file_from_path("questions/demo-question-1.md").content_string
    assert hook.on_page_markdown(markdown, generated, config, files) == markdown
    assert generated.edit_url.endswith("/edit/main/data/questions/part1.yml")
    notebook = page(NOTEBOOKS[0])
    hook.on_page_markdown("", notebook, config, files)
    assert notebook.edit_url.endswith("/snippets/notebooks/drift_detection.py")  # the .py, not the .ipynb


def test_a_written_page_is_filled_and_edits_the_data_behind_its_first_marker_or_itself(root):
    config = hook.on_config(config_of(root))
    files = hook.on_files(Files([]), config)
    rubric = page("rubric.md")
    filled = hook.on_page_markdown("# Rubric\n<!-- handbook:rubric -->\n", rubric, config, files)
    assert "## Areas and weights" in filled and rubric.edit_url.endswith("/data/rubric.yml")
    plain = page("running.md")
    hook.on_page_markdown("# Running\n", plain, config, files)
    # (here mkdocs.yml is a symlink to the repository's, so the path runs through it; in a checkout it is
    # .../edit/main/docs/interviewer/running.md)
    assert plain.edit_url.endswith("/docs/interviewer/running.md")
    with pytest.raises(PluginError, match="^bank.md: unknown handbook marker 'bnak'$"):
        hook.on_page_markdown("<!-- handbook:bnak -->", page("bank.md"), config, files)


def test_the_candidate_site_gets_no_generated_pages_and_no_notebooks(root):
    config = hook.on_config(config_of(root, "mkdocs.candidate.yml"))
    assert list(hook.on_files(Files([]), config)) == []
    index = page("index.md")
    hook.on_page_markdown("# Hi\n<!-- handbook:overview -->", index, config, Files([]))
    assert index.edit_url is None  # edit_base is empty on the public site


def test_invalid_data_stops_the_build_before_anything_is_written(root, caplog):
    (root / "data" / "rubric.yml").write_text("# yaml-language-server: $schema=schemas/rubric.schema.json\n"
                                              "version: one\n", encoding="utf-8")
    with caplog.at_level(logging.ERROR, logger="mkdocs.plugins.handbook"), \
            pytest.raises(PluginError, match=r"\d+ problems? found in data/; no site was written"):
        hook.on_config(config_of(root))
    assert any(r.getMessage().startswith("data/rubric.yml:2: version:") for r in caplog.records)


def test_an_unknown_audience_names_the_config_key(root):
    with pytest.raises(PluginError, match="extra.handbook.audience: unknown audience 'public'"):
        hook.on_config(config_of(root, audience="public"))


def test_a_docs_file_in_the_place_of_a_generated_page_is_refused(root):
    config = hook.on_config(config_of(root))
    clash = Files([File.generated(config, "parts/part1.md", content="# mine")])
    with pytest.raises(PluginError, match="parts/part1.md is generated from data/questions/part1.yml; remove the file"):
        hook.on_files(clash, config)


def test_a_missing_ipynb_says_make_notebooks_writes_it(root):
    (root / "snippets" / NOTEBOOKS[1]).unlink()
    config = hook.on_config(config_of(root))
    with pytest.raises(PluginError, match=r"snippets/notebooks/ab_test_sizing.ipynb is missing .*`make notebooks` "
                                          r"writes it from snippets/notebooks/ab_test_sizing.py"):
        hook.on_files(Files([]), config)


def test_a_notebook_page_links_one_shared_stylesheet(root):
    config = hook.on_config(config_of(root))
    html = '<style type="text/css">.jp-Cell{margin:0}</style><div>cell</div>'
    out = hook.on_page_content(html, page(NOTEBOOKS[0], "notebooks/drift_detection/index.html"), config, None)
    assert out.startswith('<link rel="stylesheet" href="../../assets/stylesheets/notebook-') and "<style" not in out
    css = list((root / "out" / "assets" / "stylesheets").glob("notebook-*.css"))
    assert len(css) == 1 and css[0].read_text(encoding="utf-8") == ".jp-Cell{margin:0}\n"
    assert hook.on_page_content(html, page("index.md"), config, None) == html  # other pages are left alone
