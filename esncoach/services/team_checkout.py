"""Take execs offline from a team server: a lease per exec, and a copy of everything theirs on the laptop.

A CM names the execs they will see this week; the server records a lease per exec (``team_lease``,
migration 0007) and from then on refuses anyone else's writes about them. Everything that is theirs —
sessions, action items, habits and check-ins, posts with revisions and feedback, figures, stage changes,
the people and tags they use and the CM's own private notes — is copied into a local encrypted workspace
(new, or one already used for check-outs from the same server), which remembers where each row came
from (``team_offline_*``). Bringing it back is ``team_checkout_merge.checkin``.
"""

from __future__ import annotations

import datetime as dt
import socket
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from esncoach.progress import ProgressSink, no_progress
from esncoach.services import team_checkout_rows as rows
from esncoach.store.errors import StoreError, ValidationError
from esncoach.store.workspace import Workspace


BULK_INDEX_ROWS = 20_000
"""From this many rows of one table, a check-out builds that table's indexes after inserting."""


@dataclass(frozen=True)
class Lease:
    """An exec taken offline: by whom, since when, from which workspace."""

    exec_id: int
    exec_name: str
    holder: str
    since: dt.datetime
    workspace: str
    lease_id: str = ""

    @property
    def sentence(self) -> str:
        """What colleagues are told, e.g. "checked out by ann since 2026-11-30 09:12 UTC"."""
        return f"checked out by {self.holder} since {self.since.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC"


@dataclass(frozen=True)
class CheckoutResult:
    """What a check-out copied: the execs (by name) and how many rows."""

    execs: tuple[str, ...]
    rows: int


def _require(server: Workspace, local: Workspace | None = None) -> None:
    if not server.is_server:
        raise StoreError("Execs are taken offline from a team server: use --db postgresql://ROLE@HOST:PORT/DBNAME.")
    if local is not None and local.is_server:
        raise StoreError("The offline copy is a workspace file on this computer, not a server.")


def server_identity(conn: Any) -> str:
    """This team workspace's identity (a random id made by the migration, with the database's name)."""
    return conn.exec_driver_sql("SELECT id::text || '@' || current_database() FROM team_identity").scalar_one()


def list_leases(ws: Workspace) -> list[Lease]:
    """Every exec taken offline on this team server, by exec name (the caller's team may see them all)."""
    _require(ws)
    with ws.engine.connect() as conn:
        found = conn.exec_driver_sql(
            "SELECT l.exec_id, d.name, l.holder, l.since, l.workspace, l.lease_id::text FROM team_lease l "
            "JOIN team_directory d ON d.id = l.exec_id ORDER BY d.name").all()
    return [Lease(*r) for r in found]


def lease_of(ws: Workspace, exec_id: int) -> Lease | None:
    """The lease on one exec, or None when it is not checked out (server only; None on a file)."""
    if not ws.is_server:
        return None
    return next((le for le in list_leases(ws) if le.exec_id == exec_id), None)


def release(ws: Workspace, *, exec_name: str) -> Lease:
    """End the lease on the exec named ``exec_name`` on purpose (the lead; the server refuses anyone else).

    Work done offline is not lost: its check-in later keeps both versions of every row changed meanwhile.
    """
    _require(ws)
    lease = next((le for le in list_leases(ws) if le.exec_name.lower() == exec_name.strip().lower()), None)
    if lease is None:
        raise ValidationError("exec", f"“{exec_name}” is not checked out.")
    from sqlalchemy import exc as sa_exc

    try:
        with ws.engine.begin() as conn:
            gone = conn.exec_driver_sql("DELETE FROM team_lease WHERE exec_id = %(e)s", {"e": lease.exec_id}).rowcount
            conn.exec_driver_sql("SELECT pg_notify('esncoach_exec', %(e)s)", {"e": str(lease.exec_id)})  # pages refresh
    except sa_exc.ProgrammingError as exc:  # no DELETE grant: not the lead
        raise ValidationError("exec", f"Only the programme lead can release “{lease.exec_name}”; "
                                      "its CM brings it back with esncoach team checkin.") from exc
    if gone != 1:
        raise ValidationError("exec", f"Only the programme lead can release “{lease.exec_name}”.")
    return lease


