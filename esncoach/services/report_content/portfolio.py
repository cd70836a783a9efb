"""The sponsor's programme summary: every active exec, tied to what the programme promised; no private text."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from esncoach.models import LadderStage, SessionStatus
from esncoach.services import execs as execs_service
from esncoach.services import feedback, habits, impact, influencers, ladder, metrics, sessions, settings
from esncoach.services.report_content.blocks import (
    PROGRAMME_TARGETS, Bullets, ChartRequest, Column, KeyFigure, KeyFigures, Paragraph, ReportContent,
    Section, Table, _count, _plural, cm_name, file_stem_for, fmt_date, fmt_pct, metric_label,
)
from esncoach.services.report_content import leadership
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace

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
        leadership.portfolio_section(ws),
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
        table_rows.append((metric_label(metric), "—" if target is None else fmt_pct(target, signed=True),
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
    out, sentences = [], []
    window = int(settings.get(ws, impact.WINDOW_DAYS))
    for e in sorted(on_network, key=lambda e: e.joined or dt.date.min):
        try:
            rep = impact.exec_impact(ws, exec_id=e.id)
        except ValidationError:
            continue
        cells = []
        for metric in ("messages", "replies", "likes"):
            m = rep.network.get(metric)
            adj = m.adjusted if m is not None else None
            if adj is not None and adj.effect_pct is not None and adj.ci95 is not None:
                # The adjusted effect leads; the raw before/after change follows as what it is.
                cells.append(f"{fmt_pct(adj.effect_pct, signed=True, digits=1)} ({fmt_pct(adj.ci95[0], signed=True)[:-1]}"
                             f" to {fmt_pct(adj.ci95[1], signed=True)[:-1]})"
                             + ("" if m.change_pct is None else f"; raw {fmt_pct(m.change_pct, signed=True, digits=1)}"))
            elif m is None or m.change_pct is None:
                cells.append("—")
            else:
                cells.append(f"not estimated; raw {fmt_pct(m.change_pct, signed=True, digits=1)}")
        first = next((m for m in rep.network.values() if m.adjusted is not None and m.adjusted.effect_pct is not None), None)
        if first is not None:
            sentences.append(f"{e.name}: " + first.adjusted.sentence(metric_label(first.metric)))
        covered = all(m.well_covered for m in rep.network.values()) if rep.network else False
        out.append((e.name, fmt_date(rep.join_date), *cells, "complete" if covered else "partial"))
    return Section("Network impact of each executive who joined", (
        Paragraph(f"Estimated effect of each executive joining on network engagement per day, allowing for the "
                  f"network's own trend and weekly pattern, with executives who joined near each other estimated "
                  f"together; the 95% interval in brackets, then the raw change of the {window} days from joining "
                  f"against the {window} days before.", "lead"),
        Table((Column("Executive", weight=1.75), Column("Joined", weight=1.3), Column("Messages", "right", 2.0),
               Column("Replies", "right", 2.0), Column("Likes", "right", 2.1), Column("Data", "right", 1.0)),
              tuple(out), empty_text="No executive has joined the network yet."),
        *((Bullets(tuple(sentences)),) if sentences else ()),
        Paragraph("Executives who joined within 10 days of each other cannot be told apart: each is then shown with "
                  "their combined effect. An interval that includes 0% means the effect may be chance; the raw "
                  "change also counts the network's own growth.", "caveat"),
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
