"""Feedback in the core: anchored comments across revisions, the rubric, trends and summaries."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import update

from esncoach.models import LadderStage, PostStatus, Revision
from esncoach.services import execs, feedback, posts
from esncoach.services.feedback import map_span
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace

FIRST = ("Spent the morning with the team at our Lyon plant. Their idea to reuse packaging saved 12 tonnes of "
         "cardboard, leveraging synergies across the value chain going forward.")
SECOND = ("Yesterday I spent the morning with the team at our Lyon plant. Their idea to reuse packaging saved "
          "12 tonnes of cardboard. @marie.dupont, what would it take to do the same in Turin? #sustainability")


@pytest.fixture
def exec_id(ws: Workspace) -> int:
    return execs.add_exec(ws, name="Claire Martin", stage=LadderStage.SHORT_UPDATES)


def _span(text: str, passage: str) -> tuple[int, int]:
    start = text.index(passage)
    return start, start + len(passage)


def test_anchors_survive_a_revision_and_deleted_passages_detach(ws: Workspace, exec_id: int) -> None:
    pid = posts.create_post(ws, exec_id=exec_id, text=FIRST)
    rev1 = posts.get_post(ws, post_id=pid).revision_id
    keep = feedback.add_comment(ws, revision_id=rev1, comment="Name the team!", start=_span(FIRST, "the team")[0],
                                end=_span(FIRST, "the team")[1])
    gone = feedback.add_comment(ws, revision_id=rev1, comment="Jargon: say what you mean.",
                                start=_span(FIRST, "leveraging synergies")[0], end=_span(FIRST, "leveraging synergies")[1])
    general = feedback.add_comment(ws, revision_id=rev1, comment="Good start overall.", start=None, end=None)
    posts.submit_for_review(ws, post_id=pid)
    posts.request_changes(ws, post_id=pid)
    posts.save_text(ws, post_id=pid, text=SECOND)

    on_latest = {c.id: c for c in feedback.list_comments(ws, post_id=pid)}
    k = on_latest[keep]
    assert SECOND[k.start:k.end] == "the team" and not k.detached and k.revision_number == 1
    g = on_latest[gone]
    assert g.detached and g.detached_in == 2 and g.start is None
    assert g.quoted_text == "leveraging synergies" and g.comment == "Jargon: say what you mean."
    assert not on_latest[general].detached and not on_latest[general].anchored
    assert list(on_latest)[-1] == gone  # detached comments are listed last, never dropped

    # On the revision they were made on, both anchors still sit on their own passage.
    on_first = {c.id: c for c in feedback.list_comments(ws, post_id=pid, revision_id=rev1)}
    assert FIRST[on_first[gone].start:on_first[gone].end] == "leveraging synergies"
    assert not on_first[gone].detached


def test_editing_the_working_revision_moves_its_anchors(ws: Workspace, exec_id: int) -> None:
    pid = posts.create_post(ws, exec_id=exec_id, text=FIRST)
    rev1 = posts.get_post(ws, post_id=pid).revision_id
    s, e = _span(FIRST, "Lyon plant")
    fid = feedback.add_comment(ws, revision_id=rev1, start=s, end=e, comment="Which line?")
    edited = "Big news! " + FIRST
    posts.save_text(ws, post_id=pid, text=edited)
    c = feedback.list_comments(ws, post_id=pid)[0]
    assert c.id == fid and edited[c.start:c.end] == "Lyon plant"
    posts.save_text(ws, post_id=pid, text="Big news!")
    c = feedback.list_comments(ws, post_id=pid)[0]
    assert c.detached and c.quoted_text == "Lyon plant"


def test_map_span_keeps_a_lightly_reworded_passage() -> None:
    old = "Our markets move faster than our budget cycle."
    new = "Our markets now move much faster than our yearly budget cycle."
    s, e = _span(old, "move faster than our budget")
    span = map_span(old, new, s, e)
    assert span is not None and new[span.start:span.end] == "move much faster than our yearly budget"
    assert map_span(old, "Completely different words here.", s, e) is None


def test_comments_are_validated_and_resolvable(ws: Workspace, exec_id: int) -> None:
    pid = posts.create_post(ws, exec_id=exec_id, text=FIRST)
    rev = posts.get_post(ws, post_id=pid).revision_id
    with pytest.raises(ValidationError, match="Comment is required"):
        feedback.add_comment(ws, revision_id=rev, start=0, end=5, comment="  ")
    with pytest.raises(ValidationError, match="outside the text"):
        feedback.add_comment(ws, revision_id=rev, start=0, end=len(FIRST) + 10, comment="x")
    fid = feedback.add_comment(ws, revision_id=rev, start=10, end=0, comment="Reversed selection is fine")
    c = feedback.list_comments(ws, post_id=pid)[0]
    assert (c.start, c.end, c.quoted_text) == (0, 10, FIRST[:10])
    feedback.set_resolved(ws, feedback_id=fid, resolved=True)
    assert feedback.list_comments(ws, post_id=pid)[0].resolved
    assert posts.get_post(ws, post_id=pid).open_comments == 0
    feedback.edit_comment(ws, feedback_id=fid, comment="Reworded")
    assert feedback.list_comments(ws, post_id=pid)[0].comment == "Reworded"
    feedback.delete_comment(ws, feedback_id=fid)
    assert feedback.list_comments(ws, post_id=pid) == []


def test_rubric_defaults_are_editable_settings(ws: Workspace) -> None:
    assert feedback.criteria(ws) == ["Authentic voice", "Clarity", "Brevity for the kind", "Invites a response",
                                     "Strategic alignment", "Tone"]
    assert feedback.set_criteria(ws, names=["Clarity", " clarity ", "", "Warmth"]) == ["Clarity", "Warmth"]
    assert feedback.criteria(ws) == ["Clarity", "Warmth"]
    with pytest.raises(ValidationError, match="at least one"):
        feedback.set_criteria(ws, names=["  "])


def test_scores_aggregate_into_trends_and_summaries(ws: Workspace, exec_id: int) -> None:
    day1, day2 = dt.datetime(2026, 10, 1, 9), dt.datetime(2026, 10, 20, 9)
    pid = posts.create_post(ws, exec_id=exec_id, text=FIRST)
    rev1 = posts.get_post(ws, post_id=pid).revision_id
    feedback.set_score(ws, revision_id=rev1, criterion="Clarity", score=2, note="Long sentence")
    feedback.set_score(ws, revision_id=rev1, criterion="Tone", score=3)
    with pytest.raises(ValidationError, match="1 to 5"):
        feedback.set_score(ws, revision_id=rev1, criterion="Tone", score=6)
    posts.submit_for_review(ws, post_id=pid)
    rev2 = posts.request_changes(ws, post_id=pid).revision_id
    posts.save_text(ws, post_id=pid, text=SECOND)
    feedback.set_score(ws, revision_id=rev2, criterion="Clarity", score=4, note="Much clearer")
    feedback.set_score(ws, revision_id=rev2, criterion="Clarity", score=5, note="Crisp")  # re-scoring replaces
    feedback.set_score(ws, revision_id=rev2, criterion="Tone", score=None)  # clearing is allowed
    with ws.session() as s:
        s.execute(update(Revision).where(Revision.id == rev1).values(created_at=day1))
        s.execute(update(Revision).where(Revision.id == rev2).values(created_at=day2))

    assert feedback.scores_for(ws, revision_id=rev2)["Clarity"].note == "Crisp"
    assert feedback.previous_scores(ws, revision_id=rev2)["Clarity"].score == 2
    trends = feedback.rubric_trends(ws, exec_id=exec_id)
    assert list(trends)[:6] == feedback.criteria(ws)
    assert trends["Clarity"] == [(day1.date(), 2), (day2.date(), 5)]
    assert trends["Tone"] == [(day1.date(), 3)] and trends["Authentic voice"] == []

    posts.submit_for_review(ws, post_id=pid)
    posts.mark_ready(ws, post_id=pid)
    posts.mark_published(ws, post_id=pid, on=dt.date(2026, 10, 22), url="https://engage.example.com/t/9",
                         today=dt.date(2026, 11, 1))
    summary = feedback.post_summary(ws, exec_id=exec_id)
    assert (summary.drafted, summary.published, summary.revisions) == (1, 1, 2)
    assert summary.by_status[PostStatus.PUBLISHED] == 1
    assert summary.scores["Clarity"].mean == 3.5 and summary.scores["Clarity"].last == 5
    assert summary.published_posts == ((dt.date(2026, 10, 22), "", "https://engage.example.com/t/9"),)
    october_2nd_half = feedback.post_summary(ws, exec_id=exec_id, start=dt.date(2026, 10, 15), end=dt.date(2026, 10, 31))
    assert october_2nd_half.revisions == 1 and october_2nd_half.scores["Clarity"].count == 1


def test_demo_feedback_has_history(demo_ws: Workspace) -> None:
    for e in execs.list_execs(demo_ws):
        trends = feedback.rubric_trends(demo_ws, exec_id=e.id)
        if any(trends.values()):
            assert all(len(v) >= 1 for v in trends.values())
            assert set(trends) == set(feedback.criteria(demo_ws))
            return
    pytest.fail("no exec in the demo has rubric scores")
