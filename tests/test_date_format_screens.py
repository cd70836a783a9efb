"""One date format on every screen (#16 defect 12): the search popup, the report dialog and the Today window
write a date as ``views/dates.py`` does ("1 Oct 2026"), never ISO "2026-10-01" or zero-padded "01 Oct"."""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import Qt

from esncoach.services import execs, search, sessions, today
from esncoach.store.workspace import Workspace
from esncoach.views.dates import DATE_FORMAT, date_text, short_weekday_date_time_text, weekday_date_text
from esncoach.views.reports.dialog import ReportDialog
from esncoach.views.search_window import HitRole, SearchResultsModel
from esncoach.views.today.today_window import TodayWindow

ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
PADDED = re.compile(r"(?<![\d:])0\d [^\W\d]")  # "01 Oct"
DAY = dt.date(2026, 3, 2)  # a Monday: the session three days on falls on the 5th (no zero)


def test_date_text_is_unpadded_day_short_month_year() -> None:
    text = date_text(dt.date(2026, 10, 1))
    assert text.startswith("1 ") and text.endswith(" 2026") and not PADDED.search(text)
    assert short_weekday_date_time_text(dt.datetime(2026, 12, 1, 9, 30)).endswith(f"{date_text(dt.date(2026, 12, 1), year=False)} 09:30")


def test_search_hits_show_the_app_date(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    results = search.search(demo_ws, query="town hall")
    model = SearchResultsModel()
    model.set_results(results)
    dated = 0
    for row in model.hit_rows():
        index = model.index(row, 0)
        hit = index.data(HitRole)
        meta = index.data(Qt.ItemDataRole.ToolTipRole)
        if hit.date:
            dated += 1
            assert date_text(dt.date.fromisoformat(hit.date)) in meta
            assert not ISO.search(meta) and not PADDED.search(meta)
    assert dated > 0


def test_report_dialog_period_uses_the_app_date(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    exec_id = execs.list_execs(demo_ws)[0].id
    dialog = ReportDialog(demo_ws, exec_id=exec_id)
    qtbot.addWidget(dialog)
    for edit in (dialog.start, dialog.end):
        assert edit.displayFormat() == DATE_FORMAT
        shown = edit.date().toPython()
        assert edit.text() == date_text(shown)


def test_today_heading_and_week_sessions_use_the_app_date(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    ana = execs.add_exec(ws, name="Ana Lima", today=DAY - dt.timedelta(days=60))
    when = dt.datetime.combine(DAY + dt.timedelta(days=3), dt.time(9, 0))
    sessions.save_session(ws, exec_id=ana, starts_at=when, ends_at=when + dt.timedelta(minutes=30),
                          title="Comment", today=DAY)
    window = TodayWindow(ws, day=DAY, overview=today.overview(ws, today=DAY))
    qtbot.addWidget(window)
    assert window.heading.text() == f"Today, {weekday_date_text(DAY)}"
    week = next(window.tree.topLevelItem(i) for i in range(window.tree.topLevelItemCount())
                if window.tree.topLevelItem(i).text(0).startswith("Sessions in the next 7 days"))
    assert week.childCount() == 1
    line = week.child(0).text(1)
    assert line == f"{short_weekday_date_time_text(when)} Comment"
    assert date_text(when, year=False) in line and not PADDED.search(line)


def test_service_sentences_shown_on_screen_write_days_unpadded() -> None:
    from esncoach.services import recurrence

    text = recurrence.RecurrenceRule(1, until=dt.date(2026, 5, 5)).text(dt.date(2026, 3, 3))
    assert text.endswith("until 5 May 2026") and not PADDED.search(text)


def test_backup_list_writes_when_a_backup_was_taken_in_the_app_format() -> None:
    from esncoach.views.workspace.backup_dialog import _local

    taken = dt.datetime(2026, 3, 5, 12, 0)  # stored in UTC
    local = taken.replace(tzinfo=dt.UTC).astimezone()
    assert _local(taken) == f"{date_text(local)} {local:%H:%M}"
    assert not ISO.search(_local(taken))
