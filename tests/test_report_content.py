"""What the reports say, checked in the Qt-free core: content, honesty about the data, and the privacy rules."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

from esncoach.models import (
    ActionOwner, CoachingSession, Exec, Feedback, PostStatus, PracticePost, Revision, SessionStatus,
)
import pytest
from sqlalchemy import select

from esncoach.services import execs, people, sessions, settings
from esncoach.services import report_content as rc
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace


def _id(ws: Workspace, name: str) -> int:
    return execs.find_exec(ws, name).id


def _all_text(content: rc.ReportContent) -> str:
    return "\n".join(content.texts())


def _private_texts(ws: Workspace, exec_ids: set[int] | None = None) -> dict[str, list[str]]:
    """Every private note, session note, feedback comment and unpublished draft text (optionally for some execs)."""
    with ws.session() as s:
        def mine(exec_id: int) -> bool:
            return exec_ids is None or exec_id in exec_ids
        return {
            "private notes": [e.private_notes for e in s.scalars(select(Exec)) if e.private_notes and mine(e.id)],
            "session notes": [c.notes for c in s.scalars(select(CoachingSession)) if c.notes and mine(c.exec_id)],
            "feedback": [f.comment for f in s.scalars(select(Feedback)) if mine(f.revision.post.exec_id)],
            "draft texts": [r.text for r in s.scalars(select(Revision))
                            if r.text and r.post.status != PostStatus.PUBLISHED and mine(r.post.exec_id)],
        }


def test_core_builds_reports_without_qt() -> None:
    code = ("import sys, esncoach.services.report_content as rc; "
            "print(any(m.startswith('PySide6') for m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_exec_summary_has_every_section_with_real_figures(demo_ws: Workspace) -> None:
    amelia = _id(demo_ws, "Amelia Hart")
    content = rc.exec_summary(demo_ws, exec_id=amelia)
    titles = [s.title for s in content.sections]
    assert titles == ["At a glance", "On the adoption ladder", "The current habit", "Coaching sessions",
                      "Practice posts", "Engagement and impact", "As a leader on the network", "Next steps",
                      "Progress charts"]
    text = _all_text(content)
    assert content.subject.startswith("Amelia Hart — Chief Executive Officer")
    assert "Open dialogue" in text and "step 6 of 6" in text
    assert "95% interval" in text and "association, not proof" in text
    assert "Prepared by: Community manager" in text
    assert content.charts == [rc.ChartRequest("progress", amelia, content.charts[0].start, content.charts[0].end)]
    held = [s for s in sessions.list_sessions(demo_ws, exec_id=amelia) if s.status.value == "held"]
    assert f"{len(held)} sessions held in the period" in text


def test_cm_name_setting_goes_into_the_header(demo_ws: Workspace) -> None:
    settings.put(demo_ws, rc.CM_NAME, "Sofia Laurent")
    content = rc.exec_summary(demo_ws, exec_id=_id(demo_ws, "Chen Wei"))
    assert ("Prepared by", "Sofia Laurent") in content.meta


def test_period_limits_sessions_and_rejects_an_inverted_range(demo_ws: Workspace) -> None:
    bruno = _id(demo_ws, "Bruno Castillo")
    today = dt.date.today()
    start, end = today - dt.timedelta(days=30), today
    content = rc.exec_summary(demo_ws, exec_id=bruno, start=start, end=end)
    held = [s for s in sessions.list_sessions(demo_ws, exec_id=bruno)
            if s.status.value == "held" and start <= s.starts_at.date() <= end]
    assert f"{len(held)} session" in _all_text(content)
    assert ("Period", f"{rc.fmt_date(start)} – {rc.fmt_date(end)}") in content.meta
    with pytest.raises(ValidationError, match="ends"):
        rc.exec_summary(demo_ws, exec_id=bruno, start=end, end=start)


def test_exec_not_on_the_network_gets_no_impact_figures(demo_ws: Workspace) -> None:
    text = _all_text(rc.exec_summary(demo_ws, exec_id=_id(demo_ws, "Kavya Raman")))
    assert "has not joined the network yet" in text
    assert "95% interval" not in text


def test_exec_summary_names_no_other_exec_and_no_private_text(demo_ws: Workspace) -> None:
    amelia = _id(demo_ws, "Amelia Hart")
    others = [e for e in execs.list_execs(demo_ws) if e.id != amelia]
    # The CM typed another exec's name into an open action item and an outcome: the report must not repeat it.
    sessions.add_action_item(demo_ws, exec_id=amelia, text="Co-author a post with Bruno Castillo", owner=ActionOwner.EXEC)
    with demo_ws.session() as s:
        cs = s.scalars(select(CoachingSession).where(CoachingSession.exec_id == amelia,
                                                     CoachingSession.status == SessionStatus.HELD)).first()
        cs.outcomes = "Agreed to ask chen.wei@example.com for the data"
    text = _all_text(rc.exec_summary(demo_ws, exec_id=amelia))
    assert "Co-author a post with another executive" in text
    assert "ask another executive for the data" in text
    for other in others:
        assert other.name.lower() not in text.lower(), other.name
        assert other.email not in text
    for kind, values in _private_texts(demo_ws).items():
        for value in values:
            assert value not in text, kind


def test_portfolio_covers_every_active_exec_without_private_text_or_supporters(demo_ws: Workspace) -> None:
    content = rc.portfolio_summary(demo_ws)
    text = _all_text(content)
    for e in execs.list_execs(demo_ws, include_archived=False):
        assert e.name in text
    for kind, values in _private_texts(demo_ws).items():
        for value in values:
            assert value not in text, kind
    with demo_ws.session() as s:
        titles = [p.title for p in s.scalars(select(PracticePost)) if p.status != PostStatus.PUBLISHED and p.title]
    for title in titles:
        assert title not in text  # not even the titles of unpublished drafts
    for e in execs.list_execs(demo_ws):
        for sup in e.supporters:
            assert sup.name not in text, sup.role
    assert "What the programme promised" in [s.title for s in content.sections]
    assert "Promised" in text and "met" in text


def test_portfolio_leaves_out_archived_execs(demo_ws: Workspace) -> None:
    liam = _id(demo_ws, "Liam O'Connor")
    execs.set_archived(demo_ws, liam, archived=True)
    assert "Liam O'Connor" not in _all_text(rc.portfolio_summary(demo_ws))


def test_assistant_brief_has_themes_own_items_and_sessions_only(demo_ws: Workspace) -> None:
    dana = _id(demo_ws, "Dana Okafor")
    sessions.add_action_item(demo_ws, exec_id=dana, text="Book the town-hall room", owner=ActionOwner.ASSISTANT)
    sessions.add_action_item(demo_ws, exec_id=dana, text="Write the draft about the reorganisation",
                             owner=ActionOwner.EXEC)
    content = rc.assistant_brief(demo_ws, exec_id=dana)
    text = _all_text(content)
    assistant = next(s.name for s in execs.get_exec(demo_ws, dana).supporters if s.role.value == "assistant")
    assert f"Prepared for: {assistant}, assistant to Dana Okafor" in text
    assert "Book the town-hall room" in text
    assert "Write the draft about the reorganisation" not in text
    for theme in people.assistant_brief(demo_ws, exec_id=dana):
        assert theme.text in text
    upcoming = sessions.next_planned(demo_ws, exec_id=dana)
    assert upcoming is not None and rc.fmt_date(upcoming.starts_at) in text
    for kind, values in _private_texts(demo_ws).items():
        for value in values:
            assert value not in text, kind
    for other in execs.list_execs(demo_ws):
        if other.id != dana:
            assert other.name not in text


def test_file_stems_are_ascii(demo_ws: Workspace) -> None:
    content = rc.exec_summary(demo_ws, exec_id=_id(demo_ws, "Élodie Marchand"))
    assert content.file_stem.startswith("progress-elodie-marchand-")
    assert content.file_stem.isascii()


def test_redaction_matches_whole_names_only(ws: Workspace) -> None:
    lee_id = execs.add_exec(ws, name="Ann Lee", email="ann@example.com")
    leeds_id = execs.add_exec(ws, name="Ann Leeds", email="leeds@example.com")
    clean = rc.Redactor(ws, about={leeds_id})
    assert clean("Ann Leeds thanked ANN LEE and wrote to ann@example.com.") == (
        "Ann Leeds thanked another executive and wrote to another executive.")
    assert rc.Redactor(ws, about={lee_id, leeds_id})("Ann Lee") == "Ann Lee"
