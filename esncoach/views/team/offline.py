"""Team ▸ Take offline… / Bring back… / Forget offline copy…: execs on a laptop without the server (#20).

All three run from a window on the team server. Taking offline asks which execs, a workspace file and
its passphrase, then leases the execs and copies them in the background; the file opens like any
workspace (File ▸ Open) for coaching without a network. Bringing back asks for the file and its
passphrase and merges it in one transaction; forgetting deletes the file once everything in it is back.
The work is ``services.team_checkout`` / ``team_checkout_merge``; this module only asks and reports.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from esncoach.store.errors import StoreError
from esncoach.views.messages import show_error
from esncoach.views.tasks import run_task

DEFAULT_NAME = "esncoach-offline.db"


def _tr(text: str) -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("offline", text)


class OfflineDialog(QDialog):
    """Asks for an offline workspace file and its passphrase, and (to take offline) which execs."""

    def __init__(self, title: str, *, execs: list[str] | None = None, start: Path | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        layout = QVBoxLayout(self)
        self.exec_list: QListWidget | None = None
        if execs is not None:
            layout.addWidget(QLabel(_tr("Executives to take offline (others cannot change them until you bring "
                                        "them back):")))
            self.exec_list = QListWidget()
            for name in execs:
                item = QListWidgetItem(name)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                self.exec_list.addItem(item)
            layout.addWidget(self.exec_list)
        form = QFormLayout()
        row = QHBoxLayout()
        self.path = QLineEdit(str(start or Path.home() / DEFAULT_NAME))
        browse = QPushButton(_tr("Browse…"))
        browse.clicked.connect(self._browse)
        row.addWidget(self.path)
        row.addWidget(browse)
        form.addRow(_tr("Offline workspace:"), row)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(_tr("Its passphrase:"), self.passphrase)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        (self.exec_list or self.passphrase).setFocus()

    def _browse(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.windowTitle(), self.path.text(), "esncoach (*.db)",
                                              options=QFileDialog.Option.DontConfirmOverwrite)
        if name:
            self.path.setText(name)

    def chosen(self) -> list[str]:
        """The execs ticked, in list order."""
        if self.exec_list is None:
            return []
        items = (self.exec_list.item(i) for i in range(self.exec_list.count()))
        return [it.text() for it in items if it.checkState() == Qt.CheckState.Checked]

    def target(self) -> tuple[Path, Any]:
        """The file and its key; one sentence (StoreError) when something is missing."""
        from esncoach.store.keys import check_new_passphrase, normalise_passphrase, passphrase_key

        text = self.path.text().strip()
        if not text:
            raise StoreError(_tr("Choose the offline workspace file."))
        phrase = normalise_passphrase(self.passphrase.text())
        if not phrase:
            raise StoreError(_tr("Type the offline workspace's passphrase."))
        path = Path(text).expanduser()
        if self.exec_list is not None and not path.exists():
            check_new_passphrase(phrase)
        return path, passphrase_key(phrase)


def _on_server(window: Any) -> bool:
    if window.ws.is_server:
        return True
    show_error(window, _tr("Team"), _tr("Connect to the team server first (File ▸ Connect to team server…)."))
    return False


def _ask(window: Any, dialog: OfflineDialog, then: Any) -> OfflineDialog:
    """Show ``dialog``; on OK call ``then(dialog)``, keeping the dialog open with the sentence when it refuses."""
    def accepted() -> None:
        try:
            then(dialog)
        except StoreError as exc:
            show_error(window, dialog.windowTitle(), exc)

    dialog.accepted.connect(accepted)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    window.offline_dialog = dialog  # for tests and to keep it alive
    return dialog


def take_offline(window: Any) -> None:
    """Team ▸ Take offline…"""
    from esncoach.services import execs

    if not _on_server(window):
        return
    names = [r.name for r in execs.list_execs(window.ws, include_archived=False)]
    dialog = OfflineDialog(_tr("Take offline"), execs=names, parent=window)
    current = window.current_exec_id() if hasattr(window, "current_exec_id") else None
    if current is not None and dialog.exec_list is not None:
        name = next((r.name for r in execs.list_execs(window.ws) if r.id == current), None)
        for i in range(dialog.exec_list.count()):
            if dialog.exec_list.item(i).text() == name:
                dialog.exec_list.item(i).setCheckState(Qt.CheckState.Checked)

    def go(d: OfflineDialog) -> None:
        chosen = d.chosen()
        if not chosen:
            raise StoreError(_tr("Tick at least one executive to take offline."))
        path, key = d.target()

        def work(progress: Any) -> Any:
            from esncoach.services.team_checkout import checkout
            from esncoach.store.workspace import Workspace

            with Workspace.open(path, key, create=True).discard_on_error() as local:
                return checkout(window.ws, local, names=chosen, progress=progress)

        def done(result: Any) -> None:
            window.refresh()
            QMessageBox.information(window, _tr("Taken offline"), _tr(
                "{n} executive(s) are in {file}: open it (File ▸ Open workspace…) to coach without the network, "
                "then Team ▸ Bring back….").format(n=len(result.execs), file=path.name))

        run_task(window, _tr("Taking offline"), work, done,
                 on_error=lambda exc: show_error(window, _tr("Take offline"), exc))

    _ask(window, dialog, go)


def bring_back(window: Any) -> None:
    """Team ▸ Bring back…"""
    if not _on_server(window):
        return

    def go(d: OfflineDialog) -> None:
        path, key = d.target()
        if not path.exists():
            raise StoreError(_tr("There is no offline workspace at {path}.").format(path=path))

        def work(progress: Any) -> Any:
            from esncoach.services.team_checkout_merge import checkin
            from esncoach.store.workspace import Workspace

            with Workspace.open(path, key, create=False) as local:
                return checkin(window.ws, local, progress=progress)

        def done(result: Any) -> None:
            window.refresh()
            lines = [_tr("{name}: {a} added, {c} changed, {d} deleted, {k} conflicts").format(
                name=e.name, a=e.added, c=e.changed, d=e.deleted, k=e.conflicts) for e in result.execs]
            if any(e.conflicts for e in result.execs):
                lines.append(_tr("Rows changed on both sides kept both versions (the offline one as a new "
                                 "revision or under “from the offline copy”)."))
            QMessageBox.information(window, _tr("Brought back"), "\n".join(lines) or _tr("Nothing to bring back."))

        run_task(window, _tr("Bringing back"), work, done,
                 on_error=lambda exc: show_error(window, _tr("Bring back"), exc))

    _ask(window, OfflineDialog(_tr("Bring back"), parent=window), go)


def forget_offline_copy(window: Any) -> None:
    """Team ▸ Forget offline copy…: delete the file once everything in it is back on the server."""

    def go(d: OfflineDialog) -> None:
        from esncoach.services.team_checkout_merge import pending_changes
        from esncoach.store.workspace import Workspace

        path, key = d.target()
        if not path.exists():
            raise StoreError(_tr("There is no offline workspace at {path}.").format(path=path))
        with Workspace.open(path, key, create=False) as local:
            with local.engine.connect() as conn:
                origin = conn.exec_driver_sql("SELECT count(*) FROM team_offline_origin").scalar()
                out = conn.exec_driver_sql("SELECT count(*) FROM team_offline_exec WHERE checked_in_at IS NULL").scalar()
            waiting = sum(pending_changes(local).values())
        if not origin:
            raise StoreError(_tr("{file} was not taken offline from a team server; it is not deleted.").format(
                file=path.name))
        if out or waiting:
            raise StoreError(_tr("{file} holds work not brought back yet: use Team ▸ Bring back… first; "
                                 "nothing was deleted.").format(file=path.name))
        answer = QMessageBox.question(window, _tr("Forget offline copy"), _tr(
            "Everything in {file} is back on the team server. Delete the file?").format(file=path.name))
        if answer != QMessageBox.StandardButton.Yes:
            return
        for suffix in ("", "-wal", "-shm", ".lock"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        QMessageBox.information(window, _tr("Forget offline copy"), _tr("{file} was deleted.").format(file=path.name))

    _ask(window, OfflineDialog(_tr("Forget offline copy"), parent=window), go)


def lease_notice(ws: Any, exec_id: int | None) -> str:
    """What the status bar says about the selected exec's lease ("" when it is not offline)."""
    from esncoach.services.team_checkout import lease_of

    lease = lease_of(ws, exec_id) if exec_id is not None else None
    if lease is None:
        return ""
    if lease.holder == getattr(ws, "role", None):
        return _tr("You took {name} offline: bring it back with Team ▸ Bring back….").format(name=lease.exec_name)
    return _tr("{name} is {lease}: read-only until it is brought back.").format(name=lease.exec_name,
                                                                                 lease=lease.sentence)


