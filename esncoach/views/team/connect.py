"""File ▸ Connect to team server…: log in to a team workspace, remembering the password in the keyring.

The password comes, in order, from ``--password-file``, the keyring (stored after the first successful
login), libpq's own look-up (``PGPASSWORD``, ``~/.pgpass``) or a prompt. A connection to another machine
without TLS is warned about once per address and session. Nothing here ever shows a password.
"""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QInputDialog, QLineEdit, QMessageBox, QWidget

from esncoach.store.errors import StoreError
from esncoach.store.server import ServerAddress, ServerWorkspace, open_server, read_password_file, transport_warning
from esncoach.views.messages import show_error

KEYRING_SERVICE = "esncoach-team"
_warned: set[str] = set()


def _tr(text: str) -> str:
    return QApplication.translate("team", text)


def _keyring_get(address: ServerAddress) -> str | None:
    from esncoach.store.keys import _with_timeout, keyring_available

    if not keyring_available():
        return None
    import keyring

    try:
        return _with_timeout(lambda: keyring.get_password(KEYRING_SERVICE, address.url()), "reading a password")
    except StoreError:
        return None


def _keyring_put(address: ServerAddress, password: str) -> None:
    from esncoach.store.keys import _with_timeout, keyring_available

    if not keyring_available():
        return
    import keyring

    try:
        _with_timeout(lambda: keyring.set_password(KEYRING_SERVICE, address.url(), password), "storing a password")
    except StoreError:
        pass  # the next login asks again; nothing else depends on it


def _login_refused(exc: StoreError) -> bool:
    return "refused the login" in str(exc)


def warn_transport_once(address: ServerAddress, parent: QWidget | None) -> None:
    """A warning dialog the first time this session connects to ``address`` without TLS over a network."""
    warning = transport_warning(address)
    if warning and address.url() not in _warned:
        _warned.add(address.url())
        QMessageBox.warning(parent, _tr("Unencrypted connection"), warning)


def connect_interactively(url: str, password_file: str | None, parent: QWidget | None) -> ServerWorkspace | None:
    """Log in to the team workspace at ``url``; None if the user gave up (errors were shown)."""
    try:
        address = ServerAddress.parse(url)
    except StoreError as exc:
        show_error(parent, "esncoach", exc)
        return None
    warn_transport_once(address, parent)
    candidates: list[str | None] = []
    try:
        if password_file:
            candidates.append(read_password_file(password_file))
    except StoreError as exc:
        show_error(parent, "esncoach", exc)
        return None
    stored = _keyring_get(address)
    if stored:
        candidates.append(stored)
    candidates.append(None)  # libpq: PGPASSWORD, ~/.pgpass, or no password needed
    message = ""
    while True:
        password = candidates.pop(0) if candidates else _ask(address, message, parent)
        if password is False:
            return None
        try:
            ws = open_server(url, password=password or None)  # type: ignore[arg-type]
        except StoreError as exc:
            if _login_refused(exc):
                message = _tr("The server refused that password. Try again.") if password else ""
                continue
            show_error(parent, "esncoach", exc)
            return None
        if password and password != stored:
            _keyring_put(address, password)
        return ws


def _ask(address: ServerAddress, message: str, parent: QWidget | None) -> str | bool:
    label = _tr("Password of %s for %s on %s:") % (address.role or "you", address.dbname, address.host_label)
    if message:
        label = message + "\n\n" + label
    text, ok = QInputDialog.getText(parent, _tr("Team server login"), label, QLineEdit.EchoMode.Password)
    return text if ok and text else False


def open_connect_dialog(window: QWidget) -> None:
    """Ask for the address (postgresql://ROLE@HOST:PORT/DBNAME) and switch the window to it."""
    url, ok = QInputDialog.getText(
        window, _tr("Connect to team server"),
        _tr("Team server address (postgresql://ROLE@HOST:PORT/DBNAME, add ?sslmode=require over a network):"),
        QLineEdit.EchoMode.Normal, "postgresql://",
    )
    url = url.strip()
    if not ok or not url or url == "postgresql://":
        return
    try:
        ServerAddress.parse(url)
    except StoreError as exc:
        show_error(window, _tr("Connect to team server"), exc)
        return
    window.sig_open_workspace.emit(url, False)  # type: ignore[attr-defined]


def backups_are_the_administrators(window: QWidget) -> None:
    """What File ▸ Back up / Restore say on a team server."""
    QMessageBox.information(
        window, _tr("Backups"),
        _tr("This team workspace lives on a PostgreSQL server: its backups are made by the server's "
            "administrator (pg_dump). File ▸ Export workspace archive… still saves a copy of what you can see."),
    )
