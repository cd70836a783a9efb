"""Bring execs taken offline back to the team server: one transaction, nothing overwritten unseen.

Each row's digest as copied (``team_offline_row.base``), as on the laptop now and, for execs whose lease
was released meanwhile, as on the server now tell what happened to it:

* added offline → inserted (foreign keys translated to the server's ids, people and tags matched);
* changed offline → updated, unless the server changed it too (only possible after the lead released the
  lease): then both are kept, the server's in place and the offline one as a new revision of a post, or
  appended to the row's text under "— from the offline copy of ROLE —", or, for rows without text, in the
  CM's private note of the exec;
* deleted offline → deleted, unless changed on the server since (then the server's is kept);
* the CM's own private note → written back, both kept if it changed on both sides.

The whole merge, a ``team_checkin`` record of it and the return of the leases commit together. The
laptop then records the ids the server gave its new rows and takes every row as it is now as the new
base, so a second check-in finds nothing to do; a check-in cut off after the server committed finds
its record there and only completes the laptop's side.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from esncoach.progress import ProgressSink, no_progress
from esncoach.services import team_checkout_rows as rows
from esncoach.services.team_checkout import _require, server_identity
from esncoach.store.errors import StoreError
from esncoach.store.workspace import Workspace


@dataclass(frozen=True)
class ExecMerge:
    """What a check-in did for one exec."""

    name: str
    added: int = 0
    changed: int = 0
    deleted: int = 0
    conflicts: int = 0

    def as_json(self) -> dict[str, Any]:
        """One entry of ``esncoach team checkin --json``."""
        return {"name": self.name, "added": self.added, "changed": self.changed, "deleted": self.deleted,
                "conflicts": self.conflicts}


@dataclass(frozen=True)
class CheckinResult:
    """What a check-in merged, exec by exec."""

    execs: tuple[ExecMerge, ...]


def _say(local: Workspace) -> str:
    return f"“{local.path.name}”"


def checkin(server: Workspace, local: Workspace, *, progress: ProgressSink = no_progress) -> CheckinResult:
    """Merge everything done offline in ``local`` into ``server`` and return the leases; idempotent."""
    from sqlalchemy import exc as sa_exc

    _require(server, local)
    with local.engine.connect() as lconn:
        origin = dict(lconn.exec_driver_sql("SELECT key, value FROM team_offline_origin").all())
    if not origin.get("server"):
        raise StoreError(f"{_say(local)} was not checked out from a team server; nothing was merged.")
    with server.engine.connect() as sconn:
        identity = server_identity(sconn)
        role = sconn.exec_driver_sql("SELECT session_user").scalar_one()
    if origin["server"] != identity:
        raise StoreError(f"{_say(local)} was checked out from another team server ({origin.get('address', '?')}), "
                         "not this one; nothing was merged.")
    pending = origin.get("pending")
    if pending is None:
        pending = str(uuid.uuid4())
        with local.engine.begin() as lconn:
            lconn.exec_driver_sql("INSERT OR REPLACE INTO team_offline_origin(key, value) VALUES ('pending', ?)",
                                  (pending,))
    try:
        with server.engine.begin() as sconn, local.engine.connect() as lconn:
            done = sconn.exec_driver_sql("SELECT result FROM team_checkin WHERE checkin_id = %(c)s",
                                         {"c": pending}).scalar()
            if done is None:
                merge = _Merge(sconn, lconn, role, progress)
                result = merge.run()
                if merge.wrote or merge.leases:
                    sconn.exec_driver_sql("INSERT INTO team_checkin(checkin_id, result) VALUES (%(c)s, %(r)s)",
                                          {"c": pending, "r": json.dumps(result)})
                if merge.leases:
                    sconn.exec_driver_sql("SELECT team_lease_return(%(ids)s::uuid[])", {"ids": merge.leases})
                    sconn.exec_driver_sql("SELECT pg_notify('esncoach_exec', '0')")  # colleagues' pages editable again
            else:
                result = done if isinstance(done, dict) else json.loads(done)
    except sa_exc.DBAPIError as exc:
        orig = getattr(exc, "orig", exc)
        if getattr(orig, "sqlstate", None) == "ESNLK":
            raise StoreError(f"{orig.diag.message_primary} Nothing was merged.") from None
        if not (exc.connection_invalidated or isinstance(exc, sa_exc.OperationalError)):
            first = str(orig).splitlines()[0] if str(orig) else type(orig).__name__
            raise StoreError(f"The team server refused the check-in ({first}); nothing was merged.") from exc
        raise StoreError("The connection to the team server was lost during the check-in: nothing of it was "
                         "stored; run the check-in again to bring everything back.") from exc
    _finish(local, result)
    return CheckinResult(tuple(ExecMerge(**e) for e in result["execs"]))


class _Merge:
    """One check-in's merge inside the server transaction ``sconn``, reading the laptop through ``lconn``."""

    def __init__(self, sconn: Any, lconn: Any, role: str, progress: ProgressSink) -> None:
        self.s, self.l, self.role, self.progress = sconn, lconn, role, progress
        self.tables = rows.travelling_tables()
        self.by_name = {t.name: t for t in self.tables}
        self.owned = rows.owned_names()
        self.mapping: dict[str, dict[str, tuple[str, int | None, str]]] = defaultdict(dict)
        for tbl, lkey, skey, exec_id, base in lconn.exec_driver_sql(
                "SELECT tbl, local_key, server_key, exec_id, base FROM team_offline_row").all():
            self.mapping[tbl][lkey] = (skey, exec_id, base)
        self.l2s: dict[str, dict[int, int]] = defaultdict(dict)
        for tbl, entries in self.mapping.items():
            if tbl in self.by_name and rows.has_id(self.by_name[tbl]):
                self.l2s[tbl] = {int(k): int(v[0]) for k, v in entries.items()}
        self.idmap: dict[str, dict[str, str]] = defaultdict(dict)
        self.counts: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        self.exec_of: dict[str, dict[int, int | None]] = defaultdict(dict)
        self.wrote = False
        self.leases: list[str] = []
        self.safe: set[int] = set()
        self.blocked: dict[int, str] = {}
        self.names: dict[int, str] = {}
        self.touched: list[tuple[str, str, int | None]] = []
        """Laptop rows added or changed (and notes): their new base is their content now."""
        self.gone: list[tuple[str, str]] = []
        """Laptop rows no longer there: their record goes."""
        self._known: dict[str, set[int]] | None = None

    # --- leases ---------------------------------------------------------------------------------

    def check_leases(self) -> None:
        offline = self.l.exec_driver_sql(
            "SELECT local_id, server_id, name, lease_id, holder, since, checked_in_at FROM team_offline_exec").all()
        held = {int(r[0]): r for r in self.s.exec_driver_sql(
            "SELECT exec_id, lease_id::text, holder, since FROM team_lease WHERE exec_id = ANY(%(ids)s)",
            {"ids": [int(r[1]) for r in offline]}).all()}
        for local_id, server_id, name, lease_id, holder, _since, checked_in in offline:
            self.names[local_id] = name
            now = held.get(server_id)
            if now is not None and now[1] == lease_id and checked_in is None:
                if now[2] != self.role:
                    raise StoreError(f"“{name}” is checked out by {now[2]}: bring it back logged in as {now[2]}; "
                                     "nothing was merged.")
                self.leases.append(lease_id)
                continue
            self.safe.add(local_id)  # released (or brought back before): the server may have moved on
            if now is None:
                continue
            sentence = (f"“{name}” was released and is now checked out by {now[2]} since "
                        f"{now[3].astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC (another check-out); nothing was merged.")
            if checked_in is None:
                raise StoreError(sentence)
            self.blocked[local_id] = sentence

    # --- translation ----------------------------------------------------------------------------

    def to_server(self, table: Any) -> Any:
        targets = rows.fk_targets(table)
        l2s = self.l2s

        def translate(col: str, value: Any) -> Any:
            return None if value is None else l2s[targets[col]].get(value)

        return translate

    def server_side(self, table: Any) -> Any:
        """Foreign keys of a server row as a laptop digest sees them (rows never copied read as None)."""
        targets = rows.fk_targets(table)
        if self._known is None:
            self._known = {t: set(m.values()) for t, m in self.l2s.items()}
        known = self._known

        def translate(col: str, value: Any) -> Any:
            return value if value in known.get(targets[col], ()) else None

        return translate

    def owner(self, table: Any, r: dict[str, Any]) -> int | None:
        if table.name not in self.owned:
            return None
        col = rows.owner_column(table)
        if col == "id":
            return r["id"]
        parent = "exec" if col == "exec_id" else rows.fk_targets(table)[col]
        return r[col] if parent == "exec" else self.exec_of[parent].get(r[col])

    def touch(self, exec_id: int | None, slot: int) -> None:
        if exec_id is not None and exec_id in self.blocked:
            raise StoreError(self.blocked[exec_id])
        self.wrote = True
        if exec_id is not None:
            self.counts[exec_id][slot] += 1

    # --- the merge ------------------------------------------------------------------------------

    def run(self) -> dict[str, Any]:
        from sqlalchemy import select

        self.check_leases()
        local_rows: dict[str, dict[str, dict[str, Any]]] = {}
        for n, table in enumerate(self.tables):
            self.progress(n, len(self.tables) * 2, f"Merging {table.name}")
            found = {}
            for r in self.l.execute(select(table).order_by(*table.primary_key.columns)).mappings():
                r = dict(r)
                if rows.has_id(table):
                    self.exec_of[table.name][r["id"]] = self.owner(table, r)
                found[rows.row_key(table, r)] = r
            local_rows[table.name] = found
            self._adds_and_changes(table, found)
        for n, table in enumerate(reversed(self.tables)):
            self.progress(len(self.tables) + n, len(self.tables) * 2, f"Merging {table.name}")
            if table.name in self.owned:
                self._deletes(table, local_rows[table.name])
        self._notes(local_rows["exec"])
        names = dict(self.names)
        names.update({i: r["name"] for i, r in ((int(k), v) for k, v in local_rows["exec"].items())})
        execs = [{"name": names[e], "added": c[0], "changed": c[1], "deleted": c[2], "conflicts": c[3]}
                 for e, c in sorted(((e, self.counts[e]) for e in names), key=lambda x: names[x[0]])]
        return {"idmap": {t: m for t, m in self.idmap.items() if m}, "execs": execs,
                "touched": self.touched, "gone": self.gone}

    def _values(self, table: Any, r: dict[str, Any], *, insert: bool) -> dict[str, Any]:
        translate = self.to_server(table)
        targets = rows.fk_targets(table)
        v = {c: (translate(c, r[c]) if c in targets else r[c]) for c in r if c != "id"}
        if "version" in v:
            v["version"] = 1 if insert else v["version"]
        if table.name == "exec" and not insert:
            v.pop("private_notes", None)  # the CM's own note travels separately
        return v

    def _fetch(self, table: Any, skey: str) -> dict[str, Any] | None:
        from sqlalchemy import and_, select

        cols = rows.key_columns(table)
        values = [int(x) for x in skey.split(",")]
        found = self.s.execute(select(table).where(and_(*(table.c[c] == v for c, v in zip(cols, values))))
                               ).mappings().first()
        return dict(found) if found is not None else None

    def _adds_and_changes(self, table: Any, found: dict[str, dict[str, Any]]) -> None:
        mapping = self.mapping.get(table.name, {})
        adds: list[dict[str, Any]] = []
        mine_of = rows.digester(table, self.l2s)
        owned = table.name in self.owned
        for lkey, r in found.items():
            known = mapping.get(lkey)
            if known is not None and mine_of(r) == known[2]:
                continue
            exec_id = self.owner(table, r)
            self.touched.append((table.name, lkey, exec_id))
            if known is None:
                if owned:
                    self.touch(exec_id, 0)
                adds.append(r)
                continue
            skey, _e, base = known
            if table.name not in self.owned or exec_id in self.safe:
                theirs = self._fetch(table, skey)
                if theirs is None:
                    self.touch(exec_id, 3)
                    self._reinsert(table, lkey, r, exec_id)
                    continue
                now = rows.row_digest(table, theirs, self.server_side(table))
                if now == mine_of(r):
                    continue  # the same change on both sides: nothing to merge
                if now != base:
                    if table.name in self.owned:
                        self.touch(exec_id, 3)
                        self._keep_both(table, skey, self._values(table, r, insert=True), theirs, exec_id)
                    continue  # a person or tag changed on both sides: the team's version stays
            self.touch(exec_id, 1)
            self._update(table, skey, r)
        if adds:
            self._insert(table, adds)

    def _update(self, table: Any, skey: str, r: dict[str, Any]) -> None:
        if not rows.has_id(table):
            return  # a link row has nothing to change but its key
        values = self._values(table, r, insert=False)
        values.pop("version", None)
        stmt = table.update().where(table.c.id == int(skey)).values(**values)
        if "version" in table.c:
            stmt = stmt.values(version=table.c.version + 1)
        self.s.execute(stmt)

    def _insert(self, table: Any, adds: list[dict[str, Any]]) -> None:
        from sqlalchemy import select
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        self.wrote = True
        targets = rows.fk_targets(table)
        self_cols = [c for c, t in targets.items() if t == table.name]
        if not rows.has_id(table):
            values = [self._values(table, r, insert=True) for r in adds]
            values = [v for v in values if all(v[c] is not None for c in rows.key_columns(table))]
            if values:
                self.s.execute(pg_insert(table).on_conflict_do_nothing(), values)
            for r, v in zip(adds, values):
                self.idmap[table.name][rows.row_key(table, r)] = rows.row_key(table, v)
            return
        pending: list[tuple[int, str, int]] = []
        todo: list[tuple[dict[str, Any], dict[str, Any]]] = []
        match = rows.MATCH.get(table.name) if table.name not in self.owned else None
        for r in adds:
            v = self._values(table, r, insert=True)
            for c in self_cols:
                if r[c] is not None and v[c] is None:
                    pending.append((r["id"], c, r[c]))
            if match and v.get(match) is not None:
                existing = self.s.execute(select(table.c.id).where(table.c[match] == v[match])).scalar()
                if existing is not None:
                    self._mapped(table, r["id"], existing)
                    continue
            todo.append((r, v))
        if todo:
            ids = self.s.execute(table.insert().returning(table.c.id, sort_by_parameter_order=True),
                                 [v for _, v in todo]).scalars().all()
            for (r, _), sid in zip(todo, ids):
                self._mapped(table, r["id"], sid)
        for lid, c, ref in pending:
            if ref in self.l2s[table.name]:
                self.s.execute(table.update().where(table.c.id == self.l2s[table.name][lid])
                               .values({c: self.l2s[table.name][ref]}))

    def _mapped(self, table: Any, lid: int, sid: int) -> None:
        self.l2s[table.name][lid] = sid
        self.idmap[table.name][str(lid)] = str(sid)

    def _reinsert(self, table: Any, lkey: str, r: dict[str, Any], exec_id: int | None) -> None:
        """A row changed offline but deleted on the server: it comes back as a new row if its parents live."""
        from sqlalchemy import select

        v = self._values(table, r, insert=True)
        for col, target in rows.fk_targets(table).items():
            if v.get(col) is None or target == table.name:
                continue
            t = self.by_name.get(target)
            if t is None or self.s.execute(select(t.c.id).where(t.c.id == v[col])).first() is None:
                self._note(exec_id, f"{table.name} {lkey} (deleted on the server): " + self._describe(table, v))
                return
        if not rows.has_id(table):
            self._insert(table, [r])
            return
        sid = self.s.execute(table.insert().returning(table.c.id), v).scalar_one()
        self._mapped(table, r["id"], sid)

    def _describe(self, table: Any, v: dict[str, Any]) -> str:
        return "; ".join(f"{c}: {v[c]}" for c in rows.content_columns(table) if c in v and v[c] not in (None, ""))

    def _keep_both(self, table: Any, skey: str, mine: dict[str, Any], theirs: dict[str, Any],
                   exec_id: int | None) -> None:
        from sqlalchemy import Text, func, select

        marker = f"— from the offline copy of {self.role} —"
        if table.name == "revision":
            number = self.s.execute(select(func.max(table.c.number)).where(
                table.c.post_id == theirs["post_id"])).scalar_one()
            self.s.execute(table.insert().values(post_id=theirs["post_id"], number=(number or 0) + 1,
                                                 text=mine["text"], version=1))
            return
        texts = [c.name for c in table.c if isinstance(c.type, Text) and c.name != "private_notes"]
        differ = [c for c in rows.content_columns(table) if mine.get(c) != theirs.get(c)]
        if not texts:
            self._note(exec_id, f"{table.name} {skey}: " + "; ".join(f"{c}: {mine[c]}" for c in differ))
            return
        updates: dict[str, str] = {}
        for c in differ:
            if c in texts and mine[c]:
                updates[c] = f"{theirs[c]}\n\n{marker}\n{mine[c]}"
        others = [c for c in differ if c not in texts]
        if others:
            first = texts[0]
            start = updates.get(first, f"{theirs[first]}\n\n{marker}")
            updates[first] = start + "\n(" + "; ".join(f"{c}: {mine[c]}" for c in others) + ")"
        if updates:
            stmt = table.update().where(table.c.id == int(skey)).values(**updates)
            if "version" in table.c:
                stmt = stmt.values(version=table.c.version + 1)
            self.s.execute(stmt)

    def _note(self, exec_id: int | None, text: str) -> None:
        """Add a line to the CM's own private note of the exec (kept where only they read it)."""
        sid = self.l2s["exec"].get(exec_id) if exec_id is not None else None
        if sid is None:
            return
        block = f"— from the offline copy of {self.role} —\n{text}"
        self.s.exec_driver_sql(
            "INSERT INTO team_private_note(exec_id, author, text) VALUES (%(e)s, current_user, %(t)s) "
            "ON CONFLICT (exec_id, author) DO UPDATE SET text = team_private_note.text || E'\\n\\n' || EXCLUDED.text, "
            "updated_at = now()", {"e": sid, "t": block})

    def _deletes(self, table: Any, found: dict[str, dict[str, Any]]) -> None:
        from sqlalchemy import and_

        for lkey, (skey, exec_id, base) in self.mapping.get(table.name, {}).items():
            if lkey in found:
                continue
            self.gone.append((table.name, lkey))
            if exec_id in self.safe:
                theirs = self._fetch(table, skey)
                if theirs is None:
                    continue  # gone on both sides
                if rows.row_digest(table, theirs, self.server_side(table)) != base:
                    self.touch(exec_id, 3)  # changed on the server since: the server's is kept
                    continue
            self.touch(exec_id, 2)
            cols = rows.key_columns(table)
            values = [int(x) for x in skey.split(",")]
            self.s.execute(table.delete().where(and_(*(table.c[c] == v for c, v in zip(cols, values)))))

    def _notes(self, execs: dict[str, dict[str, Any]]) -> None:
        for lkey, (skey, exec_id, base) in self.mapping.get(rows.NOTE, {}).items():
            r = execs.get(lkey)
            if r is None or rows.note_digest(r["private_notes"]) == base:
                continue
            self.touched.append((rows.NOTE, lkey, exec_id))
            mine = r["private_notes"] or ""
            theirs = self.s.exec_driver_sql(
                "SELECT text FROM team_private_note WHERE exec_id = %(e)s AND author = current_user",
                {"e": int(skey)}).scalar() or ""
            if exec_id in self.safe and rows.note_digest(theirs) != base and theirs != mine:
                self.touch(exec_id, 3)
                mine = f"{theirs}\n\n— from the offline copy of {self.role} —\n{mine}"
            else:
                self.touch(exec_id, 1)
            if mine:
                self.s.exec_driver_sql(
                    "INSERT INTO team_private_note(exec_id, author, text) VALUES (%(e)s, current_user, %(t)s) "
                    "ON CONFLICT (exec_id, author) DO UPDATE SET text = EXCLUDED.text, updated_at = now()",
                    {"e": int(skey), "t": mine})
            else:
                self.s.exec_driver_sql("DELETE FROM team_private_note WHERE exec_id = %(e)s AND author = current_user",
                                       {"e": int(skey)})


