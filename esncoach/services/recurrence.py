"""Recurring sessions: "every 2 weeks on Tuesday at 09:30, until 30 June" (or "for 6 sessions").

A series is planned as ordinary planned sessions, one per occurrence, so every other screen (Today,
coaching mode, the sessions tab, reports) needs no change and each meeting can still be moved, held,
cancelled or deleted on its own. The rule itself is kept, with the ids of the sessions it made, in
the workspace setting ``sessions.series`` (a JSON object keyed by series id; no schema change), so the
series can be exported to calendars as *one* event with an RRULE (``calendar_export.series_ics``).
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass

from esncoach.models import CoachingSession, Exec, Person, SessionKind, SessionStatus
from esncoach.services import sessions, settings, validation
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace

SERIES = settings.declare("sessions.series", {})
MAX_OCCURRENCES = 52
MAX_SPAN_DAYS = 2 * 366
MAX_INTERVAL_WEEKS = 8
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ICAL_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class RecurrenceRule:
    """Every ``interval_weeks`` weeks on the weekday of the first session, until a date or for a count."""

    interval_weeks: int = 1
    until: dt.date | None = None
    count: int | None = None

    def validate(self, first: dt.date) -> None:
        """Refuse rules that make no series or an absurdly long one, with the sentence to show."""
        if not 1 <= self.interval_weeks <= MAX_INTERVAL_WEEKS:
            raise ValidationError("interval", f"Repeat every 1 to {MAX_INTERVAL_WEEKS} weeks.")
        if (self.until is None) == (self.count is None):
            raise ValidationError("until", "Say when the series ends: on a date or after a number of sessions.")
        if self.count is not None and not 2 <= self.count <= MAX_OCCURRENCES:
            raise ValidationError("count", f"A series has 2 to {MAX_OCCURRENCES} sessions.")
        if self.until is not None:
            if self.until <= first:
                raise ValidationError("until", "The series ends before its second session; pick a later end date.")
            if (self.until - first).days > MAX_SPAN_DAYS:
                raise ValidationError("until", "A series can span two years at most; pick an earlier end date.")

    def dates(self, first: dt.date) -> list[dt.date]:
        """The days of every occurrence, the first included."""
        step = dt.timedelta(weeks=self.interval_weeks)
        out = [first]
        while len(out) < MAX_OCCURRENCES:
            nxt = out[-1] + step
            if (self.count is not None and len(out) >= self.count) or (self.until is not None and nxt > self.until):
                break
            out.append(nxt)
        return out

    def text(self, first: dt.date, at: dt.time | None = None) -> str:
        """The rule in words ("Every 2 weeks on Tuesday at 09:30, until 30 Jun 2026")."""
        every = "Every week" if self.interval_weeks == 1 else f"Every {self.interval_weeks} weeks"
        end = f"until {self.until.day} {self.until:%b %Y}" if self.until else f"{self.count} times"
        when = f" at {at:%H:%M}" if at is not None else ""
        return f"{every} on {WEEKDAYS[first.weekday()]}{when}, {end}"

    def rrule(self, first: dt.datetime, zone: dt.tzinfo | None = None) -> dict[str, object]:
        """The RFC 5545 RRULE parts (for icalendar's ``vRecur``); UNTIL is the end of that day in ``zone``
        (default: this computer's), written in UTC as the RFC requires."""
        parts: dict[str, object] = {"FREQ": "WEEKLY", "INTERVAL": self.interval_weeks,
                                    "BYDAY": ICAL_DAYS[first.weekday()]}
        if self.count is not None:
            parts["COUNT"] = self.count
        else:
            assert self.until is not None
            last_local = dt.datetime.combine(self.until, dt.time(23, 59, 59))
            aware = last_local.replace(tzinfo=zone) if zone is not None else last_local.astimezone()
            parts["UNTIL"] = aware.astimezone(dt.UTC)
        return parts

    def as_json(self) -> dict[str, object]:
        """How the rule is stored in the workspace setting."""
        return {"interval_weeks": self.interval_weeks, "until": self.until.isoformat() if self.until else None,
                "count": self.count}

    @classmethod
    def from_json(cls, data: dict[str, object]) -> RecurrenceRule:
        """The rule back from the workspace setting."""
        until = data.get("until")
        count = data.get("count")
        return cls(int(data.get("interval_weeks", 1)), dt.date.fromisoformat(str(until)) if until else None,
                   int(count) if count is not None else None)


@dataclass(frozen=True)
class SeriesRow:
    """A planned series: its rule, first start, duration and the sessions it made (in order)."""

    id: str
    exec_id: int
    rule: RecurrenceRule
    first: dt.datetime
    duration_min: int
    title: str
    session_ids: tuple[int, ...]

    @property
    def text(self) -> str:
        """The rule in words, with the time."""
        return self.rule.text(self.first.date(), self.first.time())


def _stored(ws: Workspace) -> dict[str, dict[str, object]]:
    return dict(settings.get(ws, SERIES))


def _row(series_id: str, data: dict[str, object]) -> SeriesRow:
    return SeriesRow(series_id, int(data["exec_id"]), RecurrenceRule.from_json(data["rule"]),  # type: ignore[arg-type]
                     dt.datetime.fromisoformat(str(data["first"])), int(data["duration_min"]), str(data["title"]),
                     tuple(int(i) for i in data["session_ids"]))  # type: ignore[union-attr]


def plan_series(
    ws: Workspace,
    *,
    exec_id: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    title: str,
    rule: RecurrenceRule,
    kind: SessionKind = SessionKind.ONE_ON_ONE,
    mentor_id: int | None = None,
    agenda: str = "",
    today: dt.date | None = None,
) -> SeriesRow:
    """Plan every occurrence of a series as a planned session, in one transaction; returns the series."""
    today = today or dt.date.today()
    clean_title = validation.text(title, "title", max_len=sessions.TITLE_MAX, required=True)
    clean_agenda = validation.text(agenda, "agenda", max_len=sessions.TEXT_MAX)
    duration = sessions.validate_times(starts_at, ends_at)
    if starts_at.date() < today:
        raise ValidationError("starts_at", "A series starts today or later; pick a later first date.")
    rule.validate(starts_at.date())
    days = rule.dates(starts_at.date())
    if len(days) < 2:
        raise ValidationError("until", "That end date leaves a single session; pick a later end date.")
    ids: list[int] = []
    with ws.session() as s:
        if s.get(Exec, exec_id) is None:
            raise ValidationError("exec", "That executive no longer exists.")
        if mentor_id is not None and s.get(Person, mentor_id) is None:
            mentor_id = None
        rows = [CoachingSession(exec_id=exec_id, kind=kind, status=SessionStatus.PLANNED, title=clean_title,
                                starts_at=dt.datetime.combine(day, starts_at.time()), duration_min=duration,
                                mentor_id=mentor_id, agenda=clean_agenda) for day in days]
        s.add_all(rows)
        s.flush()
        ids = [r.id for r in rows]
    series_id = uuid.uuid4().hex[:12]
    stored = _stored(ws)
    stored[series_id] = {"exec_id": exec_id, "rule": rule.as_json(), "first": starts_at.isoformat(),
                         "duration_min": duration, "title": clean_title, "session_ids": ids}
    settings.put(ws, SERIES, stored)
    return _row(series_id, stored[series_id])


def get_series(ws: Workspace, series_id: str) -> SeriesRow:
    """One series by id; a ValidationError if it is unknown."""
    data = _stored(ws).get(series_id)
    if data is None:
        raise ValidationError("series", "That series no longer exists.")
    return _row(series_id, data)


def series_of(ws: Workspace, *, session_id: int) -> SeriesRow | None:
    """The series a session was planned in, or None for a one-off session."""
    for series_id, data in _stored(ws).items():
        if session_id in data.get("session_ids", []):  # type: ignore[operator]
            return _row(series_id, data)
    return None


def list_series(ws: Workspace, *, exec_id: int | None = None) -> list[SeriesRow]:
    """Every series (of one exec), first start first."""
    rows = [_row(k, v) for k, v in _stored(ws).items()]
    return sorted((r for r in rows if exec_id is None or r.exec_id == exec_id), key=lambda r: r.first)


def exceptions(ws: Workspace, series: SeriesRow) -> list[dt.datetime]:
    """Occurrences no longer on the calendar as planned: deleted, cancelled or moved sessions (EXDATEs)."""
    expected = [dt.datetime.combine(d, series.first.time()) for d in series.rule.dates(series.first.date())]
    with ws.session() as s:
        live = {cs.starts_at for cs in (s.get(CoachingSession, i) for i in series.session_ids)
                if cs is not None and cs.status != SessionStatus.CANCELLED}
    return [when for when in expected if when not in live]
