"""The exec page's "Leadership" tab: persona over time, peer percentile, responsiveness, delegated voice,
and the listening brief (rising themes, busy threads the exec has not joined).

Everything comes from ``esncoach.services.leaders`` and ``esncoach.services.listening``; the lists are
short (at most a handful of months, ten themes, ten threads), so plain list widgets hold them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from esncoach.services import leaders, listening
from esncoach.services.leaders import PERSONA_DESCRIPTIONS, PERSONA_GUIDE, LeaderProfile
from esncoach.services.listening import ListeningBrief
from esncoach.store.errors import StoreError
from esncoach.store.workspace import Workspace
from esncoach.views.dates import date_text
from esncoach.views.latest_load import LatestLoad


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def profile_lines(p: LeaderProfile) -> list[str]:
    """The profile as short sentences (shared by the tab's labels and tests)."""
    persona = p.persona or "Not known"
    if p.persona in PERSONA_DESCRIPTIONS:
        persona += f" ({PERSONA_DESCRIPTIONS[p.persona]})"
    lines = [f"Persona this month: {persona}" + (f". {p.persona_note}" if p.persona_note else "")]
    if p.persona_history:
        lines.append("History: " + " · ".join(f"{m} {x or '?'}" for m, x in p.persona_history))
    standing = [s for s in (p.percentile_sentence(m) for m in p.percentile) if s]
    if standing and p.percentile_period:
        lines.append(f"Among everyone on the network ({p.percentile_period[0]:%b %Y}): " + ", ".join(standing))
    r = p.responsiveness
    if r.asks:
        lines.append(f"Answered {_share(r.answered_share)} of {r.asks} replies and mentions addressed to them"
                     + (f", in a median {r.median_hours:.1f} hours" if r.median_hours is not None else ""))
    else:
        lines.append("No replies or mentions addressed to them in the imported messages.")
    lines.append(f"Network posts written by a delegate: {_share(p.delegated_share)}; practice drafts by the "
                 f"assistant: {_share(p.drafted_by_assistant_share)}")
    return lines


class LeaderTab(QWidget):
    """What the exec's network activity says about them as a leader, and what to listen out for."""

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._exec_id: int | None = None
        self.profile: LeaderProfile | None = None
        self.brief: ListeningBrief | None = None
        layout = QVBoxLayout(self)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setToolTip(self.tr(PERSONA_GUIDE))
        layout.addWidget(self.summary)
        unanswered_box = QGroupBox(self.tr("Not answered yet"))
        box_layout = QVBoxLayout(unanswered_box)
        self.unanswered = QListWidget()
        self.unanswered.setMaximumHeight(110)
        box_layout.addWidget(self.unanswered)
        layout.addWidget(unanswered_box)
        listen_box = QGroupBox(self.tr("Listening brief"))
        listen_layout = QVBoxLayout(listen_box)
        controls = QHBoxLayout()
        controls.addWidget(QLabel(self.tr("Last days:")))
        self.days = QSpinBox()
        self.days.setRange(1, listening.MAX_DAYS)
        self.days.setValue(14)
        controls.addWidget(self.days)
        controls.addStretch(1)
        listen_layout.addLayout(controls)
        self.listening_note = QLabel()
        self.listening_note.setWordWrap(True)
        listen_layout.addWidget(self.listening_note)
        lists = QHBoxLayout()
        self.themes = QListWidget()
        self.threads = QListWidget()
        lists.addWidget(self.themes)
        lists.addWidget(self.threads, 2)
        for view in (self.unanswered, self.themes, self.threads):  # long thread titles wrap on a laptop page
            view.setWordWrap(True)
            view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            view.setResizeMode(QListWidget.ResizeMode.Adjust)
        listen_layout.addLayout(lists)
        layout.addWidget(listen_box, 1)
        self.loader = LatestLoad(self, self.tr("Leadership"))
        self.days.valueChanged.connect(self._fill_listening)

    def set_exec(self, exec_id: int | None) -> None:
        """Show this exec (None clears the tab); its profile is read on a worker, the tab says it is loading."""
        self._exec_id = exec_id
        self.refresh()

    def refresh(self) -> None:
        """Read the profile and the brief again (on a worker: a leader's years of messages take a while)."""
        self.profile = None
        self.unanswered.clear()
        self.themes.clear()
        self.threads.clear()
        self.brief = None
        if self._exec_id is None:
            self.loader.drop()
            self.summary.setText("")
            self.listening_note.setText("")
            return
        self.summary.setText(self.tr("Loading…"))
        self.listening_note.setText("")
        ws, exec_id, days = self._ws, self._exec_id, self.days.value()
        self.loader.load(lambda: self._read(ws, exec_id, days), lambda data: self._show(days, *data))

    @staticmethod
    def _read(ws: Workspace, exec_id: int, days: int) -> tuple[LeaderProfile | StoreError, ListeningBrief | StoreError]:
        """The profile and the brief, or the sentence why not (services only: this runs on a worker)."""
        try:
            profile: LeaderProfile | StoreError = leaders.leader_profile(ws, exec_id=exec_id)
        except StoreError as exc:
            return exc, exc
        try:
            brief: ListeningBrief | StoreError = listening.listening_brief(ws, exec_id=exec_id, days=days)
        except StoreError as exc:
            brief = exc
        return profile, brief

    def _show(self, days: int, profile: LeaderProfile | StoreError, brief: ListeningBrief | StoreError) -> None:
        if isinstance(profile, StoreError):
            self.summary.setText(str(profile))
            return
        self.profile = profile
        self.summary.setText("\n".join(profile_lines(profile)))
        for u in profile.responsiveness.unanswered:
            self.unanswered.addItem(self.tr("{day}: {thread}").format(day=date_text(u.asked_on), thread=u.thread))
        if not profile.responsiveness.unanswered:
            self.unanswered.addItem(self.tr("Nothing waiting for an answer."))
        if days != self.days.value():
            self._fill_listening()  # the window was changed while the profile was read
        else:
            self._show_listening(brief)

    def _fill_listening(self) -> None:
        """Read the brief for the window now chosen; while the exec is being read, it comes with the exec."""
        if self._exec_id is None or self.loader.loading:
            return
        try:
            brief: ListeningBrief | StoreError = listening.listening_brief(self._ws, exec_id=self._exec_id,
                                                                          days=self.days.value())
        except StoreError as exc:
            brief = exc
        self._show_listening(brief)

    def _show_listening(self, brief: ListeningBrief | StoreError) -> None:
        self.themes.clear()
        self.threads.clear()
        self.brief = None
        if isinstance(brief, StoreError):
            self.listening_note.setText(str(brief))
            return
        self.brief = brief
        if self.brief.ends_on is None:
            self.listening_note.setText(self.tr("Import a Messages.csv network export to see rising themes and "
                                                "busy threads."))
            return
        self.listening_note.setText(self.tr("Rising themes and the busiest threads not joined, in the {n} days to "
                                            "{end}.").format(n=self.brief.days, end=date_text(self.brief.ends_on)))
        for t in self.brief.themes:
            self.themes.addItem(self.tr("{term} ({count}, ×{rise:.1f})").format(term=t.term, count=t.count,
                                                                                rise=t.rise))
        for t in self.brief.threads:
            self.threads.addItem(self.tr("{replies} replies · {title} · {link}").format(
                replies=t.replies, title=t.title_or_start, link=t.thread))
