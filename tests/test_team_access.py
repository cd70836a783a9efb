"""Who sees what on a team server, enforced by PostgreSQL itself: tests log in as each role with psycopg.

Two CMs (ann, bob), a lead (lee) and an outsider role on the demo workspace: ann coaches Amelia Hart and
Bruno Castillo, bob coaches Chen Wei and Amelia Hart too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from esncoach.cli import main
from esncoach.services import execs, team
from esncoach.store.errors import ValidationError
from esncoach.store.server import open_server
from esncoach.store.workspace import Workspace
from tests.pg_server import PgServer

PASSWORDS = {"ann": "ann-pw", "bob": "bob-pw", "lee": "lee-pw", "zed": "zed-pw"}
ANN = {"Amelia Hart", "Bruno Castillo"}
BOB = {"Chen Wei", "Amelia Hart"}


@pytest.fixture(scope="module")
def team_template(pg_server: PgServer, pg_demo_template: str) -> Iterator[str]:
    """Built once per module: the demo with ann, bob (CMs), lee (lead) and zed (a login outside the team)."""
    from esncoach.store.server import open_server
    from tests.pg_server import socket_url

    name = pg_server.fresh_name("team_tpl")
    pg_server.create_database(name, template=pg_demo_template)
    ws = open_server(socket_url(pg_server, name))
    try:
        for role in ("ann", "bob", "lee"):
            team.add_member(ws, role=_role(name, role), lead=role == "lee", password=PASSWORDS[role])
        for exec_name in ANN:
            team.assign(ws, exec_name=exec_name, cm=_role(name, "ann"))
        for exec_name in BOB:
            team.assign(ws, exec_name=exec_name, cm=_role(name, "bob"))
    finally:
        ws.close()
    with pg_server.admin() as conn:
        conn.execute(f"CREATE ROLE {_role(name, 'zed')} LOGIN PASSWORD '{PASSWORDS['zed']}'")
    yield name
    with pg_server.admin() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def team_db(pg_server: PgServer, team_template: str) -> Iterator[str]:
    """A private copy of the team template (CREATE DATABASE … TEMPLATE: milliseconds, not a demo build)."""
    name = pg_server.fresh_name("team")
    pg_server.create_database(name, template=team_template)
    yield name
    with pg_server.admin() as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _role(_db: str, who: str) -> str:
    """Roles are cluster-wide and the copies share the template's: one fixed name per person."""
    return f"{who}_team"


def login(server: PgServer, db: str, who: str) -> psycopg.Connection:
    """A psql-like session of that role over TCP with its password (autocommit, as psql)."""
    return psycopg.connect(host=server.host, port=server.port, dbname=db, user=_role(db, who),
                           password=PASSWORDS[who], autocommit=True)


def names(conn: psycopg.Connection, sql: str = "SELECT name FROM exec") -> set[str]:
    return {r[0] for r in conn.execute(sql).fetchall()}


OWNED = ["exec", "coaching_session", "action_item", "habit", "check_in", "practice_post", "revision", "feedback",
         "stage_change", "watch_theme", "exec_support", "exec_tag", "session_tag", "post_tag", "rubric_score"]
EXEC_OF = {
    "exec": "t.id", "coaching_session": "t.exec_id", "action_item": "t.exec_id", "habit": "t.exec_id",
    "practice_post": "t.exec_id", "stage_change": "t.exec_id", "watch_theme": "t.exec_id",
    "exec_support": "t.exec_id", "exec_tag": "t.exec_id",
    "check_in": "(SELECT exec_id FROM habit h WHERE h.id = t.habit_id)",
    "revision": "(SELECT exec_id FROM practice_post p WHERE p.id = t.post_id)",
    "feedback": "(SELECT p.exec_id FROM revision r JOIN practice_post p ON p.id = r.post_id WHERE r.id = t.revision_id)",
    "rubric_score": "(SELECT p.exec_id FROM revision r JOIN practice_post p ON p.id = r.post_id WHERE r.id = t.revision_id)",
    "session_tag": "(SELECT exec_id FROM coaching_session s WHERE s.id = t.session_id)",
    "post_tag": "(SELECT exec_id FROM practice_post p WHERE p.id = t.post_id)",
}


