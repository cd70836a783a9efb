"""The scripting commands (execs edit, sessions add, actions add, posts add, people add) in real processes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from esncoach.services import execs, people, posts, sessions
from esncoach.store.keys import passphrase_key
from esncoach.store.workspace import Workspace
from tests.conftest import TEST_PASSPHRASE
from tests.safety_helpers import assert_refused, phrase_file, run, snapshot


@pytest.fixture(scope="module")
def demo_cli(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("scripting")
    pf = phrase_file(folder)
    db = folder / "demo.db"
    result = run("demo", "--db", str(db), "--passphrase-file", str(pf))
    assert result.returncode == 0, result.stderr
    return db, pf


@pytest.fixture
def db(demo_cli: tuple[Path, Path], tmp_path: Path) -> tuple[Path, list[str]]:
    """A private copy of the demo and the options that open it."""
    source, pf = demo_cli
    copy = tmp_path / "ws" / "demo.db"
    copy.parent.mkdir()
    shutil.copy(source, copy)
    return copy, ["--db", str(copy), "--passphrase-file", str(pf)]


def _open(path: Path) -> Workspace:
    return Workspace.open(path, passphrase_key(TEST_PASSPHRASE))


def test_execs_edit_changes_only_what_is_given(db: tuple[Path, list[str]]) -> None:
    path, common = db
    result = run("execs", "edit", *common, "--name", "Bruno Castillo", "--title", "Chief Operating Officer",
                 "--handle", "@bruno.c", "--private-notes", "Prefers mornings.\nNo calls on Fridays.",
                 "--stage", "long_form")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "Updated Bruno Castillo."
    with _open(path) as ws:
        row = execs.find_exec(ws, "Bruno Castillo")
    assert row.title == "Chief Operating Officer"
    assert row.handle == "@bruno.c"
    assert row.private_notes == "Prefers mornings.\nNo calls on Fridays."
    assert row.stage.value == "long_form"
    assert row.email == "bruno.castillo@example.com"  # untouched
    result = run("execs", "edit", *common, "--name", "bruno.castillo@example.com", "--email", "Bruno@Example.org")
    assert result.returncode == 0, result.stderr
    with _open(path) as ws:
        row = execs.find_exec(ws, "Bruno Castillo")
    assert row.email == "bruno@example.org" and row.title == "Chief Operating Officer"


@pytest.mark.parametrize(("extra", "needle"), [
    (["--name", "Nobody Here", "--title", "X"], "No executive called"),
    (["--name", "Bruno Castillo"], "Nothing to change"),
    (["--name", "Bruno Castillo", "--stage", "guru"], "Unknown ladder stage"),
    (["--name", "Bruno Castillo", "--email", "not-an-email"], "not a valid email"),
    (["--name", "Bruno Castillo", "--title", "Boss\u202eevil"], "bidirectional"),
    (["--name", "Bruno Castillo", "--handle", "@bru\u200bno"], "zero-width"),
    (["--name", "Bruno Castillo", "--title", "two\nlines"], "one line"),
])
def test_execs_edit_refusals(db: tuple[Path, list[str]], extra: list[str], needle: str) -> None:
    path, common = db
    before = snapshot(path.parent)
    assert_refused(run("execs", "edit", *common, *extra), needle)
    assert snapshot(path.parent) == before


def test_sessions_add_prints_the_new_id(db: tuple[Path, list[str]]) -> None:
    path, common = db
    result = run("sessions", "add", *common, "--exec", "Amelia", "--when", "2027-01-12 09:30", "--minutes", "45",
                 "--kind", "reverse_mentoring", "--title", "Mentoring with Sam", "--agenda", "1. Teams\n2. Posts",
                 "--notes", "Bring\tthe figures", "--outcomes", "Agreed a cadence")
    assert result.returncode == 0, result.stderr
    new_id = int(result.stdout.strip())
    held = run("sessions", "add", *common, "--exec", "Amelia", "--when", "2026-01-05 14:00", "--held")
    assert held.returncode == 0, held.stderr
    listed = json.loads(run("sessions", "list", *common, "--exec", "Amelia", "--json").stdout)
    by_id = {r["id"]: r for r in listed}
    assert by_id[new_id]["starts_at"] == "2027-01-12T09:30"
    assert by_id[new_id]["duration_min"] == 45
    assert by_id[new_id]["kind"] == "reverse_mentoring"
    assert by_id[new_id]["status"] == "planned"
    assert by_id[int(held.stdout)]["status"] == "held"
    assert by_id[int(held.stdout)]["duration_min"] == 60
    with _open(path) as ws:
        row = sessions.get_session(ws, new_id)
    assert (row.agenda, row.notes, row.outcomes) == ("1. Teams\n2. Posts", "Bring\tthe figures", "Agreed a cadence")


@pytest.mark.parametrize(("extra", "needle"), [
    (["--exec", "Amelia", "--when", "next tuesday"], "not a date and time"),
    (["--exec", "Amelia", "--when", "2027-01-12 09:30", "--minutes", "0"], "ends before it starts"),
    (["--exec", "Amelia", "--when", "2027-01-12 09:30", "--kind", "coffee"], "invalid choice"),
    (["--exec", "Amelia", "--when", "2027-01-12 09:30", "--agenda", "a\x07b"], "control character"),
    (["--exec", "Zed", "--when", "2027-01-12 09:30"], "No executive called"),
    (["--exec", "Amelia", "--when", "2099-01-12 09:30", "--held"], "has not started yet"),
])
def test_sessions_add_refusals(db: tuple[Path, list[str]], extra: list[str], needle: str) -> None:
    path, common = db
    before = snapshot(path.parent)
    assert_refused(run("sessions", "add", *common, *extra), needle)
    assert snapshot(path.parent) == before


def test_actions_add_with_due_and_session(db: tuple[Path, list[str]]) -> None:
    path, common = db
    session_id = run("sessions", "add", *common, "--exec", "Kavya", "--when", "2027-02-01 10:00").stdout.strip()
    result = run("actions", "add", *common, "--exec", "Kavya", "--text", "Reply to two comments", "--due", "2027-02-08",
                 "--session", session_id)
    assert result.returncode == 0, result.stderr
    item_id = int(result.stdout)
    with _open(path) as ws:
        kavya = execs.find_exec(ws, "Kavya")
        items = {i.id: i for i in sessions.open_action_items(ws, exec_id=kavya.id)}
    assert items[item_id].text == "Reply to two comments"
    assert items[item_id].due.isoformat() == "2027-02-08"
    assert items[item_id].session_id == int(session_id)
    before = snapshot(path.parent)
    assert_refused(run("actions", "add", *common, "--exec", "Amelia", "--text", "X", "--session", session_id),
                   "has no session with id")
    assert_refused(run("actions", "add", *common, "--exec", "Amelia", "--text", "X", "--due", "soon"), "not a date")
    assert_refused(run("actions", "add", *common, "--exec", "Amelia", "--text", "  "), "required")
    assert snapshot(path.parent) == before


def test_posts_add(db: tuple[Path, list[str]]) -> None:
    path, common = db
    result = run("posts", "add", *common, "--exec", "Amelia", "--title", "Why we moved the plant",
                 "--text", "Three reasons.\n\nFirst…", "--kind", "tough_reply")
    assert result.returncode == 0, result.stderr
    post_id = int(result.stdout)
    with _open(path) as ws:
        row = posts.get_post(ws, post_id=post_id)
        text = posts.final_text(ws, post_id=post_id)
    assert row.title == "Why we moved the plant"
    assert row.kind.value == "tough_question_reply"
    assert text == "Three reasons.\n\nFirst…"
    before = snapshot(path.parent)
    assert_refused(run("posts", "add", *common, "--exec", "Amelia", "--title", " ", "--text", "x"), "Title is required")
    assert_refused(run("posts", "add", *common, "--exec", "Amelia", "--title", "T", "--text", "x\x1b[2J"),
                   "control character")
    assert snapshot(path.parent) == before


def test_people_add_links_and_reuses(db: tuple[Path, list[str]]) -> None:
    path, common = db
    first = run("people", "add", *common, "--exec", "Amelia", "--name", "Sam Okafor", "--role", "reverse_mentor",
                "--email", "Sam.Okafor@example.com")
    assert first.returncode == 0, first.stderr
    again = run("people", "add", *common, "--exec", "Kavya", "--name", "Sam Okafor", "--role", "sponsor",
                "--email", "sam.okafor@example.com")
    assert again.returncode == 0, again.stderr
    assert first.stdout == again.stdout  # the same person, linked twice
    with _open(path) as ws:
        view = people.supporter(ws, person_id=int(first.stdout))
    assert view.email == "sam.okafor@example.com"
    assert {(e.name.split()[0], e.role.value) for e in view.execs} == {("Amelia", "reverse_mentor"),
                                                                        ("Kavya", "sponsor")}
    before = snapshot(path.parent)
    assert_refused(run("people", "add", *common, "--exec", "Amelia", "--name", "Someone Else", "--role", "assistant",
                       "--email", "sam.okafor@example.com"), "already belongs to Sam Okafor")
    assert_refused(run("people", "add", *common, "--exec", "Amelia", "--name", "X", "--role", "boss"), "invalid choice")
    assert_refused(run("people", "add", *common, "--exec", "Amelia", "--name", "Line\nBreak", "--role", "assistant"),
                   "one line")
    assert snapshot(path.parent) == before


def test_scripting_commands_need_an_existing_workspace(tmp_path: Path) -> None:
    pf = phrase_file(tmp_path)
    folder = tmp_path / "empty"
    folder.mkdir()
    for args in (["execs", "edit", "--name", "A", "--title", "T"],
                 ["sessions", "add", "--exec", "A", "--when", "2027-01-01 10:00"],
                 ["actions", "add", "--exec", "A", "--text", "T"],
                 ["posts", "add", "--exec", "A", "--title", "T", "--text", "x"],
                 ["people", "add", "--exec", "A", "--name", "P", "--role", "sponsor"]):
        result = run(*args[:2], "--db", str(folder / "w.db"), "--passphrase-file", str(pf), *args[2:])
        assert_refused(result, "There is no workspace")
    assert list(folder.iterdir()) == []
