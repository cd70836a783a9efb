"""Painting a report onto pages with Qt: title block, running header, footer with page numbers on every page.

The same painting serves the PDF file (``QPdfWriter`` into memory, then an atomic save) and the
preview (a ``QPrinter`` handed over by ``QPrintPreviewDialog``). Text is drawn as text with embedded
fonts, so the PDF stays selectable and searchable.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLocale, QMarginsF, QRectF
from PySide6.QtGui import QPageLayout, QPagedPaintDevice, QPageSize, QPainter, QPdfWriter, QTextCursor

from esncoach.reports import layout, mentions
from esncoach.reports.atomic import write_atomic
from esncoach.reports.charts import ChartSource
from esncoach.services import report_content as rc

log = logging.getLogger(__name__)

PAGE_SIZES = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}
PAGE_SIZE_CHOICES = ("auto", "A4", "Letter")
# Countries that use US Letter paper; everyone else uses A4.
LETTER_TERRITORIES = {"UnitedStates", "Canada", "Mexico", "Philippines", "Chile", "Colombia", "Venezuela",
                      "CostaRica", "Guatemala", "Panama", "DominicanRepublic", "PuertoRico", "ElSalvador"}
MARGINS_MM = (20.0, 17.0, 20.0, 19.0)  # left, top, right, bottom: the body; header/footer sit in the margins
PDF_DPI = 600
CHART_ASPECT = 0.42
CHART_PX_PER_INCH = 300


def resolve_page_size(setting: str = "auto", locale: QLocale | None = None) -> str:
    """"A4" or "Letter": the setting when explicit, else what the locale's country prints on."""
    if setting in PAGE_SIZES:
        return setting
    if setting.lower() in ("a4", "letter"):
        return "A4" if setting.lower() == "a4" else "Letter"
    loc = locale or QLocale()
    territory = loc.territory().name if hasattr(loc, "territory") else loc.country().name
    if territory in LETTER_TERRITORIES or loc.measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem:
        return "Letter"
    return "A4"


@dataclass(frozen=True)
class SavedReport:
    """A report written to disk."""

    path: Path
    pages: int
    size_bytes: int
    possible_mentions: tuple[mentions.MentionOnPage, ...] = ()
    """First names alone that may be another exec's, with their page: to review before sharing the file."""


class ReportPainter:
    """Lays one report out for one paged device and paints all its pages."""

    def __init__(self, content: rc.ReportContent, device: QPagedPaintDevice, *,
                 charts: ChartSource | None = None) -> None:
        self.content = content
        self.device = device
        self.theme = layout.Theme(device, layout.font_family())
        self.charts = charts
        self.figures = 0
        t = self.theme
        self.page_w = device.width()
        self.page_h = device.height()
        left, top, right, bottom = (t.pt(mm * 72 / 25.4) for mm in MARGINS_MM)
        self.body = QRectF(left, top, self.page_w - left - right, self.page_h - top - bottom)
        self.pages = layout.paginate(self._pieces(), self.body.height())

    # -- building -----------------------------------------------------------------------------------

    def _pieces(self) -> list[layout.Piece]:
        t, w = self.theme, self.body.width()
        pieces: list[layout.Piece] = [layout.TitlePiece(t, self.content, w)]
        for section in self.content.sections:
            body: list[layout.Piece] = []
            for block in section.blocks:
                body += self._block(block, w)
            if body:
                pieces.append(layout.HeadingPiece(t, section.title, w))
                pieces += body
        return pieces

    def _block(self, block: rc.Block, w: float) -> list[layout.Piece]:
        t = self.theme
        if isinstance(block, rc.Paragraph):
            return [layout.paragraph(t, block, w)]
        if isinstance(block, rc.Bullets):
            return [layout.bullets(t, block, w)] if block.items else []
        if isinstance(block, rc.KeyFigures):
            return [layout.key_figures(t, block, w)]
        if isinstance(block, rc.Table):
            return [layout.TablePiece(t, block, w)]
        if isinstance(block, rc.ChartRequest):
            return self._charts(block, w)
        raise TypeError(f"unknown report block {type(block).__name__}")

    def _charts(self, req: rc.ChartRequest, w: float) -> list[layout.Piece]:
        if self.charts is None:
            return []
        inches = w / self.theme.dpi
        width_px = int(inches * CHART_PX_PER_INCH)
        height_px = int(width_px * CHART_ASPECT)
        out: list[layout.Piece] = []
        period = (f", {rc.fmt_date(req.start)} – {rc.fmt_date(req.end)}" if req.start and req.end else "")
        try:
            images = self.charts(req, width_px, height_px)
        except Exception as exc:  # noqa: BLE001 - a report without charts beats no report; say so in it
            log.exception("chart rendering failed", exc_info=exc)
            note = rc.Paragraph(f"The charts could not be drawn this time ({type(exc).__name__}); the figures above "
                                "are complete.", "muted")
            return [layout.paragraph(self.theme, note, w)]
        for title, image in images:
            if image.isNull() or image.width() == 0:
                continue
            self.figures += 1
            h = w * image.height() / image.width()
            out.append(layout.ImagePiece(self.theme, f"Figure {self.figures}. {title}{period}.", image, w, h))
        return out

    # -- painting -----------------------------------------------------------------------------------

    def paint(self, painter: QPainter) -> int:
        """Paint every page (the device must already be begun by ``painter``); returns the page count."""
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        total = len(self.pages)
        for n, page in enumerate(self.pages, start=1):
            if n > 1:
                self.device.newPage()
            if n > 1:
                self._running_header(painter)
            for placed in page:
                placed.piece.draw(painter, self.body.left(), self.body.top() + placed.y)
            self._footer(painter, n, total)
        return total

    def _small(self, text: str, *, bold: bool = False, color=layout.MUTED):  # type: ignore[no-untyped-def]
        doc = self.theme.document()
        cur = QTextCursor(doc)
        fmt = layout._char(self.theme, 7.5, bold=bold, color=color)
        cur.insertText(text, fmt)
        return doc

    def _draw_doc(self, painter: QPainter, doc, x: float, y: float) -> None:  # type: ignore[no-untyped-def]
        painter.save()
        painter.translate(x, y)
        doc.drawContents(painter)
        painter.restore()

    def _running_header(self, painter: QPainter) -> None:
        t = self.theme
        name = self.content.subject.partition(" — ")[0]
        left = self._small(f"{self.content.title} — {name}", bold=True, color=layout.ACCENT)
        right = self._small(rc.fmt_date(self.content.generated_on))
        y = self.body.top() - t.pt(9) - left.size().height()
        self._draw_doc(painter, left, self.body.left(), y)
        self._draw_doc(painter, right, self.body.right() - right.idealWidth(), y)
        painter.fillRect(QRectF(self.body.left(), self.body.top() - t.pt(5), self.body.width(), t.pt(0.5)),
                         layout.RULE)

    def _footer(self, painter: QPainter, n: int, total: int) -> None:
        t = self.theme
        y = self.body.bottom() + t.pt(12)
        painter.fillRect(QRectF(self.body.left(), y - t.pt(5), self.body.width(), t.pt(0.5)), layout.RULE)
        mark = self.content.confidentiality.split(" — ")[0]
        left = self._small(f"{mark} · {self.content.title} · {self.content.subject.partition(' — ')[0]}")
        right = self._small(f"Page {n} of {total}", bold=True, color=layout.INK)
        self._draw_doc(painter, left, self.body.left(), y)
        self._draw_doc(painter, right, self.body.right() - right.idealWidth(), y)


