"""The exec page's Leadership tab shows persona, standing, responsiveness, delegated voice and the brief."""

from __future__ import annotations

from pathlib import Path

from esncoach.imports import import_file
from esncoach.services import execs
from esncoach.store.workspace import Workspace
from esncoach.views.execs.tabs import EXEC_TABS
from esncoach.views.metrics.leader_tab import LeaderTab

DATA = Path(__file__).parent / "data"


def test_the_tab_is_registered_on_the_exec_page() -> None:
    assert ("Leadership", "esncoach.views.metrics.leader_tab:LeaderTab") in EXEC_TABS


def test_leadership_tab_shows_the_imported_analytics(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    amelia = execs.add_exec(ws, name="Amelia Hart", email="amelia.hart@example.com")
    bruno = execs.add_exec(ws, name="Bruno Castillo", email="bruno.castillo@example.com")
    import_file(ws, DATA / "metrics_viva_engage_Messages.csv")
    tab = LeaderTab(ws)
    qtbot.addWidget(tab)
    tab.show()
    with qtbot.waitSignal(tab.loader.sig_loaded):  # read on a worker
        tab.set_exec(amelia)
    text = tab.summary.text()
    assert "Persona this month: Engager (balanced give and take)" in text
    assert "History: 2026-02 Engager" in text
    assert "Answered 50% of 2 replies and mentions addressed to them, in a median 2.0 hours" in text
    assert "Network posts written by a delegate: 50%" in text
    assert "top 50% of posters" in text
    assert [tab.unanswered.item(i).text() for i in range(tab.unanswered.count())] == [
        "3 Feb 2026: https://www.yammer.com/api/v1/messages/2004"]
    themes = [tab.themes.item(i).text() for i in range(tab.themes.count())]
    assert "hybrid office (4, ×17.1)" in themes
    threads = [tab.threads.item(i).text() for i in range(tab.threads.count())]
    assert threads == ["2 replies · All Company: canteen, menu, vote · https://www.yammer.com/api/v1/messages/2006"]
    with qtbot.waitSignal(tab.loader.sig_loaded):
        tab.set_exec(bruno)  # Bruno has not joined Amelia's thread: it is listed for him
    assert tab.threads.item(0).text().startswith("3 replies · Hybrid office policy")
    tab.days.selectAll()
    qtbot.keyClicks(tab.days, "1")
    assert "in the 1 days to 6 Feb 2026" in tab.listening_note.text()
