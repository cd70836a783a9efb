"""Team ▸ Members… (Ctrl+Shift+E): the lead assigns, unassigns and adds a CM from the keyboard; a CM is refused.

Runs the real dialog in the main window on a team server as the real roles of tests/checkout_kit
(``ann`` and ``bob`` CMs, ``lee`` the lead), typing into whatever has the focus.
"""

from __future__ import annotations

from collections.abc import Iterator

import psycopg
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QPushButton, QWidget

from esncoach.services import team
from esncoach.views.app_settings import AppSettings
from esncoach.views.main_window import MainWindow
from esncoach.views.team.members import MembersDialog
from tests.checkout_kit import AMELIA, Team, crew  # noqa: F401 - fixture
from tests.test_checkout_gui import _close

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
SECRET = "s3cret-for-cy"


@pytest.fixture
def errors(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    shown: list[str] = []
    monkeypatch.setattr("esncoach.views.team.members.show_error", lambda _w, _t, exc: shown.append(str(exc)))
    return shown


def _window(qtbot, crew: Team, who: str) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    window = MainWindow(crew.open(who), AppSettings())
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    try:
        yield window
    finally:
        _close(window)  # stop listening before the fixture drops the database
        window.ws.close()


def _open(qtbot, window: MainWindow) -> MembersDialog:  # type: ignore[no-untyped-def]
    qtbot.keyClick(window.table, Qt.Key.Key_E, CTRL_SHIFT)
    qtbot.waitUntil(lambda: getattr(window, "members_dialog", None) is not None and window.members_dialog.isVisible())
    dialog = window.members_dialog
    qtbot.waitUntil(lambda: dialog.exec_field.lineEdit().hasFocus())
    return dialog


def _type(qtbot, text: str, *then: Qt.Key) -> None:  # type: ignore[no-untyped-def]
    focus = QApplication.focusWidget()
    assert isinstance(focus, (QLineEdit, QComboBox)), focus
    qtbot.keyClicks(focus, text)
    for key in then:
        qtbot.keyClick(QApplication.focusWidget(), key)


def _children(dialog: MembersDialog, top: str) -> set[str]:
    item = next(dialog.tree.topLevelItem(i) for i in range(dialog.tree.topLevelItemCount())
                if dialog.tree.topLevelItem(i).text(0) == top)
    return {item.child(j).text(0) for j in range(item.childCount())}


def _tab_to(qtbot, target: QWidget) -> None:  # type: ignore[no-untyped-def]
    """Tab on until ``target`` has the focus (at most a round of the dialog's fields and buttons)."""
    for _ in range(10):
        if QApplication.focusWidget() is target:
            return
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached {target}")


def _press_on(qtbot, button: QPushButton) -> None:  # type: ignore[no-untyped-def]
    _tab_to(qtbot, button)
    qtbot.keyClick(button, Qt.Key.Key_Space)


def _cms_of(crew: Team, name: str) -> set[str]:
    return {r[0] for r in crew.sql("SELECT c.role FROM team_exec_cm c JOIN exec e ON e.id = c.exec_id "
                                   "WHERE e.name = %s", name)}


def test_the_lead_assigns_unassigns_and_adds_a_cm(qtbot, crew: Team, errors: list[str]) -> None:  # type: ignore[no-untyped-def]
    newcomer = f"cy_{crew.db}"
    try:
        for window in _window(qtbot, crew, "lee"):
            dialog = _open(qtbot, window)
            listed = {dialog.tree.topLevelItem(i).text(0) for i in range(dialog.tree.topLevelItemCount())}
            assert listed == {crew.role(w) for w in ("ann", "bob", "lee")} | {"No CM yet"}
            assert "Chen Wei" in _children(dialog, "No CM yet") and len(_children(dialog, "No CM yet")) == 10
            waiting = dialog.tree.findItems("No CM yet", Qt.MatchFlag.MatchExactly)[0]
            order = [waiting.child(j).text(0) for j in range(waiting.childCount())]
            assert order.index("Élodie Marchand") == order.index("Dana Okafor") + 1  # É sorts with E, not after Z
            # Chen Wei to bob: the name, Enter (on to the CM), bob's role, Enter (assign).
            _type(qtbot, "Chen Wei", Qt.Key.Key_Return)
            _type(qtbot, crew.role("bob"), Qt.Key.Key_Return)
            assert _cms_of(crew, "Chen Wei") == {crew.role("bob")}
            assert dialog.status.text() == f"Chen Wei is now coached by {crew.role('bob')}."
            assert dialog.exec_field.lineEdit().hasFocus() and dialog.exec_field.currentText() == ""
            assert "Chen Wei" in _children(dialog, crew.role("bob"))
            assert "Chen Wei" not in _children(dialog, "No CM yet")
            # Take bob off Amelia: the name, Tab, the role, Tab to Unassign, Space.
            _type(qtbot, AMELIA, Qt.Key.Key_Tab)
            _type(qtbot, crew.role("bob"))
            _press_on(qtbot, dialog.unassign_button)
            assert _cms_of(crew, AMELIA) == {crew.role("ann")}
            # Unassigning again is one sentence, nothing changed.
            _type(qtbot, AMELIA, Qt.Key.Key_Tab)
            _type(qtbot, crew.role("bob"))
            _press_on(qtbot, dialog.unassign_button)
            assert errors == [f"“{crew.role('bob')}” is not a CM of “{AMELIA}”; nothing was changed."]
            # A new CM: Tab on to the role name, Enter to the password, Enter adds.
            _tab_to(qtbot, dialog.role_field)
            _type(qtbot, newcomer, Qt.Key.Key_Return)
            assert QApplication.focusWidget() is dialog.password_field
            _type(qtbot, SECRET, Qt.Key.Key_Return)
            assert len(errors) == 1
            assert dialog.password_field.text() == "" and dialog.role_field.text() == ""
            assert dialog.status.text() == f"{newcomer} is a CM of this team; assign them executives above."
            assert all(SECRET not in w.text() for w in dialog.findChildren(QLineEdit))
            assert crew.sql("SELECT is_lead FROM team_member WHERE role = %s", newcomer) == [(False,)]
            # A role of the server outside the team is not the lead's to take over.
            _tab_to(qtbot, dialog.role_field)
            _type(qtbot, "postgres", Qt.Key.Key_Return)
            _type(qtbot, "hijack", Qt.Key.Key_Return)
            assert errors[-1] == ("A role named “postgres” already exists on the server; choose another name "
                                  "(only the database owner changes an existing role).")
            # Nor a colleague's: a new password would let the lead log in as ann and read her private notes.
            _tab_to(qtbot, dialog.role_field)
            _type(qtbot, crew.role("ann"), Qt.Key.Key_Return)
            _type(qtbot, "lead-knows-it", Qt.Key.Key_Return)
            assert errors[-1].startswith(f"A role named “{crew.role('ann')}” already exists on the server")
            assert crew.sql("SELECT rolpassword IS NULL FROM pg_authid WHERE rolname = %s", crew.role("ann")) == [(True,)]
            dialog.close()
        # The new CM logs in with that password over TCP and coaches nobody yet.
        with psycopg.connect(host=crew.server.host, port=crew.server.port, dbname=crew.db, user=newcomer,
                             password=SECRET) as conn:
            assert conn.execute("SELECT count(*) FROM exec").fetchone()[0] == 0
            assert conn.execute("SELECT count(*) FROM team_directory").fetchone()[0] == 12
    finally:
        with crew.server.admin(crew.db) as conn:
            conn.execute("DELETE FROM team_member WHERE role = %s", (newcomer,))
        with crew.server.admin() as conn:
            conn.execute(f"DROP ROLE IF EXISTS {newcomer}")


def test_a_cm_may_look_but_the_server_refuses_their_changes(qtbot, crew: Team, errors: list[str]) -> None:  # type: ignore[no-untyped-def]
    for window in _window(qtbot, crew, "ann"):
        dialog = _open(qtbot, window)
        assert dialog.tree.topLevelItemCount() == 4  # the team (and who has no CM) is every member's to read
        _type(qtbot, "Chen Wei", Qt.Key.Key_Return)
        _type(qtbot, crew.role("ann"), Qt.Key.Key_Return)
        _tab_to(qtbot, dialog.role_field)
        _type(qtbot, "ann_friend", Qt.Key.Key_Return)
        _type(qtbot, "pw", Qt.Key.Key_Return)
        dialog.close()
    assert errors == ["Only the programme lead can assign executives to CMs; nothing was changed.",
                      "Only the programme lead or the database owner can add a CM; nothing was changed."]
    assert _cms_of(crew, "Chen Wei") == set()
    assert crew.sql("SELECT count(*) FROM pg_roles WHERE rolname = 'ann_friend'") == [(0,)]


def test_the_lead_cannot_make_a_lead(crew: Team) -> None:
    with crew.open("lee") as lee:
        with pytest.raises(Exception, match="Only the database owner can add a programme lead"):
            team.add_member(lee, role=f"lx_{crew.db}", lead=True)


def test_the_directory_shows_a_cms_own_execs_and_names_the_colleagues(qtbot, crew: Team) -> None:  # type: ignore[no-untyped-def]
    from esncoach.services import execs

    for window in _window(qtbot, crew, "ann"):
        action = next(a for a in window.menus["View"].actions() if a.objectName().endswith(":open_directory"))
        action.trigger()
        dialog = window.directory_dialog
        qtbot.waitUntil(lambda: dialog.isVisible() and QApplication.focusWidget() is dialog.filter)
        assert dialog.proxy.rowCount() == 12
        _type(qtbot, "chen", Qt.Key.Key_Return)  # one match, a colleague's (nobody's yet): read-only, named
        assert dialog.isVisible() and dialog.status.text().startswith("Chen Wei is coached by nobody yet")
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        _type(qtbot, "bruno", Qt.Key.Key_Return)  # hers: shown in the main window
        qtbot.waitUntil(lambda: not dialog.isVisible())
        assert window.current_exec_id() == execs.find_exec(window.ws, "Bruno Castillo").id


def test_the_leads_pages_are_read_only_with_one_sentence_saying_why(qtbot, crew: Team) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QLabel

    from esncoach.services import execs
    from esncoach.views.execs.page import READS_ONLY
    from esncoach.views.execs.tabs import EXEC_TABS

    sessions_at = [title for title, _ in EXEC_TABS].index("Sessions")
    for who in ("lee", "ann"):
        for window in _window(qtbot, crew, who):
            window.select_exec(execs.find_exec(window.ws, AMELIA).id)
            window.page.tabs.setCurrentIndex(sessions_at)
            banner = window.page.findChild(QLabel, "leaseBanner")
            sessions_tab = window.page.tab_widgets[sessions_at]
            lead = who == "lee"
            qtbot.waitUntil(lambda: banner.isVisible() == lead)  # noqa: B023 - waited on at once
            assert (banner.text() == READS_ONLY) is lead
            for action in (window.add_action, window.edit_action, window.archive_action, window.coach_action):
                assert action.isEnabled() is not lead, (who, action.text())
            assert sessions_tab.new_button.isEnabled() is not lead
            assert sessions_tab.templates_button.isEnabled() is not lead  # the workspace's either: the lead reads it
            if lead:  # the lead's own work stays at hand
                _open(qtbot, window).close()
