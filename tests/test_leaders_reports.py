"""Leadership in the reports: the exec PDF, the sponsor's programme summary and the assistant brief."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from pypdf import PdfReader

from esncoach.imports import import_file
from esncoach.reports import pdf_writer
from esncoach.services import execs
from esncoach.services import report_content as rc
from esncoach.store.workspace import Workspace

DATA = Path(__file__).parent / "data"


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def _setup(ws: Workspace) -> tuple[int, int]:
    amelia = execs.add_exec(ws, name="Amelia Hart", email="amelia.hart@example.com")
    bruno = execs.add_exec(ws, name="Bruno Castillo", email="bruno.castillo@example.com")
    import_file(ws, DATA / "metrics_viva_engage_Messages.csv")
    return amelia, bruno


def test_exec_pdf_shows_persona_standing_and_unanswered_threads(qtbot, ws: Workspace, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    amelia, _bruno = _setup(ws)
    saved = pdf_writer.save_report(rc.exec_summary(ws, exec_id=amelia), tmp_path / "amelia.pdf", page_size="A4")
    text = " ".join(norm(p.extract_text() or "") for p in PdfReader(str(saved.path)).pages)
    for needle in ("As a leader on the network", "Persona this month: Engager (balanced give and take)",
                   "top 50% of posters", "Answered 50% of the 2 replies and mentions",
                   "Network posts written by a delegate: 50%"):
        assert needle in text, needle
    assert "messages/2004" in text
    assert "Bruno Castillo" not in text


def test_portfolio_lists_every_leader(ws: Workspace) -> None:
    _setup(ws)
    content = rc.portfolio_summary(ws)
    (section,) = [s for s in content.sections if s.title == "Leaders on the network"]
    rows = section.blocks[0].rows
    assert rows[0] == ("Amelia Hart", "Engager", "—", "top 50% of posters", "50%", "50%")
    assert rows[1][:2] == ("Bruno Castillo", "Observer")


def test_portfolio_shows_the_months_before_on_the_demo(demo_ws: Workspace) -> None:
    content = rc.portfolio_summary(demo_ws)
    (section,) = [s for s in content.sections if s.title == "Leaders on the network"]
    amelia = next(r for r in section.blocks[0].rows if r[0] == "Amelia Hart")
    assert amelia[1] == "Catalyst" and amelia[2] == "Catalyst → Catalyst → Catalyst"


def test_assistant_brief_has_the_listening_brief_and_unanswered_threads(ws: Workspace) -> None:
    _amelia, bruno = _setup(ws)
    content = rc.assistant_brief(ws, exec_id=bruno)
    titles = [s.title for s in content.sections]
    assert "Listening brief" in titles and "Waiting for Bruno's answer" in titles
    listen = content.sections[titles.index("Listening brief")]
    bullets = listen.blocks[1].items
    assert any(b.startswith("hybrid office — 4 mentions") for b in bullets)
    threads = listen.blocks[2].rows
    assert threads[0] == ("3", "Hybrid office policy", "https://www.yammer.com/api/v1/messages/2001")
    waiting = content.sections[titles.index("Waiting for Bruno's answer")].blocks[0].rows
    assert waiting == (("4 Feb 2026", "https://www.yammer.com/api/v1/messages/2005"),)
