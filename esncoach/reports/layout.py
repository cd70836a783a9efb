"""Content blocks turned into measured pieces, and pieces placed on pages without splitting what belongs together.

Every piece is laid out for one paint device (the PDF writer or the preview's printer) so that what is
measured is exactly what is painted. A heading stays with what follows it; a paragraph, a key-figure
row, a chart and a table that fits on a page are never split. Only a table taller than a whole page
is split, between rows, with its header row repeated.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontDatabase,
    QImage,
    QPagedPaintDevice,
    QPainter,
    QPen,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFrameFormat,
    QTextLength,
    QTextTableFormat,
)

from esncoach.services import report_content as rc

FONT_PREFERENCE = ("Source Sans 3", "Source Sans Pro", "Noto Sans", "Helvetica Neue", "Helvetica", "Arial",
                   "Liberation Sans", "Nimbus Sans", "DejaVu Sans")

INK = QColor("#1d2430")
MUTED = QColor("#5d6675")
ACCENT = QColor("#1f4e79")
RULE = QColor("#c9d1dc")
HEAD_BG = QColor("#e8eef5")
ZEBRA = QColor("#f5f7fa")
CARD_BG = QColor("#eef3f8")
CAVEAT_BG = QColor("#fdf6e3")
CAVEAT_RULE = QColor("#c99a2e")


def font_family() -> str:
    """The first well-made sans-serif font installed, else the system's default."""
    # fontconfig lists some families with their foundry ("Nimbus Sans [urw]"); QFont matches the bare name.
    families = {f.split(" [")[0] for f in QFontDatabase.families()}
    return next((f for f in FONT_PREFERENCE if f in families), QFont().family())


@dataclass
class Theme:
    """Sizes in points and the device they are converted for."""

    device: QPagedPaintDevice
    family: str
    body_pt: float = 9.5

    @property
    def dpi(self) -> float:
        return float(self.device.logicalDpiY())

    def pt(self, points: float) -> float:
        """Points to device units (for the painter and for widths handed to documents)."""
        return points * self.dpi / 72.0

    @staticmethod
    def px(points: float) -> float:
        """Points to the units of lengths *inside* a QTextDocument's formats (margins, paddings, borders):
        Qt reads those as pixels at 96 dpi and scales them to the paint device itself."""
        return points * 96.0 / 72.0

    def font(self, size_pt: float | None = None, *, bold: bool = False) -> QFont:
        f = QFont(self.family)
        f.setPointSizeF(size_pt or self.body_pt)
        f.setBold(bold)
        f.setStyleStrategy(QFont.StyleStrategy.PreferOutline)
        return f

    def document(self) -> QTextDocument:
        doc = QTextDocument()
        doc.documentLayout().setPaintDevice(self.device)
        doc.setDefaultFont(self.font())
        doc.setDocumentMargin(0)
        doc.setUseDesignMetrics(True)
        return doc


class Piece:
    """Something placed on a page whole: it knows its height for a width and draws itself."""

    keep_with_next = False
    space_before = 0.0

    def height(self) -> float:
        raise NotImplementedError

    def draw(self, painter: QPainter, x: float, y: float) -> None:
        raise NotImplementedError

    def split(self, avail: float) -> tuple[Piece, Piece] | None:
        """Only pieces taller than a page may split; None means 'move me whole to the next page'."""
        return None


class DocPiece(Piece):
    """A laid-out QTextDocument."""

    def __init__(self, doc: QTextDocument, width: float, *, space_before: float = 0.0,
                 keep_with_next: bool = False) -> None:
        self.doc = doc
        self.doc.setTextWidth(width)
        self.width = width
        self.space_before = space_before
        self.keep_with_next = keep_with_next

    def height(self) -> float:
        return self.doc.size().height()

    def draw(self, painter: QPainter, x: float, y: float) -> None:
        painter.save()
        painter.translate(x, y)
        self.doc.drawContents(painter)
        painter.restore()


