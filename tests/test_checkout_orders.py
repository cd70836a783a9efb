"""Every order of local edit, server edit and lead's release on two execs, then check-in: nothing is lost."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from esncoach.services import execs, posts, sessions
from esncoach.services.team_checkout import checkout, release
from esncoach.services.team_checkout_merge import checkin
from esncoach.store.errors import StoreError
from esncoach.store.workspace import Workspace
from tests.checkout_kit import AMELIA, BRUNO, Team, crew  # noqa: F401 - fixture
from tests.conftest import TEST_KEY

MARK = "— from the offline copy of {role} —"
ORDERS = list(itertools.permutations("LSR"))


def _first_session(ws: Workspace, name: str) -> tuple[int, int]:
    exec_id = execs.find_exec(ws, name).id
    return exec_id, sessions.list_sessions(ws, exec_id=exec_id)[0].id


@pytest.mark.parametrize("order", ORDERS, ids=["".join(o) for o in ORDERS])
def test_every_order_keeps_both_texts(crew: Team, tmp_path: Path, order: tuple[str, ...]) -> None:
    """L: ann edits offline; S: bob edits on the server (refused while leased); R: the lead releases.

    Amelia follows ``order``, Bruno the reverse, interleaved step by step.
    """
    with crew.open("owner") as owner:
        from esncoach.services import team

        team.assign(owner, exec_name=BRUNO, cm=crew.role("bob"))
    laptop_path = tmp_path / "laptop.db"
    with crew.open("ann") as ann, Workspace.open(laptop_path, TEST_KEY) as laptop:
        checkout(ann, laptop, names=[AMELIA, BRUNO])
    plans = {AMELIA: list(order), BRUNO: list(reversed(order))}
    released: set[str] = set()
    server_text = {}
    with crew.open("bob") as bob, crew.open("lee") as lee, Workspace.open(laptop_path, TEST_KEY) as laptop:
        for step in range(3):
            for name, plan in plans.items():
                what = plan[step]
                if what == "L":
                    _, sid = _first_session(laptop, name)
                    sessions.save_notes(laptop, session_id=sid, notes=f"offline notes on {name}")
                elif what == "R":
                    release(lee, exec_name=name)
                    released.add(name)
                else:
                    _, sid = _first_session(bob, name)
                    if name in released:
                        sessions.save_notes(bob, session_id=sid, notes=f"bob on {name}")
                        server_text[name] = f"bob on {name}"
                    else:
                        with pytest.raises(StoreError, match="is checked out by"):
                            sessions.save_notes(bob, session_id=sid, notes=f"bob on {name}")
    with crew.open("ann") as ann, Workspace.open(laptop_path, TEST_KEY) as laptop:
        result = {e.name: e for e in checkin(ann, laptop).execs}
        again = checkin(ann, laptop)
    assert all((e.added, e.changed, e.deleted, e.conflicts) == (0, 0, 0, 0) for e in again.execs)
    mark = MARK.format(role=crew.role("ann"))
    with crew.open("owner") as owner:
        for name in (AMELIA, BRUNO):
            _, sid = _first_session(owner, name)
            notes = sessions.get_session(owner, sid).notes
            if name in server_text:  # both kept: the colleague's in place, the offline one under the mark
                assert notes == f"{server_text[name]}\n\n{mark}\noffline notes on {name}"
                assert result[name].conflicts == 1 and result[name].changed == 0
            else:
                assert notes == f"offline notes on {name}"
                assert result[name].conflicts == 0 and result[name].changed == 1
    assert crew.sql("SELECT count(*) FROM team_lease") == [(0,)]


def test_deleted_on_one_side_changed_on_the_other(crew: Team, tmp_path: Path) -> None:
    """After a release: a row deleted offline but edited on the server stays; one edited offline but deleted
    on the server comes back; a post's text changed on both sides keeps the offline one as a new revision."""
    with crew.open("owner") as owner:
        from esncoach.services import team

        team.assign(owner, exec_name=BRUNO, cm=crew.role("bob"))
    laptop_path = tmp_path / "laptop.db"
    with crew.open("ann") as ann, Workspace.open(laptop_path, TEST_KEY) as laptop:
        checkout(ann, laptop, names=[BRUNO])
    with Workspace.open(laptop_path, TEST_KEY) as laptop:
        bruno, _ = _first_session(laptop, BRUNO)
        ss = sessions.list_sessions(laptop, exec_id=bruno)
        sessions.delete_session(laptop, session_id=ss[0].id)
        sessions.save_notes(laptop, session_id=ss[1].id, notes="kept offline")
        post = posts.list_posts(laptop, exec_id=bruno)[0]
        revs_before = len(posts.list_revisions(laptop, post_id=post.id))
        posts.save_text(laptop, post_id=post.id, text="The offline draft.")
    with crew.open("lee") as lee:
        release(lee, exec_name=BRUNO)
    with crew.open("bob") as bob:
        bruno, _ = _first_session(bob, BRUNO)
        ss_server = sessions.list_sessions(bob, exec_id=bruno)
        sessions.save_notes(bob, session_id=ss_server[0].id, notes="bob kept this one")
        sessions.delete_session(bob, session_id=ss_server[1].id)
        spost = posts.list_posts(bob, exec_id=bruno)[0]
        posts.save_text(bob, post_id=spost.id, text="Bob's server draft.")
    with crew.open("ann") as ann, Workspace.open(laptop_path, TEST_KEY) as laptop:
        [result] = checkin(ann, laptop).execs
    assert result.conflicts >= 3
    with crew.open("owner") as owner:
        notes = {s.notes for s in sessions.list_sessions(owner, exec_id=bruno)}
        assert "bob kept this one" in notes and "kept offline" in notes
        texts = [r.text for r in posts.list_revisions(owner, post_id=spost.id)]
        assert "Bob's server draft." in texts and "The offline draft." in texts
        assert len(texts) >= revs_before


