"""The pieces every report is made of, the privacy redactor and the formatting shared by the three reports."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from esncoach.models import ActionOwner
from esncoach.services import ladder, redaction, sessions, settings
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace

CM_NAME = settings.declare("report.cm_name", "")
PROGRAMME_TARGETS = settings.declare("report.programme_targets", {"messages": 25.0, "replies": 25.0, "likes": 40.0})
"""The lift in network engagement (percent) the programme promised its sponsor, per metric."""

DEFAULT_CM_LABEL = "Community manager"
OTHER_EXEC = redaction.OTHER_EXEC
MAX_SESSION_ROWS = 12
METRIC_LABELS = {"messages": "Messages", "replies": "Replies", "likes": "Likes", "reads": "Reads",
                 "active_days": "Active days", "replies_received": "Replies received", "chat_messages": "Chat messages"}


def metric_label(name: str) -> str:
    """"Replies received" for ``replies_received``; metrics added later read as words too."""
    return METRIC_LABELS.get(name, name.replace("_", " ").capitalize())

ReportKind = Literal["exec", "portfolio", "assistant"]
Tone = Literal["body", "lead", "subhead", "muted", "caveat"]
Align = Literal["left", "right", "center"]


# ---- the blocks a report is made of ----------------------------------------------------------------

@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text; ``lead`` and ``subhead`` introduce what follows, ``caveat`` is set apart as a
    plain-words warning about the figures."""

    text: str
    tone: Tone = "body"


@dataclass(frozen=True)
class Bullets:
    """A short bulleted list."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class KeyFigure:
    """One headline number with its label and a short note under it."""

    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class KeyFigures:
    """A row of headline numbers."""

    items: tuple[KeyFigure, ...]


@dataclass(frozen=True)
class Column:
    """A table column: its heading, alignment and relative width."""

    title: str
    align: Align = "left"
    weight: float = 1.0


@dataclass(frozen=True)
class Table:
    """Rows of text under column headings; shown as ``empty_text`` when there are no rows."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    empty_text: str = "Nothing to show."
    note: str = ""


@dataclass(frozen=True)
class ChartRequest:
    """Where the app's own charts go; the Qt layer renders them with the chart code of the app."""

    kind: Literal["progress", "portfolio"]
    exec_id: int | None = None
    start: dt.date | None = None
    end: dt.date | None = None


Block = Paragraph | Bullets | KeyFigures | Table | ChartRequest


@dataclass(frozen=True)
class Section:
    """A titled part of a report."""

    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class ReportContent:
    """Everything a report shows, ready to typeset; ``file_stem`` suggests a file name."""

    kind: ReportKind
    title: str
    subject: str
    meta: tuple[tuple[str, str], ...]
    confidentiality: str
    sections: tuple[Section, ...]
    file_stem: str
    generated_on: dt.date
    exec_ids: tuple[int, ...] = field(default_factory=tuple)
    possible_mentions: tuple[redaction.PossibleMention, ...] = field(default_factory=tuple)
    """First names alone that may be another exec's, kept in the text: to review before sharing."""

    def texts(self) -> list[str]:
        """Every string the report shows, in order (for checks and search)."""
        out = [self.title, self.subject, self.confidentiality]
        out += [f"{k}: {v}" for k, v in self.meta]
        for sec in self.sections:
            out.append(sec.title)
            for b in sec.blocks:
                if isinstance(b, Paragraph):
                    out.append(b.text)
                elif isinstance(b, Bullets):
                    out += list(b.items)
                elif isinstance(b, KeyFigures):
                    out += [f"{k.label} {k.value} {k.note}" for k in b.items]
                elif isinstance(b, Table):
                    out += [c.title for c in b.columns] + [" ".join(r) for r in b.rows] + [b.note]
        return out

    @property
    def charts(self) -> list[ChartRequest]:
        return [b for s in self.sections for b in s.blocks if isinstance(b, ChartRequest)]


# ---- privacy -----------------------------------------------------------------------------------------

