"""Responsiveness in coaching mode (#17): the exec's unanswered replies and @-mentions are listed on the
"Since last time" page, with day and thread link, and redacted like the rest of the shared screen."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from esncoach.models import ImportBatch
from esncoach.models.network import LeaderAsk
from esncoach.services import coaching_mode, sessions
from esncoach.store.workspace import Workspace
from esncoach.views.dates import date_text
from tests.test_redaction_coaching import _open, rendered_text
from tests.test_redaction_reports import build, leaks

LEAKY_THREAD = "https://network.example.com/threads/77?by=bruno.castillo@example.com"


def _asks(ws: Workspace, dana: int, bruno: int) -> dt.date:
    today = dt.date.today()
    asked = dt.datetime.combine(today - dt.timedelta(days=3), dt.time(9))
    with ws.session() as s:
        batch = ImportBatch(source="viva_messages", file_name="Messages.csv")
        s.add(batch)
        s.flush()
        s.add_all([
            LeaderAsk(batch_id=batch.id, exec_id=dana, thread="https://www.yammer.com/api/v1/messages/2004",
                      kind="mention", asked_at=asked, answered_at=None),
            LeaderAsk(batch_id=batch.id, exec_id=dana, thread=LEAKY_THREAD, kind="reply",
                      asked_at=asked - dt.timedelta(days=2), answered_at=None),
            LeaderAsk(batch_id=batch.id, exec_id=dana, thread="thread-5", kind="reply",
                      asked_at=asked - dt.timedelta(days=5), answered_at=asked - dt.timedelta(days=5, hours=-4)),
            LeaderAsk(batch_id=batch.id, exec_id=bruno, thread="https://www.yammer.com/api/v1/messages/9999",
                      kind="mention", asked_at=asked, answered_at=None),
        ])
    return asked.date()


def test_since_last_time_lists_unanswered_asks_and_names_no_one_else(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    sc = build(ws)
    asked_on = _asks(ws, sc.dana, sc.bruno)
    planned = sessions.next_planned(ws, exec_id=sc.dana)
    assert planned is not None
    brief = coaching_mode.brief(ws, exec_id=sc.dana, session_id=planned.id)
    assert brief.responsiveness is not None and len(brief.responsiveness.unanswered) == 2
    window = _open(qtbot, ws, sc.dana, planned.id)
    page = window.commitments_page
    window.go_to(window.pages.index(page))
    qtbot.waitUntil(page.waiting.isVisible)
    lines = page.unanswered_lines()
    assert lines[0] == f"{date_text(asked_on)} · https://www.yammer.com/api/v1/messages/2004"
    assert len(lines) == 2 and lines[1].startswith(date_text(asked_on - dt.timedelta(days=2)) + " · ")
    assert "bruno" not in lines[1].lower()  # the link's e-mail address is replaced on the shared screen
    assert "messages/9999" not in "\n".join(lines)  # another exec's asks are not this exec's
    assert "You answered 33% of 3 questions and mentions." in page.waiting_summary.text()
    text = rendered_text(window)
    assert "Questions waiting for your answer" in text and "Dana Whitfield" in text
    assert leaks(text, sc) == []
    # Clicking the list takes no keyboard focus: → still turns the page.
    index = window.current_index()
    qtbot.mouseClick(page.waiting.viewport(), Qt.MouseButton.LeftButton)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert window.current_index() == index + 1


def test_no_imported_asks_hides_the_section(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    sc = build(ws)
    planned = sessions.next_planned(ws, exec_id=sc.dana)
    assert planned is not None
    window = _open(qtbot, ws, sc.dana, planned.id)
    page = window.commitments_page
    window.go_to(window.pages.index(page))
    assert not page.waiting_heading.isVisible() and not page.waiting.isVisible()
    assert "Questions waiting" not in rendered_text(window)