def test_new_exec_offline_and_private_notes_on_both_sides(crew: Team, tmp_path: Path) -> None:
    """An exec added offline arrives with its sessions and is the CM's; the CM's private note changed on the
    laptop and (after a release) on the server keeps both; a session added offline to a released exec arrives."""
    import datetime as dt

    laptop_path = tmp_path / "laptop.db"
    with crew.open("ann") as ann, Workspace.open(laptop_path, TEST_KEY) as laptop:
        checkout(ann, laptop, names=[AMELIA])
    with Workspace.open(laptop_path, TEST_KEY) as laptop:
        new = execs.add_exec(laptop, name="Olga Offline", title="CFO", email="olga@example.com",
                             private_notes="met her on the plane")
        start = dt.datetime(2026, 12, 1, 9, 0)
        sessions.save_session(laptop, exec_id=new, starts_at=start, ends_at=start + dt.timedelta(minutes=30),
                              title="First chat", notes="she wants to post weekly", today=dt.date(2026, 11, 30))
        amelia = execs.find_exec(laptop, AMELIA)
        row = execs.get_exec(laptop, amelia.id)
        execs.update_exec(laptop, amelia.id, name=row.name, title=row.title, department=row.department,
                          email=row.email, handle=row.handle, joined=row.joined, private_notes="laptop thought")
        sessions.save_session(laptop, exec_id=amelia.id, starts_at=start, ends_at=start + dt.timedelta(minutes=45),
                              title="Offsite", notes="offsite notes", today=dt.date(2026, 11, 30))
    with crew.open("lee") as lee:
        release(lee, exec_name=AMELIA)
    amelia_id = crew.sql("SELECT id FROM exec WHERE name = %s", AMELIA)[0][0]
    with crew.open("ann") as ann:  # ann edits her own note on the server from the office, meanwhile
        row = execs.get_exec(ann, amelia_id)
        execs.update_exec(ann, amelia_id, name=row.name, title=row.title, department=row.department,
                          email=row.email, handle=row.handle, joined=row.joined, private_notes="office thought")
    with crew.open("ann") as ann, Workspace.open(laptop_path, TEST_KEY) as laptop:
        merged = {e.name: e for e in checkin(ann, laptop).execs}
    assert merged["Olga Offline"].added >= 2 and merged[AMELIA].conflicts == 1 and merged[AMELIA].added == 1
    olga = crew.sql("SELECT id FROM exec WHERE email = 'olga@example.com'")[0][0]
    assert crew.sql("SELECT role FROM team_exec_cm WHERE exec_id = %s", olga) == [(crew.role("ann"),)]
    assert crew.sql("SELECT notes FROM coaching_session WHERE exec_id = %s", olga) == [("she wants to post weekly",)]
    assert crew.sql("SELECT text FROM team_private_note WHERE exec_id = %s", olga) == [("met her on the plane",)]
    [(note,)] = crew.sql("SELECT text FROM team_private_note WHERE exec_id = %s AND author = %s",
                         amelia_id, crew.role("ann"))
    assert note == f"office thought\n\n{MARK.format(role=crew.role('ann'))}\nlaptop thought"
    assert crew.sql("SELECT count(*) FROM coaching_session WHERE exec_id = %s AND title = 'Offsite'", amelia_id) == [(1,)]
    with crew.open("ann") as ann, Workspace.open(laptop_path, TEST_KEY) as laptop:
        again = checkin(ann, laptop).execs
    assert all(e.added + e.changed + e.deleted + e.conflicts == 0 for e in again)


def test_the_same_change_on_both_sides_is_no_conflict(crew: Team, tmp_path: Path) -> None:
    laptop_path = tmp_path / "laptop.db"
    with crew.open("ann") as ann, Workspace.open(laptop_path, TEST_KEY) as laptop:
        checkout(ann, laptop, names=[AMELIA])
        _, sid = _first_session(laptop, AMELIA)
        sessions.save_notes(laptop, session_id=sid, notes="agreed: weekly posts")
    with crew.open("lee") as lee:
        release(lee, exec_name=AMELIA)
    with crew.open("bob") as bob:
        _, server_sid = _first_session(bob, AMELIA)
        sessions.save_notes(bob, session_id=server_sid, notes="agreed: weekly posts")
    with crew.open("ann") as ann, Workspace.open(laptop_path, TEST_KEY) as laptop:
        [merged] = checkin(ann, laptop).execs
    assert (merged.changed, merged.conflicts) == (0, 0)
    assert crew.sql("SELECT notes FROM coaching_session WHERE id = %s", server_sid) == [("agreed: weekly posts",)]
