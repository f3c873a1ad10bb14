"""handbook/tools/pdf.py without a browser: what `make pdf` says when it cannot print (tests/test_print_kit.py
prints the real kit in Chromium)."""

from __future__ import annotations

from handbook.tools import pdf


def test_no_chromium_is_one_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(pdf, "find_chromium", lambda: None)
    assert pdf.main(tmp_path, tmp_path, tmp_path / "kit.pdf") == 1
    assert capsys.readouterr().err == "pdf: no Chromium on PATH (Debian: apt-get install chromium)\n"


def test_a_folder_that_is_no_built_interviewer_site_is_named(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(pdf, "find_chromium", lambda: "/usr/bin/chromium")
    assert pdf.main(tmp_path, tmp_path / "site", tmp_path / "kit.pdf") == 1
    err = capsys.readouterr().err
    page = tmp_path / "site" / pdf.KITS["room"] / "index.html"
    assert err == f"pdf: {page} does not exist: is {tmp_path / 'site'} a built interviewer site?\n"
    assert not (tmp_path / "kit.pdf").exists()


def test_without_a_site_it_builds_the_interviewer_site_first_and_stops_if_that_fails(tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(pdf.build, "build", lambda root, out, sites: calls.append((root, out, sites)) or 1)
    assert pdf.main(tmp_path, None, tmp_path / "kit.pdf") == 1
    assert calls == [(tmp_path, tmp_path / "site", ["interviewer"])]


def test_a_printed_kit_is_announced(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(pdf, "write_pdf", lambda site, out, kit: 3)
    assert pdf.main(tmp_path, tmp_path, tmp_path / "kit.pdf") == 0
    assert capsys.readouterr().out == f"wrote {tmp_path / 'kit.pdf'}\n"


def test_an_unknown_kit_is_named_with_the_known_ones(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(pdf, "find_chromium", lambda: "/usr/bin/chromium")
    assert pdf.main(tmp_path, tmp_path, tmp_path / "kit.pdf", kit="pocket") == 1
    assert capsys.readouterr().err == "pdf: unknown kit 'pocket' (known: room, prep)\n"


def test_each_kit_has_its_default_file(tmp_path, monkeypatch):
    written = []
    monkeypatch.setattr(pdf, "write_pdf", lambda site, out, kit: written.append((out, kit)) or 0)
    for kit in ("room", "prep"):
        assert pdf.main(tmp_path, tmp_path, None, kit=kit) == 0
    assert written == [(tmp_path / "site/room-kit.pdf", "room"), (tmp_path / "site/prep-kit.pdf", "prep")]