def _local_entries(lconn: Any, idmap: dict[str, dict[str, str]]) -> tuple[list[tuple], dict[int, Any], dict]:
    """Every laptop row as (table, local key, server key or None, exec, digest), with the execs and id maps."""
    from sqlalchemy import select

    tables = rows.travelling_tables()
    owned = rows.owned_names()
    mapping: dict[str, dict[str, str]] = defaultdict(dict)
    for tbl, lkey, skey in lconn.exec_driver_sql("SELECT tbl, local_key, server_key FROM team_offline_row").all():
        mapping[tbl][lkey] = skey
    for tbl, m in idmap.items():
        mapping[tbl].update(m)
    l2s = {t.name: {int(k): int(v) for k, v in mapping[t.name].items()} for t in tables if rows.has_id(t)}
    exec_of: dict[str, dict[int, Any]] = defaultdict(dict)
    entries: list[tuple] = []
    local_execs: dict[int, Any] = {}
    for table in tables:
        targets = rows.fk_targets(table)

        def translate(col: str, value: Any, _t: dict[str, str] = targets) -> Any:
            return None if value is None else l2s.get(_t[col], {}).get(value)

        col = rows.owner_column(table) if table.name in owned else None
        for r in lconn.execute(select(table)).mappings():
            lkey = rows.row_key(table, r)
            owner = None
            if col is not None:
                parent = "exec" if col in ("id", "exec_id") else targets[col]
                owner = r["id"] if col == "id" else r[col] if parent == "exec" else exec_of[parent].get(r[col])
            if rows.has_id(table):
                exec_of[table.name][r["id"]] = owner
            skey = mapping[table.name].get(lkey)
            if skey is None and not rows.has_id(table) and all(
                    translate(c, r[c]) is not None for c in rows.key_columns(table)):
                skey = rows.row_key(table, r, translate)
            entries.append((table.name, lkey, skey, owner, rows.row_digest(table, r, translate)))
            if table.name == "exec":
                local_execs[r["id"]] = r
                entries.append((rows.NOTE, lkey, skey, r["id"], rows.note_digest(r["private_notes"])))
    return entries, local_execs, l2s


