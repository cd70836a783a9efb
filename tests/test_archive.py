"""Workspace archives: whole-workspace round trip, one exec handed over and merged, refusals."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import sqlcipher3
from sqlalchemy import select, text

from esncoach.cli import main
from esncoach.models import Base, Exec
from esncoach.services import backup_policy
from esncoach.store import archive
from esncoach.store.archive import MATCH_COLUMNS, _owned_tables
from esncoach.store.database import connect
from esncoach.store.errors import NewerSchemaError, StoreError, WrongKeyError
from esncoach.store.keys import KeyMaterial, passphrase_key
from esncoach.store.workspace import Workspace

PHRASE = passphrase_key("hand 'over' \\ ünïcode")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> dict[str, Path]:
    """Archives of the demo workspace (whole, and exec 2 alone), exported once for the module."""
    from tests.conftest import TEST_KEY

    folder = tmp_path_factory.mktemp("archives")
    src = folder / "demo.db"
    src.write_bytes(demo_template.read_bytes())
    with Workspace.open(src, TEST_KEY) as ws:
        archive.export_archive(ws, folder / "all.esnarchive", PHRASE)
        archive.export_archive(ws, folder / "exec2.esnarchive", PHRASE, exec_id=2)
    return {"all": folder / "all.esnarchive", "exec2": folder / "exec2.esnarchive", "source": src}


def _rows(conn: Any, table: Any) -> list[tuple[Any, ...]]:
    order = ", ".join(c.name for c in table.primary_key.columns)
    return [tuple(r) for r in conn.execute(text(f"SELECT * FROM {table.name} ORDER BY {order}"))]


def _table_counts(ws: Workspace) -> dict[str, int]:
    with ws.engine.connect() as conn:
        names = [r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))]
        return {n: conn.execute(text(f'SELECT count(*) FROM "{n}"')).scalar_one() for n in names}


def _shallow(conn: Any, table: Any, row_id: Any) -> tuple[Any, ...]:
    """A row's own values (no ids, no foreign keys): how a referenced row is recognised across workspaces."""
    row = conn.execute(select(table).where(table.c.id == row_id)).mappings().first()
    if row is None:
        return ("<missing>",)
    if table.name in MATCH_COLUMNS and row[MATCH_COLUMNS[table.name]] is not None:
        return (row[MATCH_COLUMNS[table.name]],)
    fks = {fk.parent.name for fk in table.foreign_keys}
    return tuple((k, v) for k, v in row.items() if k != "id" and k not in fks)


def exec_fingerprint(ws: Workspace, exec_id: int) -> dict[str, list[tuple[Any, ...]]]:
    """Everything about one exec with ids replaced by what they point at, comparable across workspaces."""
    metadata = Base.metadata
    owned = _owned_tables(metadata)
    ids: dict[str, set[Any]] = {"exec": {exec_id}}
    out: dict[str, list[tuple[Any, ...]]] = {}
    with ws.engine.connect() as conn:
        for table in metadata.sorted_tables:
            if table.name not in owned:
                continue
            if table.name == "exec":
                rows = conn.execute(select(table).where(table.c.id == exec_id)).mappings().all()
            else:
                conds = [fk.parent.in_(ids[fk.column.table.name]) for fk in table.foreign_keys
                         if fk.column.table.name in ids and fk.column.table is not table]
                from sqlalchemy import or_

                rows = conn.execute(select(table).where(or_(*conds))).mappings().all() if conds else []
            if "id" in table.c:
                ids[table.name] = {r["id"] for r in rows}
            described = []
            for r in rows:
                item = []
                for key, value in r.items():
                    if key == "id":
                        continue
                    fk = next((f for f in table.foreign_keys if f.parent.name == key), None)
                    if fk is not None and value is not None:
                        value = _shallow(conn, fk.column.table, value)
                    item.append((key, value))
                described.append(tuple(item))
            out[table.name] = sorted(described, key=repr)
    return out


