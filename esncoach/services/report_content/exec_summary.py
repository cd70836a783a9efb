"""The exec progress summary: ladder, habit, sessions, posts, impact, next steps and the app's progress charts."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from esncoach.models import ActionOwner, CheckInResult, LadderStage, SessionStatus
from esncoach.services import execs as execs_service
from esncoach.services import feedback, habits, impact, ladder, metrics, sessions
from esncoach.services.report_content.blocks import (
    MAX_SESSION_ROWS, Block, Bullets, ChartRequest, Column, KeyFigure, KeyFigures, Paragraph,
    Redactor, ReportContent, Section, Table, _check_period, _count, _due, _first, _lower_first, _owner_label,
    _plural, cm_name, default_period, file_stem_for, fmt_date, fmt_pct, metric_label, short_period_note,
)
from esncoach.services.report_content import leadership
from esncoach.services.report_content.privacy import redact_content
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace

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
        leadership.exec_section(ws, exec_id=exec_id),
        _next_steps_section(ws, exec_id, today, clean),
        Section("Progress charts", (ChartRequest("progress", exec_id, start, end),)),
    ]
    glance = _exec_glance(ws, ex, start, end, today)
    short = short_period_note(start, end)
    sections.insert(0, Section("At a glance", (glance, Paragraph(short, "caveat")) if short else (glance,)))
    role = ", ".join(p for p in (ex.title, ex.department) if p)
    return redact_content(ReportContent(
        kind="exec", title="Progress summary", subject=ex.name + (f" — {role}" if role else ""),
        meta=(("Prepared by", cm_name(ws)), ("Period", f"{fmt_date(start)} – {fmt_date(end)}"),
              ("Prepared on", fmt_date(today))),
        confidentiality=f"Confidential — prepared for {ex.name}. Not for circulation.",
        sections=tuple(sections), file_stem=file_stem_for("exec", ex.name, end),
        generated_on=today, exec_ids=(exec_id,),
    ), clean)


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
        rows.append((metric_label(metric), f"{sum(series.values()):,.0f}",
                     fmt_pct(coverage * 100)))
    return Table((Column("Own activity in the period", weight=3.0), Column("Total", "right", 1.2),
                  Column("Days with figures", "right", 1.4)), tuple(rows),
                 empty_text="No figures for this executive in the period.")


def _impact_rows(group: dict[str, impact.MetricImpact]) -> tuple[tuple[str, ...], ...]:
    rows = []
    for name, m in group.items():
        ci = f"{fmt_pct(m.ci95[0], signed=True, digits=1)} to {fmt_pct(m.ci95[1], signed=True, digits=1)}" \
            if m.ci95 else "—"
        rows.append((metric_label(name), "—" if m.before is None else f"{m.before:,.1f}",
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
    sentences = impact.adjusted_sentences(report, metric_label)
    if sentences:  # the adjusted effect leads; the raw change below is the figure people quote
        blocks.append(Paragraph(f"Estimated effect of {_first(ex.name)} joining the network "
                                f"({fmt_date(report.join_date)}), allowing for its own trend and weekly pattern:",
                                "lead"))
        blocks.append(Bullets(sentences))
        notes = impact.adjusted_notes(report)
        if notes:
            blocks.append(Paragraph(" ".join(notes), "muted"))
    blocks.append(Paragraph(f"The raw change: network engagement in the {report.days} days before {_first(ex.name)} "
                            f"joined ({fmt_date(report.join_date)}) and the {report.days} days from then:", "lead"))
    blocks.append(Table(IMPACT_COLUMNS, _impact_rows(report.network),
                        empty_text="There are no network figures to compare yet."))
    if report.own:  # the exec's own before/after rows, as the Engagement tab shows them
        own_columns = (Column(f"{_first(ex.name)}'s own, per day", weight=1.9), *IMPACT_COLUMNS[1:])
        blocks.append(Table(own_columns, _impact_rows(report.own)))
    blocks.append(Paragraph(_impact_caveat(report.days), "caveat"))
    if report.warnings:
        blocks.append(Bullets(tuple(w.replace(ex.name, _first(ex.name)) for w in report.warnings)))
    return Section("Engagement and impact", tuple(blocks))


def _impact_caveat(days: int) -> str:
    return (f"How to read this: “Before” and “After” are average figures per day over {days} days each; "
            "“Coverage” says what share of those days have figures. The 95% interval is the range of changes "
            "that day-to-day ups and downs alone could produce: when it includes 0%, the change may be chance. "
            "The estimated effect compares the days after the first week with what the network's own trend and "
            "weekly pattern predicted; placebo dates are fake join dates earlier on, which a real effect should "
            "beat. A before/after comparison shows association, not proof — other things changed at the same time.")


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