# --- check-out ------------------------------------------------------------------------------------


def _origin(lconn: Any) -> dict[str, str]:
    return dict(lconn.exec_driver_sql("SELECT key, value FROM team_offline_origin").all())


def _resolve(sconn: Any, names: list[str]) -> list[tuple[int, str]]:
    found: list[tuple[int, str]] = []
    for name in names:
        hits = sconn.exec_driver_sql("SELECT id, name FROM exec WHERE lower(name) = lower(%(n)s)",
                                     {"n": name.strip()}).all()
        if not hits:
            raise ValidationError("exec", f"There is no executive named “{name}” among yours on the team server; "
                                          "nothing was checked out.")
        if len(hits) > 1:
            raise ValidationError("exec", f"Several executives are named “{name}”; nothing was checked out.")
        if hits[0][0] not in {i for i, _ in found}:
            found.append((int(hits[0][0]), str(hits[0][1])))
    return found


def checkout(server: Workspace, local: Workspace, *, names: list[str],
             progress: ProgressSink = no_progress) -> CheckoutResult:
    """Lease the execs named ``names`` to the caller and copy everything theirs into ``local``.

    All or nothing: an exec already checked out (by anyone), not the caller's, or already offline in
    ``local`` is refused with one sentence before anything is leased or written.
    """
    from sqlalchemy import exc as sa_exc

    _require(server, local)
    if not names:
        raise ValidationError("exec", "Name at least one executive to take offline (--exec NAME).")
    with server.engine.connect() as sconn:
        identity = server_identity(sconn)
        wanted = _resolve(sconn, names)
        held = {r[0]: r for r in sconn.exec_driver_sql(
            "SELECT exec_id, holder, since FROM team_lease WHERE exec_id = ANY(%(ids)s)",
            {"ids": [i for i, _ in wanted]}).all()}
        sconn.rollback()
    for exec_id, name in wanted:
        if exec_id in held:
            _, holder, since = held[exec_id]
            raise ValidationError("exec", f"“{name}” is checked out by {holder} since "
                                          f"{since.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC; nothing was checked out.")
    with local.engine.connect() as lconn:
        origin = _origin(lconn)
        if origin.get("server") not in (None, identity):
            raise StoreError(f"“{local.path.name}” holds execs taken offline from another team server; "
                             "take these offline into another file.")
        if not origin and lconn.exec_driver_sql("SELECT count(*) FROM exec").scalar():
            raise StoreError(f"“{local.path.name}” already holds executives of its own; take execs offline into a "
                             "new file (or one used for check-outs before).")
        offline = {int(r[0]) for r in lconn.exec_driver_sql(
            "SELECT server_id FROM team_offline_exec WHERE checked_in_at IS NULL").all()}
    for exec_id, name in wanted:
        if exec_id in offline:
            raise ValidationError("exec", f"“{name}” is already offline in “{local.path.name}”; nothing was checked out.")
    _refuse_unmerged(local, [i for i, _ in wanted])
    where = f"{socket.gethostname()}:{local.path}"
    try:
        with server.engine.begin() as sconn:
            leases = sconn.exec_driver_sql(
                "INSERT INTO team_lease(exec_id, workspace) SELECT unnest(%(ids)s::int[]), %(w)s "
                "RETURNING exec_id, lease_id::text, holder, since",
                {"ids": [i for i, _ in wanted], "w": where}).all()
            sconn.exec_driver_sql("SELECT pg_notify('esncoach_exec', e::text) FROM unnest(%(ids)s::int[]) e",
                                  {"ids": [i for i, _ in wanted]})  # colleagues' pages turn read-only
    except sa_exc.IntegrityError:
        raise ValidationError("exec", "A colleague took one of these executives offline a moment ago; "
                                      "nothing was checked out.") from None
    except sa_exc.ProgrammingError as exc:  # the row-level security of team_lease: not the caller's exec
        raise ValidationError("exec", "You can take offline only executives you coach; nothing was checked out.") from exc
    try:
        copied = _copy(server, local, wanted, {int(r[0]): r for r in leases}, identity, progress)
    except BaseException:
        with server.engine.begin() as sconn:  # give the leases back: nothing was taken offline
            sconn.exec_driver_sql("SELECT team_lease_return(%(ids)s::uuid[])", {"ids": [r[1] for r in leases]})
        raise
    return CheckoutResult(tuple(name for _, name in wanted), copied)


