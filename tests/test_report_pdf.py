"""The PDFs themselves, read back with pypdf: text, page count, footers, fonts, paper size, safe writing."""

from __future__ import annotations

import errno
import os
import re
import stat
import unicodedata
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from pypdf import PdfReader

from esncoach.reports import atomic, layout, pdf_writer
from esncoach.reports.atomic import ReportWriteError, write_atomic
from esncoach.reports.charts import app_charts, chart_export_available
from esncoach.services import execs
from esncoach.services import report_content as rc
from esncoach.store.workspace import Workspace

A4_PT = (595.3, 841.9)
LETTER_PT = (612.0, 792.0)


def norm(text: str) -> str:
    """Qt's PDFs break words with tabs and use ligatures: normalise and collapse whitespace."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def read_pdf(path: Path) -> tuple[PdfReader, list[str]]:
    reader = PdfReader(str(path))
    return reader, [norm(p.extract_text() or "") for p in reader.pages]


def _id(ws: Workspace, name: str) -> int:
    return execs.find_exec(ws, name).id


def test_exec_summary_pdf_reads_back_with_footer_on_every_page(qtbot, demo_ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    content = rc.exec_summary(demo_ws, exec_id=_id(demo_ws, "Amelia Hart"))
    saved = pdf_writer.save_report(content, tmp_path / "amelia.pdf", page_size="A4")
    reader, pages = read_pdf(saved.path)
    assert saved.pages == len(reader.pages) >= 2
    text = " ".join(pages)
    for needle in ("PROGRESS SUMMARY", "Amelia Hart", "On the adoption ladder", "The current habit",
                   "Coaching sessions", "Practice posts", "Engagement and impact", "95% interval",
                   "association, not proof", "Next steps", "Confidential"):
        assert needle in text, needle
    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in page
        assert "Confidential · Progress summary · Amelia Hart" in page
    for other in execs.list_execs(demo_ws):
        if other.name != "Amelia Hart":
            assert other.name not in text
    assert reader.metadata.title == "Progress summary — Amelia Hart"


def test_fonts_are_embedded_and_text_is_real_text(qtbot, demo_ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    content = rc.assistant_brief(demo_ws, exec_id=_id(demo_ws, "Chen Wei"))
    saved = pdf_writer.save_report(content, tmp_path / "brief.pdf", page_size="A4")
    reader, pages = read_pdf(saved.path)
    assert "Themes and discussions to watch" in pages[0]
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            fonts.append(font["/BaseFont"])
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font["/BaseFont"]
    assert fonts


@pytest.mark.parametrize(("size", "points"), [("A4", A4_PT), ("Letter", LETTER_PT)])
def test_paper_size_setting(qtbot, demo_ws: Workspace, tmp_path: Path, size: str, points) -> None:  # type: ignore[no-untyped-def]
    content = rc.assistant_brief(demo_ws, exec_id=_id(demo_ws, "Chen Wei"))
    saved = pdf_writer.save_report(content, tmp_path / f"{size}.pdf", page_size=size)
    box = PdfReader(str(saved.path)).pages[0].mediabox
    assert float(box.width) == pytest.approx(points[0], abs=1)
    assert float(box.height) == pytest.approx(points[1], abs=1)


def test_auto_paper_size_follows_the_locale() -> None:
    assert pdf_writer.resolve_page_size("auto", QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)) == "Letter"
    assert pdf_writer.resolve_page_size("auto", QLocale(QLocale.Language.French, QLocale.Country.France)) == "A4"
    assert pdf_writer.resolve_page_size("auto", QLocale(QLocale.Language.English, QLocale.Country.Canada)) == "Letter"
    assert pdf_writer.resolve_page_size("letter") == "Letter"


def test_portfolio_pdf_names_execs_and_no_private_text(qtbot, demo_ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    saved = pdf_writer.save_report(rc.portfolio_summary(demo_ws), tmp_path / "portfolio.pdf", page_size="A4")
    _reader, pages = read_pdf(saved.path)
    text = " ".join(pages)
    for e in execs.list_execs(demo_ws, include_archived=False):
        assert norm(e.name) in text
    assert "What the programme promised" in text and "Early adopters and influencers" in text
    assert "Prefers short sessions" not in text  # the demo's private notes
    assert "Worried about saying the wrong thing" not in text


def test_long_table_splits_between_rows_with_its_header_repeated(qtbot, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    rows = tuple((f"Row {i:03d}", f"value {i}") for i in range(150))
    table = rc.Table((rc.Column("Name"), rc.Column("Value", "right")), rows)
    small = rc.Table((rc.Column("Small table"), rc.Column("Figure", "right")), tuple((f"S{i}", str(i)) for i in range(12)))
    content = rc.ReportContent(
        kind="exec", title="Test report", subject="Layout check", meta=(("Prepared by", "Tester"),),
        confidentiality="Confidential — test", generated_on=__import__("datetime").date(2026, 1, 2), file_stem="t",
        sections=(rc.Section("Long", (table,)), rc.Section("Short", (small,))),
    )
    saved = pdf_writer.save_report(content, tmp_path / "long.pdf", page_size="A4")
    _reader, pages = read_pdf(saved.path)
    assert len(pages) >= 3
    for i in range(150):
        assert sum(p.count(f"Row {i:03d} ") for p in pages) == 1
    assert sum("Name Value" in p for p in pages) >= 3  # the header row repeats on each page of the long table
    # the short table is never split: all its rows are on one page, with its header
    holder = [p for p in pages if "Small table" in p]
    assert len(holder) == 1 and all(f"S{i} {i}" in holder[0] for i in range(12))


def test_atomic_write_is_private_and_replaces_whole(tmp_path: Path) -> None:
    target = tmp_path / "r.pdf"
    target.write_bytes(b"old")
    write_atomic(target, b"%PDF-new")
    assert target.read_bytes() == b"%PDF-new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert os.listdir(tmp_path) == ["r.pdf"]


@pytest.mark.parametrize(("err", "words"), [
    (errno.ENOSPC, "not enough free disk space"),
    (errno.EROFS, "read-only disk"),
    (errno.EACCES, "may not write in the folder"),
])
def test_failed_write_leaves_nothing_and_says_why(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, err: int,
                                                  words: str) -> None:
    target = tmp_path / "r.pdf"
    target.write_bytes(b"previous report")
    real_write = os.write
    calls = {"n": 0}

    def failing_write(fd: int, data) -> int:  # type: ignore[no-untyped-def]
        calls["n"] += 1
        if calls["n"] > 1:  # the first chunk lands, then the disk fills up / goes read-only
            raise OSError(err, os.strerror(err))
        return real_write(fd, bytes(data[:10]))

    monkeypatch.setattr(atomic.os, "write", failing_write)
    with pytest.raises(ReportWriteError, match=words):
        write_atomic(target, b"%PDF-" + b"x" * 100)
    assert target.read_bytes() == b"previous report"
    assert os.listdir(tmp_path) == ["r.pdf"]


def test_missing_folder_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ReportWriteError, match="does not exist"):
        write_atomic(tmp_path / "nope" / "r.pdf", b"%PDF")
    (tmp_path / "file").write_text("x")
    with pytest.raises(ReportWriteError, match="does not exist"):
        write_atomic(tmp_path / "file" / "r.pdf", b"%PDF")


def test_charts_come_from_the_app_chart_code(qtbot, demo_ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert chart_export_available()
    calls: list[tuple[str, int, int]] = []
    source = app_charts(demo_ws)
    assert source is not None

    def spy(req, w, h):  # type: ignore[no-untyped-def]
        calls.append((req.kind, w, h))
        return source(req, w, h)

    content = rc.exec_summary(demo_ws, exec_id=_id(demo_ws, "Greta Lindqvist"))
    without = pdf_writer.save_report(content, tmp_path / "plain.pdf", page_size="A4")
    saved = pdf_writer.save_report(content, tmp_path / "charts.pdf", page_size="A4", charts=spy)
    assert calls and calls[0][0] == "progress" and calls[0][1] >= 1500  # print resolution, not screen
    reader, pages = read_pdf(saved.path)
    assert saved.pages > without.pages
    text = " ".join(pages)
    assert "Figure 1." in text
    images = sum(len(p.images) for p in reader.pages)
    assert images >= 2
    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in page


def test_font_choice_prefers_a_real_sans(qtbot) -> None:  # type: ignore[no-untyped-def]
    assert layout.font_family()


def test_empty_workspace_portfolio_is_honest(qtbot, ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    saved = pdf_writer.save_report(rc.portfolio_summary(ws), tmp_path / "empty.pdf", page_size="A4",
                                   charts=app_charts(ws))
    _reader, pages = read_pdf(saved.path)
    text = " ".join(pages)
    assert "No executive has joined the network yet" in text
    assert "Page 1 of" in text


def test_a_failing_chart_leaves_a_note_not_a_broken_report(qtbot, demo_ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    def broken(req, w, h):  # type: ignore[no-untyped-def]
        raise RuntimeError("boom")

    content = rc.assistant_brief(demo_ws, exec_id=_id(demo_ws, "Chen Wei"))
    content = rc.ReportContent(**{**content.__dict__,
                                  "sections": content.sections + (rc.Section("Charts", (rc.ChartRequest("portfolio"),)),)})
    saved = pdf_writer.save_report(content, tmp_path / "c.pdf", charts=broken)
    _reader, pages = read_pdf(saved.path)
    assert "The charts could not be drawn this time (RuntimeError)" in " ".join(pages)