def _rows_by_exec(conn: psycopg.Connection, table: str) -> dict[str, int]:
    """Visible rows of ``table`` counted per exec name (names from the directory every member reads)."""
    sql = f"SELECT e.name, count(*) FROM {table} t JOIN team_directory e ON e.id = {EXEC_OF[table]} GROUP BY e.name"
    return dict(conn.execute(sql).fetchall())


def test_each_cm_sees_every_table_only_for_their_execs(pg_server: PgServer, team_db: str) -> None:
    with pg_server.admin(team_db) as owner:
        everything = {t: _rows_by_exec(owner, t) for t in OWNED}
    assert all(everything[t] for t in ("coaching_session", "action_item", "habit", "check_in", "revision"))
    for who, mine in (("ann", ANN), ("bob", BOB)):
        with login(pg_server, team_db, who) as conn:
            for table in OWNED:
                seen = _rows_by_exec(conn, table)
                expected = {name: n for name, n in everything[table].items() if name in mine}
                assert seen == expected, (who, table)
            # Of the others: name, title, department, stage and CMs only, through the directory.
            directory = conn.execute("SELECT name, cms FROM team_directory").fetchall()
            assert len(directory) == 12
            assert dict(directory)["Amelia Hart"] == ", ".join(sorted([_role(team_db, "ann"), _role(team_db, "bob")]))
            hits = conn.execute("SELECT DISTINCT exec_id FROM search_index WHERE exec_id IS NOT NULL").fetchall()
            assert {r[0] for r in hits} == {r[0] for r in conn.execute("SELECT id FROM exec").fetchall()}


def test_cm_writes_are_refused_outside_their_execs(pg_server: PgServer, team_db: str) -> None:
    with login(pg_server, team_db, "ann") as ann:
        chen = ann.execute("SELECT id FROM team_directory WHERE name = 'Chen Wei'").fetchone()[0]
        assert ann.execute("UPDATE exec SET title = 'x' WHERE id = %s", (chen,)).rowcount == 0
        assert ann.execute("DELETE FROM coaching_session WHERE exec_id = %s", (chen,)).rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            ann.execute("INSERT INTO watch_theme(exec_id, text, active, created_at, updated_at) "
                        "VALUES (%s, 'sneaky', true, now(), now())", (chen,))
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            ann.execute("INSERT INTO team_exec_cm(exec_id, role) VALUES (%s, current_user)", (chen,))
        amelia = ann.execute("SELECT id FROM exec WHERE name = 'Amelia Hart'").fetchone()[0]
        assert ann.execute("UPDATE exec SET title = 'Chief Executive' WHERE id = %s", (amelia,)).rowcount == 1
        # A new exec is the creator's.
        new_id = ann.execute(
            "INSERT INTO exec(name, title, department, stage, archived, private_notes, created_at, updated_at) "
            "VALUES ('Nina New', '', '', 'listen', false, '', now(), now()) RETURNING id").fetchone()[0]
        assert "Nina New" in names(ann)
    with login(pg_server, team_db, "bob") as bob:
        assert "Nina New" not in names(bob)
        assert bob.execute("SELECT cms FROM team_directory WHERE id = %s", (new_id,)).fetchone()[0] == _role(team_db, "ann")


def test_private_notes_are_their_authors_only(pg_server: PgServer, team_db: str) -> None:
    with login(pg_server, team_db, "ann") as ann:
        ann.execute("UPDATE exec SET private_notes = 'ann thinks Amelia is shy' WHERE name = 'Amelia Hart'")
        assert names(ann, "SELECT text FROM team_private_note") == {"ann thinks Amelia is shy"}
        assert names(ann, "SELECT private_notes FROM exec WHERE name = 'Amelia Hart'") == {" "}
    with login(pg_server, team_db, "bob") as bob:
        assert names(bob, "SELECT text FROM team_private_note") == set()
        assert "shy" not in str(bob.execute("SELECT * FROM exec").fetchall())
        assert bob.execute("UPDATE team_private_note SET text = 'x'").rowcount == 0
    with login(pg_server, team_db, "lee") as lee:
        assert names(lee, "SELECT text FROM team_private_note") == set()
        assert "shy" not in str(lee.execute("SELECT * FROM exec").fetchall())
        assert "shy" not in str(lee.execute("SELECT * FROM search_index").fetchall())
    # Through the app each author sees their own note in the usual field.
    url = f"postgresql://{_role(team_db, 'ann')}@{pg_server.host}:{pg_server.port}/{team_db}"
    with open_server(url, password=PASSWORDS["ann"]) as ws:
        amelia = next(r for r in execs.list_execs(ws) if r.name == "Amelia Hart")
        assert execs.get_exec(ws, amelia.id).private_notes == "ann thinks Amelia is shy"
    url = f"postgresql://{_role(team_db, 'bob')}@{pg_server.host}:{pg_server.port}/{team_db}"
    with open_server(url, password=PASSWORDS["bob"]) as ws:
        assert execs.get_exec(ws, amelia.id).private_notes == ""