def install_lease_notice(window: Any) -> QLabel:
    """A status-bar label naming who holds the selected exec offline; refreshed as the selection moves."""
    label = QLabel("")
    label.setObjectName("lease_notice")
    window.statusBar().addPermanentWidget(label)

    def update(*_: Any) -> None:
        try:
            label.setText(lease_notice(window.ws, window.current_exec_id()))
        except StoreError:
            label.setText("")

    window.table.selectionModel().currentRowChanged.connect(update)
    window.page.sig_lease_changed.connect(update)  # taken or brought back while it is shown (live refresh)
    update()
    return label


def release_lease(window: Any) -> None:
    """Team ▸ Release an exec taken offline… (the lead, e.g. for a lost laptop), after a confirmation."""
    from PySide6.QtWidgets import QInputDialog

    from esncoach.services.team_checkout import list_leases, release

    if not _on_server(window):
        return
    title = _tr("Release an exec taken offline")
    leases = list_leases(window.ws)
    if not leases:
        QMessageBox.information(window, title, _tr("No executive is checked out."))
        return
    items = [f"{le.exec_name} — {le.sentence}" for le in leases]
    choice, ok = QInputDialog.getItem(window, title, _tr("Executive:"), items, 0, False)
    if not ok or choice not in items:
        return
    lease = leases[items.index(choice)]
    answer = QMessageBox.question(window, title, _tr(
        "Release {name}? {holder} can no longer hold it offline; colleagues may edit it again. Their offline "
        "work is not lost: when it is brought back, rows changed on both sides keep both versions.").format(
        name=lease.exec_name, holder=lease.holder))
    if answer != QMessageBox.StandardButton.Yes:
        return
    try:
        release(window.ws, exec_name=lease.exec_name)
    except StoreError as exc:
        show_error(window, title, exc)
        return
    window.refresh()
    QMessageBox.information(window, title, _tr("{name} was released.").format(name=lease.exec_name))
