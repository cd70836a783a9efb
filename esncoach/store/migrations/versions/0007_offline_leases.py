"""offline leases: execs taken offline from a team server, and what a laptop's copy remembers

Revision ID: 0007_offline_leases
Revises: 0006_row_versions
Create Date: 2026-11-30 03:10:00

On PostgreSQL:

* ``team_lease``: one row per exec taken offline (who, since when, from which workspace). A CM takes a
  lease on an exec assigned to them; the lead ends one on purpose (``esncoach team release``); the
  holder gives theirs back at check-in through ``team_lease_return``.
* A ``BEFORE`` trigger on every table whose rows belong to an exec (found from the foreign keys by 0004's
  own finder, plus ``team_private_note``) refuses any write about a leased exec by anyone but the holder,
  with SQLSTATE ``ESNLK`` and the sentence "NAME is checked out by ROLE since …". A trigger binds the
  owner and superusers too, which row-level security would not.
* ``team_identity``: one random id, so a laptop's copy can tell this server from another one (together
  with the database name: a database copied from a template keeps the id but not the name).
* ``team_checkin``: every check-in that committed, with the ids the server gave the rows added offline,
  so a check-in cut off after the server committed completes on the laptop without adding anything twice.

On SQLite (the laptop's copy): ``team_offline_origin`` (server identity and address, a pending check-in),
``team_offline_exec`` (each exec taken offline: its id on the server, its lease) and ``team_offline_row``
(each copied row's key on the server and a digest of its content when copied or last merged). A
workspace that never took anything offline leaves them empty.

The ``team_*`` tables are raw SQL, hidden from the no-drift test by ``migrations_filter``.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from alembic import op

revision = "0007_offline_leases"
down_revision = "0006_row_versions"
branch_labels = None
depends_on = None

CM, LEAD = "esncoach_cm", "esncoach_lead"
LEASE_SQLSTATE = "ESNLK"

SQLITE_DDL = [
    "CREATE TABLE team_offline_origin (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE team_offline_exec (local_id INTEGER PRIMARY KEY, server_id INTEGER NOT NULL, name TEXT NOT NULL, "
    "lease_id TEXT NOT NULL, holder TEXT NOT NULL, since TEXT NOT NULL, checked_in_at TEXT)",
    "CREATE TABLE team_offline_row (tbl TEXT NOT NULL, local_key TEXT NOT NULL, server_key TEXT NOT NULL, "
    "exec_id INTEGER, base TEXT NOT NULL, PRIMARY KEY (tbl, local_key)) WITHOUT ROWID",
]

PG_DDL = [
    "CREATE TABLE team_identity (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), "
    "one boolean NOT NULL UNIQUE DEFAULT true CHECK (one))",
    "INSERT INTO team_identity DEFAULT VALUES",
    "CREATE TABLE team_lease (exec_id integer PRIMARY KEY REFERENCES exec(id) ON DELETE CASCADE, "
    "lease_id uuid NOT NULL UNIQUE DEFAULT gen_random_uuid(), holder name NOT NULL DEFAULT session_user, "
    "since timestamptz NOT NULL DEFAULT now(), workspace text NOT NULL DEFAULT '')",
    "CREATE TABLE team_checkin (checkin_id uuid PRIMARY KEY, holder name NOT NULL DEFAULT session_user, "
    "done_at timestamptz NOT NULL DEFAULT now(), result jsonb NOT NULL)",
    f"""CREATE FUNCTION team_lease_refuse(e bigint) RETURNS void LANGUAGE plpgsql STABLE SECURITY DEFINER
