"""No lost edits between colleagues: two real connections to one team workspace edit the same rows."""

from __future__ import annotations

import psycopg
import pytest
from sqlalchemy import select

from esncoach.demo import build_demo
from esncoach.models import CoachingSession, Exec
from esncoach.services import execs, sessions
from esncoach.services.team_conflicts import ConflictError
from esncoach.store.workspace import Workspace


@pytest.fixture
def two(pg_demo_url: str):  # type: ignore[no-untyped-def]
    """Two app connections to one demo team workspace (two colleagues' laptops)."""
    first = Workspace.open(pg_demo_url, None)  # type: ignore[arg-type]
    second = Workspace.open(pg_demo_url, None)  # type: ignore[arg-type]
    yield first, second
    first.close()
    second.close()


def _a_session(ws: Workspace) -> sessions.SessionRow:
    amelia = execs.find_exec(ws, "Amelia Hart")
    return sessions.list_sessions(ws, exec_id=amelia.id)[0]


def test_saving_over_a_newer_version_is_refused_with_both_texts(two) -> None:  # type: ignore[no-untyped-def]
    ann, bob = two
    seen_by_ann = _a_session(ann)
    seen_by_bob = _a_session(bob)
    assert seen_by_ann.version == seen_by_bob.version
    new_version = sessions.save_notes(bob, session_id=seen_by_bob.id, notes="Bob's notes",
                                      expected_version=seen_by_bob.version)
    assert new_version == seen_by_bob.version + 1
    with pytest.raises(ConflictError) as err:
        sessions.save_notes(ann, session_id=seen_by_ann.id, notes="Ann's notes", expected_version=seen_by_ann.version)
    assert err.value.theirs == "Bob's notes" and err.value.yours == "Ann's notes"
    assert _a_session(ann).notes == "Bob's notes"  # nothing overwritten
    # Ann keeps both: she saves again from the version she has now seen.
    both = err.value.theirs + "\n\n" + err.value.yours
    sessions.save_notes(ann, session_id=seen_by_ann.id, notes=both, expected_version=err.value.version)
    assert _a_session(bob).notes == both
    row = _a_session(ann)
    with pytest.raises(ConflictError):
        sessions.save_session(ann, exec_id=row.exec_id, session_id=row.id, starts_at=row.starts_at,
                              ends_at=row.ends_at, title=row.title, notes="stale", expected_version=row.version - 1)


def test_the_orm_version_check_catches_a_save_between_read_and_write(two, pg_demo_url: str) -> None:  # type: ignore[no-untyped-def]
    ann, _bob = two
    from esncoach.store.server import ServerAddress

    address = ServerAddress.parse(pg_demo_url)
    with pytest.raises(ConflictError), ann.session() as s:
        ex = s.scalars(select(Exec).where(Exec.name == "Amelia Hart")).one()
        # A colleague saves the same row on their own connection before this transaction writes.
        with psycopg.connect(**address.connect_kwargs(), autocommit=True) as other:
            other.execute("UPDATE exec SET title = 'Theirs', version = version + 1 WHERE id = %s", (ex.id,))
        ex.title = "Mine"
    assert execs.find_exec(ann, "Amelia Hart").title == "Theirs"


def test_versions_rise_on_every_save_on_both_backends(any_ws: Workspace) -> None:
    build_demo(any_ws)
    with any_ws.session() as s:
        cs = s.scalars(select(CoachingSession)).first()
        first = cs.version
        cs.notes = cs.notes + " more"
    with any_ws.session() as s:
        assert s.get(CoachingSession, cs.id).version == first + 1
