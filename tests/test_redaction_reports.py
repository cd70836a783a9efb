"""Real PDFs (read back with pypdf) for an exec whose records mention other execs in a dozen spellings."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from pypdf import PdfReader

from esncoach.models import ActionOwner, HabitSchedule, LadderStage, SessionStatus, SupportRole
from esncoach.reports import pdf_writer
from esncoach.services import execs, habits, ladder, people, posts, sessions
from esncoach.services import report_content as rc
from esncoach.services.name_variants import fold_plain
from esncoach.store.workspace import Workspace

NFD_ELODIE = unicodedata.normalize("NFD", "Élodie Marchand")
CANARY = "zanzibarquokka"
"""A word only Bruno's private notes hold (the archive test looks for it)."""


@dataclass(frozen=True)
class Scenario:
    """The subject exec and the other people whose names must not appear."""

    dana: int
    bruno: int
    session_id: int
    forbidden: tuple[str, ...]


def build(ws: Workspace, today: dt.date | None = None) -> Scenario:
    """Dana Whitfield's records name Bruno Castillo, Élodie Marchand, Liam O'Connor, Chen Wei (archived) and
    Bruno's assistant Ines Duarte in the spellings issue #15 lists; Dana's own assistant is Sam Okafor."""
    today = today or dt.date.today()
    dana = execs.add_exec(ws, name="Dana Whitfield", title="CFO", email="dana.whitfield@example.com", handle="@dana",
                          joined=today - dt.timedelta(days=60), today=today - dt.timedelta(days=60))
    bruno = execs.add_exec(ws, name="Bruno Castillo", email="bruno.castillo@example.com", handle="@bruno.c",
                           private_notes=f"Keep this between us: {CANARY} merger worries.", today=today)
    execs.add_exec(ws, name="Élodie Marchand", email="elodie.marchand@example.com", today=today)
    execs.add_exec(ws, name="Liam O'Connor", email="liam.oconnor@example.com", handle="@liam.oconnor", today=today)
    chen = execs.add_exec(ws, name="Chen Wei", email="chen.wei@example.com", today=today)
    execs.set_archived(ws, chen, archived=True)
    ines = execs.add_person(ws, name="Ines Duarte", email="ines.duarte@example.com")
    execs.link_person(ws, exec_id=bruno, person_id=ines, role=SupportRole.ASSISTANT)
    sam = execs.add_person(ws, name="Sam Okafor", email="sam.okafor@example.com")
    execs.link_person(ws, exec_id=dana, person_id=sam, role=SupportRole.ASSISTANT)

    ladder.move_stage(ws, exec_id=dana, to_stage=LadderStage.LIKE, on=today - dt.timedelta(days=20),
                      reason="Reacted to Liam OConnor's thread", today=today)
    held = today - dt.timedelta(days=7)
    session_id = sessions.save_session(
        ws, exec_id=dana, starts_at=dt.datetime.combine(held, dt.time(10)),
        ends_at=dt.datetime.combine(held, dt.time(10, 45)), title="Debrief with Castillo",
        status=SessionStatus.HELD,
        agenda="Look at @bruno's post and what Elodie Marchand replied",
        notes="Dana wants to co-write with Bruno-Castillo; ask chen.wei@example.com",
        outcomes="Agreed to follow @bruno and to reply to Bruno\u00a0Castillo", today=today,
        action_items=[
            sessions.ActionItemInput("Co-author a post with Bruno Castillo", ActionOwner.EXEC,
                                     today + dt.timedelta(days=5)),
            sessions.ActionItemInput("Ask @liam.oconnor for the data; copy chen.wei@example.com", ActionOwner.EXEC),
            sessions.ActionItemInput("Book a slot with bruno.castillo and Ines Duarte", ActionOwner.ASSISTANT),
            sessions.ActionItemInput(f"Thank {NFD_ELODIE} for the intro", ActionOwner.EXEC),
            sessions.ActionItemInput("Lunch with Bruno next week", ActionOwner.EXEC),
        ])
    sessions.save_session(
        ws, exec_id=dana, starts_at=dt.datetime.combine(today + dt.timedelta(days=3), dt.time(9)),
        ends_at=dt.datetime.combine(today + dt.timedelta(days=3), dt.time(9, 30)),
        title="Prep with Liam O’Connor", agenda="Bruno  Castillo's town hall", today=today)
    habits.set_commitment(ws, exec_id=dana, description="Like one post by Bruno\nCastillo every weekday",
                          schedule=HabitSchedule.WEEKDAYS, times=5, period_days=7,
                          started_on=today - dt.timedelta(days=14), today=today)
    people.add_theme(ws, exec_id=dana, text="Threads where CASTILLO or @LiamOConnor post")
    post = posts.create_post(ws, exec_id=dana, title=f"Reply to {NFD_ELODIE}", text="Thanks for the thread.")
    posts.submit_for_review(ws, post_id=post)
    posts.mark_ready(ws, post_id=post)
    posts.mark_published(ws, post_id=post, on=today - dt.timedelta(days=2), today=today)
    forbidden = ("castillo", "marchand", "connor", "oconnor", "chen", "wei", "ines", "duarte", "@bruno", "elodie",
                 "@liam", "@liamoconnor")
    return Scenario(dana, bruno, session_id, forbidden)