def _finish_touched(lconn: Any, result: dict[str, Any]) -> tuple[dict[int, Any], dict[str, dict[int, int]]]:
    """Record the new base of the rows the merge touched (and forget the rows gone); untouched rows keep theirs."""
    from sqlalchemy import and_, select

    tables = {t.name: t for t in rows.travelling_tables()}
    mapping: dict[str, dict[str, str]] = defaultdict(dict)
    for tbl, lkey, skey in lconn.exec_driver_sql("SELECT tbl, local_key, server_key FROM team_offline_row").all():
        mapping[tbl][lkey] = skey
    for tbl, m in result.get("idmap", {}).items():
        mapping[tbl].update(m)
    l2s = {n: {int(k): int(v) for k, v in mapping[n].items()} for n, t in tables.items() if rows.has_id(t)}
    entries = []
    for tbl, lkey in result.get("gone", []):
        lconn.exec_driver_sql("DELETE FROM team_offline_row WHERE tbl = ? AND local_key = ?", (tbl, lkey))
    digesters: dict[str, Any] = {}
    for tbl, lkey, exec_id in result["touched"]:
        if tbl == rows.NOTE:
            note = lconn.exec_driver_sql("SELECT private_notes FROM exec WHERE id = ?", (int(lkey),)).scalar()
            skey = mapping["exec"].get(lkey)
            if skey is not None:
                entries.append((tbl, lkey, skey, exec_id, rows.note_digest(note or "")))
            continue
        table = tables[tbl]
        cols = rows.key_columns(table)
        r = lconn.execute(select(table).where(and_(*(table.c[c] == int(v) for c, v in zip(cols, lkey.split(",")))))
                          ).mappings().first()
        d = digesters.get(tbl) or digesters.setdefault(tbl, rows.digester(table, l2s))
        skey = mapping[tbl].get(lkey)
        if skey is None and r is not None and not rows.has_id(table):
            keys = [l2s.get(rows.fk_targets(table)[c], {}).get(r[c]) for c in cols]
            skey = ",".join(str(k) for k in keys) if None not in keys else None
        if r is None or skey is None:
            continue
        entries.append((tbl, lkey, skey, exec_id, d(r)))
        if tbl == "exec" and lkey not in {e[1] for e in entries if e[0] == rows.NOTE}:
            entries.append((rows.NOTE, lkey, skey, int(lkey), rows.note_digest(r["private_notes"])))
    if entries:
        lconn.exec_driver_sql("INSERT OR REPLACE INTO team_offline_row(tbl, local_key, server_key, exec_id, base) "
                              "VALUES (?, ?, ?, ?, ?)", entries)
    new = [int(k) for k in result.get("idmap", {}).get("exec", {})]
    local_execs = {i: r for i in new if (r := lconn.exec_driver_sql(
        "SELECT id, name FROM exec WHERE id = ?", (i,)).mappings().first()) is not None}
    return local_execs, l2s


