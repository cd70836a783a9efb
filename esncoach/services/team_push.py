"""Move a solo workspace onto the team server: copy its execs with everything theirs, assign them to a CM.

An exec already on the server (same e-mail, or same name when it has none) is left as it is and only
assigned, so running the push twice adds nothing the second time; the whole push is one transaction
on the server, so an interrupted push leaves nothing half-copied. Rows are copied under new ids with
every foreign key remapped (the exec-archive merger); people and tags are matched with the server's by
e-mail and name. Private notes become the CM's own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from esncoach.progress import ProgressSink, no_progress
from esncoach.store.errors import StoreError, ValidationError
from esncoach.store.workspace import Workspace


@dataclass(frozen=True)
class PushResult:
    """What a push did: execs copied (with their row counts) and execs that were there already."""

    added: tuple[str, ...] = ()
    already_there: tuple[str, ...] = ()
    rows: int = 0
    names: dict[str, int] = field(default_factory=dict)


def push(local: Workspace, server: Workspace, *, cm: str, progress: ProgressSink = no_progress) -> PushResult:
    """Copy every exec of ``local`` onto ``server`` and make ``cm`` their CM; idempotent."""
    from sqlalchemy import func, select

    from esncoach.store.archive import _Merger, _metadata, _owned_tables

    if not server.is_server or local.is_server:
        raise StoreError("Push copies a workspace file onto a team server: --from FILE --db postgresql://….")
    metadata = _metadata()
    owned = _owned_tables(metadata)
    exec_table = metadata.tables["exec"]
    added: list[str] = []
    there: list[str] = []
    rows = 0
    with local.engine.connect() as sconn, server.engine.begin() as dconn:
        member = dconn.exec_driver_sql("SELECT is_lead FROM team_member WHERE role = %(r)s", {"r": cm}).first()
        if member is None:
            raise ValidationError("cm", f"“{cm}” is not a CM of this team: add them with esncoach team add-cm.")
        if member[0]:
            raise ValidationError("cm", f"“{cm}” is the programme lead, not a CM; execs are pushed to a CM.")
        by_email = {e.lower(): i for i, e in dconn.execute(select(exec_table.c.id, exec_table.c.email)) if e}
        by_name = {n.lower(): i for i, n in dconn.execute(
            select(exec_table.c.id, exec_table.c.name).where(exec_table.c.email.is_(None)))}
        local_execs = list(sconn.execute(select(exec_table).order_by(exec_table.c.id)).mappings())
        for done, source in enumerate(local_execs):
            progress(done, len(local_execs), source["name"])
            email = (source["email"] or "").lower()
            existing = by_email.get(email) if email else by_name.get(source["name"].lower())
            if existing is not None:
                there.append(source["name"])
                new_id = existing
            else:
                maps: dict[str, dict] = {}
                merger = _Merger(sconn, dconn, maps)
                for table in metadata.sorted_tables:
                    if table.name not in owned:
                        continue
                    source_rows = [dict(source)] if table.name == "exec" else merger.owned_rows(table, owned)
                    rows += merger.copy_rows(table, source_rows)
                new_id = maps["exec"][source["id"]]
                added.append(source["name"])
                # The note moved to the pusher's private notes (trigger); it is the CM's.
                dconn.exec_driver_sql(
                    "UPDATE team_private_note SET author = %(cm)s WHERE exec_id = %(e)s AND author = current_user "
                    "AND current_user <> %(cm)s", {"cm": cm, "e": new_id})
            dconn.exec_driver_sql("INSERT INTO team_exec_cm(exec_id, role) VALUES (%(e)s, %(cm)s) ON CONFLICT DO NOTHING",
                                  {"e": new_id, "cm": cm})
        total = dconn.execute(select(func.count()).select_from(exec_table)).scalar_one()
    progress(len(local_execs), len(local_execs), "Done")
    return PushResult(tuple(added), tuple(there), rows, {"server_execs": total})
