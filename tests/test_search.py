"""Full-text search through the service and the CLI: accents, filters, ordering, edits, hostile input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select

from esncoach.cli import main
from esncoach.models import (
    CheckIn,
    CheckInResult,
    CoachingSession,
    Exec,
    Feedback,
    Habit,
    PracticePost,
    Revision,
    Tag,
)
from esncoach.services import execs
from esncoach.services.search import Order, make_snippet, parse_query, search
from esncoach.services.search_query import highlight_words
from esncoach.store.workspace import Workspace


def found(ws: Workspace, query: str, **kwargs) -> set[tuple[str, int]]:  # type: ignore[no-untyped-def]
    return {(h.kind, h.item_id) for h in search(ws, query=query, per_kind=50, **kwargs).hits}


@pytest.fixture
def zoe(ws: Workspace) -> int:
    """An exec with an accented name, one session, a habit with a check-in note and a post with feedback."""
    exec_id = execs.add_exec(ws, name="Zoë Dupré", title="Chief Marketing Officer", email="zoe@example.com")
    with ws.session() as s:
        ex = s.get(Exec, exec_id)
        assert ex is not None
        ex.tags.append(Tag(name="town hall"))
        s.add(CoachingSession(exec_id=exec_id, title="Preparing the town hall", starts_at=dt.datetime(2026, 3, 2, 9),
                              agenda="Rehearse the opening", notes="Worried about jargon in the Q&A"))
        habit = Habit(exec_id=exec_id, description="Like three posts a week", started_on=dt.date(2026, 3, 1))
        habit.check_ins.append(CheckIn(day=dt.date(2026, 3, 3), result=CheckInResult.DONE, note="Liked the café post"))
        habit.check_ins.append(CheckIn(day=dt.date(2026, 3, 4), result=CheckInResult.DONE))
        s.add(habit)
        post = PracticePost(exec_id=exec_id, title="Thank you, plant crew")
        first = Revision(number=1, text="Huge thanks to the plant crew for the record quarter.")
        second = Revision(number=2, text="Huge thanks to the plant crew: a record quarter, zero accidents.")
        first.feedback.append(Feedback(comment="Name one person; drop the synergy jargon", quoted_text="plant crew"))
        post.revisions += [first, second]
        s.add(post)
    return exec_id


def test_accents_and_case_are_ignored_both_ways(ws: Workspace, zoe: int) -> None:
    for query in ("zoe", "ZOE", "Zoë", "zoé dupre", "dupré", "DUPRE"):
        assert ("exec", zoe) in found(ws, query), query
    assert found(ws, "cafe") == found(ws, "café") != set()


def test_prefix_while_typing_and_phrases(ws: Workspace, zoe: int) -> None:
    assert ("exec", zoe) in found(ws, "zo")  # the word being typed is a prefix
    assert found(ws, "zo", prefix_last=False) == set()
    assert found(ws, "jarg") and found(ws, "jarg*", prefix_last=False)
    sessions = found(ws, '"town hall"')
    assert ("session", 1) in sessions
    assert found(ws, '"hall town"') == set()  # a phrase keeps its word order
    assert found(ws, "hall town")  # words do not
    assert found(ws, '"town ha') == found(ws, '"town hall"')  # an unclosed phrase being typed


def test_filters_exec_tag_kind_and_exclusion(ws: Workspace, zoe: int) -> None:
    other = execs.add_exec(ws, name="Bruno Castillo")
    with ws.session() as s:
        s.add(CoachingSession(exec_id=other, title="Jargon-free town hall", starts_at=dt.datetime(2026, 4, 1, 9)))
    assert {k for k, _ in found(ws, "jargon")} == {"session", "feedback"}
    assert {k for k, _ in found(ws, "jargon kind:session")} == {"session"}
    assert len(found(ws, "jargon kind:session")) == 2
    assert {i for _k, i in found(ws, "jargon exec:zoe kind:sess")} == {1}
    assert {i for _k, i in found(ws, 'jargon exec:"bruno c"')} == {2}
    assert found(ws, "tag:town") == {("exec", zoe)}  # only Zoë carries the tag
    assert found(ws, 'tag:"town hall" zoe') == {("exec", zoe)}
    assert ("session", 2) not in found(ws, "jargon -free")
    assert found(ws, "synergy OR accidents") == {("feedback", 1), ("revision", 2)}
    assert found(ws, "exec:nobody jargon") == set()
    assert "Unknown kind" in search(ws, query="jargon kind:spaceship").message
    assert {k for k, _ in found(ws, "exec:zoe")} >= {"exec", "session", "habit", "check_in", "post", "revision"}


def test_groups_totals_order_and_one_hit_per_post(ws: Workspace, zoe: int) -> None:
    with ws.session() as s:
        for day in range(1, 13):
            s.add(CoachingSession(exec_id=zoe, title=f"Check {day}", starts_at=dt.datetime(2026, 5, day, 9),
                                  notes="budget " * (1 if day != 5 else 6)))
    results = search(ws, query="budget", per_kind=4)
    [group] = results.groups
    assert (group.kind, group.total, len(group.hits)) == ("session", 12, 4)
    assert [h.title for h in group.hits] == ["Check 12", "Check 11", "Check 10", "Check 9"]  # newest first
    assert search(ws, query="budget", order=Order.BEST).hits[0].title == "Check 5"  # most mentions
    # Both revisions of the post match "plant"; only the newest is shown.
    revisions = [h for h in search(ws, query="plant").hits if h.kind == "revision"]
    assert [h.title for h in revisions] == ["Thank you, plant crew · revision 2"]
    hit = search(ws, query="accidents").hits[0]
    assert hit.exec_name == "Zoë Dupré" and "[accidents]" in hit.snippet_text()
    assert ("accidents", True) in hit.snippet_parts


def test_index_follows_orm_edits_and_deletes(ws: Workspace, zoe: int) -> None:
    execs.update_exec(ws, zoe, name="Zoë Adler", title="CMO")
    assert ("exec", zoe) in found(ws, "adler")
    assert ("exec", zoe) not in found(ws, "dupre")
    with ws.session() as s:
        session = s.scalars(select(CoachingSession)).one()
        session.notes = "Nervous about the livestream"
        s.get(Tag, 1).name = "board member"  # type: ignore[union-attr]
        s.execute(delete(CheckIn).where(CheckIn.note != ""))
    assert found(ws, "livestream") == {("session", 1)}
    assert found(ws, "jargon") == {("feedback", 1)}
    assert found(ws, "tag:board") == {("exec", zoe)} and found(ws, "tag:town") == set()
    assert found(ws, "cafe") == set()
    with ws.session() as s:
        s.delete(s.scalars(select(PracticePost)).one())  # revisions and feedback go with it
    assert found(ws, "plant OR synergy") == set()
    with ws.session() as s:
        s.delete(s.get(Exec, zoe))
    assert search(ws, query="livestream OR zoe OR adler OR like").hits == ()


@pytest.mark.parametrize(
    ("columns", "query", "expected"),
    [
        (["Zoë met the Café team; ZOE again"], "zoe cafe", "[Zoë] met the [Café] team; [ZOE] again"),
        (["", "Title only jargon"], "jargon", "Title only [jargon]"),
        (["e\u0301lodie spoke"], "elod", "[e\u0301lodie] spoke"),  # decomposed accent
        (["Straße STRASSE zoë"], "strasse zoe", "Straße [STRASSE] [zoë]"),  # as unicode61: "ß" is not "ss"
        (["İstanbul ﬁnal"], "istanbul final", "[İstanbul] [ﬁnal]"),  # folding that changes lengths
        (["the town-hall Q&A"], '"town hall"', "the [town]-[hall] Q&A"),
        (["Nothing  here\nat all"], "zzz", "Nothing here at all"),
    ],
)
def test_snippets_mark_what_the_index_matched(columns: list[str], query: str, expected: str) -> None:
    snippet = make_snippet(columns, highlight_words(parse_query(query)))
    assert snippet.replace("\x02", "[").replace("\x03", "]") == expected


def test_a_long_text_is_cut_around_the_first_match() -> None:
    snippet = make_snippet(["a " * 60 + "needle " + "b " * 60], highlight_words(parse_query("needle")))
    assert snippet.startswith("…a ") and snippet.endswith("b…") and "\x02needle\x03" in snippet
    assert len(snippet) < 130 and snippet.index("needle") < 40


HOSTILE = ['"', '""', '"""', "*", "**", "-", "--", "- -", "NEAR", "NEAR(a b)", "NEAR(", "a NEAR/2 b", "AND", "OR",
           "NOT", "a OR", "OR a", "a NOT", "(", ")", ")(", "(a", "a)", "^a", "a:b", ":", "title:x", "exec:", "tag:",
           "kind:", 'exec:"', 'tag:"x', "kind:*", "-exec:x", "{a b}:c", "a + b", "'", "\\", "\x00", "zoe*)", "*zoe",
           '"zoe" *', "-zoe", "zo\"e", "é*", "\u0301", "💬", "a\tb\nc", "x" * 500, "OR OR OR", "- zoe", "zoe -"]


