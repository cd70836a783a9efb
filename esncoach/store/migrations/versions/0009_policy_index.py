"""policy index: a CM's access rule becomes an index condition instead of a test on every row

Revision ID: 0009_policy_index
Revises: 0008_private_channels
Create Date: 2026-11-30 05:30:00

Nothing changes in a SQLite workspace (this step only records the revision there). On PostgreSQL the
rules of 0004 said ``exec_id IN (SELECT c.exec_id FROM team_exec_cm c WHERE c.role = session_user)``. The
planner runs that as a hashed subquery tested on every row, so a CM's query that names no exec of its own
(a search, the exec list's last sessions and open items) read the whole table. Written
``exec_id = ANY (ARRAY(SELECT …))`` the caller's exec ids are still read once per statement, and become an
index condition on the ``exec_id`` indexes. Found by ``bench/team_load.py`` (#19).

* ``search_index``: its one read rule for CMs and the lead put the lead's flag in an OR with the CM's execs,
  which no index can serve; and the text match (``@@``) is not leakproof, so under row-level security
  PostgreSQL never uses the GIN index for it. Every CM search read all 118,500 index rows of the bench's
  500 execs × 3 years (~50 ms per query). The rule is now split by group as every other table's is: CMs by
  their execs' ids (a bitmap scan of ``search_index_exec``, then the text match on those rows), the lead
  as before (reading all, a scan is right). A role in the CM group gains or loses nothing: the exec tables
  never gave it the lead's reading either (their ``team_lead`` rules are ``TO esncoach_lead``).
* every exec-owned table's ``team_cm`` rule (USING and WITH CHECK): the same rule, ``= ANY (ARRAY(…))``.
  ``exec`` keeps its ``OR team_assigned(id)`` (an exec just created is its creator's in the same statement);
  tables reached through a parent (check-ins through their habit, …) keep their parent subquery.

Who sees and may write what is unchanged: the access tests run as each role, and a test upgrades a schema-0008
team database and compares every table as each role sees it before and after.
"""

from __future__ import annotations

import runpy
from pathlib import Path

from alembic import op

revision = "0009_policy_index"
down_revision = "0008_private_channels"
branch_labels = None
depends_on = None

CM, LEAD = "esncoach_cm", "esncoach_lead"
MINE = "ARRAY(SELECT c.exec_id FROM team_exec_cm c WHERE c.role = session_user)"
"""The caller's exec ids, read once per statement."""
MEMBER = "(SELECT team_is_member())"


def _exec_owned(conn):  # type: ignore[no-untyped-def]
    """0004's own finder of exec-owned tables (from the foreign keys): the tables it gave a ``team_cm`` rule."""
    return runpy.run_path(str(Path(__file__).with_name("0004_team_server.py")))["_exec_owned"](conn)


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    ruled = {t for (t,) in conn.exec_driver_sql(
        "SELECT c.relname FROM pg_policy p JOIN pg_class c ON c.oid = p.polrelid WHERE p.polname = 'team_cm'").all()}
    nullable = {t for (t,) in conn.exec_driver_sql(
        "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
        "AND column_name = 'exec_id' AND is_nullable = 'YES'").all()}
    for table, column in _exec_owned(conn).items():
        if table not in ruled or "(" in column:  # reached through a parent: unchanged
            continue
        mine = f"{column} = ANY ({MINE})"
        if table == "exec":
            mine += " OR team_assigned(id)"
        if table in nullable:  # programme-level rows (no exec) are the whole team's
            mine = f"({column} IS NULL AND {MEMBER}) OR {mine}"
        op.execute(f"ALTER POLICY team_cm ON {table} USING ({mine}) WITH CHECK ({mine})")
    op.execute("DROP POLICY team_read ON search_index")
    op.execute(f"CREATE POLICY team_read ON search_index FOR SELECT TO {CM} USING ("
               f"(exec_id IS NULL AND {MEMBER}) OR exec_id = ANY ({MINE}))")
    op.execute(f"CREATE POLICY team_lead ON search_index FOR SELECT TO {LEAD} USING ("
               f"(exec_id IS NULL AND {MEMBER}) OR (SELECT team_is_lead()) OR exec_id = ANY ({MINE}))")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    raise NotImplementedError("A team workspace is not downgraded; restore the administrator's pg_dump instead.")
