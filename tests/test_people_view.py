"""Mentors and assistants: the support view core and the window, driven as a CM would."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt

from esncoach.models import ActionOwner, SessionStatus, SupportRole
from esncoach.services import execs, people, sessions
from esncoach.services.sessions import ActionItemInput
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace
from esncoach.views.execs.people_view import PeopleWindow


def _setup(ws: Workspace) -> tuple[int, int, int]:
    a = execs.add_exec(ws, name="Ada Lovelace")
    b = execs.add_exec(ws, name="Bea Barnes")
    rosa = execs.add_person(ws, name="Rosa Alvarez", title="Executive Assistant")
    execs.link_person(ws, exec_id=a, person_id=rosa, role=SupportRole.ASSISTANT)
    execs.link_person(ws, exec_id=b, person_id=rosa, role=SupportRole.ASSISTANT)
    maya = execs.add_person(ws, name="Maya Singh")
    execs.link_person(ws, exec_id=a, person_id=maya, role=SupportRole.REVERSE_MENTOR)
    start = dt.datetime.now().replace(microsecond=0) - dt.timedelta(days=3)
    sessions.save_session(ws, exec_id=a, starts_at=start, ends_at=start + dt.timedelta(hours=1), title="Briefing",
                          status=SessionStatus.HELD, action_items=[
                              ActionItemInput("Flag two discussions", ActionOwner.ASSISTANT,
                                              dt.date.today() - dt.timedelta(days=1)),
                              ActionItemInput("Share a guide", ActionOwner.MENTOR),
                              ActionItemInput("Like three posts", ActionOwner.EXEC),
                          ])
    people.add_theme(ws, exec_id=a, text="Hybrid-work questions in Ask Leadership")
    return a, b, rosa


def test_support_views_core(ws: Workspace) -> None:
    a, b, rosa = _setup(ws)
    views = {v.name: v for v in people.supporters(ws)}
    assert [e.name for e in views["Rosa Alvarez"].execs] == ["Ada Lovelace", "Bea Barnes"]
    assert [i.text for i in views["Rosa Alvarez"].open_items] == ["Flag two discussions"]
    assert [i.text for i in views["Maya Singh"].open_items] == ["Share a guide"]
    assert [v.name for v in people.supporters(ws, role=SupportRole.REVERSE_MENTOR)] == ["Maya Singh"]
    assert [t.text for t in people.assistant_brief(ws, exec_id=a)] == ["Hybrid-work questions in Ask Leadership"]
    tid = people.add_theme(ws, exec_id=a, text="Praise threads after quarter close")
    people.update_theme(ws, theme_id=tid, active=False)
    assert len(people.assistant_brief(ws, exec_id=a)) == 1
    assert len(people.assistant_brief(ws, exec_id=a, include_inactive=True)) == 2
    try:
        people.add_theme(ws, exec_id=a, text="   ")
    except ValidationError as exc:
        assert str(exc) == "Theme is required."
    else:
        raise AssertionError("an empty theme was accepted")


def test_people_window_brief_and_activation(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    a, _b, rosa = _setup(ws)
    window = PeopleWindow(ws)
    qtbot.addWidget(window)
    window.show()
    window.role.setCurrentIndex(window.role.findData(SupportRole.ASSISTANT))
    assert window.people.count() == 1
    assert window.heading.text() == "Rosa Alvarez"
    assert window.execs.topLevelItemCount() == 2
    assert "Flag two discussions" in window.items.item(0).text()
    assert "(overdue)" in window.items.item(0).text()
    assert window.brief_box.isVisibleTo(window)
    assert window.themes.count() == 1
    qtbot.keyClicks(window.new_theme, "Sustainability threads missing a leadership voice")
    qtbot.keyClick(window.new_theme, Qt.Key.Key_Return)
    assert [t.text for t in people.assistant_brief(ws, exec_id=a)][-1] == (
        "Sustainability threads missing a leadership voice")
    assert window.themes.count() == 2
    window.themes.setCurrentRow(0)
    qtbot.mouseClick(window.retire_theme, Qt.MouseButton.LeftButton)
    assert [t.text for t in people.assistant_brief(ws, exec_id=a)] == ["Sustainability threads missing a leadership voice"]

    window.role.setCurrentIndex(window.role.findData(SupportRole.REVERSE_MENTOR))
    assert window.heading.text() == "Maya Singh"
    assert not window.brief_box.isVisibleTo(window)
    with qtbot.waitSignal(window.sig_exec_activated) as blocker:
        window.execs.itemActivated.emit(window.execs.topLevelItem(0), 0)
    assert blocker.args == [a]


def test_demo_people(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = PeopleWindow(demo_ws)
    qtbot.addWidget(window)
    assert window.people.count() >= 9  # 4 mentors, 4 assistants, 1 sponsor
    assistants = people.supporters(demo_ws, role=SupportRole.ASSISTANT)
    assert all(len(v.execs) == 3 for v in assistants)
    assert any(v.open_items for v in assistants)