def test_whole_workspace_round_trip(exported: dict[str, Path], tmp_path: Path, key: KeyMaterial) -> None:
    with Workspace.open(tmp_path / "new.db", key) as target:
        result = archive.import_whole(target, exported["all"], PHRASE)
        assert result.backup.exists() and result.backup.name.endswith("-before-import.db")
        with Workspace.open(exported["source"], key) as source:
            with source.engine.connect() as a, target.engine.connect() as b:
                for table in Base.metadata.sorted_tables:
                    assert _rows(a, table) == _rows(b, table), table.name
            counts_source = _table_counts(source)
        counts_target = _table_counts(target)
        # The search index is rebuilt by its triggers as rows arrive.
        for name, count in counts_source.items():
            if name.startswith("search_index") and name in ("search_index",):
                assert counts_target[name] == count
        from esncoach.services.health import run_checks

        assert run_checks(target).healthy
        assert len(result.exec_ids) == 12


def test_archive_is_encrypted_with_its_passphrase(exported: dict[str, Path]) -> None:
    data = exported["all"].read_bytes()
    assert b"Bruno Castillo" not in data and not data.startswith(b"SQLite format 3")
    conn = sqlcipher3.connect(str(exported["all"]))
    conn.execute("PRAGMA key = '" + PHRASE.secret.replace("'", "''") + "'")
    assert ("Bruno Castillo",) in conn.execute("SELECT name FROM exec").fetchall()
    conn.close()
    before = exported["all"].read_bytes()
    with pytest.raises(WrongKeyError, match="archive passphrase is wrong"):
        archive.read_archive_info(exported["all"], passphrase_key("guess"))
    assert exported["all"].read_bytes() == before
    info = archive.read_archive_info(exported["all"], PHRASE)
    assert info.kind == "workspace" and len(info.execs) == 12


def test_exec_archive_holds_only_that_exec(exported: dict[str, Path], key: KeyMaterial) -> None:
    info = archive.read_archive_info(exported["exec2"], PHRASE)
    assert info.kind == "exec" and info.execs == ((2, "Bruno Castillo"),)
    conn = connect(exported["exec2"], PHRASE)
    try:
        assert conn.execute("SELECT count(*) FROM workspace_setting").fetchone()[0] == 0
        people = {r[0] for r in conn.execute("SELECT name FROM person")}
        # Nothing about other execs: no foreign exec ids anywhere.
        for table in Base.metadata.sorted_tables:
            if "exec_id" in table.c:
                ids = {r[0] for r in conn.execute(f"SELECT DISTINCT exec_id FROM {table.name}")}
                assert ids <= {2}, table.name
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
        assert free == 0  # deleted data of other execs is not lying around in free pages
    finally:
        conn.close()
    with Workspace.open(exported["source"], key) as source:
        with source.engine.connect() as c:
            linked = {r[0] for r in c.execute(text(
                "SELECT p.name FROM person p WHERE p.id IN (SELECT person_id FROM exec_support WHERE exec_id = 2) "
                "OR p.id IN (SELECT mentor_id FROM coaching_session WHERE exec_id = 2) "
                "OR p.id IN (SELECT owner_person_id FROM action_item WHERE exec_id = 2)"))}
    assert people == linked


@pytest.mark.parametrize("which", ["exec2", "all"])
def test_merge_one_exec_into_another_workspace(which: str, exported: dict[str, Path], ws: Workspace, key: KeyMaterial) -> None:
    with ws.session() as s:
        s.add(Exec(name="Already here", email="here@example.com"))
    result = archive.merge_exec(ws, exported[which], PHRASE, 2)
    (new_id,) = result.exec_ids
    with Workspace.open(exported["source"], key) as source:
        expected = exec_fingerprint(source, 2)
    got = exec_fingerprint(ws, new_id)
    assert got.keys() == expected.keys()
    for table in expected:
        assert got[table] == expected[table], table
    assert sum(len(v) for v in expected.values()) > 50
    from esncoach.services.health import run_checks

    assert run_checks(ws).healthy
    # Merging the same exec twice is refused (same e-mail), and changes nothing.
    counts = _table_counts(ws)
    with pytest.raises(StoreError, match="already has an executive"):
        archive.merge_exec(ws, exported[which], PHRASE, 2)
    assert _table_counts(ws) == counts