def test_lead_reads_all_assigns_and_writes_no_coaching(pg_server: PgServer, team_db: str) -> None:
    with pg_server.admin(team_db) as owner:
        sessions = owner.execute("SELECT count(*) FROM coaching_session").fetchone()[0]
    with login(pg_server, team_db, "lee") as lee:
        assert len(names(lee)) == 12
        assert lee.execute("SELECT count(*) FROM coaching_session").fetchone()[0] == sessions
        for sql in ("UPDATE coaching_session SET notes = 'x'", "DELETE FROM habit",
                    "UPDATE exec SET title = 'x'", "INSERT INTO tag(name) VALUES ('lead tag')"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                lee.execute(sql)
        kavya = lee.execute("SELECT id FROM exec WHERE name = 'Kavya Raman'").fetchone()[0]
        lee.execute("INSERT INTO team_exec_cm(exec_id, role) VALUES (%s, %s)", (kavya, _role(team_db, "bob")))
    with login(pg_server, team_db, "bob") as bob:
        assert "Kavya Raman" in names(bob)


def test_a_login_outside_the_team_sees_nothing(pg_server: PgServer, team_db: str) -> None:
    with login(pg_server, team_db, "zed") as zed:
        for table in ("exec", "coaching_session", "team_directory", "search_index", "team_private_note"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                zed.execute(f"SELECT * FROM {table}")


def test_team_cli(pg_server: PgServer, pg_url: str, pg_db: str, tmp_path: Path,
                  capsys: pytest.CaptureFixture[str]) -> None:
    import json

    assert main(["demo", "--db", pg_url]) == 0
    pw = tmp_path / "pw"
    pw.write_text("s3cret-cm\n")
    cm = _role(pg_db, "cli")
    try:
        assert main(["team", "init", "--db", pg_url]) == 0
        assert main(["team", "add-cm", "--db", pg_url, "--role", cm, "--password-file", str(pw)]) == 0
        assert main(["team", "assign", "--db", pg_url, "--exec", "chen wei", "--cm", cm]) == 0
        assert main(["team", "assign", "--db", pg_url, "--exec", "Nobody", "--cm", cm]) == 2
        capsys.readouterr()
        assert main(["team", "list", "--db", pg_url, "--json"]) == 0
        assert json.loads(capsys.readouterr().out) == {"cms": [{"role": cm, "lead": False, "execs": ["Chen Wei"]}]}
        assert main(["team", "add-cm", "--db", pg_url, "--role", "Bad Name"]) == 2
        assert "lower-case" in capsys.readouterr().err
        url = f"postgresql://{cm}@{pg_server.host}:{pg_server.port}/{pg_db}"
        assert main(["execs", "list", "--db", url, "--password-file", str(pw), "--json"]) == 0
        assert [e["name"] for e in json.loads(capsys.readouterr().out)] == ["Chen Wei"]
    finally:
        with pg_server.admin() as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {pg_db} WITH (FORCE)")
            conn.execute(f"DROP ROLE IF EXISTS {cm}")


def test_team_commands_refuse_a_file_workspace(tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        team.check_role_name("1abc")
    assert main(["team", "list", "--db", str(tmp_path / "x.db")]) == 2


def test_search_on_the_server_shows_a_cm_only_their_execs(pg_server: PgServer, team_db: str) -> None:
    from esncoach.services.search import search

    url = f"postgresql://{_role(team_db, 'ann')}@{pg_server.host}:{pg_server.port}/{team_db}"
    with open_server(url, password=PASSWORDS["ann"]) as ws:
        found = search(ws, query="a")
        assert found.total > 0
        assert {h.exec_name for h in found.hits if h.exec_name} <= ANN
        assert search(ws, query="Chen").total == 0
    url = f"postgresql://{_role(team_db, 'lee')}@{pg_server.host}:{pg_server.port}/{team_db}"
    with open_server(url, password=PASSWORDS["lee"]) as ws:
        assert search(ws, query="Chen").total > 0


def test_export_archive_from_the_server_holds_what_the_cm_may_see(pg_server: PgServer, team_db: str,
                                                                  tmp_path: Path) -> None:
    from esncoach.store.archive import export_archive, read_archive_info
    from esncoach.store.keys import passphrase_key

    url = f"postgresql://{_role(team_db, 'ann')}@{pg_server.host}:{pg_server.port}/{team_db}"
    with open_server(url, password=PASSWORDS["ann"]) as ws:
        with ws.session() as s:
            s.connection().exec_driver_sql(
                "UPDATE exec SET private_notes = 'ann''s own note' WHERE name = 'Amelia Hart'")
        out = tmp_path / "ann.esnarchive"
        export_archive(ws, out, passphrase_key("archive phrase"))
    info = read_archive_info(out, passphrase_key("archive phrase"))
    assert {name for _id, name in info.execs} == ANN
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ann.esnarchive"]
    from esncoach.store.archive import _opened_copy

    with _opened_copy(out, passphrase_key("archive phrase")) as copy:
        notes = {r.name: execs.get_exec(copy, r.id).private_notes for r in execs.list_execs(copy)}
    assert notes["Amelia Hart"] == "ann's own note" and notes["Bruno Castillo"] == ""


def test_a_cm_cannot_remove_an_import_batch_a_colleague_still_uses(pg_server: PgServer, team_db: str) -> None:
    with pg_server.admin(team_db) as owner:
        batch = owner.execute("INSERT INTO import_batch(source, file_name, file_sha256, imported_at, rows_imported, "
                              "rows_rejected) VALUES ('generic', 'f.csv', 'x', now(), 2, 0) RETURNING id").fetchone()[0]
        for name in ("Amelia Hart", "Chen Wei"):
            owner.execute("INSERT INTO metric_sample(exec_id, metric, period_start, period_end, value, source, batch_id) "
                          "SELECT id, 'likes', '2026-01-01', '2026-01-01', 1, 'generic', %s FROM exec WHERE name = %s",
                          (batch, name))
    chen_only = {"Chen Wei"}
    with login(pg_server, team_db, "ann") as ann:
        # Ann replaces her figure; to her the batch now looks unused, but Bob's Chen Wei still needs it.
        ann.execute("DELETE FROM metric_sample WHERE batch_id = %s", (batch,))
        assert ann.execute("DELETE FROM import_batch WHERE id = %s", (batch,)).rowcount == 0
    with pg_server.admin(team_db) as owner:
        left = owner.execute("SELECT e.name FROM metric_sample m JOIN exec e ON e.id = m.exec_id "
                             "WHERE m.batch_id = %s", (batch,)).fetchall()
        assert {r[0] for r in left} == chen_only
        owner.execute("DELETE FROM metric_sample WHERE batch_id = %s", (batch,))
    with login(pg_server, team_db, "bob") as bob:
        assert bob.execute("DELETE FROM import_batch WHERE id = %s", (batch,)).rowcount == 1


def test_team_directory_window_lists_the_whole_programme_for_a_cm(qtbot, pg_server: PgServer,  # type: ignore[no-untyped-def]
                                                                  team_db: str) -> None:
    from esncoach.views.app_settings import AppSettings
    from esncoach.views.main_window import MainWindow
    from esncoach.views.team.directory import open_directory

    url = f"postgresql://{_role(team_db, 'ann')}@{pg_server.host}:{pg_server.port}/{team_db}"
    with open_server(url, password=PASSWORDS["ann"]) as ws:
        window = MainWindow(ws, AppSettings())
        qtbot.addWidget(window)
        assert window.model.rowCount() == len(ANN)  # her list: the execs she coaches
        dialog = open_directory(window)
        assert dialog is not None and dialog.proxy.rowCount() == 12  # the directory: everyone
        qtbot.keyClicks(dialog.filter, "bob_")
        names = {dialog.proxy.index(r, 0).data() for r in range(dialog.proxy.rowCount())}
        assert names == BOB
        dialog.close()
        window.live_refresh.listener.stop()
