"""Session rules: templates, drafting with carry-over, action items, bad input, the .ics export."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from esncoach.models import ActionOwner, LadderStage, SessionKind, SessionStatus, SupportRole
from esncoach.services import calendar_export, execs, sessions
from esncoach.services.sessions import ActionItemInput
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace

TODAY = dt.date(2026, 5, 4)
NINE = dt.datetime(2026, 5, 4, 9, 0)


def _exec(ws: Workspace, stage: LadderStage = LadderStage.LIKE) -> int:
    eid = execs.add_exec(ws, name="Grace Hopper", email="grace@example.com", stage=stage, today=TODAY)
    pid = execs.add_person(ws, name="Maya Singh", email="maya@example.com")
    execs.link_person(ws, exec_id=eid, person_id=pid, role=SupportRole.REVERSE_MENTOR)
    return eid


def _save(ws: Workspace, eid: int, start: dt.datetime, **kw) -> int:  # type: ignore[no-untyped-def]
    kw.setdefault("title", "Coaching")
    kw.setdefault("status", SessionStatus.HELD)
    return sessions.save_session(ws, exec_id=eid, starts_at=start, ends_at=start + dt.timedelta(minutes=45),
                                 today=TODAY, **kw)


def test_templates_are_editable_per_stage(ws: Workspace) -> None:
    assert [t.stage for t in sessions.list_templates(ws)] == list(LadderStage)
    assert all(t.text == "" for t in sessions.list_templates(ws))
    sessions.save_template(ws, stage=LadderStage.LIKE, text="- Practise liking\n- Agree: like 3 posts a week")
    sessions.save_template(ws, stage=LadderStage.LIKE, text="- Practise liking and praising")
    rows = {t.stage: t.text for t in sessions.list_templates(ws)}
    assert rows[LadderStage.LIKE] == "- Practise liking and praising"
    assert rows[LadderStage.LISTEN] == ""


def test_new_session_starts_from_stage_template_and_carries_open_items(ws: Workspace) -> None:
    eid = _exec(ws)
    sessions.save_template(ws, stage=LadderStage.LIKE, text="- Practise liking")
    first = _save(ws, eid, NINE - dt.timedelta(days=21), action_items=[
        ActionItemInput("Like three posts", ActionOwner.EXEC, TODAY - dt.timedelta(days=7)),
        ActionItemInput("Send cheat sheet", ActionOwner.CM, TODAY - dt.timedelta(days=10), done=True),
    ])
    last = _save(ws, eid, NINE - dt.timedelta(days=7), action_items=[
        ActionItemInput("Share @mention guide", ActionOwner.MENTOR, TODAY + dt.timedelta(days=3)),
    ])
    _save(ws, eid, NINE + dt.timedelta(days=30), status=SessionStatus.PLANNED)  # planned ones are not "last"

    draft = sessions.new_session_draft(ws, exec_id=eid, now=NINE)
    assert draft.agenda == "- Practise liking"
    assert draft.stage == LadderStage.LIKE
    assert draft.mentor_id is not None
    assert draft.starts_at > NINE
    assert [i.text for i in draft.carried_items] == ["Like three posts", "Share @mention guide"]
    assert {i.session_id for i in draft.carried_items} == {first, last}
    assert draft.carried_items[1].owner_name == "Maya Singh"

    new = _save(ws, eid, NINE + dt.timedelta(days=1), status=SessionStatus.PLANNED, agenda=draft.agenda,
                action_items=[ActionItemInput(i.text, i.owner, i.due, carried_from_id=i.id) for i in draft.carried_items])
    open_items = sessions.open_action_items(ws, exec_id=eid)
    assert [i.session_id for i in open_items] == [new, new]  # the originals are superseded, not double-counted
    # Already carried onto the planned session: a second draft does not copy them again.
    assert sessions.new_session_draft(ws, exec_id=eid, now=NINE).carried_items == ()

    copy = next(i for i in open_items if i.text == "Like three posts")
    sessions.set_action_done(ws, item_id=copy.id, done=True, today=TODAY)
    original = next(i for i in sessions.get_session(ws, first).action_items if i.text == "Like three posts")
    assert original.done and original.done_on == TODAY  # the chain shares one fate
    assert [i.text for i in sessions.open_action_items(ws, exec_id=eid)] == ["Share @mention guide"]
    assert [i.text for i in sessions.open_action_items(ws, exec_id=eid, owner=ActionOwner.MENTOR)] == [
        "Share @mention guide"]
    assert sessions.open_action_items(ws, exec_id=eid, owner=ActionOwner.EXEC) == []


def test_last_held_next_planned_and_list(ws: Workspace) -> None:
    eid = _exec(ws)
    assert sessions.last_held(ws, exec_id=eid) is None and sessions.next_planned(ws, exec_id=eid, now=NINE) is None
    a = _save(ws, eid, NINE - dt.timedelta(days=14))
    b = _save(ws, eid, NINE - dt.timedelta(days=7), status=SessionStatus.CANCELLED)
    c = _save(ws, eid, NINE + dt.timedelta(days=7), status=SessionStatus.PLANNED, kind=SessionKind.REVERSE_MENTORING)
    d = _save(ws, eid, NINE + dt.timedelta(days=14), status=SessionStatus.PLANNED)
    assert sessions.last_held(ws, exec_id=eid).id == a
    assert sessions.next_planned(ws, exec_id=eid, now=NINE).id == c
    assert [r.id for r in sessions.list_sessions(ws, exec_id=eid)] == [d, c, b, a]
    row = sessions.get_session(ws, c)
    assert row.ends_at - row.starts_at == dt.timedelta(minutes=45)
    assert row.kind_label == "Reverse mentoring"
    sessions.set_status(ws, session_id=c, status=SessionStatus.HELD)
    assert sessions.next_planned(ws, exec_id=eid, now=NINE).id == d
    sessions.delete_session(ws, session_id=d)
    assert sessions.next_planned(ws, exec_id=eid, now=NINE) is None


def test_editing_a_session_syncs_its_items(ws: Workspace) -> None:
    eid = _exec(ws)
    sid = _save(ws, eid, NINE, action_items=[ActionItemInput("One"), ActionItemInput("Two"), ActionItemInput("  ")])
    items = sessions.get_session(ws, sid).action_items
    assert sorted(i.text for i in items) == ["One", "Two"]  # blank rows are ignored
    one = next(i for i in items if i.text == "One")
    _save(ws, eid, NINE, session_id=sid, title="Renamed",
          action_items=[ActionItemInput("One, reworded", id=one.id, owner=ActionOwner.ASSISTANT)])
    row = sessions.get_session(ws, sid)
    assert row.title == "Renamed"
    assert [(i.id, i.text, i.owner) for i in row.action_items] == [(one.id, "One, reworded", ActionOwner.ASSISTANT)]


def test_bad_input_end_before_start_past_due_empty_title(ws: Workspace) -> None:
    eid = _exec(ws)
    with pytest.raises(ValidationError, match="ends before it starts") as exc:
        sessions.save_session(ws, exec_id=eid, starts_at=NINE, ends_at=NINE - dt.timedelta(minutes=5), title="x")
    assert exc.value.field == "ends_at"
    with pytest.raises(ValidationError, match="12 hours"):
        sessions.save_session(ws, exec_id=eid, starts_at=NINE, ends_at=NINE + dt.timedelta(hours=13), title="x")
    with pytest.raises(ValidationError, match="Title is required"):
        sessions.save_session(ws, exec_id=eid, starts_at=NINE, ends_at=NINE + dt.timedelta(hours=1), title="   ")
    with pytest.raises(ValidationError, match="more than a year in the past") as exc:
        _save(ws, eid, NINE, action_items=[ActionItemInput("Old", due=dt.date(1999, 1, 1))])
    assert exc.value.field == "action_items"
    with pytest.raises(ValidationError, match="five years away"):
        _save(ws, eid, NINE, action_items=[ActionItemInput("Far", due=dt.date(2099, 1, 1))])
    assert sessions.list_sessions(ws, exec_id=eid) == []  # nothing half-stored


def test_fifty_thousand_character_note_is_kept_exactly(ws: Workspace) -> None:
    eid = _exec(ws)
    note = ("Line of notes with ünïcode — " * 2000)[:50_000]
    sid = _save(ws, eid, NINE, notes=note)
    assert sessions.get_session(ws, sid).notes == note
    sessions.save_notes(ws, session_id=sid, notes=note + "  \n")
    assert sessions.get_session(ws, sid).notes == note + "  \n"  # autosave never trims what is typed
    with pytest.raises(ValidationError, match="limit is 200,000"):
        sessions.save_notes(ws, session_id=sid, notes="x" * 200_001)
    assert sessions.get_session(ws, sid).notes == note + "  \n"  # the stored note survives a refused save


def test_ics_export_of_next_session(ws: Workspace, tmp_path) -> None:  # type: ignore[no-untyped-def]
    eid = _exec(ws)
    start = dt.datetime.now().replace(microsecond=0, second=0) + dt.timedelta(days=3)
    sid = sessions.save_session(
        ws, exec_id=eid, starts_at=start, ends_at=start + dt.timedelta(minutes=45), title="Liking, praising; and, more",
        kind=SessionKind.REVERSE_MENTORING, agenda="- Practise liking\n- Agree a habit",
        notes="PRIVATE CM NOTE", mentor_id=sessions.new_session_draft(ws, exec_id=eid).mentor_id,
        action_items=[ActionItemInput("Like three posts", due=start.date())],
    )
    with pytest.raises(ValidationError, match="No session is planned"):
        calendar_export.export_next_session(ws, exec_id=eid, path=tmp_path / "x.ics",
                                            now=start + dt.timedelta(days=1))
    path = calendar_export.export_next_session(ws, exec_id=eid, path=tmp_path / "next.ics")
    cal = Calendar.from_ical(path.read_bytes())
    events = list(cal.walk("VEVENT"))
    assert len(events) == 1
    ev = events[0]
    assert str(ev["summary"]) == "Liking, praising; and, more — Grace Hopper"
    assert ev.decoded("dtstart") == start.astimezone(dt.UTC)
    assert ev.decoded("dtend") - ev.decoded("dtstart") == dt.timedelta(minutes=45)
    description = str(ev["description"])
    assert "Practise liking" in description and "Like three posts" in description
    assert "PRIVATE CM NOTE" not in path.read_text(encoding="utf-8")
    attendees = sorted(str(a) for a in ev.get("attendee"))
    assert attendees == ["mailto:grace@example.com", "mailto:maya@example.com"]
    assert str(ev["uid"]).startswith(f"esncoach-session-{sid}-")


def test_cli_sessions_list_and_ics(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import json
    import subprocess
    import sys

    db, phrase = tmp_path / "cli.db", tmp_path / "pass.txt"
    phrase.write_text("cli test phrase\n", encoding="utf-8")
    base = [sys.executable, "-m", "esncoach"]
    opts = ["--db", str(db), "--passphrase-file", str(phrase)]
    subprocess.run([*base, "demo", *opts], check=True, capture_output=True)
    listed = json.loads(subprocess.run([*base, "sessions", "list", *opts, "--exec", "Bruno", "--json"],
                                       check=True, capture_output=True, text=True).stdout)
    assert listed[0]["status"] == "planned" and len(listed) >= 8
    out = tmp_path / "next.ics"
    subprocess.run([*base, "sessions", "ics", *opts, "--exec", "Bruno Castillo", "--out", str(out)], check=True,
                   capture_output=True)
    event = next(iter(Calendar.from_ical(out.read_bytes()).walk("VEVENT")))
    assert str(event["summary"]).endswith("— Bruno Castillo")
    assert "Open action items:" in str(event["description"])  # Bruno's overdue items come to the meeting
    none = subprocess.run([*base, "sessions", "ics", *opts, "--exec", "Greta", "--out", str(out)],
                          capture_output=True, text=True)
    assert none.returncode == 2 and "No session is planned" in none.stderr
