"""Export a session as an iCalendar (.ics) invitation that Outlook or any calendar can import.

Built with ``icalendar`` (the maintained library behind many Python calendar tools) so escaping,
line folding and time formats follow RFC 5545. Times are stored as local wall-clock times and
written in UTC, which every calendar converts back to the reader's zone. The CM's notes never leave
the workspace: the invitation carries the title, agenda and open action items only.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from icalendar import Calendar, Event, vCalAddress, vText
from sqlalchemy import select

from esncoach import __version__
from esncoach.models import Exec, ExecSupport, Person, SessionKind, SessionStatus, SupportRole
from esncoach.services import sessions
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace


def _utc(local: dt.datetime) -> dt.datetime:
    aware = local if local.tzinfo else local.astimezone()  # naive = this computer's local time
    return aware.astimezone(dt.UTC)


def _attendees(ws: Workspace, row: sessions.SessionRow) -> list[tuple[str, str]]:
    with ws.session() as s:
        ex = s.get(Exec, row.exec_id)
        people: list[tuple[str, str]] = []
        if ex is not None and ex.email:
            people.append((ex.name, ex.email))
        roles = {SessionKind.REVERSE_MENTORING: SupportRole.REVERSE_MENTOR,
                 SessionKind.ASSISTANT_BRIEFING: SupportRole.ASSISTANT}
        if row.mentor_id is not None:
            mentor = s.get(Person, row.mentor_id)
            if mentor is not None and mentor.email:
                people.append((mentor.name, mentor.email))
        elif row.kind in roles:
            for person in s.scalars(
                select(Person).join(ExecSupport, ExecSupport.person_id == Person.id)
                .where(ExecSupport.exec_id == row.exec_id, ExecSupport.role == roles[row.kind])
            ):
                if person.email:
                    people.append((person.name, person.email))
        return people


def _exec_name(ws: Workspace, exec_id: int) -> str:
    with ws.session() as s:
        ex = s.get(Exec, exec_id)
        return ex.name if ex else ""


def session_ics(ws: Workspace, *, session_id: int, now: dt.datetime | None = None) -> bytes:
    """The .ics bytes of one session: a VEVENT with its time, title, agenda and open action items."""
    row = sessions.get_session(ws, session_id)
    cal = Calendar()
    cal.add("prodid", f"-//esncoach//esncoach {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"esncoach-session-{row.id}-{row.exec_id}@esncoach.invalid")
    event.add("dtstamp", (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC))
    event.add("dtstart", _utc(row.starts_at))
    event.add("dtend", _utc(row.ends_at))
    name = _exec_name(ws, row.exec_id)
    event.add("summary", f"{row.title} — {name}" if name else row.title)
    description = [row.kind_label]
    if row.agenda.strip():
        description += ["", "Agenda:", row.agenda.strip()]
    open_items = [i for i in row.action_items if not i.done and not i.superseded]
    if row.status == SessionStatus.PLANNED:  # everything still open will be on the table at the meeting
        open_items = sessions.open_action_items(ws, exec_id=row.exec_id)
    if open_items:
        description += ["", "Open action items:"]
        description += [f"- {i.text} ({i.owner_name or sessions.OWNER_LABELS[i.owner]}"
                        + (f", due {i.due:%d %b %Y})" if i.due else ")") for i in open_items]
    event.add("description", "\n".join(description))
    event.add("categories", ["Coaching"])
    event.add("status", "CANCELLED" if row.status == SessionStatus.CANCELLED else "CONFIRMED")
    for person_name, email in _attendees(ws, row):
        attendee = vCalAddress(f"mailto:{email}")
        attendee.params["cn"] = vText(person_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=0)
    cal.add_component(event)
    return cal.to_ical()


def export_next_session(ws: Workspace, *, exec_id: int, path: Path | str, now: dt.datetime | None = None) -> Path:
    """Write the exec's next planned session to ``path`` as .ics; a clear error if none is planned."""
    row = sessions.next_planned(ws, exec_id=exec_id, now=now)
    if row is None:
        raise ValidationError("session", "No session is planned for this executive; plan one first.")
    target = Path(path)
    data = session_ics(ws, session_id=row.id)
    tmp = target.with_name(target.name + ".part")
    tmp.write_bytes(data)
    tmp.replace(target)
    return target
