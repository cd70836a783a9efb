"""A small team on a private copy of the demo server for the offline tests: two CMs and a lead.

``ann`` coaches Amelia Hart and Bruno Castillo, ``bob`` also coaches Amelia Hart, ``lee`` leads. Each
logs in over the trusted Unix socket (no password), so the tests run as the real roles.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from esncoach.store.server import ServerWorkspace, open_server
from tests.pg_server import PgServer, socket_url

AMELIA, BRUNO = "Amelia Hart", "Bruno Castillo"


@dataclass
class Team:
    """The database and its roles; ``open(who)`` logs in as ann, bob or lee (or "owner")."""

    server: PgServer
    db: str

    def role(self, who: str) -> str:
        return f"{who}_{self.db}"

    def url(self, who: str) -> str:
        return socket_url(self.server, self.db, *( () if who == "owner" else (self.role(who),)))

    def open(self, who: str) -> ServerWorkspace:
        return open_server(self.url(who))

    def sql(self, query: str, *params: object) -> list[tuple]:
        """Run SQL as the superuser (sees everything; the tests' view of the truth)."""
        with self.server.admin(self.db) as conn:
            cur = conn.execute(query, params or None)
            return cur.fetchall() if cur.description else []


@pytest.fixture
def crew(pg_server: PgServer, pg_demo_template: str) -> Iterator[Team]:
    """A private demo team database with ann, bob (CMs) and lee (lead)."""
    from esncoach.services import team

    db = pg_server.fresh_name("ck")
    pg_server.create_database(db, template=pg_demo_template)
    t = Team(pg_server, db)
    with t.open("owner") as owner:
        for who in ("ann", "bob", "lee"):
            team.add_member(owner, role=t.role(who), lead=who == "lee")
        for name in (AMELIA, BRUNO):
            team.assign(owner, exec_name=name, cm=t.role("ann"))
        team.assign(owner, exec_name=AMELIA, cm=t.role("bob"))
    # The demo's private notes were written by the owner; ann's execs' notes become hers.
    t.sql("UPDATE team_private_note SET author = %s WHERE exec_id IN (SELECT id FROM exec WHERE name IN (%s, %s))",
          t.role("ann"), AMELIA, BRUNO)
    yield t
    with pg_server.admin() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        for who in ("ann", "bob", "lee"):
            conn.execute(f"DROP ROLE IF EXISTS {t.role(who)}")
