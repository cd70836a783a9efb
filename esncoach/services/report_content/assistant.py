"""The brief for an exec's assistant: themes to watch, the assistant's own open items, upcoming sessions."""

from __future__ import annotations

import datetime as dt

from esncoach.models import ActionOwner, LadderStage, SessionStatus, SupportRole
from esncoach.services import execs as execs_service
from esncoach.services import habits, people, sessions
from esncoach.services.report_content.blocks import (
    Bullets, Column, Paragraph, Redactor, ReportContent, Section, Table, _due, _first, _lower_first, cm_name,
    file_stem_for, fmt_date,
)
from esncoach.services.report_content import leadership
from esncoach.services.report_content.privacy import redact_content
from esncoach.store.workspace import Workspace

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
        *leadership.assistant_sections(ws, exec_id=exec_id, first_name=first),
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
    return redact_content(ReportContent(
        kind="assistant", title="Assistant brief", subject=ex.name,
        meta=(("Prepared for", prepared_for), ("Prepared by", cm_name(ws)), ("Prepared on", fmt_date(today))),
        confidentiality=f"Confidential — for {ex.name}'s office only.",
        sections=sections, file_stem=file_stem_for("assistant", ex.name, today), generated_on=today,
        exec_ids=(exec_id,),
    ), clean)
