"""Coaching mode on the shared screen: no page shows another exec in any spelling; the session keeps the words."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from esncoach.services import coaching_mode, execs, posts, sessions
from esncoach.store.workspace import Workspace
from esncoach.views.app_settings import AppSettings
from esncoach.views.coaching.coaching_window import CoachingWindow
from tests.test_redaction_reports import build, leaks


def _covered(w: QWidget) -> bool:
    """A text field with a redacted cover over it shows the cover's text, not its own."""
    return any(c.objectName() == "coachCover" and c.isVisible() for c in w.findChildren(QWidget))


def rendered_text(root: QWidget) -> str:
    """Every text a person could read on screen under ``root``: labels, fields, buttons, lists, list views."""
    parts = [root.windowTitle()]
    for w in [root, *root.findChildren(QWidget)]:
        if not w.isVisible():
            continue
        if isinstance(w, QLabel):
            parts.append(w.text())
        elif isinstance(w, QLineEdit) and not _covered(w):
            parts += [w.text(), w.placeholderText()]
        elif isinstance(w, (QPlainTextEdit, QTextEdit)) and not _covered(w):
            parts.append(w.toPlainText())
        elif isinstance(w, QAbstractButton):
            parts.append(w.text())
        elif isinstance(w, QGroupBox):
            parts.append(w.title())
        elif isinstance(w, QComboBox):
            parts += [w.itemText(i) for i in range(w.count())]
        elif isinstance(w, QListWidget):
            parts += [w.item(i).text() for i in range(w.count())]
        elif isinstance(w, QAbstractItemView) and w.model() is not None:
            model = w.model()
            for r in range(model.rowCount()):
                for role in (Qt.ItemDataRole.DisplayRole, *range(Qt.ItemDataRole.UserRole, Qt.ItemDataRole.UserRole + 8)):
                    value = model.index(r, 0).data(role)
                    if isinstance(value, str):
                        parts.append(value)
        parts.append(w.toolTip())
    return "\n".join(p for p in parts if p)


def _open(qtbot, ws: Workspace, exec_id: int, session_id: int | None = None) -> CoachingWindow:  # type: ignore[no-untyped-def]
    window = CoachingWindow(ws, AppSettings(), exec_id=exec_id, session_id=session_id)
    qtbot.addWidget(window)
    window.show_coaching()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def _scenario_with_a_draft(ws: Workspace):  # type: ignore[no-untyped-def]
    sc = build(ws)
    posts.create_post(ws, exec_id=sc.dana, title="Draft for @bruno", text="Thanks Bruno Castillo for the data.")
    planned = sessions.next_planned(ws, exec_id=sc.dana)
    assert planned is not None
    coaching_mode.record(ws, session_id=planned.id, agenda=planned.agenda,
                         notes="Élodie Marchand may join.\nAsk liam.oconnor@example.com", outcomes="Met Chen  Wei")
    dana = execs.get_exec(ws, sc.dana)
    execs.update_exec(ws, sc.dana, name=dana.name, title=dana.title, email=dana.email, handle=dana.handle,
                      joined=dana.joined, private_notes="Compare with Castillo's pace")
    return sc, planned


