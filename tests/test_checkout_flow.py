"""Take execs offline, work on them without the server, bring them back (#20), against the real server."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from esncoach.cli import main
from esncoach.services import execs, posts, sessions
from esncoach.services.team_checkout import checkout
from esncoach.services.team_checkout_merge import checkin
from esncoach.store.errors import StoreError
from esncoach.store.workspace import Workspace
from tests.checkout_kit import AMELIA, BRUNO, Team, crew  # noqa: F401 - fixture
from tests.conftest import TEST_KEY

COUNTED = ("exec", "coaching_session", "action_item", "habit", "check_in", "practice_post", "revision", "feedback",
           "metric_sample", "exec_support", "exec_tag", "session_tag", "stage_change", "team_private_note")


def _snapshot(crew: Team) -> dict[str, list[tuple]]:
    """Every row of the tables that travel (as the superuser sees them), minus columns a save stamps."""
    out = {}
    for t in COUNTED:
        cols = [r[0] for r in crew.sql(
            "SELECT column_name FROM information_schema.columns WHERE table_name = %s ORDER BY ordinal_position", t)
            if r[0] not in ("updated_at",)]
        out[t] = sorted(crew.sql(f"SELECT {', '.join(cols)} FROM {t}"), key=repr)
    return out


def test_checkout_edit_offline_checkin_twice(crew: Team, tmp_path: Path, passphrase_file: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    laptop = tmp_path / "laptop.db"
    before = _snapshot(crew)
    assert main(["team", "checkout", "--db", crew.url("ann"), "--exec", AMELIA, "--exec", BRUNO,
                 "--to", str(laptop), "--passphrase-file", str(passphrase_file)]) == 0
    assert "Took 2 executive(s) offline" in capsys.readouterr().out
    assert crew.sql("SELECT count(*) FROM team_lease")[0][0] == 2
    from esncoach.store.keys import read_passphrase_file

    key = read_passphrase_file(str(passphrase_file))
    with Workspace.open(laptop, key) as ws:  # offline: an ordinary encrypted workspace
        assert sorted(r.name for r in execs.list_execs(ws)) == [AMELIA, BRUNO]
        amelia = execs.find_exec(ws, AMELIA)
        assert execs.get_exec(ws, amelia.id).private_notes  # the CM's own note came along
        first = sessions.list_sessions(ws, exec_id=amelia.id)[0]
        sessions.save_notes(ws, session_id=first.id, notes="written on the plane")
        new_item = sessions.add_action_item(ws, exec_id=amelia.id, text="call the sponsor offline")
        bruno = execs.find_exec(ws, BRUNO)
        doomed = sessions.list_sessions(ws, exec_id=bruno.id)[-1]
        sessions.delete_session(ws, session_id=doomed.id)
        post = posts.list_posts(ws, exec_id=bruno.id)[0]
        posts.save_text(ws, post_id=post.id, text="A new draft written offline.")
        row = execs.get_exec(ws, amelia.id)
        execs.update_exec(ws, amelia.id, name=row.name, title="Chief Offline Officer", department=row.department,
                          email=row.email, handle=row.handle, joined=row.joined,
                          private_notes="offline private thought")
        assert new_item
    args = ["team", "checkin", "--db", crew.url("ann"), "--from", str(laptop), "--passphrase-file",
            str(passphrase_file), "--json"]
    assert main(args) == 0
    first_run = {e["name"]: e for e in json.loads(capsys.readouterr().out)["execs"]}
    assert first_run[AMELIA]["added"] == 1 and first_run[AMELIA]["conflicts"] == 0
    assert first_run[AMELIA]["changed"] >= 3  # session notes, title, private note
    assert first_run[BRUNO]["deleted"] >= 1 and first_run[BRUNO]["conflicts"] == 0
    assert crew.sql("SELECT count(*) FROM team_lease")[0][0] == 0
    amelia_id = crew.sql("SELECT id FROM exec WHERE name = %s", AMELIA)[0][0]
    assert crew.sql("SELECT title FROM exec WHERE id = %s", amelia_id) == [("Chief Offline Officer",)]
    assert crew.sql("SELECT count(*) FROM coaching_session WHERE notes = 'written on the plane'")[0][0] == 1
    assert crew.sql("SELECT count(*) FROM action_item WHERE text = 'call the sponsor offline' AND exec_id = %s",
                    amelia_id)[0][0] == 1
    assert crew.sql("SELECT text FROM team_private_note WHERE exec_id = %s AND author = %s",
                    amelia_id, crew.role("ann")) == [("offline private thought",)]
    after = _snapshot(crew)
    assert len(after["coaching_session"]) == len(before["coaching_session"]) - 1
    assert len(after["revision"]) >= len(before["revision"])
    assert main(args) == 0  # a second run changes nothing
    second = json.loads(capsys.readouterr().out)["execs"]
    assert all(e["added"] == e["changed"] == e["deleted"] == e["conflicts"] == 0 for e in second)
    assert _snapshot(crew) == after
    with crew.open("bob") as bob:  # the lease is gone: bob writes again
        row = sessions.list_sessions(bob, exec_id=amelia_id)[0]
        sessions.save_notes(bob, session_id=row.id, notes="bob after the check-in")


def test_a_foreign_or_retaken_workspace_is_refused(crew: Team, tmp_path: Path, pg_demo_url: str) -> None:
    plain = tmp_path / "plain.db"
    with crew.open("ann") as ann, Workspace.open(plain, TEST_KEY) as ws:
        with pytest.raises(StoreError, match="was not checked out from a team server"):
            checkin(ann, ws)
        execs.add_exec(ws, name="Solo Exec")
        with pytest.raises(StoreError, match="already holds executives of its own"):
            checkout(ann, ws, names=[AMELIA])
    assert crew.sql("SELECT count(*) FROM team_lease") == [(0,)]
    laptop = tmp_path / "laptop.db"
    with crew.open("ann") as ann, Workspace.open(laptop, TEST_KEY) as ws:
        checkout(ann, ws, names=[AMELIA])
    from esncoach.store.server import open_server

    with open_server(pg_demo_url) as other, Workspace.open(laptop, TEST_KEY) as ws:
        with pytest.raises(StoreError, match="checked out from another team server"):
            checkin(other, ws)
    assert main(["team", "release", "--db", crew.url("lee"), "--exec", AMELIA]) == 0
    with crew.open("bob") as bob, Workspace.open(tmp_path / "bob.db", TEST_KEY) as ws:
        checkout(bob, ws, names=[AMELIA])
    before = _snapshot(crew)
    with crew.open("ann") as ann, Workspace.open(laptop, TEST_KEY) as ws:
        with pytest.raises(StoreError, match=f"released and is now checked out by {crew.role('bob')}"):
            checkin(ann, ws)
    assert _snapshot(crew) == before


def test_taking_an_exec_offline_again_refuses_while_work_is_not_back(crew: Team, tmp_path: Path) -> None:
    from esncoach.services.team_checkout_merge import pending_changes
    from esncoach.store.errors import ValidationError

    laptop = tmp_path / "laptop.db"
    with crew.open("ann") as ann, Workspace.open(laptop, TEST_KEY) as ws:
        checkout(ann, ws, names=[AMELIA])
        assert pending_changes(ws) == {}
        checkin(ann, ws)
        amelia = execs.find_exec(ws, AMELIA).id
        sessions.add_action_item(ws, exec_id=amelia, text="after the check-in")
        assert pending_changes(ws) == {amelia: 1}
        with pytest.raises(ValidationError, match="has changes not brought back yet"):
            checkout(ann, ws, names=[AMELIA])
        [merged] = checkin(ann, ws).execs
        assert merged.added == 1 and pending_changes(ws) == {}
        checkout(ann, ws, names=[AMELIA])  # copied afresh
        assert [r.name for r in execs.list_execs(ws)] == [AMELIA]
        assert crew.sql("SELECT count(*) FROM team_lease") == [(1,)]


@pytest.mark.parametrize("who,name,sentence", [
    ("ann", "Nobody Atall", "There is no executive named “Nobody Atall” among yours"),
    ("bob", BRUNO, f"There is no executive named “{BRUNO}” among yours"),  # not bob's: his rules hide her
    ("lee", AMELIA, "You can take offline only executives you coach"),
])
def test_a_refused_checkout_leaves_nothing_behind(crew: Team, tmp_path: Path, passphrase_file: Path,
                                                  capsys: pytest.CaptureFixture[str], who: str, name: str,
                                                  sentence: str) -> None:
    laptop = tmp_path / "laptop.db"
    before = _snapshot(crew)
    assert main(["team", "checkout", "--db", crew.url(who), "--exec", name, "--to", str(laptop),
                 "--passphrase-file", str(passphrase_file)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and sentence in err[0]
    assert not any(tmp_path.glob("laptop.db*"))
    assert crew.sql("SELECT count(*) FROM team_lease") == [(0,)] and _snapshot(crew) == before


def test_bulk_copied_tables_keep_their_indexes(crew: Team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Large tables get their indexes built after the copy: the same indexes, same definitions, file intact."""
    import esncoach.services.team_checkout as tc

    monkeypatch.setattr(tc, "BULK_INDEX_ROWS", 10)
    with Workspace.open(tmp_path / "fresh.db", TEST_KEY) as fresh, fresh.engine.connect() as conn:
        expected = conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name").all()
    with crew.open("ann") as ann, Workspace.open(tmp_path / "laptop.db", TEST_KEY) as laptop:
        checkout(ann, laptop, names=[AMELIA, BRUNO])
        with laptop.engine.connect() as conn:
            assert conn.exec_driver_sql(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name").all() == expected
            assert conn.exec_driver_sql("PRAGMA integrity_check").all() == [("ok",)]
            assert conn.exec_driver_sql("SELECT count(*) FROM metric_sample").scalar() > 10