class HeadingPiece(DocPiece):
    """A section title with a fine rule under it; always kept with what follows."""

    def __init__(self, theme: Theme, text: str, width: float) -> None:
        doc = theme.document()
        cur = QTextCursor(doc)
        fmt = QTextCharFormat()
        fmt.setFont(theme.font(12.5, bold=True))
        fmt.setForeground(ACCENT)
        cur.insertText(text, fmt)
        self.gap = theme.pt(3.5)
        self.line = theme.pt(0.6)
        super().__init__(doc, width, space_before=theme.pt(16), keep_with_next=True)

    def height(self) -> float:
        return super().height() + self.gap + self.line + self.gap

    def draw(self, painter: QPainter, x: float, y: float) -> None:
        super().draw(painter, x, y)
        yy = y + self.doc.size().height() + self.gap
        painter.fillRect(QRectF(x, yy, self.width, self.line), RULE)


def _block_format(theme: Theme, *, align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
                  after: float = 0.0, line: float = 118.0) -> QTextBlockFormat:
    bf = QTextBlockFormat()
    bf.setAlignment(align)
    bf.setBottomMargin(theme.px(after))
    bf.setLineHeight(line, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
    return bf


def _char(theme: Theme, size: float | None = None, *, bold: bool = False, color: QColor = INK,
          italic: bool = False) -> QTextCharFormat:
    cf = QTextCharFormat()
    f = theme.font(size, bold=bold)
    f.setItalic(italic)
    cf.setFont(f)
    cf.setForeground(color)
    return cf


def paragraph(theme: Theme, p: rc.Paragraph, width: float) -> Piece:
    """Body, lead, muted note or caveat box."""
    if p.tone == "caveat":
        return caveat(theme, p.text, width)
    doc = theme.document()
    cur = QTextCursor(doc)
    cur.setBlockFormat(_block_format(theme))
    size = {"lead": theme.body_pt + 0.5, "muted": theme.body_pt - 1, "subhead": theme.body_pt + 1}.get(
        p.tone, theme.body_pt)
    color = {"muted": MUTED, "subhead": ACCENT}.get(p.tone, INK)
    cur.insertText(p.text, _char(theme, size, color=color, italic=p.tone == "muted", bold=p.tone == "subhead"))
    # A lead sentence or a sub-heading introduces what follows: they move to a new page together.
    return DocPiece(doc, width, space_before=theme.pt({"lead": 7, "subhead": 12}.get(p.tone, 6)),
                    keep_with_next=p.tone in ("lead", "subhead"))


def caveat(theme: Theme, text: str, width: float) -> Piece:
    """A plain-words warning in a tinted box with a coloured edge."""
    doc = theme.document()
    cur = QTextCursor(doc)
    tf = QTextTableFormat()
    tf.setBorder(0)
    tf.setCellSpacing(0)
    tf.setCellPadding(0)
    tf.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
    table = cur.insertTable(1, 1, tf)
    cell = table.cellAt(0, 0)
    cf = cell.format().toTableCellFormat()
    cf.setBackground(CAVEAT_BG)
    cf.setLeftBorder(theme.px(2.2))
    cf.setLeftBorderBrush(QBrush(CAVEAT_RULE))
    cf.setLeftBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
    for side in ("Top", "Bottom", "Right"):
        getattr(cf, f"set{side}Border")(0)
    cf.setLeftPadding(theme.px(8))
    cf.setRightPadding(theme.px(8))
    cf.setTopPadding(theme.px(6))
    cf.setBottomPadding(theme.px(6))
    cell.setFormat(cf)
    c = cell.firstCursorPosition()
    c.setBlockFormat(_block_format(theme))
    c.insertText(text, _char(theme, theme.body_pt - 0.5, color=INK))
    return DocPiece(doc, width, space_before=theme.pt(8))


def bullets(theme: Theme, b: rc.Bullets, width: float) -> Piece:
    """A list whose items never break away from each other (lists here are short)."""
    items = "".join(f"<li style='margin-bottom:{theme.px(2.5):.0f}px'>{html.escape(i)}</li>" for i in b.items)
    doc = theme.document()
    doc.setDefaultStyleSheet(f"li {{ color: {INK.name()}; }}")
    doc.setHtml(f"<ul style='margin-left:0px; -qt-list-indent:1'>{items}</ul>")
    doc.setIndentWidth(theme.px(12))
    return DocPiece(doc, width, space_before=theme.pt(5))


def key_figures(theme: Theme, k: rc.KeyFigures, width: float) -> Piece:
    """Headline numbers as a row of tinted cards."""
    doc = theme.document()
    cur = QTextCursor(doc)
    n = len(k.items)
    cur.beginEditBlock()
    tf = QTextTableFormat()
    tf.setBorder(0)
    tf.setBorderCollapse(True)
    tf.setCellSpacing(0)
    tf.setCellPadding(0)
    tf.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
    tf.setColumnWidthConstraints([QTextLength(QTextLength.Type.PercentageLength, 100 / n)] * n)
    table = cur.insertTable(1, n, tf)
    for i, item in enumerate(k.items):
        cell = table.cellAt(0, i)
        cf = cell.format().toTableCellFormat()
        cf.setBackground(CARD_BG)
        cf.setPadding(theme.px(7))
        cf.setBorder(0)
        if i < n - 1:  # white gutters between the cards, flush with the text edges outside
            cf.setRightBorder(theme.px(6))
            cf.setRightBorderBrush(QBrush(QColor("white")))
            cf.setRightBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
        cell.setFormat(cf)
        c = cell.firstCursorPosition()
        c.setBlockFormat(_block_format(theme, after=1))
        c.insertText(item.label.upper(), _char(theme, 7, bold=True, color=MUTED))
        c.insertBlock(_block_format(theme, after=1, line=110))
        c.insertText(item.value, _char(theme, 15, bold=True, color=ACCENT))
        if item.note:
            c.insertBlock(_block_format(theme))
            c.insertText(item.note, _char(theme, 7.5, color=MUTED))
    cur.endEditBlock()
    return DocPiece(doc, width, space_before=theme.pt(6))


class TablePiece(DocPiece):
    """A data table with a shaded header row, hairlines between rows, and an optional note under it."""

    def __init__(self, theme: Theme, table: rc.Table, width: float, rows: Sequence[tuple[str, ...]] | None = None,
                 *, continued: bool = False, with_note: bool = True) -> None:
        self.theme, self.table, self.continued = theme, table, continued
        self.rows = list(table.rows if rows is None else rows)
        self.with_note = with_note
        super().__init__(self._build(), width, space_before=theme.pt(2 if continued else 7))

    def _build(self) -> QTextDocument:
        doc = self.theme.document()
        cur = QTextCursor(doc)
        # One edit block: Qt then lays the table out once at the end instead of after every cell.
        cur.beginEditBlock()
        try:
            self._fill(cur)
        finally:
            cur.endEditBlock()
        return doc

    def _fill(self, cur: QTextCursor) -> None:
        theme, table = self.theme, self.table
        if not self.rows and not self.continued:
            cur.setBlockFormat(_block_format(theme))
            cur.insertText(table.empty_text, _char(theme, theme.body_pt - 0.5, color=MUTED, italic=True))
            return
        cols = table.columns
        total = sum(c.weight for c in cols)
        tf = QTextTableFormat()
        tf.setBorder(0)
        tf.setBorderCollapse(True)
        tf.setCellSpacing(0)
        tf.setCellPadding(0)
        tf.setHeaderRowCount(1)
        tf.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
        tf.setColumnWidthConstraints([QTextLength(QTextLength.Type.PercentageLength, 100 * c.weight / total)
                                      for c in cols])
        t = cur.insertTable(len(self.rows) + 1, len(cols), tf)
        align = {"left": Qt.AlignmentFlag.AlignLeft, "right": Qt.AlignmentFlag.AlignRight,
                 "center": Qt.AlignmentFlag.AlignHCenter}
        for r in range(len(self.rows) + 1):
            for ci, col in enumerate(cols):
                cell = t.cellAt(r, ci)
                cf = cell.format().toTableCellFormat()
                cf.setTopPadding(theme.px(3.2))
                cf.setBottomPadding(theme.px(3.2))
                cf.setLeftPadding(theme.px(5))
                cf.setRightPadding(theme.px(5))
                cf.setBorder(0)
                cf.setBottomBorder(theme.px(0.5 if r else 0.9))
                cf.setBottomBorderStyle(QTextFrameFormat.BorderStyle.BorderStyle_Solid)
                cf.setBottomBorderBrush(QBrush(RULE if r else ACCENT))
                if r == 0:
                    cf.setBackground(HEAD_BG)
                elif r % 2 == 0:
                    cf.setBackground(ZEBRA)
                cell.setFormat(cf)
                c = cell.firstCursorPosition()
                c.setBlockFormat(_block_format(theme, align=align[col.align], line=108))
                if r == 0:
                    c.insertText(col.title, _char(theme, theme.body_pt - 1.0, bold=True, color=ACCENT))
                else:
                    value = self.rows[r - 1][ci] if ci < len(self.rows[r - 1]) else ""
                    c.insertText(value, _char(theme, theme.body_pt - 0.5))
        if table.note and self.with_note:
            cur.movePosition(QTextCursor.MoveOperation.End)
            cur.insertBlock(_block_format(theme))
            bf = _block_format(theme)
            bf.setTopMargin(theme.px(3))
            cur.setBlockFormat(bf)
            cur.insertText(table.note, _char(theme, theme.body_pt - 1.5, color=MUTED, italic=True))

    def split(self, avail: float) -> tuple[Piece, Piece] | None:
        """Split between rows when the whole table cannot fit on any page; the header repeats."""
        lo, hi = 1, len(self.rows) - 1
        best = 0
        while lo <= hi:
            mid = (lo + hi) // 2
            trial = TablePiece(self.theme, self.table, self.width, self.rows[:mid], continued=self.continued,
                               with_note=False)
            if trial.height() <= avail:
                best, lo = mid, mid + 1
            else:
                hi = mid - 1
        if best == 0:
            return None
        head = TablePiece(self.theme, self.table, self.width, self.rows[:best], continued=self.continued,
                          with_note=False)
        tail = TablePiece(self.theme, self.table, self.width, self.rows[best:], continued=True,
                          with_note=self.with_note)
        return head, tail


class ImagePiece(Piece):
    """A chart drawn at the size it was rendered for, with a real-text figure caption under it; never split."""

    def __init__(self, theme: Theme, caption: str, image: QImage, width: float, height: float) -> None:
        self.caption = theme.document()
        cur = QTextCursor(self.caption)
        cur.setBlockFormat(_block_format(theme))
        cur.insertText(caption, _char(theme, theme.body_pt - 1.5, color=MUTED, italic=True))
        self.caption.setTextWidth(width)
        self.image, self.width, self.img_h = image, width, height
        self.gap = theme.pt(3)
        self.space_before = theme.pt(12)
        self.frame = theme.pt(0.5)

    def height(self) -> float:
        return self.img_h + self.gap + self.caption.size().height()

    def draw(self, painter: QPainter, x: float, y: float) -> None:
        target = QRectF(x, y, self.width, self.img_h)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painter.drawImage(target, self.image)
        painter.setPen(QPen(RULE, self.frame))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(target)
        painter.save()
        painter.translate(x, y + self.img_h + self.gap)
        self.caption.drawContents(painter)
        painter.restore()


class TitlePiece(Piece):
    """The first page's title block: report kind, subject, details and the confidentiality marking."""

    def __init__(self, theme: Theme, content: rc.ReportContent, width: float) -> None:
        self.theme, self.width = theme, width
        doc = theme.document()
        cur = QTextCursor(doc)
        cur.setBlockFormat(_block_format(theme, after=2))
        cur.insertText(content.title.upper(), _char(theme, 8.5, bold=True, color=ACCENT))
        name, _, role = content.subject.partition(" — ")
        cur.insertBlock(_block_format(theme, after=1, line=105))
        cur.insertText(name, _char(theme, 22, bold=True, color=INK))
        if role:
            cur.insertBlock(_block_format(theme, after=0))
            cur.insertText(role, _char(theme, 11, color=MUTED))
        self.head = doc
        doc.setTextWidth(width)
        meta = theme.document()
        mc = QTextCursor(meta)
        tf = QTextTableFormat()
        tf.setBorder(0)
        tf.setCellSpacing(0)
        tf.setCellPadding(0)
        tf.setWidth(QTextLength(QTextLength.Type.PercentageLength, 100))
        n = max(1, len(content.meta))
        t = mc.insertTable(2, n, tf)
        for i, (label, value) in enumerate(content.meta):
            c = t.cellAt(0, i).firstCursorPosition()
            c.insertText(label.upper(), _char(theme, 7, bold=True, color=MUTED))
            c = t.cellAt(1, i).firstCursorPosition()
            c.setBlockFormat(_block_format(theme))
            c.insertText(value, _char(theme, 9.5, color=INK))
        meta.setTextWidth(width)
        self.meta = meta
        self.mark = theme.document()
        kc = QTextCursor(self.mark)
        kc.insertText(content.confidentiality, _char(theme, 8, bold=True, color=QColor("#8a2a2a")))
        self.mark.setTextWidth(width)
        self.gap = theme.pt(10)
        self.bar = theme.pt(2.2)

    def height(self) -> float:
        return (self.bar + self.gap + self.head.size().height() + self.gap + self.meta.size().height()
                + self.gap * 0.8 + self.mark.size().height() + self.gap * 0.6 + self.theme.pt(0.6))

    def draw(self, painter: QPainter, x: float, y: float) -> None:
        painter.fillRect(QRectF(x, y, self.width, self.bar), ACCENT)
        yy = y + self.bar + self.gap
        for doc, after in ((self.head, self.gap), (self.meta, self.gap * 0.8), (self.mark, self.gap * 0.6)):
            painter.save()
            painter.translate(x, yy)
            doc.drawContents(painter)
            painter.restore()
            yy += doc.size().height() + after
        painter.fillRect(QRectF(x, yy, self.width, self.theme.pt(0.6)), RULE)


@dataclass
class Placed:
    """A piece at a vertical offset within the page body."""

    piece: Piece
    y: float


def paginate(pieces: Sequence[Piece], body_height: float) -> list[list[Placed]]:
    """Place pieces top to bottom; a piece that does not fit starts a new page, a heading brings its next piece."""
    pages: list[list[Placed]] = [[]]
    y = 0.0
    queue = list(pieces)
    i = 0
    while i < len(queue):
        piece = queue[i]
        gap = piece.space_before if pages[-1] else 0.0
        h = piece.height()
        need = h
        j = i
        while queue[j].keep_with_next and j + 1 < len(queue):
            j += 1
            nxt = queue[j].height()
            # what follows comes whole if it can fit a page; a taller piece needs a fair start on this one
            need += queue[j].space_before + (nxt if queue[j].keep_with_next or nxt <= body_height
                                             else body_height * 0.3)
        if y + gap + need > body_height and pages[-1]:
            if h > body_height or (piece.keep_with_next and need > body_height):
                pass  # it cannot fit any page whole: split it below rather than leave a gap
            else:
                pages.append([])
                y, gap = 0.0, 0.0
        if y + gap + h > body_height:
            parts = piece.split(body_height - y - gap)
            if parts is None and pages[-1]:
                pages.append([])
                y, gap = 0.0, 0.0
                parts = piece.split(body_height) if h > body_height else None
            if parts is not None:
                head, tail = parts
                pages[-1].append(Placed(head, y + gap))
                pages.append([])
                y = 0.0
                queue[i] = tail
                continue
        pages[-1].append(Placed(piece, y + gap))
        y += gap + h
        i += 1
    return [p for p in pages if p] or [[]]