def leaks(text: str, scenario: Scenario) -> list[str]:
    """The forbidden names still readable in ``text`` once folded (accents, case, spaces, apostrophes)."""
    folded = " ".join(fold_plain(text).replace("'", "").split())
    return [w for w in scenario.forbidden if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", folded)]


def pdf_pages(path: Path) -> list[str]:
    return [unicodedata.normalize("NFKC", p.extract_text() or "") for p in PdfReader(str(path)).pages]


def test_exec_pdf_names_no_one_else_and_lists_the_first_name_to_review(qtbot, ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sc = build(ws)
    content = rc.exec_summary(ws, exec_id=sc.dana)
    saved = pdf_writer.save_report(content, tmp_path / "dana.pdf", page_size="A4")
    pages = pdf_pages(saved.path)
    text = " ".join(pages)
    assert leaks(text, sc) == []
    flat = " ".join(text.split())
    for kept in ("Dana Whitfield", "Co-author a post with another executive", "Reply to another executive",
                 "Debrief with another executive", "Lunch with Bruno next week"):
        assert kept in flat, kept
    # "Bruno" alone is someone's first name: kept, and listed with the page it is on.
    assert [(m.phrase, m.page) for m in saved.possible_mentions] == [
        ("Lunch with Bruno next week", m.page) for m in saved.possible_mentions]
    page = saved.possible_mentions[0].page
    assert "Lunch with Bruno" in " ".join(pages[page - 1].split())


def test_assistant_brief_names_no_one_else(qtbot, ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sc = build(ws)
    saved = pdf_writer.save_report(rc.assistant_brief(ws, exec_id=sc.dana), tmp_path / "brief.pdf", page_size="A4")
    text = " ".join(pdf_pages(saved.path))
    assert leaks(text, sc) == []
    flat = " ".join(text.split())
    assert "Sam Okafor, assistant to Dana Whitfield" in flat  # the subject's own people stay
    assert "Book a slot with another executive and someone else" in flat
    assert "Threads where another executive or another executive post" in flat


def test_report_json_lists_possible_mentions_with_page_and_phrase(passphrase_file: Path, tmp_path: Path) -> None:
    import os

    from esncoach.store.keys import read_passphrase_file

    db = tmp_path / "team.db"
    with Workspace.open(db, read_passphrase_file(str(passphrase_file))) as ws:
        sc = build(ws)
    out = tmp_path / "dana.pdf"
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    proc = subprocess.run(
        [sys.executable, "-m", "esncoach", "report", "--db", str(db), "--passphrase-file", str(passphrase_file),
         "--exec", "Dana Whitfield", "--out", str(out), "--page-size", "A4", "--json"],
        capture_output=True, text=True, env=env, timeout=240)
    assert proc.returncode == 0, proc.stderr
    (entry,) = json.loads(proc.stdout)
    assert {"path", "pages", "bytes", "possible_mentions"} <= set(entry)
    assert [m["phrase"] for m in entry["possible_mentions"]] == ["Lunch with Bruno next week"]
    page = entry["possible_mentions"][0]["page"]
    assert 1 <= page <= entry["pages"]
    pages = pdf_pages(out)
    assert "Lunch with Bruno" in " ".join(pages[page - 1].split())
    assert leaks(" ".join(pages), sc) == []


def test_report_dialog_lists_possible_mentions_after_saving(qtbot, ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from esncoach.views.reports.dialog import ReportDialog

    sc = build(ws)
    dialog = ReportDialog(ws, exec_id=sc.dana)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.mentions.isVisible()
    with qtbot.waitSignal(dialog.sig_saved, timeout=120_000):
        dialog.save_to(tmp_path / "dana.pdf")
    (line,) = dialog.possible_mentions()
    assert line.startswith("page ") and line.endswith(": Lunch with Bruno next week")
    assert dialog.mentions.isVisible()
