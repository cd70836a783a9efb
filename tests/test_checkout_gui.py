"""Team ▸ Take offline… / Bring back… / Forget offline copy… in the main window on a team server (#20)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

from esncoach.services import execs, sessions
from esncoach.store.keys import passphrase_key
from esncoach.store.workspace import Workspace
from esncoach.views.app_settings import AppSettings
from esncoach.views.main_window import MainWindow
from tests.checkout_kit import AMELIA, Team, crew  # noqa: F401 - fixture

PHRASE = "offline laptop passphrase"


def _close(window: MainWindow) -> None:
    """Stop the window's live refresh before the team database and its roles go (the fixture drops them)."""
    live = window.live_refresh
    live.listener.stop()
    live.listener.sig_changed.disconnect()
    live.pending.clear()
    live._timer.stop()
    live._timer.timeout.disconnect()
    window.close()


def _menu_action(window: MainWindow, text: str):  # type: ignore[no-untyped-def]
    return next(a for a in window.menus["Team"].actions() if a.text().replace("&", "") == text)


def _fill(qtbot, window: MainWindow, text: str, path: Path, tick: str | None = None) -> None:  # type: ignore[no-untyped-def]
    _menu_action(window, text).trigger()
    dialog = window.offline_dialog
    qtbot.waitUntil(dialog.isVisible)
    if tick is not None:
        item = dialog.exec_list.findItems(tick, Qt.MatchFlag.MatchExactly)[0]
        item.setCheckState(Qt.CheckState.Checked)
    dialog.path.setText(str(path))
    qtbot.keyClicks(dialog.passphrase, PHRASE)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()


def test_take_offline_bring_back_and_forget(qtbot, crew: Team, tmp_path: Path,  # type: ignore[no-untyped-def]
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "information", lambda _p, _t, text, *a, **k: shown.append(text))
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    errors: list[str] = []
    monkeypatch.setattr("esncoach.views.team.offline.show_error", lambda _w, _t, exc: errors.append(str(exc)))
    laptop = tmp_path / "offline.db"
    ws = crew.open("ann")
    window = MainWindow(ws, AppSettings())
    qtbot.addWidget(window)
    window.show()
    _fill(qtbot, window, "Take offline…", laptop, tick=AMELIA)
    qtbot.waitUntil(lambda: bool(shown), timeout=30_000)
    assert "1 executive(s) are in offline.db" in shown[-1]
    assert [r[0] for r in crew.sql("SELECT e.name FROM team_lease l JOIN exec e ON e.id = l.exec_id")] == [AMELIA]
    with Workspace.open(laptop, passphrase_key(PHRASE)) as local:  # coaching on the plane
        exec_id = execs.find_exec(local, AMELIA).id
        first = sessions.list_sessions(local, exec_id=exec_id)[0]
        sessions.save_notes(local, session_id=first.id, notes="from the GUI's offline copy")
    _fill(qtbot, window, "Forget offline copy…", laptop)  # refused: not back yet
    qtbot.waitUntil(lambda: bool(errors))
    assert "holds work not brought back yet" in errors[-1] and laptop.exists()
    _fill(qtbot, window, "Bring back…", laptop)
    qtbot.waitUntil(lambda: len(shown) == 2, timeout=30_000)
    assert f"{AMELIA}: 0 added, 1 changed, 0 deleted, 0 conflicts" in shown[-1]
    assert crew.sql("SELECT count(*) FROM coaching_session WHERE notes = 'from the GUI''s offline copy'") == [(1,)]
    _fill(qtbot, window, "Forget offline copy…", laptop)
    qtbot.waitUntil(lambda: not laptop.exists())
    _close(window)
    ws.close()


def test_colleagues_see_who_holds_an_exec_offline(qtbot, crew: Team, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from esncoach.services.team_checkout import checkout
    from esncoach.store.keys import KeyMaterial

    with crew.open("ann") as ann, Workspace.open(tmp_path / "l.db", KeyMaterial("raw", "ab" * 32)) as local:
        checkout(ann, local, names=[AMELIA])
    ws = crew.open("bob")
    window = MainWindow(ws, AppSettings())
    qtbot.addWidget(window)
    window.select_exec(execs.find_exec(ws, AMELIA).id)
    label = window.findChild(QLabel, "lease_notice")
    qtbot.waitUntil(lambda: "checked out by" in label.text())
    assert label.text().startswith(f"{AMELIA} is checked out by {crew.role('ann')} since ")
    assert label.text().endswith("read-only until it is brought back.")
    _close(window)
    ws.close()


def test_the_lead_releases_after_confirming(qtbot, crew: Team, tmp_path: Path,  # type: ignore[no-untyped-def]
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from PySide6.QtWidgets import QInputDialog

    from esncoach.services.team_checkout import checkout
    from esncoach.store.keys import KeyMaterial

    with crew.open("ann") as ann, Workspace.open(tmp_path / "l.db", KeyMaterial("raw", "ab" * 32)) as local:
        checkout(ann, local, names=[AMELIA])
    offered: list[list[str]] = []
    asked: list[str] = []
    errors: list[str] = []
    monkeypatch.setattr(QInputDialog, "getItem", lambda _p, _t, _l, items, *a: (offered.append(items), (items[0], True))[1])
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: None)
    monkeypatch.setattr("esncoach.views.team.offline.show_error", lambda _w, _t, exc: errors.append(str(exc)))
    for who, answer in (("bob", QMessageBox.StandardButton.Yes), ("lee", QMessageBox.StandardButton.No),
                        ("lee", QMessageBox.StandardButton.Yes)):
        monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *a, _ans=answer, **k: (asked.append(text), _ans)[1])
        ws = crew.open(who)
        window = MainWindow(ws, AppSettings())
        qtbot.addWidget(window)
        _menu_action(window, "Release an exec taken offline…").trigger()
        _close(window)
        ws.close()
        if who == "bob":
            assert "Only the programme lead" in errors[-1]
        held = crew.sql("SELECT count(*) FROM team_lease")[0][0]
        assert held == (0 if (who, answer) == ("lee", QMessageBox.StandardButton.Yes) else 1)
    assert offered[0][0].startswith(f"{AMELIA} — checked out by {crew.role('ann')} since ")
    assert "offline work is not lost" in asked[-1]
