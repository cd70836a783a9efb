"""Report sections on an exec as a leader: persona, standing, responsiveness, delegated voice, listening brief.

Used by the exec summary (``exec_section``), the sponsor's programme summary (``portfolio_section``)
and the assistant brief (``assistant_sections``). Thread references are links or ids, never message text.
"""

from __future__ import annotations

from esncoach.services import leaders, listening
from esncoach.services.leaders import PERSONA_DESCRIPTIONS, LeaderProfile
from esncoach.services.report_content.blocks import Block, Bullets, Column, Paragraph, Section, Table, fmt_date
from esncoach.store.workspace import Workspace

MAX_LISTED = 8
HISTORY_SHOWN = 4
"""The sponsor summary shows the current persona and the three months before it."""


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _persona(p: LeaderProfile) -> str:
    if p.persona is None:
        return "Not known"
    return f"{p.persona} ({PERSONA_DESCRIPTIONS[p.persona]})"


def _unanswered(p: LeaderProfile, limit: int = MAX_LISTED) -> Table:
    return Table((Column("Asked on", weight=1.2), Column("Thread", weight=4.8)),
                 tuple((fmt_date(u.asked_on), u.thread) for u in p.responsiveness.unanswered[:limit]),
                 empty_text="Nothing is waiting for an answer.")


def exec_section(ws: Workspace, *, exec_id: int) -> Section:
    """"As a leader on the network" for the exec summary."""
    p = leaders.leader_profile(ws, exec_id=exec_id)
    blocks: list[Block] = [Paragraph(f"Persona this month: {_persona(p)}." + (f" {p.persona_note}" if p.persona_note
                                                                                else ""), "lead")]
    if p.persona_history:
        blocks.append(Table((Column("Month"), Column("Persona", weight=2.0)),
                            tuple((m, x or "Not known") for m, x in p.persona_history)))
    standing = [s for s in (p.percentile_sentence(m) for m in p.percentile) if s]
    if standing and p.percentile_period:
        blocks.append(Paragraph(f"Among everyone on the network in {p.percentile_period[0]:%B %Y}: "
                                + ", ".join(standing) + "."))
    r = p.responsiveness
    if r.asks:
        blocks.append(Paragraph(f"Answered {_share(r.answered_share)} of the {r.asks} replies and mentions addressed "
                                "to them" + (f", in a median {r.median_hours:.1f} hours." if r.median_hours is not None
                                             else ".")))
        blocks.append(_unanswered(p))
    blocks.append(Paragraph(f"Network posts written by a delegate: {_share(p.delegated_share)}. Practice drafts "
                            f"written by the assistant: {_share(p.drafted_by_assistant_share)}.", "muted"))
    return Section("As a leader on the network", tuple(blocks))


def portfolio_section(ws: Workspace) -> Section:
    """One row per active exec: persona, standing among posters, responsiveness, delegated voice."""
    rows = []
    for p in leaders.leader_profiles(ws):
        earlier = " → ".join(x or "?" for _m, x in p.persona_history[-HISTORY_SHOWN:-1])
        rows.append((p.name, p.persona or "Not known", earlier or "—", p.percentile_sentence("messages") or "—",
                     _share(p.responsiveness.answered_share), _share(p.delegated_share)))
    return Section("Leaders on the network", (
        Table((Column("Executive", weight=2.0), Column("Persona", weight=1.3),
               Column("Months before", weight=2.2), Column("Standing", weight=1.7),
               Column("Answered", "right", 1.0), Column("Delegated", "right", 1.0)), tuple(rows),
              empty_text="No network activity has been imported yet."),
        Paragraph("Personas and standing come from the network's own exports (Messages.csv and user reports); "
                  "standing compares each executive with everyone active on the network that month.", "caveat"),
    ))


def assistant_sections(ws: Workspace, *, exec_id: int, first_name: str) -> tuple[Section, ...]:
    """The listening brief and the threads waiting for the exec's answer, for the assistant."""
    brief = listening.listening_brief(ws, exec_id=exec_id, days=14)
    p = leaders.leader_profile(ws, exec_id=exec_id)
    if brief.ends_on is None:
        listen: tuple[Block, ...] = (Paragraph("No network export with messages has been imported yet.", "muted"),)
    else:
        listen = (
            Paragraph(f"What the network talks about more than usual in the 14 days to {fmt_date(brief.ends_on)}, "
                      f"and the busiest discussions {first_name} has not joined.", "body"),
            Bullets(tuple(f"{t.term} — {t.count} mentions, {t.rise:.1f}× the usual rate"
                          for t in brief.themes[:MAX_LISTED])) if brief.themes else
            Paragraph("No theme is rising at the moment.", "muted"),
            Table((Column("Replies", "right", 0.8), Column("Discussion", weight=2.6), Column("Link", weight=2.6)),
                  tuple((str(t.replies), t.title_or_start, t.thread) for t in brief.threads[:MAX_LISTED]),
                  empty_text=f"{first_name} has joined every busy discussion."),
        )
    return (
        Section("Listening brief", listen),
        Section(f"Waiting for {first_name}'s answer", (_unanswered(p),)),
    )
