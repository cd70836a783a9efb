"""Plan, hold and record one coaching session: when, what kind, agenda, notes, outcomes and action items.

Everything typed is autosaved a couple of seconds after typing stops, so a crash loses at most
seconds. When the form as a whole is not valid yet (say the end is before the start) the notes of an
existing session are still saved on their own, and the dialog says what keeps the rest from saving.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTimeEdit,
    QMenu,
    QVBoxLayout,
    QWidget,
)

from esncoach.models import ActionOwner, LadderStage, SessionKind, SessionStatus, SupportRole
from esncoach.services import execs, sessions
from esncoach.services.sessions import KIND_LABELS, OWNER_LABELS, STATUS_LABELS, ActionItemInput, ActionItemRow
from esncoach.services.team_conflicts import ConflictError
from esncoach.store.errors import StoreError, ValidationError
from esncoach.store.workspace import Workspace
from esncoach.views.form_dialog import ask_discard
from esncoach.views.messages import show_error

AUTOSAVE_MS = 2000
NO_DUE = QDate(2000, 1, 1)  # the date edit's minimum, shown as "No date"

COL_DONE, COL_TEXT, COL_OWNER, COL_DUE = range(4)


class SessionDialog(QDialog):
    """The session form; ``session_id`` None drafts a new session from the stage template with carry-over."""

    sig_saved = Signal(int)
    """The session (id) was stored, by autosave or by Save."""

    def __init__(self, ws: Workspace, exec_id: int, session_id: int | None = None, parent: QWidget | None = None,
                 *, now: dt.datetime | None = None) -> None:
        super().__init__(parent)
        self._ws = ws
        self._exec_id = exec_id
        self.session_id = session_id
        self._now = now
        self._loading = True
        self._dirty = False
        self.last_problem = ""
        """Why the last autosave could not store everything ("" when it did)."""
        self.setMinimumSize(820, 600)
        self.autosave_timer = QTimer(self)
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(AUTOSAVE_MS)
        self.autosave_timer.timeout.connect(self.autosave)
        self._build()
        exec_row = execs.get_exec(ws, exec_id)
        self._exec_name = exec_row.name
        self._stage = exec_row.stage
        self._default_mentor = next(
            (s.person_id for s in exec_row.supporters if s.role == SupportRole.REVERSE_MENTOR), None)
        if session_id is None:
            self.setWindowTitle(self.tr("New session — %s") % exec_row.name)
            self._load_draft()
        else:
            self.setWindowTitle(self.tr("Session — %s") % exec_row.name)
            loaded = sessions.get_session(ws, session_id)
            self._load(loaded)
            self._version: int | None = loaded.version  # a save over a colleague's newer one is refused
        self._loading = False
        self.title.setFocus()

    # ----- construction -----------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        left = QFormLayout()
        right = QFormLayout()
        self.title = QLineEdit()
        self.title.setMaxLength(sessions.TITLE_MAX)
        self.title.setPlaceholderText(self.tr("What this session is about"))
        self.kind = QComboBox()
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(self.tr(label), kind)
        self.status = QComboBox()
        for status, label in STATUS_LABELS.items():
            self.status.addItem(self.tr(label), status)
        self.mentor = QComboBox()
        self.mentor.addItem(self.tr("(none)"), None)
        self._people = {p.id: p.name for p in execs.list_people(self._ws)}
        for p in execs.list_people(self._ws):
            roles = {role for _eid, _name, role in p.supports}
            if roles and roles <= {SupportRole.ASSISTANT}:
                continue  # an assistant is not a mentor (an earlier session naming one still shows it)
            self.mentor.addItem(p.name, p.id)
        self.date = QDateEdit()
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("ddd d MMM yyyy")
        self.start = QTimeEdit()
        self.start.setDisplayFormat("HH:mm")
        self.end = QTimeEdit()
        self.end.setDisplayFormat("HH:mm")
        times = QHBoxLayout()
        times.addWidget(self.start)
        times.addWidget(QLabel(self.tr("to")))
        times.addWidget(self.end)
        times.addStretch()
        left.addRow(self.tr("&Title"), self.title)
        left.addRow(self.tr("&Kind"), self.kind)
        left.addRow(self.tr("&Mentor"), self.mentor)
        right.addRow(self.tr("&Date"), self.date)
        right.addRow(self.tr("Time"), times)
        right.addRow(self.tr("&Status"), self.status)
        top.addLayout(left, 3)
        top.addSpacing(16)
        top.addLayout(right, 2)
        layout.addLayout(top)

        self.tabs = QTabWidget()
        self.agenda = QPlainTextEdit()
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText(self.tr("What was said; saved automatically as you type."))
        self.outcomes = QPlainTextEdit()
        self.outcomes.setPlaceholderText(self.tr("What was agreed or learnt."))
        agenda_page = QWidget()
        agenda_layout = QVBoxLayout(agenda_page)
        agenda_layout.setContentsMargins(0, 4, 0, 0)
        agenda_bar = QHBoxLayout()
        # A push button sizes itself for its text plus the menu arrow (a tool button's arrow covered the text).
        self.template_button = QPushButton(self.tr("Use the template of a stage"))
        self.template_button.setAutoDefault(False)
        menu = QMenu(self.template_button)
        for stage in LadderStage:
            menu.addAction(self.tr(stage.label), lambda st=stage: self._use_template(st))
        self.template_button.setMenu(menu)
        agenda_bar.addStretch()
        agenda_bar.addWidget(self.template_button)
        agenda_layout.addLayout(agenda_bar)
        agenda_layout.addWidget(self.agenda)
        self.tabs.addTab(agenda_page, self.tr("&Agenda"))
        self.tabs.addTab(self.notes, self.tr("&Notes"))
        self.tabs.addTab(self.outcomes, self.tr("&Outcomes"))
        items_page = QWidget()
        items_layout = QVBoxLayout(items_page)
        items_layout.setContentsMargins(0, 4, 0, 0)
        self.items = QTableWidget(0, 4)
        self.items.setHorizontalHeaderLabels([self.tr("Done"), self.tr("Action"), self.tr("Owner"), self.tr("Due")])
        header = self.items.horizontalHeader()
        header.setSectionResizeMode(COL_TEXT, QHeaderView.ResizeMode.Stretch)
        for col, width in ((COL_DONE, 50), (COL_OWNER, 120), (COL_DUE, 140)):
            header.setSectionResizeMode(col, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(col, width)
        self.items.verticalHeader().hide()
        self.items.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        items_layout.addWidget(self.items)
        item_buttons = QHBoxLayout()
        self.add_item = QPushButton(self.tr("Add action item"))
        self.remove_item = QPushButton(self.tr("Remove"))
        item_buttons.addWidget(self.add_item)
        item_buttons.addWidget(self.remove_item)
        item_buttons.addStretch()
        items_layout.addLayout(item_buttons)
        self.tabs.addTab(items_page, self.tr("Action &items"))
        layout.addWidget(self.tabs, 1)

        self.error_label = QLabel()
        self.error_label.setObjectName("formError")
        self.error_label.setStyleSheet("color: #c0392b;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        bottom = QHBoxLayout()
        self.save_state = QLabel()
        self.save_state.setStyleSheet("color: palette(placeholder-text);")
        bottom.addWidget(self.save_state, 1)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        from esncoach.views.sessions.recurring_dialog import add_repeat_button  # a new session can recur

        add_repeat_button(self)
        bottom.addWidget(self.buttons)
        layout.addLayout(bottom)

        self.add_item.clicked.connect(lambda: self._add_item_row(ActionItemInput(""), focus=True))
        self.remove_item.clicked.connect(self._remove_item_row)
        for edit in (self.agenda, self.notes, self.outcomes):
            edit.textChanged.connect(self._on_changed)
        self.title.textEdited.connect(self._on_changed)
        for combo in (self.kind, self.status, self.mentor):
            combo.currentIndexChanged.connect(self._on_changed)
        for w in (self.date, self.start, self.end):
            w.editingFinished.connect(self._on_changed)
        self.items.itemChanged.connect(self._on_changed)
        self.kind.currentIndexChanged.connect(self._on_kind_changed)

    # ----- loading --------------------------------------------------------------------------------
    def _load_draft(self) -> None:
        draft = sessions.new_session_draft(self._ws, exec_id=self._exec_id, now=self._now)
        self.title.setText(draft.title)
        self._set_combo(self.kind, draft.kind)
        self._set_combo(self.status, SessionStatus.PLANNED)
        self._set_times(draft.starts_at, draft.starts_at + dt.timedelta(minutes=draft.duration_min))
        self.agenda.setPlainText(draft.agenda)
        for item in draft.carried_items:
            self._add_item_row(ActionItemInput(item.text, item.owner, item.due, False, None, item.owner_person_id,
                                               carried_from_id=item.id), carried=True)
        n = len(draft.carried_items)
        carried = self.tr("%n open action item(s) carried over.", "", n)
        if draft.agenda.strip():
            self.save_state.setText(self.tr("Agenda from the “%s” template; %s") % (draft.stage.label, carried))
        else:  # an empty template is not an agenda: say so and where to write one
            self.save_state.setText(self.tr("The “%s” stage has no agenda template yet (Tools ▸ Agenda templates); %s")
                                    % (draft.stage.label, carried))

    def _load(self, row: sessions.SessionRow) -> None:
        self.title.setText(row.title)
        self._set_combo(self.kind, row.kind)
        self._set_combo(self.status, row.status)
        if row.mentor_id is not None and self.mentor.findData(row.mentor_id) < 0:
            self.mentor.addItem(self._people.get(row.mentor_id, "?"), row.mentor_id)
        self._set_combo(self.mentor, row.mentor_id)
        self._set_times(row.starts_at, row.ends_at)
        self.agenda.setPlainText(row.agenda)
        self.notes.setPlainText(row.notes)
        self.outcomes.setPlainText(row.outcomes)
        self.items.setRowCount(0)
        self._item_versions = {i.id: i.version for i in row.action_items}
        for item in row.action_items:
            self._add_item_row(self._input_of(item), carried=item.carried_from_id is not None,
                               superseded=item.superseded)

    @staticmethod
    def _input_of(item: ActionItemRow) -> ActionItemInput:
        return ActionItemInput(item.text, item.owner, item.due, item.done, item.id, item.owner_person_id,
                               item.carried_from_id)

    @staticmethod
    def _set_combo(combo: QComboBox, value: object) -> None:
        index = combo.findData(value)
        combo.setCurrentIndex(max(index, 0))

    def _set_times(self, start: dt.datetime, end: dt.datetime) -> None:
        self.date.setDate(QDate(start.year, start.month, start.day))
        self.start.setTime(QTime(start.hour, start.minute))
        self.end.setTime(QTime(end.hour, end.minute))

    def _use_template(self, stage: LadderStage) -> None:
        text = next(t.text for t in sessions.list_templates(self._ws) if t.stage == stage)
        if not text.strip():
            self.save_state.setText(self.tr("The “%s” template is empty: write it under Tools ▸ Agenda templates.")
                                    % stage.label)
            return
        if self.agenda.toPlainText().strip() and self.agenda.toPlainText() != text:
            answer = QMessageBox.question(self, self.tr("Replace the agenda?"),
                                          self.tr("Replace the current agenda with the “%s” template?") % stage.label)
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.agenda.setPlainText(text)

    def _on_kind_changed(self) -> None:
        if self._loading:
            return
        if self.kind.currentData() == SessionKind.REVERSE_MENTORING and self.mentor.currentData() is None:
            self._set_combo(self.mentor, self._default_mentor)

    # ----- action items table -------------------------------------------------------------------
    def _add_item_row(self, item: ActionItemInput, *, carried: bool = False, superseded: bool = False,
                      focus: bool = False) -> None:
        self.items.blockSignals(True)
        row = self.items.rowCount()
        self.items.insertRow(row)
        done = QTableWidgetItem()
        done.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        done.setCheckState(Qt.CheckState.Checked if item.done else Qt.CheckState.Unchecked)
        done.setData(Qt.ItemDataRole.UserRole, (item.id, item.carried_from_id, item.owner_person_id))
        self.items.setItem(row, COL_DONE, done)
        text = QTableWidgetItem(item.text)
        if carried:
            text.setToolTip(self.tr("Carried over from an earlier session"))
            font = QFont(text.font())
            font.setItalic(True)
            text.setFont(font)
        if superseded:
            text.setToolTip(self.tr("Carried over to a later session; tick it there."))
            text.setForeground(Qt.GlobalColor.gray)
        self.items.setItem(row, COL_TEXT, text)
        owner = QComboBox()
        for value, label in OWNER_LABELS.items():
            owner.addItem(self.tr(label), value)
        self._set_combo(owner, item.owner)
        owner.currentIndexChanged.connect(self._on_changed)
        self.items.setCellWidget(row, COL_OWNER, owner)
        due = QDateEdit()
        due.setCalendarPopup(True)
        due.setDisplayFormat("d MMM yyyy")
        due.setMinimumDate(NO_DUE)
        due.setSpecialValueText(self.tr("No date"))
        if item.due is not None:
            due.setDate(QDate(item.due.year, item.due.month, item.due.day))
        else:
            due.setDate(NO_DUE)
        due.editingFinished.connect(self._on_changed)
        self.items.setCellWidget(row, COL_DUE, due)
        self.items.blockSignals(False)
        if focus:
            self.tabs.setCurrentIndex(3)
            self.items.setCurrentCell(row, COL_TEXT)
            self.items.editItem(text)
            due.setDate(QDate.currentDate().addDays(7))

    def _remove_item_row(self) -> None:
        row = self.items.currentRow()
        if row >= 0:
            self.items.removeRow(row)
            self._on_changed()

    def item_inputs(self) -> list[ActionItemInput]:
        """The action items as the table shows them."""
        out = []
        for row in range(self.items.rowCount()):
            done = self.items.item(row, COL_DONE)
            item_id, carried_from, person = done.data(Qt.ItemDataRole.UserRole)
            owner: QComboBox = self.items.cellWidget(row, COL_OWNER)  # type: ignore[assignment]
            due_edit: QDateEdit = self.items.cellWidget(row, COL_DUE)  # type: ignore[assignment]
            qd = due_edit.date()
            due = None if qd == NO_DUE else dt.date(qd.year(), qd.month(), qd.day())
            out.append(ActionItemInput(
                text=self.items.item(row, COL_TEXT).text(), owner=owner.currentData(), due=due,
                done=done.checkState() == Qt.CheckState.Checked, id=item_id,
                owner_person_id=person if owner.currentData() in (ActionOwner.ASSISTANT, ActionOwner.MENTOR) else None,
                carried_from_id=carried_from,
                version=getattr(self, "_item_versions", {}).get(item_id) if item_id is not None else None,
            ))
        return out

    # ----- saving -----------------------------------------------------------------------------------
    def _times(self) -> tuple[dt.datetime, dt.datetime]:
        d = self.date.date()
        day = dt.date(d.year(), d.month(), d.day())
        s, e = self.start.time(), self.end.time()
        return (dt.datetime.combine(day, dt.time(s.hour(), s.minute())),
                dt.datetime.combine(day, dt.time(e.hour(), e.minute())))

    def _on_changed(self, *_args: object) -> None:
        if self._loading:
            return
        self._dirty = True
        self.autosave_timer.start()
        self.save_state.setText(self.tr("Editing…"))

    def save(self) -> int:
        """Store the whole form (create or update); raises ValidationError when something is wrong."""
        inputs = self.item_inputs()
        starts_at, ends_at = self._times()
        new_id = sessions.save_session(
            self._ws, session_id=self.session_id, exec_id=self._exec_id, starts_at=starts_at, ends_at=ends_at,
            title=self.title.text(), kind=self.kind.currentData(), status=self.status.currentData(),
            mentor_id=self.mentor.currentData(), agenda=self.agenda.toPlainText(), notes=self.notes.toPlainText(),
            outcomes=self.outcomes.toPlainText(), action_items=inputs,
            expected_version=getattr(self, "_version", None),
            expected_item_versions=getattr(self, "_item_versions", None),
        )
        stored = sessions.get_session(self._ws, new_id)
        self._version = stored.version
        self._item_versions = {i.id: i.version for i in stored.action_items}
        self._adopt_new_item_ids(new_id, inputs)
        self.session_id = new_id
        self._dirty = False
        self.sig_saved.emit(new_id)
        return new_id

    def _adopt_new_item_ids(self, session_id: int, inputs: list[ActionItemInput]) -> None:
        """Give rows saved for the first time their new ids, so the next save updates instead of duplicating."""
        known = {i.id for i in inputs if i.id is not None}
        fresh = sorted(i.id for i in sessions.get_session(self._ws, session_id).action_items if i.id not in known)
        rows = [r for r, i in enumerate(inputs) if i.id is None and i.text.strip()]
        for row, item_id in zip(rows, fresh, strict=False):
            cell = self.items.item(row, COL_DONE)
            _old, carried_from, person = cell.data(Qt.ItemDataRole.UserRole)
            self.items.blockSignals(True)
            cell.setData(Qt.ItemDataRole.UserRole, (item_id, carried_from, person))
            self.items.blockSignals(False)

    def _has_content(self) -> bool:
        """Whether the CM has written something that would be lost (pre-filled fields alone are not)."""
        return bool(self.notes.toPlainText().strip() or self.outcomes.toPlainText().strip())

    def autosave(self) -> bool:
        """Save what can be saved now; True when the whole form was stored.

        A new session is created by autosave only once notes or outcomes hold text, so opening "New…"
        and closing it again leaves nothing behind.
        """
        self.autosave_timer.stop()
        if self.session_id is None and not self._has_content():
            self.save_state.setText(self.tr("Not saved yet: Save stores the session; notes save as you type."))
            return False
        stamp = dt.datetime.now().strftime("%H:%M:%S")
        self.last_problem = ""
        try:
            self.save()
        except ConflictError as exc:
            self._on_conflict(exc)
            return False
        except ValidationError as exc:
            self.last_problem = str(exc)
            if self.session_id is not None:
                try:
                    self._version = sessions.save_notes(self._ws, session_id=self.session_id,
                                                        notes=self.notes.toPlainText(),
                                                        expected_version=getattr(self, "_version", None))
                    self.save_state.setText(self.tr("Notes saved at %s; the rest waits: %s") % (stamp, exc))
                except StoreError as notes_exc:
                    self.last_problem = str(notes_exc)
                    self.save_state.setText(self.tr("Not saved: %s") % notes_exc)
            else:
                self.save_state.setText(self.tr("Not saved yet: %s") % exc)
            return False
        except StoreError as exc:
            self.last_problem = str(exc)
            self.save_state.setText(self.tr("Not saved: %s") % exc)
            return False
        self.error_label.hide()
        self.save_state.setText(self.tr("All changes saved at %s") % stamp)
        return True

    def _on_conflict(self, exc: ConflictError) -> None:
        """A colleague saved this session first: show both notes and keep both in the editor, unsaved."""
        from esncoach.views.team.conflict import resolve_conflict

        self.last_problem = str(exc)
        if isinstance(exc, sessions.ActionItemConflictError):
            self._on_item_conflict(exc)
            return
        self._version = exc.version
        self.notes.setPlainText(resolve_conflict(self, exc))
        self.save_state.setText(self.tr("Both versions kept in the notes: save again when they read right."))

    def _on_item_conflict(self, exc: sessions.ActionItemConflictError) -> None:
        """A colleague reworded an action item first: show both; their wording stays on the item and the
        user's becomes a new item below it (nothing lost), saved with the next save."""
        from esncoach.views.team.conflict import resolve_conflict

        resolve_conflict(self, exc)
        if not exc.yours:  # the user removed it, a colleague changed it: it comes back as they left it
            stored = next(i for i in sessions.get_session(self._ws, self.session_id).action_items  # type: ignore[arg-type]
                          if i.id == exc.item_id)
            self._item_versions[exc.item_id] = stored.version
            self._add_item_row(self._input_of(stored), carried=stored.carried_from_id is not None)
            self._on_changed()
            self.save_state.setText(self.tr("A colleague changed an action item you removed: it is back; "
                                            "remove it again if it should go."))
            return
        for row, item in enumerate(self.item_inputs()):
            if item.id == exc.item_id:
                self.items.blockSignals(True)
                self.items.item(row, COL_TEXT).setText(exc.theirs)
                self.items.blockSignals(False)
                self._item_versions[exc.item_id] = exc.version or 0
                self._add_item_row(ActionItemInput(exc.yours, item.owner, item.due, item.done, None,
                                                   item.owner_person_id))
                break
        self._on_changed()
        self.save_state.setText(self.tr("Both versions of the action item kept (yours as a new item): "
                                        "delete the one you do not want."))

    def accept(self) -> None:
        self.autosave_timer.stop()
        try:
            self.save()
        except ConflictError as exc:
            self._on_conflict(exc)
            return
        except ValidationError as exc:
            self._show_error(str(exc), exc.field)
            return
        except StoreError as exc:
            show_error(self, self.tr("Could not save the session"), exc)
            return
        super().accept()

    def reject(self) -> None:
        """Esc/Close: store what can be stored; anything that cannot (or a new session not saved yet) is asked about."""
        self.autosave_timer.stop()
        stored = not self._dirty
        if self._dirty and (self.session_id is not None or self._has_content()):
            stored = self.autosave()
        if not stored:
            # Never drop typed text silently: an agenda typed into a new session counts as much as notes.
            detail = (self.tr("This new session is not saved yet.") if self.session_id is None and not self.last_problem
                      else self.tr("It cannot be saved as it is: %s") % self.last_problem)
            answer = ask_discard(self, detail=detail)
            if answer == QMessageBox.StandardButton.Save:
                self.accept()
                return
            if answer != QMessageBox.StandardButton.Discard:
                if self.last_problem:
                    self._show_error(self.last_problem, "")
                return
        if self.session_id is not None:
            self.setResult(QDialog.DialogCode.Accepted)
            self.done(QDialog.DialogCode.Accepted)  # something was stored: callers refresh
            return
        super().reject()

    def _show_error(self, message: str, field: str) -> None:
        self.error_label.setText(message)
        self.error_label.show()
        target = {"title": self.title, "ends_at": self.end, "starts_at": self.date, "notes": self.notes,
                  "agenda": self.agenda, "outcomes": self.outcomes, "action_items": self.items}.get(field)
        if target is not None:
            tab = {self.notes: 1, self.outcomes: 2, self.items: 3, self.agenda: 0}.get(target)
            if tab is not None:
                self.tabs.setCurrentIndex(tab)
            target.setFocus()


def new_session_for_current(window) -> None:  # type: ignore[no-untyped-def]
    """Menu hook: plan a new session for the selected exec."""
    exec_id = window.current_exec_id()
    if exec_id is None:
        show_error(window, window.tr("New session"), window.tr("Select an executive first."))
        return
    dialog = SessionDialog(window.ws, exec_id, None, window)
    if dialog.exec():
        window.refresh()
