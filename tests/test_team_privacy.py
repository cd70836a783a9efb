"""What a team member learns beyond their execs (migration 0008): live refresh and search, as real roles.

``ann`` coaches Amelia Hart and Bruno Castillo, ``bob`` coaches Amelia Hart, ``lee`` leads (tests/checkout_kit).
Announcements of a change go only to the channels of those who may read the changed rows; a member's
channel is named by the server and cannot be derived by anyone else. Private notes are searchable by their
author only.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import psycopg
import pytest

from esncoach.cli import main
from esncoach.services import search, sessions
from esncoach.store import schema
from esncoach.store.workspace import Workspace
from esncoach.views.team.live import CHANNEL, listen_channels
from tests.checkout_kit import AMELIA, BRUNO, Team, crew  # noqa: F401 - fixture
from tests.conftest import TEST_KEY

FIXTURE_0007 = Path(__file__).parent / "data" / "workspace-0007.db"
"""The demo workspace at schema 0007 (``workspace-0006.db`` upgraded by Alembic to 0007, nothing else)."""


def _login(crew: Team, who: str) -> psycopg.Connection:
    """A psql-like session of ``who`` (autocommit), over the trusted socket."""
    dsn = crew.server.admin_dsn(crew.db)
    if who != "owner":
        dsn = dsn.replace("user=postgres", f"user={crew.role(who)}")
    return psycopg.connect(dsn, autocommit=True)


def _listen(conn: psycopg.Connection) -> list[str]:
    channels = listen_channels(conn)
    for channel in channels:
        conn.execute(f'LISTEN "{channel}"')
    return channels


def _heard(conn: psycopg.Connection, marker: str) -> list[tuple[str, str]]:
    """Every (channel, payload) heard until ``marker`` arrives on the public channel.

    Notifications reach a listener in commit order, so once the marker (sent after the writes under
    test) is heard, everything those writes announced to this listener has been heard too.
    """
    heard: list[tuple[str, str]] = []
    for n in conn.notifies(timeout=10):
        if n.channel == CHANNEL and n.payload == marker:
            return heard
        heard.append((n.channel, n.payload))
    raise AssertionError(f"the marker {marker} never came; heard {heard}")


def _mark(crew: Team, marker: str) -> None:
    crew.sql("SELECT pg_notify(%s, %s)", CHANNEL, marker)


def test_changes_are_announced_only_to_those_who_may_read_them(crew: Team) -> None:
    amelia, bruno, chen = (crew.sql("SELECT id FROM exec WHERE name = %s", n)[0][0] for n in (AMELIA, BRUNO, "Chen Wei"))
    listeners = {who: _login(crew, who) for who in ("ann", "bob", "lee", "owner")}
    channels = {who: _listen(conn) for who, conn in listeners.items()}
    try:
        own = {who: set(chs) - {CHANNEL} for who, chs in channels.items()}
        assert all(len(c) == 1 for c in own.values()) and len(set().union(*own.values())) == 4
        # ann saves a session of Bruno's (hers alone), then one of Amelia's (hers and bob's).
        with crew.open("ann") as ann:
            for exec_id in (bruno, amelia):
                row = sessions.list_sessions(ann, exec_id=exec_id)[0]
                sessions.save_notes(ann, session_id=row.id, notes=f"ann's notes {exec_id}", expected_version=row.version)
        _mark(crew, "m1")
        heard = {who: _heard(conn, "m1") for who, conn in listeners.items()}
        for who in ("ann", "lee", "owner"):
            assert heard[who] == [(*own[who], str(bruno)), (*own[who], str(amelia))], who
        assert heard["bob"] == [(*own["bob"], str(amelia))]  # nothing of Bruno's: not even that he changed
        # What the directory shows anyone (a title) is announced to all, on the public channel.
        crew.sql("UPDATE exec SET title = 'Chief Everything' WHERE id = %s", chen)
        _mark(crew, "m2")
        assert _heard(listeners["bob"], "m2") == [(CHANNEL, str(chen))]
        assert _heard(listeners["ann"], "m2") == [(CHANNEL, str(chen))]
    finally:
        for conn in listeners.values():
            conn.close()


def test_a_member_cannot_find_a_colleagues_channel(crew: Team) -> None:
    channels = set()
    for who in ("bob", "lee", "ann"):
        with _login(crew, who) as conn:
            mine = conn.execute("SELECT team_my_channel()").fetchone()[0]
            assert mine and mine.startswith("esncoach_")
            channels.add(mine)
            for statement in ("SELECT * FROM team_notify_secret",
                              f"SELECT team_channel_of('{crew.role('ann' if who != 'ann' else 'bob')}')",
                              "SELECT prosrc FROM pg_proc WHERE prosrc ~ 'esncoach_[0-9a-f]{40}'"):
                try:
                    rows = conn.execute(statement).fetchall()
                except psycopg.errors.InsufficientPrivilege:
                    continue
                assert rows == [], (who, statement)  # no function carries a channel name in its source
    assert len(channels) == 3


def _private_note(crew: Team, who: str, exec_name: str, text: str) -> None:
    with _login(crew, who) as conn:  # as the app writes it: the column, moved by the server into the author's note
        assert conn.execute("UPDATE exec SET private_notes = %s WHERE name = %s", (text, exec_name)).rowcount == 1


def _exec_hits(ws: Workspace, query: str) -> list[tuple[str, str]]:
    return [(h.exec_name, h.snippet_text()) for h in search.search(ws, query=query).hits if h.kind == "exec"]


def test_private_notes_are_searchable_by_their_author_only(crew: Team, capsys: pytest.CaptureFixture[str]) -> None:
    _private_note(crew, "ann", AMELIA, "Worried about the zebrafish merger")
    _private_note(crew, "bob", AMELIA, "Loves quokka pictures")
    assert crew.sql("SELECT count(*) FROM search_index WHERE body ~ 'zebrafish|quokka'") == [(0,)]  # not in the index
    with crew.open("ann") as ann, crew.open("bob") as bob, crew.open("lee") as lee:
        [(name, snippet)] = _exec_hits(ann, "zebrafish")
        assert name == AMELIA and "Worried about the [zebrafish] merger" in snippet  # her note, shown to her
        assert _exec_hits(ann, "quokka") == []
        assert [name for name, _ in _exec_hits(bob, "quokka")] == [AMELIA]
        assert _exec_hits(bob, "zebrafish") == []
        assert search.search(lee, query="zebrafish").hits == () and search.search(lee, query="quokka").hits == ()
        # The note counts as part of the exec's row: a word of the name with a word of the note, excluded words.
        assert [name for name, _ in _exec_hits(ann, "hart zebrafish")] == [AMELIA]
        assert AMELIA not in [name for name, _ in _exec_hits(ann, "hart -zebrafish")]
        assert AMELIA in [name for name, _ in _exec_hits(bob, "hart -zebrafish")]
        best = search.search(ann, query="zebrafish", order=search.Order.BEST)
        assert [h.exec_name for h in best.hits] == [AMELIA]
    for who, word, found in (("ann", "zebrafish", True), ("bob", "zebrafish", False), ("lee", "quokka", False),
                             ("bob", "quokka", True)):
        assert main(["search", "--db", crew.url(who), "--json", word]) == 0
        hits = [h for g in json.loads(capsys.readouterr().out)["groups"] for h in g["hits"]]
        assert ([h["exec"] for h in hits] == [AMELIA]) is found, (who, word)
    with _login(crew, "bob") as bob:  # nor through psql
        assert bob.execute("SELECT count(*) FROM team_private_note WHERE text ~ 'zebrafish'").fetchone()[0] == 0


def test_a_schema_0007_file_upgrades(tmp_path: Path) -> None:
    target = tmp_path / "old.db"
    shutil.copy(FIXTURE_0007, target)
    with Workspace.open(target, TEST_KEY) as ws:
        with ws.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar_one() == schema.HEAD_REVISION
        assert [h.exec_name for h in search.search(ws, query="prefers short").hits if h.kind == "exec"]


def test_a_schema_0007_server_database_upgrades(pg_server) -> None:  # type: ignore[no-untyped-def]
    from esncoach.store.server import ServerAddress, open_server
    from tests.pg_server import database_at

    url = database_at(pg_server, "old7", "0007_offline_leases",
                      "INSERT INTO exec(name, title, department, stage, archived, private_notes, created_at, updated_at, "
                      "version) VALUES ('Olga Old', '', '', 'listen', false, 'kept from before', now(), now(), 1)")
    try:
        with open_server(url) as ws:  # upgraded to head on opening: the note moved in 0004 gains its search text
            assert [h.exec_name for h in search.search(ws, query="kept before").hits] == ["Olga Old"]
            with ws.engine.connect() as conn:
                assert conn.exec_driver_sql("SELECT team_my_channel()").scalar_one().startswith("esncoach_")
    finally:
        with pg_server.admin() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {ServerAddress.parse(url).dbname} WITH (FORCE)")
