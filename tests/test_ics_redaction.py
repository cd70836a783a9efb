"""A session invitation goes to the exec and their assistant: other execs never appear in it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from icalendar import Calendar
from sqlalchemy import select

from esncoach.models import Exec
from esncoach.services import calendar_export, sessions
from esncoach.services.sessions import ActionItemInput


def test_invitation_redacts_other_execs_in_title_agenda_and_items(demo_ws, tmp_path: Path) -> None:
    with demo_ws.session() as s:
        execs = s.scalars(select(Exec).order_by(Exec.id)).all()
        subject, other = execs[0], execs[1]
        subject_id, other_name = subject.id, other.name
    first, surname = other_name.split()[0], other_name.split()[-1]
    starts = dt.datetime.now().replace(second=0, microsecond=0) + dt.timedelta(days=3)
    sessions.save_session(
        demo_ws, exec_id=subject_id, starts_at=starts, ends_at=starts + dt.timedelta(minutes=45),
        title=f"Prepare the town hall with {surname.upper()}",
        agenda=f"Compare with {first}  {surname}'s last post",
        action_items=[ActionItemInput(text=f"Co-author a post with {other_name}")],
    )
    path = calendar_export.export_next_session(demo_ws, exec_id=subject_id, path=tmp_path / "next.ics")
    event = next(c for c in Calendar.from_ical(path.read_bytes()).walk() if c.name == "VEVENT")
    text = f"{event.get('summary')}\n{event.get('description')}".casefold()
    assert surname.casefold() not in text
    assert "another executive" in text