def _configure(device: QPagedPaintDevice, page_size: str) -> None:
    size = QPageSize(PAGE_SIZES[resolve_page_size(page_size)])
    device.setPageLayout(QPageLayout(size, QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0),
                                     QPageLayout.Unit.Millimeter))


def render_pdf(content: rc.ReportContent, *, page_size: str = "auto",
               charts: ChartSource | None = None) -> tuple[bytes, int]:
    """The finished PDF in memory and its page count."""
    data, pages, _report = _render(content, page_size=page_size, charts=charts)
    return data, pages


def _render(content: rc.ReportContent, *, page_size: str,
            charts: ChartSource | None) -> tuple[bytes, int, ReportPainter]:
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setResolution(PDF_DPI)
    _configure(writer, page_size)
    writer.setTitle(f"{content.title} — {content.subject.partition(' — ')[0]}")
    writer.setCreator("esncoach")
    report = ReportPainter(content, writer, charts=charts)
    painter = QPainter()
    if not painter.begin(writer):
        raise RuntimeError("Qt could not start a PDF page")
    try:
        pages = report.paint(painter)
    finally:
        painter.end()
    buffer.close()
    return bytes(data.data()), pages, report


def render_report(content: rc.ReportContent, *, page_size: str = "auto", charts: ChartSource | None = None,
                  ) -> tuple[bytes, int, tuple[mentions.MentionOnPage, ...]]:
    """The finished PDF in memory, its page count and where its possible mentions landed (nothing written)."""
    data, pages, report = _render(content, page_size=page_size, charts=charts)
    return data, pages, mentions.locate(content.possible_mentions, mentions.page_texts(report.pages))


def save_report(content: rc.ReportContent, path: str | os.PathLike[str], *, page_size: str = "auto",
                charts: ChartSource | None = None) -> SavedReport:
    """Typeset ``content`` and save it at ``path`` atomically, owner-only."""
    data, pages, found = render_report(content, page_size=page_size, charts=charts)
    return SavedReport(write_atomic(path, data), pages, len(data), found)


def paint_on(content: rc.ReportContent, device: QPagedPaintDevice, *, page_size: str = "auto",
             charts: ChartSource | None = None) -> int:
    """Paint a report on a device someone else owns (the preview's printer); returns the page count."""
    _configure(device, page_size)
    report = ReportPainter(content, device, charts=charts)
    painter = QPainter()
    if not painter.begin(device):
        return 0
    try:
        return report.paint(painter)
    finally:
        painter.end()


def default_file_name(content: rc.ReportContent) -> str:
    return f"{content.file_stem or 'report-' + dt.date.today().isoformat()}.pdf"