def pending_changes(local: Workspace) -> dict[int, int]:
    """Rows added, changed or deleted on the laptop and not yet brought back, per local exec id."""
    with local.engine.connect() as lconn:
        entries, _execs, _l2s = _local_entries(lconn, {})
        stored = {(t, k): (e, b) for t, k, e, b in lconn.exec_driver_sql(
            "SELECT tbl, local_key, exec_id, base FROM team_offline_row").all()}
    counts: dict[int, int] = defaultdict(int)
    for tbl, lkey, _skey, owner, digest in entries:
        known = stored.pop((tbl, lkey), None)
        if known is None or known[1] != digest:
            counts[owner] += 1
    for exec_id, _base in stored.values():
        counts[exec_id] += 1
    return {e: n for e, n in counts.items() if e is not None}


def _finish(local: Workspace, result: dict[str, Any]) -> None:
    """The laptop's side of a committed check-in: new server ids, every row as it is now as the new base."""
    with local.engine.begin() as lconn:
        if "touched" in result:
            local_execs, l2s = _finish_touched(lconn, result)
        else:  # a record from before touched rows were listed: walk every row
            found, local_execs, l2s = _local_entries(lconn, result.get("idmap", {}))
            entries = [e for e in found if e[2] is not None]
            lconn.exec_driver_sql("DELETE FROM team_offline_row")
            if entries:
                lconn.exec_driver_sql("INSERT INTO team_offline_row(tbl, local_key, server_key, exec_id, base) "
                                      "VALUES (?, ?, ?, ?, ?)", entries)
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        lconn.exec_driver_sql("UPDATE team_offline_exec SET checked_in_at = ? WHERE checked_in_at IS NULL", (now,))
        tracked = {r[0] for r in lconn.exec_driver_sql("SELECT local_id FROM team_offline_exec").all()}
        role = dict(lconn.exec_driver_sql("SELECT key, value FROM team_offline_origin").all()).get("role", "")
        new_execs = [(i, l2s["exec"][i], r["name"], role, now, now) for i, r in local_execs.items()
                     if i not in tracked and i in l2s["exec"]]
        if new_execs:
            lconn.exec_driver_sql(
                "INSERT INTO team_offline_exec(local_id, server_id, name, lease_id, holder, since, checked_in_at) "
                "VALUES (?, ?, ?, '', ?, ?, ?)", new_execs)
        lconn.exec_driver_sql("DELETE FROM team_offline_origin WHERE key = 'pending'")
    local.change_counter += 1
