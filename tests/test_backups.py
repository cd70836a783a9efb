"""Backups: encrypted like the workspace, only when changed and due, thinned, restorable, forced before risk."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel
import sqlcipher3
from sqlalchemy import select

from esncoach.cli import main
from esncoach.models import Exec
from esncoach.services import backup_policy, settings
from esncoach.store import backups
from esncoach.store.backups import BackupInfo, backups_to_remove
from esncoach.store.errors import StoreError
from esncoach.store.keys import KeyMaterial
from esncoach.store.schema import HEAD_REVISION
from esncoach.store.workspace import Workspace

T0 = dt.datetime(2026, 11, 23, 9, 0, 0)


def _names(ws: Workspace) -> list[str]:
    with ws.session() as s:
        return list(s.scalars(select(Exec.name).order_by(Exec.id)))


def _add(ws: Workspace, name: str) -> None:
    with ws.session() as s:
        s.add(Exec(name=name))


def _read_names(path: Path, key: KeyMaterial) -> list[str]:
    conn = backups.connect(path, key)
    try:
        return [r[0] for r in conn.execute("SELECT name FROM exec ORDER BY id")]
    finally:
        conn.close()


def test_backup_is_encrypted_with_the_workspace_key_and_verified(ws: Workspace, key: KeyMaterial) -> None:
    _add(ws, "Backup Canary Quinn")
    info = backup_policy.back_up_now(ws)
    assert info.path.parent == ws.path.parent / "empty-backups"
    assert info.reason == "manual"
    data = info.path.read_bytes()
    assert b"Backup Canary Quinn" not in data
    assert not data.startswith(b"SQLite format 3")
    assert _read_names(info.path, key) == ["Backup Canary Quinn"]
    assert backups.verify_file(info.path, key) == HEAD_REVISION
    # Without the key it is just noise.
    bare = sqlcipher3.connect(str(info.path))
    with pytest.raises(sqlcipher3.DatabaseError):
        bare.execute("SELECT count(*) FROM sqlite_master").fetchall()
    bare.close()
    # A backup is one self-contained file (no WAL needed), readable without its folder.
    assert not list(info.path.parent.glob("*.part"))
    assert oct(info.path.stat().st_mode & 0o777) == "0o600"


def test_names_sort_by_time_and_list_ignores_strangers(ws: Workspace) -> None:
    first = backup_policy.back_up_now(ws, now=T0)
    second = backup_policy.back_up_now(ws, now=T0 + dt.timedelta(minutes=5), reason="before-import")
    folder = first.path.parent
    (folder / "notes.txt").write_text("x")
    (folder / (second.path.name + ".part")).write_bytes(b"half")
    listed = backups.list_backups(folder, ws.path)
    assert [b.path for b in listed] == [second.path, first.path]
    assert sorted(p.name for p in (first.path, second.path)) == [first.path.name, second.path.name]
    assert listed[0].reason == "before-import"


def test_auto_backup_only_when_changed_and_due(ws: Workspace) -> None:
    _add(ws, "A")
    first = backup_policy.maybe_auto_backup(ws, now=T0)
    assert first is not None and first.name.endswith("-auto.db")
    # Due but unchanged: nothing.
    assert backup_policy.maybe_auto_backup(ws, now=T0 + dt.timedelta(hours=2)) is None
    _add(ws, "B")
    # Changed but not due (29 minutes): nothing.
    assert backup_policy.maybe_auto_backup(ws, now=T0 + dt.timedelta(minutes=29)) is None
    second = backup_policy.maybe_auto_backup(ws, now=T0 + dt.timedelta(minutes=30))
    assert second is not None
    assert _read_names(second, ws.key) == ["A", "B"]


def test_interval_is_a_workspace_setting(ws: Workspace) -> None:
    settings.put(ws, backup_policy.INTERVAL_MINUTES, 5)
    assert backup_policy.maybe_auto_backup(ws, now=T0) is not None
    _add(ws, "A")
    assert backup_policy.maybe_auto_backup(ws, now=T0 + dt.timedelta(minutes=6)) is not None


def test_changes_from_an_earlier_run_are_noticed(tmp_path: Path, key: KeyMaterial) -> None:
    path = tmp_path / "w.db"
    with Workspace.open(path, key) as ws:
        old = backup_policy.back_up_now(ws, now=T0)
    taken = T0.replace(tzinfo=dt.UTC).timestamp()
    # The file was written after the newest backup (in an earlier run): a backup is due.
    os.utime(path, (taken + 3600, taken + 3600))
    with Workspace.open(path, key) as ws:
        assert backup_policy.changed_since_backup(ws, backups.list_backups(old.path.parent, path)[0])
    # Not written since: none is due, though opening created an empty -wal just now.
    os.utime(path, (taken - 3600, taken - 3600))
    with Workspace.open(path, key) as ws:
        assert not backup_policy.changed_since_backup(ws, backups.list_backups(old.path.parent, path)[0])
        assert backup_policy.maybe_auto_backup(ws, now=T0 + dt.timedelta(hours=1)) is None


def test_folder_setting_moves_backups(ws: Workspace, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    settings.put(ws, backup_policy.FOLDER, str(target))
    info = backup_policy.back_up_now(ws)
    assert info.path.parent == target


def _fake(day: dt.datetime) -> BackupInfo:
    return BackupInfo(Path(f"/x/{day.isoformat()}"), day, "auto", 1)


def test_thinning_keeps_today_then_daily_weekly_monthly() -> None:
    now = dt.datetime(2026, 11, 23, 20, 0)
    # Every 30 minutes for a year.
    all_backups = [_fake(now - dt.timedelta(minutes=30 * i)) for i in range(0, 2 * 24 * 365)]
    removed = {b.path for b in backups_to_remove(all_backups, daily=12, weekly=10, monthly=9, now=now)}
    kept = sorted((b for b in all_backups if b.path not in removed), key=lambda b: b.taken_at, reverse=True)
    today = [b for b in kept if b.taken_at.date() == now.date()]
    older = [b for b in kept if b.taken_at.date() < now.date()]
    assert len(today) == 41  # 00:00 .. 20:00 every 30 minutes
    assert len(older) == 12 + 10 + 9
    days = [b.taken_at.date() for b in older]
    assert days[:12] == [now.date() - dt.timedelta(days=i) for i in range(1, 13)]
    # The newest of each kept day is the one kept.
    assert older[0].taken_at.time() == dt.time(23, 30)
    weeks = [tuple(d.isocalendar())[:2] for d in days[12:22]]
    assert len(set(weeks)) == 10
    months = [(d.year, d.month) for d in days[22:]]
    assert len(set(months)) == 9
    assert days == sorted(days, reverse=True)


def test_thin_deletes_files_on_disk(ws: Workspace) -> None:
    settings.put(ws, backup_policy.KEEP_DAILY, 2)
    settings.put(ws, backup_policy.KEEP_WEEKLY, 0)
    settings.put(ws, backup_policy.KEEP_MONTHLY, 0)
    made = [backup_policy.back_up_now(ws, now=T0 - dt.timedelta(days=d)).path for d in (5, 4, 3, 2, 1)]
    backup_policy.thin(ws, now=T0)
    left = [b.path for b in backup_policy.list_workspace_backups(ws)]
    assert left == [made[4], made[3]]
    assert not made[0].exists()


def test_restore_replaces_data_after_backing_up_current_state(ws: Workspace) -> None:
    _add(ws, "Kept")
    good = backup_policy.back_up_now(ws, now=T0)
    _add(ws, "Later mistake")
    before = backups.restore_into(ws, good.path)
    assert _names(ws) == ["Kept"]
    assert before.reason == "before-restore"
    assert _read_names(before.path, ws.key) == ["Kept", "Later mistake"]
    # The workspace stays usable and healthy after the swap.
    _add(ws, "After restore")
    assert _names(ws) == ["Kept", "After restore"]
    from esncoach.services.health import run_checks

    assert run_checks(ws).healthy


def test_restore_refuses_a_damaged_backup_and_changes_nothing(ws: Workspace) -> None:
    _add(ws, "Current")
    good = backup_policy.back_up_now(ws, now=T0)
    data = bytearray(good.path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    good.path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="cannot be restored"):
        backups.restore_into(ws, good.path)
    assert _names(ws) == ["Current"]
    assert len(backup_policy.list_workspace_backups(ws)) == 1  # no pre-restore backup for a refused restore


def test_restore_file_replaces_a_damaged_workspace(tmp_path: Path, key: KeyMaterial) -> None:
    path = tmp_path / "w.db"
    with Workspace.open(path, key) as ws:
        _add(ws, "Safe")
        good = backup_policy.back_up_now(ws)
    data = bytearray(path.read_bytes())
    for offset in range(4096 + 100, len(data), 4096):
        data[offset] ^= 0x5A
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError):
        Workspace.open(path, key)
    kept = backups.restore_file(path, key, good.path)
    assert kept is not None and kept.read_bytes() == bytes(data)
    with Workspace.open(path, key) as ws:
        assert _names(ws) == ["Safe"]


def test_migration_takes_a_real_backup_first(tmp_path: Path, key: KeyMaterial, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.db"
    with Workspace.open(path, key) as ws:
        _add(ws, "Before upgrade")
    # Pretend this build is one revision ahead of the file.
    from esncoach.store import database, schema

    monkeypatch.setattr(database, "HEAD_REVISION", "0002_future")
    monkeypatch.setattr(database, "KNOWN_REVISIONS", schema.KNOWN_REVISIONS + ("0002_future",))
    monkeypatch.setattr(database, "initialise_or_upgrade", lambda engine, revision: None)
    Workspace.open(path, key).close()
    made = backups.list_backups(backups.default_folder(path), path)
    assert [b.reason for b in made] == ["before-migration"]
    assert _read_names(made[0].path, key) == ["Before upgrade"]


def test_failed_pre_migration_backup_stops_the_upgrade(tmp_path: Path, key: KeyMaterial, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.db"
    with Workspace.open(path, key) as ws:
        _add(ws, "x")
    from esncoach.store import database, schema

    monkeypatch.setattr(database, "HEAD_REVISION", "0002_future")
    monkeypatch.setattr(database, "KNOWN_REVISIONS", schema.KNOWN_REVISIONS + ("0002_future",))
    upgraded: list[str] = []
    monkeypatch.setattr(database, "initialise_or_upgrade", lambda engine, revision: upgraded.append(revision))
    blocker = backups.default_folder(path)
    blocker.write_text("a file where the folder should be")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="backups folder"):
        Workspace.open(path, key)
    assert upgraded == []
    assert path.read_bytes() == before


def test_cli_backup_list_and_restore(tmp_path: Path, key: KeyMaterial, memory_keyring,  # type: ignore[no-untyped-def]
                                     capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "cli.db"
    with Workspace.open(db, key) as ws:
        _add(ws, "First")
    memory_keyring.store[("esncoach", str(db.resolve()))] = key.secret
    common = ["--db", str(db)]
    assert main(["backup", *common]) == 0
    made = Path(capsys.readouterr().out.strip().splitlines()[-1])
    assert made.exists()
    assert main(["backup", *common, "--if-due"]) == 0
    assert "no backup needed" in capsys.readouterr().out
    with Workspace.open(db, key) as ws:
        _add(ws, "Second")
    assert main(["restore", *common, "--list"]) == 0
    assert made.name in capsys.readouterr().out
    assert main(["restore", *common, "--from", str(made)]) == 0
    assert "state before was saved as" in capsys.readouterr().out
    with Workspace.open(db, key) as ws:
        assert _names(ws) == ["First"]
    assert main(["restore", *common, "--from", str(tmp_path / "nope.db")]) == 2
    assert "esncoach: There is no backup" in capsys.readouterr().err
    assert main(["backup", *common, "--list", "--json"]) == 0
    assert '"reason": "before-restore"' in capsys.readouterr().out


# --- GUI -----------------------------------------------------------------------------------------


def test_dialog_backs_up_and_restores(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    from esncoach.views.workspace.backup_dialog import open_restore_dialog

    _add(ws, "Before")
    dialog = open_restore_dialog(None, ws)
    qtbot.addWidget(dialog)
    assert dialog.model.rowCount() == 0
    with qtbot.waitSignal(dialog.sig_backed_up, timeout=20_000):
        qtbot.mouseClick(dialog.backup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.task is None, timeout=20_000)
    assert dialog.model.rowCount() == 1
    _add(ws, "After")
    dialog.table.selectRow(0)
    asked: list[str] = []
    dialog.confirm = lambda text: asked.append(text) or True  # type: ignore[method-assign]
    with qtbot.waitSignal(dialog.sig_restored, timeout=20_000):
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert asked and "backed up first" in asked[0]
    assert _names(ws) == ["Before"]
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 2, timeout=20_000)  # + the before-restore backup
    reasons = {dialog.model.backup_at(r).reason for r in range(2)}
    assert reasons == {"manual", "before-restore"}


def test_dialog_cancel_restore_changes_nothing(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    from esncoach.views.workspace.backup_dialog import BackupDialog

    _add(ws, "One")
    backup_policy.back_up_now(ws)
    _add(ws, "Two")
    dialog = BackupDialog(None, ws=ws)
    qtbot.addWidget(dialog)
    dialog.confirm = lambda text: False  # type: ignore[method-assign]
    qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    assert dialog.task is None
    assert _names(ws) == ["One", "Two"]


def test_damaged_workspace_dialog_restores_the_file(qtbot, tmp_path: Path, key: KeyMaterial) -> None:  # type: ignore[no-untyped-def]
    from esncoach.views.workspace.backup_dialog import BackupDialog

    path = tmp_path / "w.db"
    with Workspace.open(path, key) as ws:
        _add(ws, "Rescued")
        backup_policy.back_up_now(ws)
    data = bytearray(path.read_bytes())
    data[4096 + 50] ^= 1
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError) as caught:
        Workspace.open(path, key)
    dialog = BackupDialog(None, path=path, key=key, problem=str(caught.value))
    qtbot.addWidget(dialog)
    assert dialog.findChild(QLabel, "damagedWarning") is not None
    assert dialog.model.rowCount() == 1 and not dialog.backup_button.isVisible()
    dialog.confirm = lambda text: True  # type: ignore[method-assign]
    with qtbot.waitSignal(dialog.accepted, timeout=20_000):
        qtbot.mouseClick(dialog.restore_button, Qt.MouseButton.LeftButton)
    with Workspace.open(path, key) as ws:
        assert _names(ws) == ["Rescued"]


def test_auto_backup_runs_off_the_ui_thread(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMainWindow

    from esncoach.views.workspace.backup_dialog import start_auto_backup

    window = QMainWindow()
    qtbot.addWidget(window)
    _add(ws, "Changed")
    task = start_auto_backup(window, ws)
    assert task is not None
    assert start_auto_backup(window, ws) is None  # one at a time
    with qtbot.waitSignal(task.sig_finished, timeout=20_000):
        pass
    made = backup_policy.list_workspace_backups(ws)
    assert [b.reason for b in made] == ["auto"]
    assert "Automatic backup saved" in window.statusBar().currentMessage()


def test_open_with_restore_offer(qtbot, tmp_path: Path, key: KeyMaterial, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    from esncoach.views.workspace import backup_dialog

    path = tmp_path / "w.db"
    with Workspace.open(path, key) as ws:
        _add(ws, "Back again")
        backup_policy.back_up_now(ws)
    good = path.read_bytes()
    data = bytearray(good)
    data[2 * 4096 + 10] ^= 1
    path.write_bytes(bytes(data))
    offered: list[str] = []

    def accept_first(parent, p, k, error):  # type: ignore[no-untyped-def]
        offered.append(str(error))
        return backups.restore_file(p, k, backups.list_backups(backups.default_folder(p), p)[0].path) is not None

    monkeypatch.setattr(backup_dialog, "offer_restore_for_damaged", accept_first)
    ws = backup_dialog.open_with_restore_offer(path, key)
    try:
        assert offered and _names(ws) == ["Back again"]
    finally:
        ws.close()
    # Declined: the refusal propagates and the file is left as it is.
    path.write_bytes(bytes(data))
    monkeypatch.setattr(backup_dialog, "offer_restore_for_damaged", lambda *a: False)
    with pytest.raises(StoreError):
        backup_dialog.open_with_restore_offer(path, key)
    assert path.read_bytes() == bytes(data)
