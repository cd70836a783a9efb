"""Column widths for the exec list that always add up to its pane: no horizontal scroll bar (#16 defect 5).

Qt's own ResizeToContents + Stretch modes overflow the viewport: content-sized columns never shrink, and the
stretched ones are rounded up (a 519-pixel viewport got 520 pixels of columns at 1366×768, and a scroll bar).
``ColumnFitter`` sets every width itself whenever the viewport or the rows change:

- the "fit" columns (name, stage, last session) get the width of their longest text;
- the "share" columns (title, next action) split what is left, the last one taking the rounding remainder,
  so the columns fill the viewport exactly;
- when the pane is too narrow for that, every column keeps at least its heading's width and the fit columns
  give up room in proportion to what they would like beyond it (their text is elided, never scrolled).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QAbstractScrollArea, QHeaderView, QTableView, QWidget

SHARE_MIN = 48
"""A shared column's least width beyond its heading, before the fit columns are narrowed."""


def viewport_of(view: QAbstractScrollArea) -> QWidget:
    """``view.viewport()``, found by its Qt object name: the first ``viewport()`` call makes PySide6 check the
    returned widget against every QWidget subclass it wraps (~12 ms of enum building on the start-up path, #18);
    ``findChild`` with the type named does not."""
    found = view.findChild(QWidget, "qt_scrollarea_viewport")
    return found if found is not None else view.viewport()


def column_widths(available: int, natural: Sequence[int], floor: Sequence[int], share: Sequence[int]) -> list[int]:
    """Widths for columns whose natural (content) and least (heading) widths are given; ``share`` lists the
    columns that take the room left. The result sums to ``available`` unless even the floors do not fit."""
    n = len(natural)
    fit = [c for c in range(n) if c not in share]
    want_share = {c: max(floor[c], SHARE_MIN) for c in share}
    widths = [0] * n
    if sum(natural[c] for c in fit) + sum(want_share.values()) <= available:
        for c in fit:
            widths[c] = natural[c]
        _split(widths, available - sum(widths), list(share), want_share)
        return widths
    # Too narrow: headings first, then the fit columns share what is left by how much more they would like.
    widths = [floor[c] if c in fit else want_share[c] for c in range(n)]
    extra = available - sum(widths)
    if extra <= 0:
        return [floor[c] for c in range(n)]
    wish = {c: max(0, natural[c] - floor[c]) for c in fit}
    total = sum(wish.values())
    given = 0
    for c in fit:
        part = extra * wish[c] // total if total else 0
        widths[c] += part
        given += part
    widths[share[-1] if share else fit[-1]] += extra - given
    return widths


def _split(widths: list[int], room: int, columns: list[int], least: dict[int, int]) -> None:
    """Share ``room`` evenly among ``columns``, none below its least width; the last takes the remainder."""
    columns = list(columns)
    while columns:
        each = room // len(columns)
        short = [c for c in columns if least[c] > each]
        if not short:
            break
        for c in short:  # these keep their least width; the others share the rest
            widths[c] = least[c]
            room -= least[c]
            columns.remove(c)
    for i, c in enumerate(columns):
        widths[c] = room // len(columns) if i < len(columns) - 1 else room - (room // len(columns)) * (len(columns) - 1)


class ColumnFitter(QObject):
    """Keeps ``table``'s column widths equal to its viewport's width (see the module doc)."""

    def __init__(self, table: QTableView, share: Sequence[int]) -> None:
        super().__init__(table)
        self.table = table
        self.share = tuple(share)
        self._pending = False
        self._fitted_width = -1
        """The viewport width the widths were last fitted to (-1: the rows changed since)."""
        self._measured: tuple[list[int], list[int]] | None = None
        """Each column's heading and content widths, kept until the rows change: a resize only shares them out."""
        self._viewport = viewport_of(table)
        self._viewport.installEventFilter(self)
        model = table.model()
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted, model.rowsRemoved,
                       model.dataChanged):
            signal.connect(self.schedule)
        self.reset()

    def reset(self) -> None:
        """Take over the widths again (after ``restoreState`` brought back a saved header's modes)."""
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(24)
        for c in range(header.count()):
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Fixed)
        self._fitted_width, self._measured = -1, None
        self.fit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.fit()
        return False

    def schedule(self, *_args: object) -> None:
        """Refit once the current batch of model changes is done."""
        self._fitted_width, self._measured = -1, None
        if not self._pending:
            self._pending = True
            QTimer.singleShot(0, self, self.fit)

    def fit(self) -> None:
        """Fit the widths now, unless nothing changed since the last fit or the list is not shown: measuring
        every cell's text is most of the list's cost at start-up (#18; ~30 ms for 200 execs), so it is done
        when the rows change and a resize (the splitter dragged, the scroll bar appearing) reuses it."""
        self._pending = False
        table, header = self.table, self.table.horizontalHeader()
        count = header.count()
        if count == 0 or not table.isVisible():
            return
        available = self._viewport.width()
        if available <= 0 or available == self._fitted_width:
            return
        self._fitted_width = available
        if self._measured is None or len(self._measured[0]) != count:
            floor = [header.sectionSizeHint(c) for c in range(count)]
            self._measured = floor, [max(floor[c], table.sizeHintForColumn(c)) for c in range(count)]
        floor, natural = self._measured
        for c, width in enumerate(column_widths(available, natural, floor, self.share)):
            if header.sectionSize(c) != width:
                header.resizeSection(c, width)
