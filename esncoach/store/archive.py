"""Encrypted workspace archives: move a whole workspace to a new laptop, or hand one exec to another CM.

An archive is itself an esncoach workspace file encrypted by SQLCipher with a passphrase chosen at
export (standard SQLCipher 4 settings, so it opens with ``PRAGMA key = '<passphrase>'`` in any SQLCipher
tool), plus an ``esncoach_archive`` table describing it. An exec's archive holds that exec only, down to
the pages: the search index is rebuilt from the kept rows and the file is written fresh and vacuumed. Reusing the database format means no second
crypto stack to trust, the same refusal of damaged, foreign and newer files, and older archives are
brought up to date by the normal migrations on a private copy before anything is imported.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from esncoach import __version__
from esncoach.progress import ProgressSink, no_progress
from esncoach.store.database import PLAIN_SQLITE_HEADER, connect, describe_db_error
from esncoach.store.errors import NewerSchemaError, NotEsncoachError, StoreError, WrongKeyError
from esncoach.store.keys import KeyMaterial
from esncoach.store.schema import KNOWN_REVISIONS

if TYPE_CHECKING:
    from esncoach.store.workspace import Workspace

FORMAT = 1
MANIFEST_TABLE = "esncoach_archive"
SHARED_TABLES = ("person", "tag", "import_batch")
"""Rows several execs may point at; kept in an exec archive only if that exec uses them."""
MATCH_COLUMNS = {"person": "email", "tag": "name"}
"""How a merged exec's shared rows find an existing row in the target workspace."""
WORKSPACE_ONLY_TABLES = ("workspace_setting", "agenda_template", "post_prompt")
"""The CM's own settings and templates: part of a whole-workspace archive, never of an exec's. Every other
table that belongs to no exec (network-wide figures, listening data) is left out of an exec's archive too:
see ``_workspace_only``."""
SEARCH_TABLE = "search_index"
"""The FTS5 index (migration 0002): rebuilt from the kept rows in every archive."""


@dataclass(frozen=True)
class ArchiveInfo:
    """What an archive holds, read from its manifest."""

    kind: str  # "workspace" or "exec"
    created_at: str
    app_version: str
    schema: str
    execs: tuple[tuple[int, str], ...]


@dataclass(frozen=True)
class ImportResult:
    """The outcome of an import: the before-import backup and the execs now in the workspace."""

    backup: Path
    exec_ids: tuple[int, ...]
    rows: int


def _desc(path: Path) -> str:
    return f"“{path.name}”"


def _metadata() -> Any:
    from esncoach.models import Base

    return Base.metadata


# --- export ---------------------------------------------------------------------------------------


