"""Wording a CM reads all day: plural forms, the field's own name, one date format, the right people offered."""

from __future__ import annotations

import datetime as dt
import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QWidget

from esncoach.models import SupportRole
from esncoach.services import execs, ladder
from esncoach.store.workspace import Workspace
from esncoach.views.app_settings import AppSettings
from esncoach.views.coaching.coaching_window import CoachingWindow
from esncoach.views.habits.tab import CommitmentDialog
from esncoach.views.sessions.dialog import SessionDialog
from tests.day_helpers import Modal, make_window


def test_plural_forms_read_naturally(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    make_window(qtbot, demo_ws)  # installs the English plural forms, as the app does at start-up
    widget = QWidget()
    assert widget.tr("%n move(s) on the ladder in this range", "", 1) == "1 move on the ladder in this range"
    assert widget.tr("%n move(s) on the ladder in this range", "", 3) == "3 moves on the ladder in this range"
    assert widget.tr("%n other person(s) counted", "", 1) == "1 other person counted"
    assert widget.tr("%n other person(s) counted", "", 2) == "2 other people counted"
    texts = [r for ex in execs.list_execs(demo_ws)
             for r in (*ladder.readiness(demo_ws, exec_id=ex.id).reasons, *ladder.readiness(demo_ws, exec_id=ex.id).missing)]
    assert not [t for t in texts if re.search(r"\b1 check-ins\b", t)]


def test_commitment_message_names_the_field_and_goes_when_fixed(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, demo_ws)
    chen = execs.find_exec(demo_ws, "Chen Wei")
    dialog = CommitmentDialog(demo_ws, chen.id, window)
    qtbot.addWidget(dialog)

    def act(d: CommitmentDialog) -> None:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
        assert d.error_label.text() == "Commitment is required." and d.error_label.isVisible()
        qtbot.keyClicks(QApplication.focusWidget(), "Like")
        assert not d.error_label.isVisible()  # fixed: the message goes
        d.done(0)

    modal = Modal(CommitmentDialog, act)
    dialog.exec()
    modal.check()


def test_coaching_mode_dates_ticks_and_no_export(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    amelia = execs.find_exec(demo_ws, "Amelia Hart")
    window = CoachingWindow(demo_ws, AppSettings(), exec_id=amelia.id)
    qtbot.addWidget(window)
    window.show_coaching()
    qtbot.waitUntil(window.isActiveWindow)
    when = window.commitments_page.when.text()
    assert not re.search(r"\b0\d ", when)  # "1 Oct 2026", never "01 October"
    previous = window.brief.previous.starts_at
    assert f"{previous.day} " in when and str(previous.year) in when
    habit = window.habit_page.schedule.text()
    assert not re.search(r"\b0\d ", habit)
    for page in window.pages:
        export = getattr(getattr(page, "inner", None), "export_button", None)
        if export is not None:
            window.go_to(window.pages.index(page))
            assert not export.isVisible()
    window.go_to(1)
    check = next(c for c in window.commitments_page.findChildren(QCheckBox))
    check.setChecked(True)
    QApplication.processEvents()
    image = check.grab().toImage()
    good = [image.pixelColor(x, y) for x in range(min(image.width(), 60)) for y in range(image.height())]
    assert any(c.lightness() > 230 for c in good if c.green() > 200 and c.red() > 200)  # a white tick is drawn
    assert any(c.green() > c.red() + 40 for c in good)  # on the green box


def test_session_mentor_list_offers_mentors_not_assistants(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    amelia = execs.find_exec(demo_ws, "Amelia Hart")
    assistants = {s.name for s in amelia.supporters if s.role == SupportRole.ASSISTANT}
    mentors = {s.name for s in amelia.supporters if s.role == SupportRole.REVERSE_MENTOR}
    assert assistants and mentors
    dialog = SessionDialog(demo_ws, amelia.id)
    qtbot.addWidget(dialog)
    offered = {dialog.mentor.itemText(i) for i in range(dialog.mentor.count())}
    assert mentors <= offered and not assistants & offered


def test_one_date_format_on_the_exec_page(qtbot, demo_ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = make_window(qtbot, demo_ws)
    elodie = execs.find_exec(demo_ws, "Élodie Marchand")
    window.select_exec(elodie.id)
    overview = window.page.tab_widgets[0]
    joined = overview.fields["joined"].text()
    assert joined.startswith(f"{elodie.joined.day} ") and str(elodie.joined.year) in joined
    last = window.model.index(window.model.row_of(elodie.id), 3).data()
    assert not re.match(r"0\d ", last)
    assert dt.date.today().year - 1 <= int(last.split()[-1]) <= dt.date.today().year