SET search_path = public AS $$
DECLARE l record;
BEGIN
  IF e IS NULL THEN RETURN; END IF;
  SELECT holder, since INTO l FROM team_lease WHERE exec_id = e;
  IF FOUND AND l.holder <> session_user THEN
    RAISE EXCEPTION USING ERRCODE = '{LEASE_SQLSTATE}', MESSAGE = format(
      '%s is checked out by %s since %s: changes to it are refused until it is brought back.',
      coalesce((SELECT name FROM exec WHERE id = e), 'This executive'), l.holder,
      to_char(l.since AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"'));
  END IF;
END $$""",
    # The holder gives their own leases back at check-in; it cannot end anyone else's.
    "CREATE FUNCTION team_lease_return(ids uuid[]) RETURNS integer LANGUAGE sql SECURITY DEFINER "
    "SET search_path = public AS $$ WITH gone AS (DELETE FROM team_lease WHERE lease_id = ANY(ids) "
    "AND holder = session_user RETURNING 1) SELECT count(*)::integer FROM gone $$",
    "ALTER TABLE team_identity ENABLE ROW LEVEL SECURITY",
    f"CREATE POLICY team_read ON team_identity FOR SELECT TO {CM}, {LEAD} USING (true)",
    "ALTER TABLE team_lease ENABLE ROW LEVEL SECURITY",
    f"CREATE POLICY team_read ON team_lease FOR SELECT TO {CM}, {LEAD} USING ((SELECT team_is_member()))",
    f"CREATE POLICY team_take ON team_lease FOR INSERT TO {CM} WITH CHECK (holder = session_user AND team_assigned(exec_id))",
    f"CREATE POLICY team_release ON team_lease FOR DELETE TO {LEAD} USING ((SELECT team_is_lead()))",
    "ALTER TABLE team_checkin ENABLE ROW LEVEL SECURITY",
    f"CREATE POLICY team_own ON team_checkin TO {CM} USING (holder = session_user) WITH CHECK (holder = session_user)",
    f"GRANT SELECT ON team_identity, team_lease TO {CM}, {LEAD}",
    f"GRANT INSERT ON team_lease TO {CM}",
    f"GRANT DELETE ON team_lease TO {LEAD}",
    f"GRANT SELECT, INSERT ON team_checkin TO {CM}",
    "REVOKE ALL ON FUNCTION team_lease_return(uuid[]) FROM PUBLIC",
    f"GRANT EXECUTE ON FUNCTION team_lease_return(uuid[]) TO {CM}",
]


def _exec_owned(conn):  # type: ignore[no-untyped-def]
    """0004's own finder of exec-owned tables (from the foreign keys), so both cover the same tables."""
    spec = importlib.util.spec_from_file_location(
        "esncoach_migration_0004", Path(__file__).with_name("0004_team_server.py"))
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module._exec_owned(conn)


def _guard(table: str, expr: str) -> None:
    def row(which: str) -> str:
        if "(" in expr:
            name, column = expr.rstrip(")").split("(")
            return f"{name}({which}.{column})"
        return f"{which}.{expr}"

    # SECURITY DEFINER: the lease table is read whatever the writer may see. The EXISTS keeps bulk
    # writes cheap while nothing is checked out.
    op.execute(
        f"CREATE FUNCTION team_lease_{table}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER "
        f"SET search_path = public AS $$\nBEGIN\n"
        f"  IF EXISTS (SELECT 1 FROM team_lease) THEN\n"
        f"    IF TG_OP <> 'INSERT' THEN PERFORM team_lease_refuse(({row('OLD')})::bigint); END IF;\n"
        f"    IF TG_OP <> 'DELETE' THEN PERFORM team_lease_refuse(({row('NEW')})::bigint); END IF;\n"
        f"  END IF;\n"
        f"  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;\n  RETURN NEW;\nEND $$"
    )
    op.execute(f"CREATE TRIGGER team_lease BEFORE INSERT OR UPDATE OR DELETE ON {table} "
               f"FOR EACH ROW EXECUTE FUNCTION team_lease_{table}()")


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        for statement in SQLITE_DDL:
            op.execute(statement)
        return
    for statement in PG_DDL:
        op.execute(statement)
    owned = _exec_owned(conn)
    owned["team_private_note"] = "exec_id"
    for table, expr in owned.items():
        _guard(table, expr)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        for table in ("team_offline_row", "team_offline_exec", "team_offline_origin"):
            op.execute(f"DROP TABLE {table}")
        return
    raise NotImplementedError("A team workspace is not downgraded; restore the administrator's pg_dump instead.")