def test_fts_syntax_typed_by_a_user_never_raises(ws: Workspace, zoe: int) -> None:
    for text in HOSTILE:
        for order in Order:
            search(ws, query=text, order=order)
        search(ws, query=text, prefix_last=False)
        for cut in range(len(text[:12]) + 1):  # every keystroke of typing it
            search(ws, query="zoe " + text[:cut])
    # Operators and punctuation are searched as words, not obeyed or rejected.
    assert found(ws, "(jargon)") == found(ws, "jargon") != set()
    assert found(ws, "zoe*)") and found(ws, '"zoe" *')


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.sampled_from(list('zoe jargon"*-:()^+NEARORNOT{}é\'\\\t')) | st.characters(), max_size=40))
def test_any_typed_text_is_a_valid_query(ws: Workspace, text: str) -> None:
    parse_query(text).match_expression()
    search(ws, query=text)


def test_cli_prints_groups_and_json(tmp_path: Path, passphrase_file: Path, passphrase, capsys) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "w.db"
    with Workspace.open(db, passphrase) as ws:
        execs.add_exec(ws, name="Zoë Dupré", private_notes="Worried about the town hall")
    args = ["search", "--db", str(db), "--passphrase-file", str(passphrase_file)]
    assert main([*args, "zoe"]) == 0
    out = capsys.readouterr().out
    assert "Executives (1)" in out and "[Zoë] Dupré" in out
    assert main([*args, "--json", "town", "hal"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == 1
    assert data["groups"][0]["hits"][0] | {"date": None} == {
        "kind": "exec", "id": 1, "exec_id": 1, "exec": "Zoë Dupré", "title": "Zoë Dupré",
        "snippet": "Worried about the [town] [hall]", "date": None,
    }
    assert main([*args, "--", "-zoe", "kind:nonsense"]) == 0
    assert "Unknown kind" in capsys.readouterr().out