def _refuse_unmerged(local: Workspace, server_ids: list[int]) -> None:
    """A copy brought back earlier is copied afresh; refuse while it holds work not brought back since."""
    from esncoach.services.team_checkout_merge import pending_changes

    with local.engine.connect() as lconn:
        earlier = dict(lconn.exec_driver_sql(
            "SELECT local_id, name FROM team_offline_exec WHERE server_id IN "
            f"({','.join(str(int(i)) for i in server_ids) or 'NULL'})").all())
    if not earlier:
        return
    pending = pending_changes(local)
    for local_id, name in earlier.items():
        if pending.get(local_id):
            raise ValidationError("exec", f"“{name}” in “{local.path.name}” has changes not brought back yet: "
                                          "run esncoach team checkin first; nothing was checked out.")


def _forget_checked_in(lconn: Any, server_ids: list[int]) -> None:
    """Drop the laptop's copy of execs brought back earlier and now taken offline again (copied afresh)."""
    old = lconn.exec_driver_sql(
        f"SELECT local_id FROM team_offline_exec WHERE checked_in_at IS NOT NULL AND server_id IN "
        f"({','.join(str(int(i)) for i in server_ids) or 'NULL'})").all()
    for (local_id,) in old:
        lconn.exec_driver_sql("DELETE FROM exec WHERE id = ?", (local_id,))
        lconn.exec_driver_sql("DELETE FROM team_offline_row WHERE exec_id = ?", (local_id,))
        lconn.exec_driver_sql("DELETE FROM team_offline_exec WHERE local_id = ?", (local_id,))


def _bulk_insert(lconn: Any, table: Any, out: list[dict[str, Any]]) -> None:
    """Insert many rows with the columns' own SQLite conversions but without SQLAlchemy's per-row statement
    work (a third of a large check-out's time)."""
    cols = [c for c in table.c if c.name in out[0]]
    procs = [c.type.bind_processor(lconn.dialect) for c in cols]
    sql = (f"INSERT INTO {table.name} ({', '.join(c.name for c in cols)}) "
           f"VALUES ({', '.join('?' for _ in cols)})")
    plan = list(zip([c.name for c in cols], procs))
    # Years of daily figures: building the indexes once afterwards (a sort) beats growing them row by row.
    # The indexes come back from their own stored definitions, in the same transaction.
    indexes = lconn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL",
        (table.name,)).all() if len(out) >= BULK_INDEX_ROWS else []
    for name, _ in indexes:
        lconn.exec_driver_sql(f'DROP INDEX "{name}"')
    lconn.exec_driver_sql(sql, [tuple(v[n] if p is None or v[n] is None else p(v[n]) for n, p in plan) for v in out])
    for _, ddl in indexes:
        lconn.exec_driver_sql(ddl)


def _dicts(result: Any) -> list[dict[str, Any]]:
    """A result's rows as plain dicts (each becomes the laptop's row in place)."""
    keys = list(result.keys())
    return [dict(zip(keys, r)) for r in result]


