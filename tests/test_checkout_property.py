"""Random sequences of check-out, offline edit, server edit, lead's release and check-in (hypothesis stateful).

A small model — per exec: the server's notes of its first session, the laptop's, the base they share, whether
the exec is leased — predicts the server after every step; the real server must agree. Few examples and
steps: each one is a fresh team database on the real server.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from esncoach.services import execs, sessions, team
from esncoach.services.team_checkout import checkout, release
from esncoach.services.team_checkout_merge import checkin
from esncoach.store.errors import StoreError
from esncoach.store.workspace import Workspace
from tests.checkout_kit import AMELIA, BRUNO, Team
from tests.conftest import TEST_KEY
from tests.pg_server import PgServer

NAMES = st.sampled_from([AMELIA, BRUNO])
WORDS = st.sampled_from(["alpha", "beta", "gamma", "delta"])


class OfflineMachine(RuleBasedStateMachine):
    """ann takes Amelia and Bruno offline and back; bob edits on the server; lee releases leases."""

    server: PgServer
    template: str

    def __init__(self) -> None:
        super().__init__()
        db = self.server.fresh_name("hy")
        self.server.create_database(db, template=self.template)
        self.crew = Team(self.server, db)
        self.folder = tempfile.TemporaryDirectory(prefix="esncoach-hy-")
        self.laptop_path = Path(self.folder.name) / "laptop.db"
        with self.crew.open("owner") as owner:
            for who in ("ann", "bob", "lee"):
                team.add_member(owner, role=self.crew.role(who), lead=who == "lee")
            for name in (AMELIA, BRUNO):
                team.assign(owner, exec_name=name, cm=self.crew.role("ann"))
                team.assign(owner, exec_name=name, cm=self.crew.role("bob"))
        self.ann, self.bob, self.lee = (self.crew.open(w) for w in ("ann", "bob", "lee"))
        self.laptop = Workspace.open(self.laptop_path, TEST_KEY)
        self.sid = {n: sessions.list_sessions(self.bob, exec_id=execs.find_exec(self.bob, n).id)[0].id
                    for n in (AMELIA, BRUNO)}
        self.server_notes = {n: sessions.get_session(self.bob, self.sid[n]).notes for n in (AMELIA, BRUNO)}
        self.local: dict[str, str] = {}  # exec -> notes on the laptop (exec is on the laptop)
        self.base: dict[str, str] = {}
        self.leased: set[str] = set()
        self.mark = f"— from the offline copy of {self.crew.role('ann')} —"

    def teardown(self) -> None:
        for ws in (self.laptop, self.ann, self.bob, self.lee):
            ws.close()
        self.folder.cleanup()
        with self.server.admin() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {self.crew.db} WITH (FORCE)")
            for who in ("ann", "bob", "lee"):
                conn.execute(f"DROP ROLE IF EXISTS {self.crew.role(who)}")

    def _local_sid(self, name: str) -> int:
        return sessions.list_sessions(self.laptop, exec_id=execs.find_exec(self.laptop, name).id)[0].id

    @rule(name=NAMES)
    def take_offline(self, name: str) -> None:
        if name in self.leased or (name in self.local and self.local[name] != self.base[name]):
            return  # not modelled: taken already, or the laptop still has unmerged work on it
        checkout(self.ann, self.laptop, names=[name])
        self.leased.add(name)
        self.local[name] = self.base[name] = self.server_notes[name]

    @precondition(lambda self: bool(self.local))
    @rule(data=st.data(), word=WORDS)
    def edit_offline(self, data: st.DataObject, word: str) -> None:
        name = data.draw(st.sampled_from(sorted(self.local)))
        text = f"offline {word} {len(self.local[name])}"
        sessions.save_notes(self.laptop, session_id=self._local_sid(name), notes=text)
        self.local[name] = text

    @rule(name=NAMES, word=WORDS)
    def edit_on_server(self, name: str, word: str) -> None:
        text = f"bob {word} {len(self.server_notes[name])}"
        try:
            sessions.save_notes(self.bob, session_id=self.sid[name], notes=text)
        except StoreError as exc:
            assert name in self.leased and "is checked out by" in str(exc)
            return
        assert name not in self.leased
        self.server_notes[name] = text

    @rule(name=NAMES)
    def lead_releases(self, name: str) -> None:
        if name not in self.leased:
            return
        release(self.lee, exec_name=name)
        self.leased.discard(name)

    @precondition(lambda self: bool(self.local))
    @rule()
    def bring_back(self) -> None:
        result = {e.name: e for e in checkin(self.ann, self.laptop).execs}
        for name, mine in self.local.items():
            conflicts = 0
            if mine != self.base[name]:
                if self.server_notes[name] != self.base[name]:
                    self.server_notes[name] = f"{self.server_notes[name]}\n\n{self.mark}\n{mine}"
                    conflicts = 1
                else:
                    self.server_notes[name] = mine
            self.base[name] = mine
            assert result[name].conflicts == conflicts
        self.leased.clear()

    @invariant()
    def server_matches_the_model(self) -> None:
        for name in (AMELIA, BRUNO):
            assert sessions.get_session(self.bob, self.sid[name]).notes == self.server_notes[name]
        leased = {r[0] for r in self.crew.sql("SELECT e.name FROM team_lease l JOIN exec e ON e.id = l.exec_id")}
        assert leased == self.leased


def test_random_offline_sequences_match_the_model(pg_server: PgServer, pg_demo_template: str) -> None:
    OfflineMachine.server, OfflineMachine.template = pg_server, pg_demo_template
    run_state_machine_as_test(OfflineMachine, settings=settings(
        max_examples=6, stateful_step_count=8, deadline=None, derandomize=True,
        suppress_health_check=list(HealthCheck)))