def export_archive(
    ws: Workspace,
    out: Path,
    passphrase: KeyMaterial,
    *,
    exec_id: int | None = None,
    progress: ProgressSink = no_progress,
) -> ArchiveInfo:
    """Write the workspace (or only ``exec_id`` and what it uses) to ``out``, encrypted with ``passphrase``.

    Works from a consistent snapshot; the archive is verified before it gets its final name, and an
    existing ``out`` is never overwritten.
    """
    import sqlcipher3

    from esncoach.store.backups import _copy_snapshot, _fsync_path, _remove, _verify_while_syncing
    from esncoach.store.verify import file_key

    out = Path(out).expanduser()
    if passphrase.kind != "passphrase":
        raise StoreError("An archive needs a passphrase.")
    if out.exists():
        raise StoreError(f"{out} already exists; choose another name.")
    part = out.with_name(out.name + ".part")
    snapshot = out.with_name(out.name + ".snapshot")
    try:
        progress(0, 4, "Taking a snapshot")
        _remove(part)
        _remove(snapshot)
        # A snapshot with the workspace key first: the export then reads a file no one else writes.
        key = ws.key
        if ws.is_server:  # a team server: what this user may see, copied into a new encrypted file
            from esncoach.store.pg_export import snapshot_from_server

            key = snapshot_from_server(ws, snapshot)
        else:
            # The encrypted bytes under a read snapshot (~3x a file copy; the backup API re-encrypted every
            # page, ~25x): only rows leave this file, through sqlcipher_export below.
            key = file_key(ws.path, ws.key)
            _copy_snapshot(ws.path, key, snapshot)
        conn = connect(snapshot, key)
        try:
            conn.execute("PRAGMA foreign_keys = OFF")
            if exec_id is not None:
                progress(1, 4, "Keeping one executive")
                _reduce_to_exec(conn, exec_id)
            _rebuild_search_index(conn)
            progress(2, 4, "Encrypting the archive")
            conn.execute("ATTACH DATABASE ? AS archive KEY ?", (str(part), passphrase.secret))
            conn.execute("SELECT sqlcipher_export('archive')")
            execs = tuple((int(r[0]), str(r[1])) for r in conn.execute("SELECT id, name FROM exec ORDER BY id"))
            schema = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
            info = ArchiveInfo(
                kind="workspace" if exec_id is None else "exec",
                created_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                app_version=__version__,
                schema=schema,
                execs=execs,
            )
            conn.execute(f"CREATE TABLE archive.{MANIFEST_TABLE} (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            conn.executemany(
                f"INSERT INTO archive.{MANIFEST_TABLE} VALUES (?, ?)",
                [
                    ("format", str(FORMAT)),
                    ("kind", info.kind),
                    ("created_at", info.created_at),
                    ("app_version", info.app_version),
                ],
            )
            conn.commit()
            # The file is written fresh, row by row, from the kept rows only, so it has had no free pages so
            # far (measured: none on either bench workspace); should it ever have one, rewrite it once more so
            # no page, free or not, holds anything but what it lists (VACUUM: ~1 s on 50 MB).
            if conn.execute("PRAGMA archive.freelist_count").fetchone()[0]:
                conn.execute("VACUUM archive")
            conn.execute("DETACH DATABASE archive")
        finally:
            conn.close()
        progress(3, 4, "Checking the archive")
        os.chmod(part, 0o600)
        # Opens with the passphrase, every page authentic, every table sound (esncoach.store.verify), while
        # the bytes are flushed to disk.
        _verify_while_syncing(part, passphrase)
        os.replace(part, out)
        _fsync_path(out.parent, directory=True)
    except sqlcipher3.DatabaseError as exc:
        _remove(part)
        why = describe_db_error(exc, out) or f"Could not write the archive: {exc}."
        raise StoreError(f"No archive was written. {why}") from None
    except OSError as exc:
        _remove(part)
        raise StoreError(f"No archive was written: {exc.strerror or exc}.") from None
    except BaseException:
        _remove(part)
        raise
    finally:
        _remove(snapshot)
    return info


def _reduce_to_exec(conn: Any, exec_id: int) -> None:
    """Delete everything that is not ``exec_id``'s from a snapshot connection (foreign keys off)."""
    if conn.execute("SELECT 1 FROM exec WHERE id = ?", (exec_id,)).fetchone() is None:
        raise StoreError(f"There is no executive with id {exec_id}.")
    metadata = _metadata()
    owned = _owned_tables(metadata)
    conn.execute("DELETE FROM exec WHERE id != ?", (exec_id,))
    # Children first would need the cascade; with foreign keys off, delete orphans top-down instead.
    for table in metadata.sorted_tables:
        if table.name == "exec" or table.name not in owned:
            continue
        conditions = []
        for fk in table.foreign_keys:
            target = fk.column.table.name
            if target in owned and target != table.name:
                col = fk.parent.name
                conditions.append(f"({col} IS NOT NULL AND {col} NOT IN (SELECT id FROM {target}))")
                if not fk.parent.nullable or table.name == "metric_sample":
                    conditions.append(f"{col} IS NULL")
        if conditions:
            conn.execute(f"DELETE FROM {table.name} WHERE " + " OR ".join(conditions))
    for name in sorted(_workspace_only(metadata)):
        conn.execute(f"DELETE FROM {name}")
    for name in SHARED_TABLES:
        refs = [
            f"SELECT {fk.parent.name} FROM {t.name} WHERE {fk.parent.name} IS NOT NULL"
            for t in metadata.sorted_tables
            for fk in t.foreign_keys
            if fk.column.table.name == name
        ]
        conn.execute(f"DELETE FROM {name} WHERE id NOT IN ({' UNION '.join(refs)})")
    # Self-references (an action item carried from one that belonged to another exec) become NULL.
    for table in metadata.sorted_tables:
        for fk in table.foreign_keys:
            if fk.column.table.name == table.name:
                col = fk.parent.name
                conn.execute(
                    f"UPDATE {table.name} SET {col} = NULL WHERE {col} NOT IN (SELECT id FROM {table.name})"
                )
    conn.commit()