def test_every_page_shows_no_one_else(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    sc, planned = _scenario_with_a_draft(ws)
    window = _open(qtbot, ws, sc.dana, planned.id)
    window.toggle_private()
    for i in range(len(window.pages)):
        window.go_to(i)
        qtbot.wait(1)
        text = rendered_text(window)
        assert "Dana Whitfield" in text
        assert leaks(text, sc) == [], f"page {i} ({window.pages[i].heading.text()}) shows {leaks(text, sc)}"
        assert "Bruno" not in text.split()  # a first name alone is replaced on the shared screen
    window.go_to(window.pages.index(window.commitments_page))
    commitments = rendered_text(window.commitments_page)
    assert "Co-author a post with another executive" in commitments
    assert "Lunch with another executive next week" in commitments
    assert "Another executive's town hall" in window.agenda_page.agenda.toPlainText()
    # The draft page's fields keep the exec's words; the cover shows them redacted until clicked.
    draft = next(p for p in window.pages if p.heading.text() == "Practice post and feedback")
    window.go_to(window.pages.index(draft))
    title = draft.inner.workbench.editor.title
    assert title.text() == "Draft for @bruno" and _covered(title)
    qtbot.mouseClick(next(c for c in title.findChildren(QWidget) if c.objectName() == "coachCover"),
                     Qt.MouseButton.LeftButton)
    assert title.hasFocus() and not _covered(title)


def test_the_session_stores_the_words_as_typed(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    sc, planned = _scenario_with_a_draft(ws)
    window = _open(qtbot, ws, sc.dana, planned.id)
    agenda = window.agenda_page.agenda
    agenda.setFocus()
    agenda.moveCursor(agenda.textCursor().MoveOperation.End)
    qtbot.keyClick(agenda, Qt.Key.Key_Return)
    qtbot.keyClicks(agenda, "Call Bruno Castillo about it")
    # Once the cursor has left the name, the screen no longer shows it; the record keeps it.
    qtbot.waitUntil(lambda: "Castillo" not in agenda.toPlainText(), timeout=5000)
    assert "Call another executive about it" in agenda.toPlainText()
    qtbot.keyClicks(agenda, " today")
    window.save()
    stored = sessions.get_session(ws, planned.id)
    assert stored.agenda == "Bruno  Castillo's town hall\nCall Bruno Castillo about it today"
    assert stored.notes == "Élodie Marchand may join.\nAsk liam.oconnor@example.com"
    assert stored.outcomes == "Met Chen  Wei"
    # A quick note naming someone is redacted on screen at once and stored as typed.
    qtbot.keyClick(window, Qt.Key.Key_N)
    qtbot.keyClicks(window.quick, "Ines Duarte called")
    qtbot.keyClick(window.quick, Qt.Key.Key_Return)
    assert "Ines Duarte" not in window.notes_page.notes.toPlainText()
    assert "Ines Duarte called" in sessions.get_session(ws, planned.id).notes
    window.close()
    held = sessions.get_session(ws, planned.id)
    assert "Call Bruno Castillo about it today" in held.agenda and held.outcomes == "Met Chen  Wei"


def test_chart_session_markers_read_out_no_one_else(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    from esncoach.views.charts.plots import ChartWidget as Chart

    sc, planned = _scenario_with_a_draft(ws)
    window = _open(qtbot, ws, sc.dana, planned.id)
    page = next(p for p in window.pages if p.heading.text() == "Your progress")
    window.go_to(window.pages.index(page))
    qtbot.waitUntil(lambda: bool([c for c in page.inner.findChildren(Chart) if c.sessions]), timeout=10_000)
    charts = [c for c in page.inner.findChildren(Chart) if c.sessions]
    page.screen.refresh()
    for chart in charts:
        for mark in chart.sessions:
            text = chart.readout_text(mark.x, 0) or ""
            assert leaks(text, sc) == [], text
    assert any("Debrief with another executive" in (c.readout_text(m.x, 0) or "") for c in charts for m in c.sessions)


def test_a_post_saved_during_coaching_stays_redacted_in_the_list(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    sc, planned = _scenario_with_a_draft(ws)
    window = _open(qtbot, ws, sc.dana, planned.id)
    draft = next(p for p in window.pages if p.heading.text() == "Practice post and feedback")
    window.go_to(window.pages.index(draft))
    tab = draft.inner
    post_id = tab.current_post_id()
    row = posts.get_post(ws, post_id=post_id)
    posts.update_details(ws, post_id=post_id, kind=row.kind, title="Ask Liam O'Connor to review", community="",
                         drafted_by=row.drafted_by)
    tab._on_post_changed(post_id)  # what the workbench signals after saving a post
    assert leaks(rendered_text(window), sc) == []
    assert any("Ask another executive to review" in r.title for r in tab.model.rows)