def _copy(server: Workspace, local: Workspace, wanted: list[tuple[int, str]], leases: dict[int, Any],
          identity: str, progress: ProgressSink) -> int:
    """Copy the leased execs' rows into ``local`` in one local transaction; return the number of rows."""
    from sqlalchemy import select

    tables = rows.travelling_tables()
    owned = rows.owned_names()
    exec_ids = [i for i, _ in wanted]
    fetched: dict[str, list[dict[str, Any]]] = {}
    with server.engine.connect() as sconn:
        picked: dict[str, set[int]] = {"exec": set(exec_ids)}
        for n, table in enumerate(tables):
            if table.name not in owned:
                continue
            progress(n, len(tables) * 2, f"Reading {table.name}")
            col = rows.owner_column(table)
            parent = "exec" if col in ("id", "exec_id") else rows.fk_targets(table)[col]
            ids = sorted(picked.get(parent, ()))
            where = table.c[col].in_(ids) if ids else None
            found = [] if where is None else _dicts(sconn.execute(  # in key order: the laptop's b-trees append
                select(table).where(where).order_by(*table.primary_key.columns)))
            fetched[table.name] = found
            if rows.has_id(table):
                picked[table.name] = {r["id"] for r in found}
        shared_ids: dict[str, set[int]] = defaultdict(set)
        for table in tables:
            for col, target in rows.fk_targets(table).items():
                if target not in owned and table.name in fetched:
                    shared_ids[target].update(r[col] for r in fetched[table.name] if r[col] is not None)
        for table in tables:
            if table.name not in owned:
                ids = sorted(shared_ids.get(table.name, ()))
                fetched[table.name] = [dict(r) for r in sconn.execute(
                    select(table).where(table.c.id.in_(ids))).mappings()] if ids else []
        notes = dict(sconn.exec_driver_sql(
            "SELECT exec_id, text FROM team_private_note WHERE author = current_user AND exec_id = ANY(%(ids)s)",
            {"ids": exec_ids}).all())
        role = sconn.exec_driver_sql("SELECT session_user").scalar_one()
    total = 0
    with local.engine.begin() as lconn:
        lconn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        lconn.exec_driver_sql("PRAGMA cache_size = -131072")  # 128 MB while the indexes of years of figures grow
        known = defaultdict(dict)  # table -> server id -> local id (shared rows from earlier check-outs)
        for tbl, lkey, skey in lconn.exec_driver_sql("SELECT tbl, local_key, server_key FROM team_offline_row").all():
            if tbl not in owned and tbl != rows.NOTE:
                known[tbl][int(skey)] = int(lkey)
        s2l: dict[str, dict[int, int]] = defaultdict(dict)
        exec_of: dict[str, dict[int, int]] = defaultdict(dict)
        by_key: dict[tuple[str, str], dict[str, Any]] = {}
        records: list[tuple[str, str, str, Any, dict[str, Any]]] = []
        _forget_checked_in(lconn, [i for i, _ in wanted])
        for n, table in enumerate(tables):
            progress(len(tables) + n, len(tables) * 2, f"Copying {table.name}")
            source = fetched.get(table.name, [])
            if not source:
                continue
            targets = rows.fk_targets(table)
            id_table = rows.has_id(table)
            is_owned = table.name in owned
            taken = {r[0] for r in lconn.exec_driver_sql(f"SELECT id FROM {table.name}")} if id_table else set()
            top = max(taken | {r["id"] for r in source}, default=0) if id_table else 0
            out: list[dict[str, Any]] = []
            self_refs: list[tuple[int, str, int]] = []
            remap = [(c, s2l[t]) for c, t in targets.items() if t != table.name]
            selfs = [c for c, t in targets.items() if t == table.name]
            owner_col = rows.owner_column(table) if is_owned else None
            owner_parent = None if owner_col in (None, "id", "exec_id") else targets[owner_col]
            parent_execs = exec_of[owner_parent] if owner_parent else None
            table_s2l, table_exec_of = s2l[table.name], exec_of[table.name]
            match = rows.MATCH.get(table.name)
            for v in source:  # each server row becomes the laptop's row in place (its server key taken first)
                sid = v["id"] if id_table else None
                if not is_owned:  # shared: the laptop's row for it, by an earlier copy or a match
                    local_id = known[table.name].get(sid)
                    if local_id is None and match and v[match] is not None:
                        local_id = lconn.execute(select(table.c.id).where(table.c[match] == v[match])).scalar()
                    if local_id is not None:
                        table_s2l[sid] = local_id
                        if sid not in known[table.name]:  # matched: its base is the laptop's row as it is
                            mine = dict(lconn.execute(select(table).where(table.c.id == local_id)).mappings().one())
                            records.append((table.name, str(local_id), str(sid), None, mine))
                        continue
                skey = str(sid) if id_table else rows.row_key(table, v)
                for col in selfs:
                    if v[col] is not None:
                        self_refs.append((sid, col, v[col]))
                        v[col] = None
                for col, m in remap:
                    if v[col] is not None:
                        v[col] = m.get(v[col])
                if id_table:
                    if sid in taken:
                        top += 1
                        v["id"] = top
                    taken.add(v["id"])
                    table_s2l[sid] = v["id"]
                if table.name == "exec":
                    v["private_notes"] = notes.get(sid, "")
                owner = None
                if owner_col is not None:
                    ref = v[owner_col]
                    owner = parent_execs.get(ref) if parent_execs is not None else ref
                    if id_table:
                        table_exec_of[v["id"]] = owner
                out.append(v)
                lkey = str(v["id"]) if id_table else rows.row_key(table, v)
                records.append((table.name, lkey, skey, owner, v))
                if selfs:
                    by_key[(table.name, lkey)] = v
            if out:
                _bulk_insert(lconn, table, out)
                total += len(out)
            for sid, col, ref in self_refs:
                if ref in s2l[table.name]:
                    lconn.execute(table.update().where(table.c.id == s2l[table.name][sid])
                                  .values({col: s2l[table.name][ref]}))
                    by_key[(table.name, str(s2l[table.name][sid]))][col] = s2l[table.name][ref]
        l2s = {t: {lid: sid for sid, lid in m.items()} for t, m in s2l.items()}
        for t, m in known.items():
            for sid, lid in m.items():
                l2s.setdefault(t, {}).setdefault(lid, sid)
        by_name = {t.name: t for t in tables}
        digesters: dict[str, Any] = {}
        entries: list[tuple[str, str, str, Any, str]] = []
        for tbl, lkey, skey, owner, v in records:
            d = digesters.get(tbl)
            if d is None:
                d = digesters[tbl] = rows.digester(by_name[tbl], l2s)
            entries.append((tbl, lkey, skey, owner, d(v)))
        for exec_id, _name in wanted:
            lid = s2l["exec"][exec_id]
            entries.append((rows.NOTE, str(lid), str(exec_id), lid, rows.note_digest(notes.get(exec_id, ""))))
        entries.sort(key=lambda e: (e[0], e[1]))  # in key order: the records' b-tree appends instead of splitting pages
        lconn.exec_driver_sql(
            "INSERT OR REPLACE INTO team_offline_row(tbl, local_key, server_key, exec_id, base) VALUES (?, ?, ?, ?, ?)",
            entries)
        lconn.exec_driver_sql(
            "INSERT OR REPLACE INTO team_offline_exec(local_id, server_id, name, lease_id, holder, since, checked_in_at) "
            "VALUES (?, ?, ?, ?, ?, ?, NULL)",
            [(s2l["exec"][i], i, name, leases[i][1], leases[i][2], leases[i][3].isoformat()) for i, name in wanted])
        origin = {"server": identity, "address": server.address.url(), "role": role}  # type: ignore[attr-defined]
        lconn.exec_driver_sql("INSERT OR REPLACE INTO team_offline_origin(key, value) VALUES (?, ?)",
                              list(origin.items()))
    local.change_counter += 1
    progress(1, 1, "Done")
    return total