def test_merge_reuses_people_and_tags_by_email_and_name(exported: dict[str, Path], ws: Workspace) -> None:
    first = archive.merge_exec(ws, exported["all"], PHRASE, 2)
    people_after_first = _table_counts(ws)["person"]
    archive.merge_exec(ws, exported["all"], PHRASE, 3)
    with ws.engine.connect() as c:
        emails = [r[0] for r in c.execute(text("SELECT email FROM person WHERE email IS NOT NULL"))]
        tags = [r[0] for r in c.execute(text("SELECT name FROM tag"))]
    assert len(emails) == len(set(emails)) and len(tags) == len(set(tags))
    assert _table_counts(ws)["person"] >= people_after_first
    assert first.backup.exists()


def test_import_whole_refuses_a_non_empty_workspace(exported: dict[str, Path], ws: Workspace) -> None:
    with ws.session() as s:
        s.add(Exec(name="Mine"))
    with pytest.raises(StoreError, match="not empty"):
        archive.import_whole(ws, exported["all"], PHRASE)
    with ws.session() as s:
        assert [e.name for e in s.scalars(select(Exec))] == ["Mine"]


def test_export_never_overwrites(exported: dict[str, Path], ws: Workspace) -> None:
    with pytest.raises(StoreError, match="already exists"):
        archive.export_archive(ws, exported["all"], PHRASE)


def test_archive_from_a_newer_esncoach_is_refused(exported: dict[str, Path], tmp_path: Path, ws: Workspace) -> None:
    newer = tmp_path / "newer.esnarchive"
    newer.write_bytes(exported["exec2"].read_bytes())
    conn = connect(newer, PHRASE)
    conn.execute("UPDATE esncoach_archive SET value = '99' WHERE key = 'format'")
    conn.commit()
    conn.close()
    before = newer.read_bytes()
    with pytest.raises(NewerSchemaError, match="newer version"):
        archive.merge_exec(ws, newer, PHRASE, 2)
    assert newer.read_bytes() == before
    assert backup_policy.list_workspace_backups(ws) == []  # refused before anything was done


def test_a_workspace_file_is_not_an_archive(demo_path: Path, tmp_path: Path, key: KeyMaterial) -> None:
    with pytest.raises(StoreError):
        archive.read_archive_info(demo_path, key)