def Redactor(ws: Workspace, *, about: set[int]) -> redaction.Redactor:  # noqa: N802 - kept for callers
    """The report redactor for the execs in ``about`` (``esncoach.services.redaction``: every spelling of the
    other execs and their people is replaced; a first name alone is kept and listed as a possible mention)."""
    return redaction.for_execs(ws, about=about, ambiguous="flag")


# ---- formatting helpers ------------------------------------------------------------------------------

def fmt_date(day: dt.date | dt.datetime | None) -> str:
    """"23 Nov 2026": unambiguous in every country the report may travel to."""
    if day is None:
        return "—"
    return f"{day.day} {day:%b %Y}"


def fmt_pct(value: float | None, *, signed: bool = False, digits: int = 0) -> str:
    if value is None:
        return "—"
    text = f"{value:+.{digits}f}%" if signed else f"{value:.{digits}f}%"
    if text.lstrip("+-").strip("0.%") == "":  # "-0.0%" is no change at all
        text = text.replace("-", "±" if signed else "").replace("+", "±" if signed else "")
    return text.replace("-", "\u2212")  # a real minus sign, as typeset figures have


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else (plural or word + 's')}"


def _count(n: int, unit: str) -> str:
    """"1 week", "3 weeks" from a unit given either way ("week" or "weeks")."""
    singular = unit[:-1] if unit.endswith("s") else unit
    return _plural(n, singular)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _first(name: str) -> str:
    return name.split()[0] if name.strip() else name


def cm_name(ws: Workspace) -> str:
    """The community manager's name for report headers, or the role when none is set."""
    return str(settings.get(ws, CM_NAME) or "").strip() or DEFAULT_CM_LABEL


def _stem(*parts: str) -> str:
    """A file name that travels well: ASCII letters, digits and dashes ("progress-elodie-marchand-2026-11-23")."""
    text = unicodedata.normalize("NFKD", "-".join(parts)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^\w\-]+", "-", text, flags=re.UNICODE).strip("-").lower()
    return re.sub(r"-{2,}", "-", text)


STEM_PREFIX = {"exec": "progress", "assistant": "assistant-brief", "portfolio": "programme-summary"}


def file_stem_for(kind: ReportKind, name: str, day: dt.date) -> str:
    """The suggested file name (without .pdf) of a report of ``kind`` about ``name`` dated ``day``."""
    return _stem(STEM_PREFIX[kind], *([name] if name else []), day.isoformat())


SHORT_PERIOD_DAYS = 14
"""A report period shorter than this is flagged: habits, figures and trends mean little over a few days."""


def default_period(ws: Workspace, *, exec_id: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """The span of the exec's data up to today: the first ladder entry, session, network join date or own
    figure (a new exec added today may come with months of imported figures)."""
    from esncoach.services import execs, metrics

    history = ladder.stage_history(ws, exec_id=exec_id)
    held = [s.starts_at.date() for s in sessions.list_sessions(ws, exec_id=exec_id)]
    starts = [h.changed_on for h in history[:1]] + held
    span = metrics.data_span(ws, exec_id=exec_id)
    if span is not None:
        starts.append(span[0])
    joined = execs.get_exec(ws, exec_id).joined
    if joined is not None:
        starts.append(joined)
    start = min(starts) if starts else today - dt.timedelta(days=90)
    return min(start, today), today


def short_period_note(start: dt.date, end: dt.date) -> str:
    """One sentence for a period under two weeks ("" otherwise)."""
    days = (end - start).days + 1
    if days >= SHORT_PERIOD_DAYS:
        return ""
    return (f"This report covers {days} day{'s' if days != 1 else ''} only; habits, figures and trends need "
            f"at least two weeks to say much.")


def _check_period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise ValidationError("to", f"The period ends ({end.isoformat()}) before it starts ({start.isoformat()}).")


def _owner_label(owner: ActionOwner) -> str:
    return {ActionOwner.EXEC: "Executive", ActionOwner.ASSISTANT: "Assistant", ActionOwner.MENTOR: "Reverse mentor",
            ActionOwner.CM: "Community manager"}[owner]


def _due(due: dt.date | None, today: dt.date) -> str:
    if due is None:
        return "—"
    return fmt_date(due) + (" (overdue)" if due < today else "")
