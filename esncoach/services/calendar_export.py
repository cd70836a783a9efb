"""Export a session as an iCalendar (.ics) invitation that Outlook or any calendar can import.

Built with ``icalendar`` (the maintained library behind many Python calendar tools) so escaping,
line folding and time formats follow RFC 5545. Times are stored as local wall-clock times and
written in UTC, which every calendar converts back to the reader's zone. The CM's notes never leave
the workspace: the invitation carries the title, agenda and open action items only.

A recurring series (``services.recurrence``) is one VEVENT with an RRULE, written in this computer's
time zone (TZID plus its VTIMEZONE, as Outlook expects) so "09:30 every other Tuesday" stays 09:30
across a daylight-saving change; deleted, cancelled or moved occurrences become EXDATEs. Files are
written owner-only (0600): invitations name executives.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from icalendar import Calendar, Event, vCalAddress, vText
from sqlalchemy import select

from esncoach import __version__
from esncoach.models import Exec, ExecSupport, Person, SessionKind, SessionStatus, SupportRole
from esncoach.services import recurrence, redaction, sessions
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


def _add_attendees(event: Event, people: list[tuple[str, str]]) -> None:
    """Each (name, e-mail) as a required participant, so Outlook and Google list them by name."""
    for person_name, email in people:
        attendee = vCalAddress(f"mailto:{email}")
        attendee.params["cn"] = vText(person_name)
        attendee.params["role"] = vText("REQ-PARTICIPANT")
        event.add("attendee", attendee, encode=0)


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
    # The invitation goes to the exec and their assistant: other execs are redacted as on a shared screen.
    redact = redaction.for_exec(ws, exec_id=row.exec_id, ambiguous="replace")
    title = redact(row.title)
    event.add("summary", f"{title} — {name}" if name else title)
    description = [row.kind_label]
    if row.agenda.strip():
        description += ["", "Agenda:", redact(row.agenda.strip())]
    open_items = [i for i in row.action_items if not i.done and not i.superseded]
    if row.status == SessionStatus.PLANNED:  # everything still open will be on the table at the meeting
        open_items = sessions.open_action_items(ws, exec_id=row.exec_id)
    if open_items:
        description += ["", "Open action items:"]
        description += [f"- {redact(i.text)} ({i.owner_name or sessions.OWNER_LABELS[i.owner]}"
                        + (f", due {i.due:%d %b %Y})" if i.due else ")") for i in open_items]
    event.add("description", "\n".join(description))
    event.add("categories", ["Coaching"])
    event.add("status", "CANCELLED" if row.status == SessionStatus.CANCELLED else "CONFIRMED")
    _add_attendees(event, _attendees(ws, row))
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
    # Owner-only whatever the umask: an invitation names the exec and lists their open action items.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0), 0o600)
    with os.fdopen(fd, "wb") as fh:
        if hasattr(os, "fchmod"):  # an older .part file keeps its mode; POSIX only
            os.fchmod(fh.fileno(), 0o600)
        fh.write(data)
    tmp.replace(target)
    return target


def local_zone() -> ZoneInfo | None:
    """This computer's IANA time zone (TZ, /etc/localtime, /etc/timezone), or None when it cannot be named."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    try:
        candidates.append(str(Path("/etc/localtime").resolve()).split("zoneinfo/", 1)[1])
    except (OSError, IndexError):
        pass
    try:
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    except OSError:
        pass
    for name in candidates:
        if not name:
            continue
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return None


def _in_zone(local: dt.datetime, zone: ZoneInfo | None) -> dt.datetime:
    return local.replace(tzinfo=zone) if zone is not None else _utc(local)


def series_ics(ws: Workspace, *, series_id: str, now: dt.datetime | None = None, zone: ZoneInfo | None = None) -> bytes:
    """The .ics bytes of a recurring series: one VEVENT with RRULE (and EXDATEs) that calendars expand."""
    series = recurrence.get_series(ws, series_id)
    zone = zone if zone is not None else local_zone()
    first_row = None
    for session_id in series.session_ids:
        try:
            first_row = sessions.get_session(ws, session_id)
            break
        except ValidationError:
            continue
    cal = Calendar()
    cal.add("prodid", f"-//esncoach//esncoach {__version__}//EN")
    cal.add("version", "2.0")
    cal.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"esncoach-series-{series.id}-{series.exec_id}@esncoach.invalid")
    event.add("dtstamp", (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC))
    event.add("dtstart", _in_zone(series.first, zone))
    event.add("dtend", _in_zone(series.first + dt.timedelta(minutes=series.duration_min), zone))
    event.add("rrule", series.rule.rrule(series.first, zone))
    skipped = recurrence.exceptions(ws, series)
    if skipped:
        event.add("exdate", [_in_zone(when, zone) for when in skipped])
    name = _exec_name(ws, series.exec_id)
    redact = redaction.for_exec(ws, exec_id=series.exec_id, ambiguous="replace")
    title = redact(series.title)
    event.add("summary", f"{title} — {name}" if name else title)
    description = [series.text]
    if first_row is not None and first_row.agenda.strip():
        description += ["", "Agenda:", redact(first_row.agenda.strip())]
    event.add("description", "\n".join(description))
    event.add("categories", ["Coaching"])
    event.add("status", "CONFIRMED")
    if first_row is not None:
        _add_attendees(event, _attendees(ws, first_row))
    cal.add_component(event)
    if zone is not None:
        # Only the transitions around the series: a short VTIMEZONE that Outlook reads without trouble.
        last = series.rule.dates(series.first.date())[-1]
        cal.add_missing_timezones(first_date=series.first.date().replace(month=1, day=1),
                                  last_date=last.replace(month=12, day=31))
    return cal.to_ical()


def write_private(path: Path | str, data: bytes) -> Path:
    """Write ``data`` owner-only (0600) through a temporary file, so a reader never sees half a file."""
    target = Path(path)
    tmp = target.with_name(target.name + ".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o600)  # umask or an existing .part could have left it wider
        tmp.replace(target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return target


def export_series(ws: Workspace, *, series_id: str, path: Path | str, now: dt.datetime | None = None) -> Path:
    """Write a recurring series to ``path`` as one .ics event with its RRULE."""
    return write_private(path, series_ics(ws, series_id=series_id, now=now))