def _rebuild_search_index(conn: Any) -> None:
    """Rebuild the full-text index from the rows kept: deleting rows only adds tombstones to the index's
    segments, which keep every word of the deleted rows (another exec's private notes) readable. Query
    statistics go too."""
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if SEARCH_TABLE in tables:
        conn.execute(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('rebuild')")
    # ANALYZE statistics (if anyone ran it) sample indexed values, e-mails included: the archive goes without.
    for name in sorted(t for t in tables if t.startswith("sqlite_stat")):
        conn.execute(f"DELETE FROM {name}")
    conn.commit()


def _workspace_only(metadata: Any) -> set[str]:
    """Tables an exec's archive leaves out: the CM's settings and templates, and every table whose rows belong
    to no exec (network-wide figures and listening data; tables added later default to this, never to kept)."""
    owned = _owned_tables(metadata)
    return {t.name for t in metadata.sorted_tables if t.name not in owned and t.name not in SHARED_TABLES}


def _owned_tables(metadata: Any) -> set[str]:
    """Tables whose rows belong to one exec: exec itself and everything reaching it through foreign keys."""
    owned = {"exec"}
    for table in metadata.sorted_tables:
        if table.name in owned or table.name in SHARED_TABLES or table.name in WORKSPACE_ONLY_TABLES:
            continue
        if any(fk.column.table.name in owned for fk in table.foreign_keys if fk.column.table is not table):
            owned.add(table.name)
    return owned


# --- reading --------------------------------------------------------------------------------------


def read_archive_info(path: Path, passphrase: KeyMaterial) -> ArchiveInfo:
    """Open an archive read-only and describe it; refuse wrong passphrases, foreign, damaged or newer files."""
    import sqlcipher3

    path = Path(path).expanduser()
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise StoreError(f"Cannot read the archive {path}: {exc.strerror or exc}.") from None
    if header == PLAIN_SQLITE_HEADER:
        raise NotEsncoachError(f"{_desc(path)} is an unencrypted SQLite file, not an esncoach archive.")
    try:
        conn = connect(path, passphrase)
    except sqlcipher3.DatabaseError:
        raise _wrong_passphrase(path) from None
    try:
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlcipher3.DatabaseError:
            raise _wrong_passphrase(path) from None
        if MANIFEST_TABLE not in tables or "alembic_version" not in tables:
            raise NotEsncoachError(f"{_desc(path)} is not an esncoach archive.")
        manifest = dict(conn.execute(f"SELECT key, value FROM {MANIFEST_TABLE}").fetchall())
        schema = conn.execute("SELECT version_num FROM alembic_version").fetchone()[0]
        if int(manifest.get("format", "0")) > FORMAT or schema not in KNOWN_REVISIONS:
            raise NewerSchemaError(
                f"{_desc(path)} was written by a newer version of esncoach ({manifest.get('app_version', '?')}). "
                "Install the newer esncoach to import it."
            )
        check = conn.execute("PRAGMA quick_check").fetchall()
        if check != [("ok",)]:
            raise StoreError(f"{_desc(path)} is damaged ({check[0][0]}).")
        execs = tuple((int(r[0]), str(r[1])) for r in conn.execute("SELECT id, name FROM exec ORDER BY id"))
    except sqlcipher3.DatabaseError as exc:
        raise StoreError(f"{_desc(path)} is damaged ({exc}).") from None
    finally:
        conn.close()
    return ArchiveInfo(
        kind=manifest.get("kind", "workspace"),
        created_at=manifest.get("created_at", ""),
        app_version=manifest.get("app_version", ""),
        schema=schema,
        execs=execs,
    )


def _wrong_passphrase(path: Path) -> WrongKeyError:
    return WrongKeyError(
        f"{_desc(path)} could not be opened: the archive passphrase is wrong, or the file is not an "
        "esncoach archive or is damaged. Nothing was changed."
    )


@contextmanager
def _opened_copy(archive: Path, passphrase: KeyMaterial) -> Iterator[Workspace]:
    """A private copy of an archive already checked by ``read_archive_info``, opened as a workspace
    (older schemas are migrated on the copy only)."""
    from esncoach.store.workspace import Workspace

    with tempfile.TemporaryDirectory(prefix="esncoach-import-") as tmp:
        copy = Path(tmp) / "archive.db"
        shutil.copyfile(archive, copy)
        src = Workspace.open(copy, passphrase, create=False, before_migration=lambda *_: None)
        try:
            yield src
        finally:
            src.close()


# --- import ---------------------------------------------------------------------------------------


def import_whole(
    ws: Workspace, archive: Path, passphrase: KeyMaterial, *, progress: ProgressSink = no_progress
) -> ImportResult:
    """Fill an empty workspace with everything in the archive (ids kept); one transaction."""
    from sqlalchemy import func, select

    from esncoach.models import Exec, Person
    from esncoach.store.backups import create_backup

    with ws.session() as s:
        count = s.scalar(select(func.count()).select_from(Exec)) + s.scalar(select(func.count()).select_from(Person))
    if count:
        raise StoreError(
            "This workspace is not empty. Import the archive into a new workspace, or merge one executive in."
        )
    info = read_archive_info(archive, passphrase)  # refuse a wrong passphrase or a newer archive before any backup
    progress(0, 3, "Backing up the current workspace")
    before = _backup_before_import(ws, create_backup)
    metadata = _metadata()
    # An exec's archive carries no settings or templates: keep the workspace's own.
    tables = [
        t for t in metadata.sorted_tables if info.kind == "workspace" or t.name not in _workspace_only(metadata)
    ]
    rows = 0
    with _opened_copy(archive, passphrase) as src:
        progress(1, 3, "Copying")
        with src.engine.connect() as sconn, _writing(ws) as dconn:
            for table in reversed(tables):
                dconn.execute(table.delete())
            for i, table in enumerate(tables):
                rows += _copy_table_keeping_ids(sconn, dconn, table)
                progress(1 + i / len(tables), 3, f"Copying {table.name}")
            ids = tuple(dconn.execute(select(Exec.id).order_by(Exec.id)).scalars())
    ws.change_counter += 1
    return ImportResult(before, ids, rows)


def _copy_table_keeping_ids(sconn: Any, dconn: Any, table: Any) -> int:
    """Copy a whole table; self-references are filled in afterwards so foreign keys hold row by row."""
    from sqlalchemy import bindparam, select

    data = [dict(r) for r in sconn.execute(select(table)).mappings()]
    if not data:
        return 0
    self_cols = [fk.parent.name for fk in table.foreign_keys if fk.column.table is table]
    kept = _onupdate_columns(table)
    pending = [(row, col, row[col]) for row in data for col in self_cols if row[col] is not None]
    for row in data:
        for col in self_cols:
            row[col] = None
    dconn.execute(table.insert(), [dict(r) for r in data])
    for col in self_cols:
        updates = [{"_id": row["id"], "_ref": ref, **{f"_{k}": row[k] for k in kept}} for row, c, ref in pending if c == col]
        if updates:
            values = {col: bindparam("_ref"), **{k: bindparam(f"_{k}") for k in kept}}
            dconn.execute(table.update().where(table.c.id == bindparam("_id")).values(values), updates)
    return len(data)


def _onupdate_columns(table: Any) -> list[str]:
    """Columns SQLAlchemy would stamp on UPDATE (updated_at): a copy must keep the original values."""
    return [c.name for c in table.c if c.onupdate is not None]


def merge_exec(
    ws: Workspace,
    archive: Path,
    passphrase: KeyMaterial,
    exec_id: int,
    *,
    progress: ProgressSink = no_progress,
) -> ImportResult:
    """Add one exec from the archive, with everything that hangs off it, under new ids; one transaction.

    People are matched by e-mail and tags by name; an exec whose e-mail already exists is refused.
    """
    from sqlalchemy import select

    from esncoach.store.backups import create_backup

    metadata = _metadata()
    owned = _owned_tables(metadata)
    info = read_archive_info(archive, passphrase)  # refuse a wrong passphrase or a newer archive first
    if exec_id not in {i for i, _ in info.execs}:
        raise StoreError(f"The archive has no executive with id {exec_id}.")
    progress(0, 3, "Backing up the current workspace")
    before = _backup_before_import(ws, create_backup)
    rows = 0
    with _opened_copy(archive, passphrase) as src:
        progress(1, 3, "Copying")
        with src.engine.connect() as sconn, _writing(ws) as dconn:
            exec_table = metadata.tables["exec"]
            source_exec = sconn.execute(select(exec_table).where(exec_table.c.id == exec_id)).mappings().first()
            if source_exec is None:
                raise StoreError(f"The archive has no executive with id {exec_id}.")
            email = source_exec["email"]
            if email and dconn.execute(select(exec_table.c.id).where(exec_table.c.email == email)).first():
                raise StoreError(f"This workspace already has an executive with the e-mail {email}. Nothing was imported.")
            maps: dict[str, dict[Any, Any]] = {}
            merger = _Merger(sconn, dconn, maps)
            for table in metadata.sorted_tables:
                if table.name not in owned:
                    continue
                if table.name == "exec":
                    source_rows = [dict(source_exec)]
                else:
                    source_rows = merger.owned_rows(table, owned)
                rows += merger.copy_rows(table, source_rows)
            new_exec = maps["exec"][exec_id]
    ws.change_counter += 1
    return ImportResult(before, (new_exec,), rows)


class _Merger:
    """Copies rows from an archive into a workspace under new ids, remapping every foreign key."""

    def __init__(self, sconn: Any, dconn: Any, maps: dict[str, dict[Any, Any]]) -> None:
        self.sconn = sconn
        self.dconn = dconn
        self.maps = maps

    def owned_rows(self, table: Any, owned: set[str]) -> list[dict[str, Any]]:
        from sqlalchemy import or_, select

        conditions = []
        for fk in table.foreign_keys:
            target = fk.column.table.name
            if target in owned and fk.column.table is not table and self.maps.get(target):
                conditions.append(fk.parent.in_(list(self.maps[target])))
        if not conditions:
            return []
        return [dict(r) for r in self.sconn.execute(select(table).where(or_(*conditions))).mappings()]

    def copy_rows(self, table: Any, source_rows: list[dict[str, Any]]) -> int:
        from sqlalchemy import update

        has_id = "id" in table.c and table.c.id.primary_key
        table_map = self.maps.setdefault(table.name, {})
        self_refs: list[tuple[int, str, Any]] = []
        for row in source_rows:
            values = dict(row)
            old_id = values.pop("id") if has_id else None
            for fk in table.foreign_keys:
                col = fk.parent.name
                if values.get(col) is None:
                    continue
                target = fk.column.table.name
                if target == table.name:
                    self_refs.append((old_id, col, values[col]))
                    values[col] = None
                elif target in SHARED_TABLES:
                    values[col] = self._shared_id(fk.column.table, values[col])
                else:
                    values[col] = self.maps.get(target, {}).get(values[col])
            result = self.dconn.execute(table.insert().values(**values))
            if has_id:
                table_map[old_id] = result.inserted_primary_key[0]
        kept = _onupdate_columns(table)
        originals = {row.get("id"): row for row in source_rows}
        for old_id, col, old_ref in self_refs:
            new_ref = table_map.get(old_ref)
            if new_ref is not None:
                values = {col: new_ref, **{k: originals[old_id][k] for k in kept}}
                self.dconn.execute(update(table).where(table.c.id == table_map[old_id]).values(values))
        return len(source_rows)

    def _shared_id(self, table: Any, old_id: Any) -> Any:
        from sqlalchemy import select

        table_map = self.maps.setdefault(table.name, {})
        if old_id in table_map:
            return table_map[old_id]
        row = self.sconn.execute(select(table).where(table.c.id == old_id)).mappings().first()
        if row is None:
            return None
        values = dict(row)
        values.pop("id")
        match = MATCH_COLUMNS.get(table.name)
        existing = None
        if match and values.get(match) is not None:
            existing = self.dconn.execute(select(table.c.id).where(table.c[match] == values[match])).scalar()
        new_id = existing if existing is not None else self.dconn.execute(table.insert().values(**values)).inserted_primary_key[0]
        table_map[old_id] = new_id
        return new_id


@contextmanager
def _writing(ws: Workspace) -> Iterator[Any]:
    """One write transaction on the workspace; disk failures become one StoreError sentence."""
    try:
        with ws.engine.begin() as conn:
            yield conn
    except StoreError:
        raise
    except Exception as exc:
        why = describe_db_error(exc, ws.path)
        if why is None:
            raise
        raise StoreError(f"{why} Nothing was imported; the workspace is as it was.") from exc


def _backup_before_import(ws: Workspace, create_backup: Any) -> Path:
    from esncoach.store.backups import configured_folder

    return create_backup(ws.path, ws.key, folder=configured_folder(ws.path, ws.key), reason="before-import").path
