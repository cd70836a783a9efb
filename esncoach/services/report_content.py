"""What the PDF progress summaries say, assembled without Qt: the exec summary, the sponsor portfolio, the assistant brief.

A report is a ``ReportContent``: a header (title, subject, meta lines, confidentiality marking) and
sections of simple blocks (paragraphs, bullet lists, key figures, tables, chart requests) that the
Qt layer in ``esncoach.reports`` typesets. The privacy rules live here, where they can be tested:

- A report reads only what it may show: never an exec's private notes, session notes, feedback
  comments or the text of a draft (only counts, titles of *published* posts and rubric scores).
- An exec's summary and an assistant's brief are built from that one exec's rows only, and every
  free text they carry (outcomes, action items, titles, reasons) is passed through ``Redactor``,
  which replaces the name or email of any other exec with "another executive".
- The sponsor summary names the execs of the programme (it is about them) but none of their
  supporters, and carries no free text typed about an exec beyond habit descriptions.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from esncoach.models import ActionOwner, CheckInResult, LadderStage, SessionStatus, SupportRole
from esncoach.services import execs as execs_service
from esncoach.services import feedback, habits, impact, influencers, ladder, metrics, people, sessions, settings
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace

CM_NAME = settings.declare("report.cm_name", "")
PROGRAMME_TARGETS = settings.declare("report.programme_targets", {"messages": 25.0, "replies": 25.0, "likes": 40.0})
"""The lift in network engagement (percent) the programme promised its sponsor, per metric."""

DEFAULT_CM_LABEL = "Community manager"
OTHER_EXEC = "another executive"
MAX_SESSION_ROWS = 12
METRIC_LABELS = {"messages": "Messages", "replies": "Replies", "likes": "Likes", "reads": "Reads",
                 "active_days": "Active days", "replies_received": "Replies received"}

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

class Redactor:
    """Replaces the names and emails of execs a report is not about in free text typed by the CM."""

    def __init__(self, ws: Workspace, *, about: set[int]) -> None:
        others = [e for e in execs_service.list_execs(ws) if e.id not in about]
        words = sorted({w for e in others for w in (e.name, e.email) if w and len(w.strip()) >= 3},
                       key=len, reverse=True)
        self._pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE) if words else None

    def __call__(self, text: str) -> str:
        return self._pattern.sub(OTHER_EXEC, text) if self._pattern and text else text


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


def default_period(ws: Workspace, *, exec_id: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """From the day coaching started (first ladder entry or session) to today."""
    history = ladder.stage_history(ws, exec_id=exec_id)
    held = [s.starts_at.date() for s in sessions.list_sessions(ws, exec_id=exec_id)]
    starts = [h.changed_on for h in history[:1]] + held
    start = min(starts) if starts else today - dt.timedelta(days=90)
    return min(start, today), today


def _check_period(start: dt.date, end: dt.date) -> None:
    if end < start:
        raise ValidationError("to", f"The period ends ({end.isoformat()}) before it starts ({start.isoformat()}).")


# ---- exec progress summary ---------------------------------------------------------------------------

def exec_summary(ws: Workspace, *, exec_id: int, start: dt.date | None = None, end: dt.date | None = None,
                 today: dt.date | None = None) -> ReportContent:
    """The progress summary handed to one exec: ladder, habit, sessions, posts, impact, charts, next steps."""
    today = today or dt.date.today()
    ex = execs_service.get_exec(ws, exec_id)
    d_start, d_end = default_period(ws, exec_id=exec_id, today=today)
    start, end = start or d_start, end or d_end
    _check_period(start, end)
    clean = Redactor(ws, about={exec_id})
    sections = [
        _ladder_section(ws, ex, today, clean),
        _habit_section(ws, exec_id, start, end, today, clean),
        _sessions_section(ws, exec_id, start, end, clean),
        _posts_section(ws, exec_id, start, end, clean),
        _impact_section(ws, ex, start, end),
        _next_steps_section(ws, exec_id, today, clean),
        Section("Progress charts", (ChartRequest("progress", exec_id, start, end),)),
    ]
    glance = _exec_glance(ws, ex, start, end, today)
    sections.insert(0, Section("At a glance", (glance,)))
    role = ", ".join(p for p in (ex.title, ex.department) if p)
    return ReportContent(
        kind="exec", title="Progress summary", subject=ex.name + (f" — {role}" if role else ""),
        meta=(("Prepared by", cm_name(ws)), ("Period", f"{fmt_date(start)} – {fmt_date(end)}"),
              ("Prepared on", fmt_date(today))),
        confidentiality=f"Confidential — prepared for {ex.name}. Not for circulation.",
        sections=tuple(sections), file_stem=file_stem_for("exec", ex.name, end),
        generated_on=today, exec_ids=(exec_id,),
    )


def _exec_glance(ws: Workspace, ex: execs_service.ExecRow, start: dt.date, end: dt.date, today: dt.date) -> KeyFigures:
    status = habits.habit_status(ws, exec_id=ex.id, today=min(end, today))
    held = [s for s in sessions.list_sessions(ws, exec_id=ex.id)
            if s.status == SessionStatus.HELD and start <= s.starts_at.date() <= end]
    posts = feedback.post_summary(ws, exec_id=ex.id, start=start, end=end)
    n = len(LadderStage)
    return KeyFigures((
        KeyFigure("Ladder stage", ex.stage.label, f"step {ex.stage.rank + 1} of {n}"),
        KeyFigure("Habit strength", fmt_pct(status.strength * 100) if status else "—",
                  "streak: " + _count(status.streak, status.streak_unit) if status else "no current habit"),
        KeyFigure("Sessions held", str(len(held)), "in the period"),
        KeyFigure("Posts published", str(posts.published), f"{_plural(posts.drafted, 'draft')} started"),
    ))


def _ladder_section(ws: Workspace, ex: execs_service.ExecRow, today: dt.date, clean: Redactor) -> Section:
    history = ladder.stage_history(ws, exec_id=ex.id)
    since = next((h.changed_on for h in reversed(history) if h.stage == ex.stage), None)
    n = len(LadderStage)
    lead = (f"{ex.name} is at “{ex.stage.label}”, step {ex.stage.rank + 1} of the {n}-step adoption ladder"
            + (f", since {fmt_date(since)}." if since else "."))
    words = {"start": "Started", "up": "Moved up", "back": "Stepped back"}
    rows = tuple((fmt_date(h.changed_on), words[h.direction],
                  (f"{h.from_stage.label} → " if h.from_stage else "") + h.stage.label, clean(h.reason))
                 for h in history)
    blocks: list[Block] = [
        Paragraph(lead, "lead"),
        Table((Column("Date", weight=1.25), Column("Move", weight=1.0), Column("Stage", weight=1.9),
               Column("Why", weight=3.2)), rows, empty_text="No ladder moves recorded yet."),
    ]
    ready = ladder.readiness(ws, exec_id=ex.id, today=today)
    if ready.next_stage is not None:
        verdict = ("looks ready for" if ready.ready else "is working towards")
        blocks.append(Paragraph(f"{_first(ex.name)} {verdict} the next step, “{ready.next_stage.label}”."))
        items = [f"Done: {r}" for r in ready.reasons] + [f"Still to come: {m}" for m in ready.missing]
        if items:
            blocks.append(Bullets(tuple(items)))
    return Section("On the adoption ladder", tuple(blocks))


def _habit_section(ws: Workspace, exec_id: int, start: dt.date, end: dt.date, today: dt.date,
                   clean: Redactor) -> Section:
    status = habits.habit_status(ws, exec_id=exec_id, today=min(end, today))
    if status is None:
        return Section("The current habit", (Paragraph("There is no current habit: agreeing one small, regular "
                                                       "commitment is the first next step.", "muted"),))
    series = habits.strength_series(ws, exec_id=exec_id, start=start, end=end)
    counts = Counter(m.result for m in series.marks)
    trend = status.strength - status.strength_two_weeks_ago
    trend_words = ("steady" if abs(trend) < 0.03 else ("up" if trend > 0 else "down")) + \
        f" from {fmt_pct(status.strength_two_weeks_ago * 100)} two weeks earlier"
    return Section("The current habit", (
        Paragraph(f"“{clean(status.description)}” — {_lower_first(status.schedule_text)}, "
                  f"since {fmt_date(status.started_on)}.",
                  "lead"),
        KeyFigures((
            KeyFigure("Strength", fmt_pct(status.strength * 100), trend_words),
            KeyFigure("Current streak", _count(status.streak, status.streak_unit),
                      f"best: {_count(status.best_streak, status.streak_unit)}"),
            KeyFigure("Check-ins in the period", str(counts[CheckInResult.DONE]),
                      f"done; {counts[CheckInResult.SKIPPED]} excused, {counts[CheckInResult.MISSED]} missed"),
        )),
        Paragraph("Strength rises with each check-in done and fades slowly with each one missed, so one bad "
                  "week does not undo months of practice.", "muted"),
    ))


def _sessions_section(ws: Workspace, exec_id: int, start: dt.date, end: dt.date, clean: Redactor) -> Section:
    all_sessions = sessions.list_sessions(ws, exec_id=exec_id)
    in_period = [s for s in all_sessions if start <= s.starts_at.date() <= end]
    held = sorted((s for s in in_period if s.status == SessionStatus.HELD), key=lambda s: s.starts_at)
    cancelled = sum(1 for s in in_period if s.status == SessionStatus.CANCELLED)
    minutes = sum(s.duration_min for s in held)
    summary = (f"{_plural(len(held), 'session')} held in the period, {minutes / 60:.1f} hours in all"
               + (f"; {cancelled} cancelled." if cancelled else "."))
    shown = held[-MAX_SESSION_ROWS:]
    rows = tuple((fmt_date(s.starts_at), clean(s.title) or sessions.KIND_LABELS[s.kind],
                  clean(s.outcomes) or "—") for s in shown)
    note = (f"The {len(shown)} most recent of {len(held)} sessions are listed." if len(held) > len(shown) else "")
    items = sessions.open_action_items(ws, exec_id=exec_id)
    item_rows = tuple((clean(i.text), _owner_label(i.owner), _due(i.due, end)) for i in items)
    return Section("Coaching sessions", (
        Paragraph(summary, "lead"),
        Table((Column("Date", weight=1.25), Column("Session", weight=2.6), Column("Key outcome", weight=4.0)), rows,
              empty_text="No sessions were held in the period.", note=note),
        Paragraph("Open action items", "subhead"),
        Table((Column("Action", weight=4.5), Column("Owner", weight=1.3), Column("Due", weight=1.4)), item_rows,
              empty_text="No open action items."),
    ))


def _owner_label(owner: ActionOwner) -> str:
    return {ActionOwner.EXEC: "Executive", ActionOwner.ASSISTANT: "Assistant", ActionOwner.MENTOR: "Reverse mentor",
            ActionOwner.CM: "Community manager"}[owner]


def _due(due: dt.date | None, today: dt.date) -> str:
    if due is None:
        return "—"
    return fmt_date(due) + (" (overdue)" if due < today else "")


def _posts_section(ws: Workspace, exec_id: int, start: dt.date, end: dt.date, clean: Redactor) -> Section:
    summary = feedback.post_summary(ws, exec_id=exec_id, start=start, end=end)
    trends = feedback.rubric_trends(ws, exec_id=exec_id)
    if summary.drafted == summary.published == summary.revisions == 0:
        return Section("Practice posts", (
            Paragraph("No practice posts were started, revised or published in the period."),))
    lead = (f"{_plural(summary.drafted, 'practice post')} started and {summary.published} published in the "
            f"period, over {_plural(summary.revisions, 'revision round')} with "
            f"{_plural(summary.comments, 'comment')} from the community manager.")
    rows = []
    for criterion, points in trends.items():
        in_period = [p for p in points if start <= p.date <= end]
        if not in_period:
            continue
        scores = [p.score for p in in_period]
        mean = sum(scores) / len(scores)
        delta = scores[-1] - scores[0]
        direction = "steady" if len(scores) < 2 or delta == 0 else ("improving" if delta > 0 else "slipping")
        rows.append((criterion.capitalize(), str(len(scores)), f"{mean:.1f}", f"{scores[0]} → {scores[-1]}", direction))
    published = tuple((fmt_date(d), clean(title) or "(untitled)") for d, title, _url in summary.published_posts)
    return Section("Practice posts", (
        Paragraph(lead, "lead"),
        Table((Column("Rubric criterion", weight=2.6), Column("Scores", "right", 0.8), Column("Mean", "right", 0.8),
               Column("First → last", "center", 1.2), Column("Trend", weight=1.1)), tuple(rows),
              empty_text="No drafts were scored in the period.", note="Scores run from 1 to 5."),
        Table((Column("Published", weight=1.1), Column("Post", weight=5.0)), published,
              empty_text="Nothing was published in the period."),
    ))


def _own_activity(ws: Workspace, exec_id: int, start: dt.date, end: dt.date) -> Table:
    days = (end - start).days + 1
    rows = []
    for metric in metrics.available_metrics(ws, exec_id=exec_id):
        series = metrics.daily_series(ws, exec_id=exec_id, metric=metric, start=start, end=end)
        if not series:
            continue
        coverage = len(series) / days
        rows.append((METRIC_LABELS.get(metric, metric.replace("_", " ").capitalize()), f"{sum(series.values()):,.0f}",
                     fmt_pct(coverage * 100)))
    return Table((Column("Own activity in the period", weight=3.0), Column("Total", "right", 1.2),
                  Column("Days with figures", "right", 1.4)), tuple(rows),
                 empty_text="No figures for this executive in the period.")


def _impact_rows(group: dict[str, impact.MetricImpact]) -> tuple[tuple[str, ...], ...]:
    rows = []
    for name, m in group.items():
        ci = f"{fmt_pct(m.ci95[0], signed=True, digits=1)} to {fmt_pct(m.ci95[1], signed=True, digits=1)}" \
            if m.ci95 else "—"
        rows.append((METRIC_LABELS.get(name, name), "—" if m.before is None else f"{m.before:,.1f}",
                     "—" if m.after is None else f"{m.after:,.1f}", fmt_pct(m.change_pct, signed=True, digits=1), ci,
                     f"{m.coverage[0]:.0%} / {m.coverage[1]:.0%}"))
    return tuple(rows)


IMPACT_COLUMNS = (Column("Network, per day", weight=1.9), Column("Before", "right", 1.0), Column("After", "right", 1.0),
                  Column("Change", "right", 1.0), Column("95% interval", "right", 2.0),
                  Column("Coverage", "right", 1.3))


def _impact_section(ws: Workspace, ex: execs_service.ExecRow, start: dt.date, end: dt.date) -> Section:
    blocks: list[Block] = [_own_activity(ws, ex.id, start, end)]
    if ex.joined is None:
        blocks.append(Paragraph(f"{ex.name} has not joined the network yet, so there is no before/after comparison.",
                                "muted"))
        return Section("Engagement and impact", tuple(blocks))
    try:
        report = impact.exec_impact(ws, exec_id=ex.id)
    except ValidationError as exc:
        blocks.append(Paragraph(str(exc), "muted"))
        return Section("Engagement and impact", tuple(blocks))
    blocks.append(Paragraph(f"Network engagement in the {report.days} days before {_first(ex.name)} joined "
                            f"({fmt_date(report.join_date)}) and the {report.days} days from then:", "lead"))
    blocks.append(Table(IMPACT_COLUMNS, _impact_rows(report.network),
                        empty_text="There are no network figures to compare yet."))
    blocks.append(Paragraph(_impact_caveat(report.days), "caveat"))
    if report.warnings:
        blocks.append(Bullets(tuple(w.replace(ex.name, _first(ex.name)) for w in report.warnings)))
    return Section("Engagement and impact", tuple(blocks))


def _impact_caveat(days: int) -> str:
    return (f"How to read this: “Before” and “After” are average figures per day over {days} days each; "
            "“Coverage” says what share of those days have figures. The 95% interval is the range of changes "
            "that day-to-day ups and downs alone could produce: when it includes 0%, the change may be chance. "
            "A before/after comparison shows association, not proof — other things changed at the same time.")


def _next_steps_section(ws: Workspace, exec_id: int, today: dt.date, clean: Redactor) -> Section:
    items: list[str] = []
    nxt = sessions.next_planned(ws, exec_id=exec_id, now=dt.datetime.combine(today, dt.time()))
    if nxt is not None:
        items.append(f"Next session: {fmt_date(nxt.starts_at)} at {nxt.starts_at:%H:%M} — "
                     f"{clean(nxt.title) or sessions.KIND_LABELS[nxt.kind]} ({nxt.duration_min} min).")
    else:
        items.append("Plan the next coaching session.")
    status = habits.habit_status(ws, exec_id=exec_id, today=today)
    if status is not None:
        items.append(f"Keep the habit going: “{clean(status.description)}”, {_lower_first(status.schedule_text)}.")
    ready = ladder.readiness(ws, exec_id=exec_id, today=today)
    if ready.next_stage is not None:
        if ready.ready:
            items.append(f"Agree the move to “{ready.next_stage.label}” and a habit that fits it.")
        else:
            items += [f"Towards “{ready.next_stage.label}”: {m}." for m in ready.missing[:3]]
    for item in sessions.open_action_items(ws, exec_id=exec_id, owner=ActionOwner.EXEC)[:3]:
        text = clean(item.text).rstrip(".")
        items.append(text + (f" (due {fmt_date(item.due)})." if item.due else "."))
    return Section("Next steps", (Bullets(tuple(items)),))


# ---- sponsor portfolio summary -----------------------------------------------------------------------

def portfolio_summary(ws: Workspace, *, today: dt.date | None = None, days: int = 90) -> ReportContent:
    """The programme across every active exec, for the sponsor: no private notes, no draft texts."""
    today = today or dt.date.today()
    start = today - dt.timedelta(days=days)
    rows = [e for e in execs_service.list_execs(ws, include_archived=False)]
    ids = [e.id for e in rows]
    statuses = {i: st for i, _n, st in habits.all_statuses(ws, today=today)}
    held_recent: dict[int, int] = {}
    held_total = 0
    for e in rows:
        held = [s for s in sessions.list_sessions(ws, exec_id=e.id) if s.status == SessionStatus.HELD]
        held_total += len(held)
        held_recent[e.id] = sum(1 for s in held if s.starts_at.date() >= start)
    posts = {e.id: feedback.post_summary(ws, exec_id=e.id, start=start, end=today) for e in rows}
    on_network = [e for e in rows if e.joined]
    strengths = [st.strength for st in statuses.values() if st is not None]
    glance = KeyFigures((
        KeyFigure("Executives coached", str(len(rows)), f"{len(on_network)} on the network"),
        KeyFigure("Sessions held", str(sum(held_recent.values())), f"last {days} days; {held_total} in all"),
        KeyFigure("Average habit strength", fmt_pct(100 * sum(strengths) / len(strengths)) if strengths else "—",
                  f"{len(strengths)} with a current habit"),
        KeyFigure("Posts published", str(sum(p.published for p in posts.values())), f"last {days} days"),
    ))
    sections = [
        Section("At a glance", (glance,)),
        _promise_section(ws, rows, today),
        _stages_section(ws, rows, start, days),
        Section("Executive by executive", (_exec_table(rows, statuses, held_recent, posts, days),)),
        _portfolio_impact_section(ws, on_network),
        _influencers_section(ws, start, today, days),
        Section("Programme charts", (ChartRequest("portfolio"),)),
    ]
    return ReportContent(
        kind="portfolio", title="Programme summary", subject="Executive coaching programme",
        meta=(("Prepared by", cm_name(ws)), ("Period", f"{fmt_date(start)} – {fmt_date(today)}"),
              ("Prepared on", fmt_date(today))),
        confidentiality="Confidential — for the programme sponsor. Contains no private coaching notes.",
        sections=tuple(sections), file_stem=file_stem_for("portfolio", "", today), generated_on=today,
        exec_ids=tuple(ids),
    )


def _promise_section(ws: Workspace, rows: list[execs_service.ExecRow], today: dt.date) -> Section:
    targets: dict[str, float] = dict(settings.get(ws, PROGRAMME_TARGETS) or {})
    joins = sorted(e.joined for e in rows if e.joined)
    if not joins:
        return Section("What the programme promised", (Paragraph(
            "No executive has joined the network yet, so there is nothing to compare with the promise.", "muted"),))
    window = int(settings.get(ws, impact.WINDOW_DAYS))
    first = joins[0]
    b0, b1 = first - dt.timedelta(days=window), first - dt.timedelta(days=1)
    a0, a1 = today - dt.timedelta(days=window), today - dt.timedelta(days=1)
    table_rows = []
    for metric in [m for m in impact.NETWORK_METRICS if m in metrics.available_metrics(ws, exec_id=None)]:
        series = metrics.daily_series(ws, exec_id=None, metric=metric, start=b0, end=a1)
        before = [v for d, v in series.items() if b0 <= d <= b1]
        after = [v for d, v in series.items() if a0 <= d <= a1]
        m = impact.compare_windows(metric, before, after, window)
        target = targets.get(metric)
        ci = (f"{fmt_pct(m.ci95[0], signed=True, digits=1)} to {fmt_pct(m.ci95[1], signed=True, digits=1)}"
              if m.ci95 else "—")
        if target is None or m.change_pct is None:
            verdict = "no target" if target is None else "not enough data"
        elif m.ci95 and m.ci95[0] >= target:
            verdict = "met"
        elif m.change_pct >= target:
            verdict = "met, within the margin of chance"
        elif m.ci95 and m.ci95[1] >= target:
            verdict = "not yet clear"
        else:
            verdict = "not met yet"
        table_rows.append((METRIC_LABELS.get(metric, metric), "—" if target is None else fmt_pct(target, signed=True),
                           fmt_pct(m.change_pct, signed=True, digits=1), ci, verdict))
    return Section("What the programme promised", (
        Paragraph(f"Network engagement per day in the {window} days before the first executive joined "
                  f"({fmt_date(first)}) compared with the last {window} days, against the lift the programme "
                  "promised.", "lead"),
        Table((Column("Network metric", weight=1.6), Column("Promised", "right", 1.1), Column("Change", "right", 1.1),
               Column("95% interval", "right", 2.0), Column("Verdict", weight=2.2)), tuple(table_rows),
              empty_text="There are no network figures yet."),
        Paragraph("The change covers everything that happened on the network in between — seasons, news, other "
                  "campaigns — not only the executives' arrival. It shows association, not proof.", "caveat"),
    ))


def _stages_section(ws: Workspace, rows: list[execs_service.ExecRow], start: dt.date, days: int) -> Section:
    up: Counter[LadderStage] = Counter()
    back = 0
    moved: set[int] = set()
    for e in rows:
        for h in ladder.stage_history(ws, exec_id=e.id):
            if h.changed_on >= start and h.direction != "start":
                moved.add(e.id)
                if h.direction == "up":
                    up[h.stage] += 1
                else:
                    back += 1
    by_stage = {st: sorted(e.name for e in rows if e.stage == st) for st in LadderStage}
    table = tuple((f"{st.rank + 1}. {st.label}", str(len(by_stage[st])), str(up[st]), ", ".join(by_stage[st]) or "—")
                  for st in LadderStage)
    lead = (f"In the last {days} days {_plural(len(moved), 'executive')} moved on the ladder: "
            f"{_plural(sum(up.values()), 'step')} up" + (f", {back} back." if back else ", none back."))
    return Section("Where the executives stand", (
        Paragraph(lead, "lead"),
        Table((Column("Stage", weight=1.7), Column("Now", "right", 0.6), Column(f"Reached, {days} d", "right", 1.1),
               Column("Executives", weight=4.2)), table),
    ))


def _exec_table(rows: list[execs_service.ExecRow], statuses: dict[int, habits.HabitStatus | None],
                held: dict[int, int], posts: dict[int, feedback.PostSummary], days: int) -> Table:
    out = []
    for e in sorted(rows, key=lambda e: (-e.stage.rank, e.name)):
        st = statuses.get(e.id)
        out.append((e.name, e.stage.label, fmt_date(e.joined) if e.joined else "not yet", str(held[e.id]),
                    fmt_pct(st.strength * 100) if st else "—",
                    _count(st.streak, st.streak_unit) if st else "—", str(posts[e.id].published)))
    return Table((Column("Executive", weight=2.0), Column("Stage", weight=1.6), Column("On network", weight=1.35),
                  Column("Sessions", "right", 0.9), Column("Habit", "right", 0.75), Column("Streak", "right", 1.5),
                  Column("Published", "right", 1.0)), tuple(out),
                 note=f"Sessions and published posts count the last {days} days; habit strength and streak are today's.")


def _portfolio_impact_section(ws: Workspace, on_network: list[execs_service.ExecRow]) -> Section:
    out = []
    window = int(settings.get(ws, impact.WINDOW_DAYS))
    for e in sorted(on_network, key=lambda e: e.joined or dt.date.min):
        try:
            rep = impact.exec_impact(ws, exec_id=e.id)
        except ValidationError:
            continue
        cells = []
        for metric in ("messages", "replies", "likes"):
            m = rep.network.get(metric)
            if m is None or m.change_pct is None:
                cells.append("—")
                continue
            cells.append(fmt_pct(m.change_pct, signed=True, digits=1)
                         + (f" ({fmt_pct(m.ci95[0], signed=True)[:-1]} to {fmt_pct(m.ci95[1], signed=True)[:-1]})"
                            if m.ci95 else ""))
        covered = all(m.well_covered for m in rep.network.values()) if rep.network else False
        out.append((e.name, fmt_date(rep.join_date), *cells, "complete" if covered else "partial"))
    return Section("Network impact of each executive who joined", (
        Paragraph(f"Change in network engagement per day, {window} days before each executive joined against "
                  f"the {window} days from then, with the 95% interval in brackets.", "lead"),
        Table((Column("Executive", weight=1.9), Column("Joined", weight=1.4), Column("Messages", "right", 1.9),
               Column("Replies", "right", 1.9), Column("Likes", "right", 1.9), Column("Data", "right", 1.1)),
              tuple(out), empty_text="No executive has joined the network yet."),
        Paragraph("Windows of executives who joined close together overlap, so their effects cannot be told apart; "
                  "an interval that includes 0% means the change may be chance.", "caveat"),
    ))


def _influencers_section(ws: Workspace, start: dt.date, today: dt.date, days: int) -> Section:
    ranked = influencers.rank_influencers(ws, start=start, end=today)[:8]
    rows = tuple((str(r.rank), r.name, f"{r.replies_received:,.0f}", f"{r.messages:,.0f}",
                  "—" if r.per_message is None else f"{r.per_message:.1f}") for r in ranked)
    basis = ranked[0].basis if ranked else influencers.BASIS_RESPONSES
    return Section("Early adopters and influencers", (
        Paragraph(f"The executives whose posts drew the most response in the last {days} days (ranked by {basis}): "
                  "the voices worth asking to bring others along.", "lead"),
        Table((Column("#", "right", 0.4), Column("Executive", weight=2.6), Column("Replies received", "right", 1.5),
               Column("Messages", "right", 1.2), Column("Per message", "right", 1.2)), rows,
              empty_text="No executive activity has been recorded yet."),
    ))


# ---- assistant brief ---------------------------------------------------------------------------------

def assistant_brief(ws: Workspace, *, exec_id: int, today: dt.date | None = None) -> ReportContent:
    """The brief for one exec's assistant: themes to watch, the assistant's open items, upcoming sessions."""
    today = today or dt.date.today()
    ex = execs_service.get_exec(ws, exec_id)
    clean = Redactor(ws, about={exec_id})
    assistant = next((s for s in ex.supporters if s.role == SupportRole.ASSISTANT), None)
    first = _first(ex.name)
    themes = people.assistant_brief(ws, exec_id=exec_id)
    status = habits.habit_status(ws, exec_id=exec_id, today=today)
    where = f"{ex.name} is at “{ex.stage.label}” on the adoption ladder (step {ex.stage.rank + 1} of {len(LadderStage)})."
    if status is not None:
        where += f" The current habit is “{clean(status.description)}”, {_lower_first(status.schedule_text)}."
    items = [i for i in sessions.open_action_items(ws, exec_id=exec_id, owner=ActionOwner.ASSISTANT)
             if assistant is None or i.owner_person_id in (None, assistant.person_id)]
    now = dt.datetime.combine(today, dt.time())
    upcoming = sorted((s for s in sessions.list_sessions(ws, exec_id=exec_id)
                       if s.status == SessionStatus.PLANNED and s.starts_at >= now), key=lambda s: s.starts_at)
    sections = (
        Section(f"Where {first} is", (Paragraph(where, "lead"),)),
        Section("Themes and discussions to watch", (
            Paragraph(f"Flag to {first} the discussions on these themes that deserve a leadership voice.", "body"),
            Bullets(tuple(clean(t.text) for t in themes)) if themes else
            Paragraph("No themes to watch at the moment.", "muted"),
        )),
        Section("Your open action items", (
            Table((Column("Action", weight=4.6), Column("Due", weight=1.5)),
                  tuple((clean(i.text), _due(i.due, today)) for i in items), empty_text="Nothing open for you."),
        )),
        Section("Upcoming sessions", (
            Table((Column("Date", weight=1.3), Column("Time", weight=0.8), Column("Length", "right", 0.9),
                   Column("Session", weight=2.6), Column("Kind", weight=1.8)),
                  tuple((fmt_date(s.starts_at), f"{s.starts_at:%H:%M}", f"{s.duration_min} min",
                         clean(s.title) or sessions.KIND_LABELS[s.kind], sessions.KIND_LABELS[s.kind])
                        for s in upcoming), empty_text="No sessions are planned yet."),
            Paragraph("Please keep these slots free in the calendar and protect a few minutes before each one.",
                      "muted"),
        )),
    )
    prepared_for = f"{assistant.name}, assistant to {ex.name}" if assistant else f"The assistant to {ex.name}"
    return ReportContent(
        kind="assistant", title="Assistant brief", subject=ex.name,
        meta=(("Prepared for", prepared_for), ("Prepared by", cm_name(ws)), ("Prepared on", fmt_date(today))),
        confidentiality=f"Confidential — for {ex.name}'s office only.",
        sections=sections, file_stem=file_stem_for("assistant", ex.name, today), generated_on=today,
        exec_ids=(exec_id,),
    )
