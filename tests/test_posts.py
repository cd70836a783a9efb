"""The practice-post workflow in the core: drafts, allowed status moves, revisions, publishing, comparison."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys

import pytest

from esncoach.models import DraftedBy, LadderStage, PostKind, PostStatus
from esncoach.services import execs, posts, prompts
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace

TEXT = "Spent the morning at our Lyon plant. Their idea saved 12 tonnes of cardboard."


@pytest.fixture
def exec_id(ws: Workspace) -> int:
    return execs.add_exec(ws, name="Claire Martin", stage=LadderStage.SHORT_UPDATES)


def test_new_draft_records_who_drafted_it_and_the_exec_stage(ws: Workspace, exec_id: int) -> None:
    pid = posts.create_post(ws, exec_id=exec_id, kind=PostKind.LONG_FORM, title="  Why we plan quarterly ",
                            text=TEXT, community="Leadership Corner", drafted_by=DraftedBy.ASSISTANT)
    row = posts.get_post(ws, post_id=pid)
    assert (row.status, row.kind, row.title, row.drafted_by) == (
        PostStatus.DRAFT, PostKind.LONG_FORM, "Why we plan quarterly", DraftedBy.ASSISTANT)
    assert row.stage == LadderStage.SHORT_UPDATES
    assert (row.revision_number, row.text, row.editable) == (1, TEXT, True)
    assert [p.id for p in posts.list_posts(ws, exec_id=exec_id)] == [pid]


def test_allowed_transitions_follow_the_review_workflow(ws: Workspace, exec_id: int) -> None:
    pid = posts.create_post(ws, exec_id=exec_id, text=TEXT)
    with pytest.raises(ValidationError, match="cannot become ready"):
        posts.mark_ready(ws, post_id=pid)
    with pytest.raises(ValidationError, match="Only a post that is ready"):
        posts.mark_published(ws, post_id=pid, on=dt.date.today())
    assert posts.submit_for_review(ws, post_id=pid).status == PostStatus.IN_REVIEW
    with pytest.raises(ValidationError, match="cannot change while the post is in review"):
        posts.save_text(ws, post_id=pid, text=TEXT + " Edited under review.")
    row = posts.request_changes(ws, post_id=pid)
    assert (row.status, row.revision_number, row.text) == (PostStatus.CHANGES_REQUESTED, 2, TEXT)
    with pytest.raises(ValidationError):
        posts.mark_ready(ws, post_id=pid)
    posts.save_text(ws, post_id=pid, text=TEXT + " What would it take in Turin?")
    posts.submit_for_review(ws, post_id=pid)
    assert posts.mark_ready(ws, post_id=pid).status == PostStatus.READY
    with pytest.raises(ValidationError, match="date and link"):
        posts.transition(ws, post_id=pid, to=PostStatus.PUBLISHED)
    row = posts.mark_published(ws, post_id=pid, on="2026-11-20", url="https://engage.example.com/threads/1",
                               today=dt.date(2026, 11, 23))
    assert (row.status, row.published_on, row.published_url) == (
        PostStatus.PUBLISHED, dt.date(2026, 11, 20), "https://engage.example.com/threads/1")
    assert [r.number for r in posts.list_revisions(ws, post_id=pid)] == [1, 2]
    assert posts.final_text(ws, post_id=pid).endswith("Turin?")
    row = posts.unpublish(ws, post_id=pid)
    assert (row.status, row.published_on, row.published_url) == (PostStatus.READY, None, "")


def test_every_pair_of_statuses_matches_the_rule_table() -> None:
    allowed = {(a, b) for a in PostStatus for b in PostStatus if posts.can_transition(a, b)}
    assert allowed == {
        (PostStatus.DRAFT, PostStatus.IN_REVIEW),
        (PostStatus.IN_REVIEW, PostStatus.CHANGES_REQUESTED), (PostStatus.IN_REVIEW, PostStatus.READY),
        (PostStatus.IN_REVIEW, PostStatus.DRAFT), (PostStatus.CHANGES_REQUESTED, PostStatus.IN_REVIEW),
        (PostStatus.READY, PostStatus.PUBLISHED), (PostStatus.READY, PostStatus.CHANGES_REQUESTED),
        (PostStatus.PUBLISHED, PostStatus.READY),
    }


def test_an_empty_post_cannot_go_to_review(ws: Workspace, exec_id: int) -> None:
    pid = posts.create_post(ws, exec_id=exec_id, text="   \n\t ")
    with pytest.raises(ValidationError, match="empty post cannot go to review"):
        posts.submit_for_review(ws, post_id=pid)
    assert posts.get_post(ws, post_id=pid).status == PostStatus.DRAFT


def test_publishing_needs_a_real_date_and_link(ws: Workspace, exec_id: int) -> None:
    pid = posts.create_post(ws, exec_id=exec_id, text=TEXT)
    posts.submit_for_review(ws, post_id=pid)
    posts.mark_ready(ws, post_id=pid)
    with pytest.raises(ValidationError, match="not a web link"):
        posts.mark_published(ws, post_id=pid, on=dt.date.today(), url="engage thread 12")
    with pytest.raises(ValidationError, match="in the future"):
        posts.mark_published(ws, post_id=pid, on=dt.date.today() + dt.timedelta(days=3))
    with pytest.raises(ValidationError, match="Give the date"):
        posts.mark_published(ws, post_id=pid, on=None)
    assert posts.get_post(ws, post_id=pid).status == PostStatus.READY


def test_a_100000_character_paste_is_stored_whole_and_reopens(tmp_path, key, exec_id: int, ws: Workspace) -> None:
    big = ("We decided to plan quarterly. " * 3334)[:100_000]
    pid = posts.create_post(ws, exec_id=exec_id, text="start")
    assert posts.save_text(ws, post_id=pid, text=big) is True
    assert posts.save_text(ws, post_id=pid, text=big) is False  # unchanged: no write
    path = ws.path
    ws.close()
    with Workspace.open(path, key) as again:
        assert posts.get_post(again, post_id=pid).text == big
    with pytest.raises(ValidationError, match="the limit is 200,000"):
        posts._clean_text("x" * 200_001)


def test_compare_marks_word_changes(ws: Workspace, exec_id: int) -> None:
    pid = posts.create_post(ws, exec_id=exec_id, text="I read the survey results. Interesting.")
    posts.submit_for_review(ws, post_id=pid)
    posts.request_changes(ws, post_id=pid)
    posts.save_text(ws, post_id=pid, text="I read all 400 comments in the survey results. What would you change first?")
    r1, r2 = posts.list_revisions(ws, post_id=pid)
    cmp = posts.compare_revisions(ws, old_revision_id=r1.id, new_revision_id=r2.id)
    assert "".join(s.old for s in cmp.segments) == r1.text
    assert "".join(s.new for s in cmp.segments) == r2.text
    changed_old = " ".join(s.old for s in cmp.segments if s.op != "equal")
    changed_new = " ".join(s.new for s in cmp.segments if s.op != "equal")
    assert "Interesting" in changed_old and "400 comments" in changed_new
    assert "survey" not in changed_new
    assert cmp.words_removed == 1 and cmp.words_added >= 9


def test_prompts_library_seeds_once_and_starts_a_draft(ws: Workspace, exec_id: int) -> None:
    library = prompts.list_prompts(ws)
    assert {p.stage for p in library} == set(LadderStage)
    long_form = prompts.list_prompts(ws, stage=LadderStage.LONG_FORM)
    assert "What we decided and why." in [p.text for p in long_form]
    for p in library:
        prompts.delete_prompt(ws, prompt_id=p.id)
    assert prompts.list_prompts(ws) == []  # the CM's deletions stay deleted
    new_id = prompts.add_prompt(ws, stage=LadderStage.LONG_FORM, text="What we decided and why.")
    pid = prompts.start_draft(ws, exec_id=exec_id, prompt_id=new_id)
    row = posts.get_post(ws, post_id=pid)
    assert (row.title, row.kind, row.status) == ("What we decided and why.", PostKind.LONG_FORM, PostStatus.DRAFT)
    with pytest.raises(ValidationError):
        prompts.add_prompt(ws, stage=LadderStage.LISTEN, text="  ")


def test_current_post_is_the_latest_unpublished_one(ws: Workspace, exec_id: int) -> None:
    assert posts.current_post(ws, exec_id=exec_id) is None
    first = posts.create_post(ws, exec_id=exec_id, text=TEXT)
    second = posts.create_post(ws, exec_id=exec_id, text=TEXT)
    assert posts.current_post(ws, exec_id=exec_id).id == second
    posts.submit_for_review(ws, post_id=second)
    posts.mark_ready(ws, post_id=second)
    posts.mark_published(ws, post_id=second, on=dt.date.today())
    assert posts.current_post(ws, exec_id=exec_id).id == first


def test_the_demo_has_posts_at_every_status(demo_ws: Workspace) -> None:
    seen = {p.status for e in execs.list_execs(demo_ws) for p in posts.list_posts(demo_ws, exec_id=e.id)}
    assert seen == set(PostStatus)


def test_the_core_imports_without_qt() -> None:
    code = ("import sys; import esncoach.services.posts, esncoach.services.feedback, "
            "esncoach.services.writing_aids, esncoach.services.prompts; "
            "assert 'PySide6' not in sys.modules and 'nltk' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True)