def test_cli_export_list_import_merge(demo_path: Path, tmp_path: Path, passphrase_file: Path,
                                      memory_keyring: Any, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.conftest import TEST_KEY

    memory_keyring.store[("esncoach", str(demo_path.resolve()))] = TEST_KEY.secret
    out = tmp_path / "handover.esnarchive"
    assert main(["export-archive", "--db", str(demo_path), "--out", str(out),
                 "--archive-passphrase-file", str(passphrase_file), "--exec", "3"]) == 0
    assert "1 executive" in capsys.readouterr().out
    assert main(["import-archive", "--db", str(tmp_path / "x.db"), "--archive", str(out),
                 "--archive-passphrase-file", str(passphrase_file), "--list"]) == 0
    assert '"name": "Chen Wei"' in capsys.readouterr().out
    fresh = tmp_path / "fresh.db"
    # A new workspace, created by the import and protected by the keyring.
    assert main(["import-archive", "--db", str(fresh), "--archive", str(out),
                 "--archive-passphrase-file", str(passphrase_file)]) == 0
    capsys.readouterr()
    fresh_key = KeyMaterial("raw", memory_keyring.store[("esncoach", str(fresh.resolve()))])
    with Workspace.open(fresh, fresh_key) as ws:
        with ws.session() as s:
            assert [e.name for e in s.scalars(select(Exec))] == ["Chen Wei"]
    other = tmp_path / "other.db"
    Workspace.open(other, TEST_KEY).close()
    memory_keyring.store[("esncoach", str(other.resolve()))] = TEST_KEY.secret
    assert main(["import-archive", "--db", str(other), "--archive", str(out),
                 "--archive-passphrase-file", str(passphrase_file), "--exec", "3"]) == 0
    with Workspace.open(other, TEST_KEY) as ws:
        with ws.session() as s:
            assert [e.name for e in s.scalars(select(Exec))] == ["Chen Wei"]
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("nope\n")
    assert main(["import-archive", "--db", str(other), "--archive", str(out),
                 "--archive-passphrase-file", str(wrong), "--exec", "3"]) == 2
    assert "archive passphrase is wrong" in capsys.readouterr().err


# --- GUI -----------------------------------------------------------------------------------------


def test_export_and_merge_through_the_dialogs(qtbot, demo_ws: Workspace, ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from esncoach.views.workspace.archive_dialog import ExportArchiveDialog, ImportArchiveDialog

    out = tmp_path / "hand-over.esnarchive"
    export = ExportArchiveDialog(None, demo_ws, exec_id=4, exec_name="Dana Okafor")
    qtbot.addWidget(export)
    export.one.setChecked(True)
    export.out.setText(str(out))
    export.passphrase.setText("short")
    export.repeat.setText("short")
    export.start()
    assert export.error.isVisibleTo(export) and export.task is None
    export.passphrase.setText("long enough ' ü")
    export.repeat.setText("long enough ' ü")
    with qtbot.waitSignal(export.sig_done, timeout=30_000) as done:
        export.start()
    assert done.args[0].execs == ((4, "Dana Okafor"),)
    qtbot.waitUntil(lambda: not export.isVisible() or export.result() == 1, timeout=5_000)

    imp = ImportArchiveDialog(None, ws)
    qtbot.addWidget(imp)
    imp.source.setText(str(out))
    imp.passphrase.setText("wrong passphrase")
    imp.read_archive()
    assert "passphrase is wrong" in imp.error.text()
    imp.passphrase.setText("long enough ' ü")
    imp.read_archive()
    assert imp.execs.count() == 1 and imp.execs.item(0).text() == "Dana Okafor"
    imp.merge.setChecked(True)
    with qtbot.waitSignal(imp.sig_done, timeout=30_000):
        imp.start()
    with ws.session() as s:
        assert [e.name for e in s.scalars(select(Exec))] == ["Dana Okafor"]


def test_import_dialog_reports_a_refusal(qtbot, exported: dict[str, Path], ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    from esncoach.views.workspace.archive_dialog import ImportArchiveDialog

    with ws.session() as s:
        s.add(Exec(name="Mine"))
    imp = ImportArchiveDialog(None, ws)
    qtbot.addWidget(imp)
    imp.source.setText(str(exported["all"]))
    imp.passphrase.setText(PHRASE.secret)
    imp.read_archive()
    imp.everything.setChecked(True)
    imp.start()
    qtbot.waitUntil(lambda: imp.error.isVisibleTo(imp), timeout=30_000)
    assert "not empty" in imp.error.text()


def test_exec_archive_into_an_empty_workspace_keeps_its_settings(exported: dict[str, Path], ws: Workspace) -> None:
    from esncoach.services import settings

    settings.put(ws, backup_policy.KEEP_DAILY, 3)
    result = archive.import_whole(ws, exported["exec2"], PHRASE)
    assert result.exec_ids == (2,)
    assert settings.get(ws, backup_policy.KEEP_DAILY) == 3
