"""Help ▸ About (name, version, licences read from package metadata) and the first-run welcome."""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Callable
from importlib import metadata
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from esncoach import __version__, app, licences, paths
from esncoach.app import AppController
from esncoach.services import execs
from esncoach.store.keys import passphrase_key
from esncoach.store.workspace import Workspace
from esncoach.views.about_dialog import AboutDialog
from esncoach.views.app_settings import AppSettings
from esncoach.views.main_window import MainWindow
from esncoach.views.workspace.passphrase_dialog import PassphraseDialog
from esncoach.views.workspace.welcome_dialog import WelcomeChoice, WelcomeDialog, first_run

PASSPHRASE = "a long and memorable phrase"


def when_modal(kind: type[QWidget], act: Callable[[QWidget], None], errors: list[BaseException]) -> None:
    """Run ``act`` on the next modal dialog of type ``kind`` once its exec() loop is running."""

    def attempt(tries_left: int = 50) -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            if tries_left:
                QTimer.singleShot(0, lambda: attempt(tries_left - 1))
            else:
                errors.append(AssertionError(f"no {kind.__name__} appeared (saw {dialog!r})"))
            return
        try:
            act(dialog)
        except BaseException as exc:  # noqa: BLE001 - re-raised by the test after exec() returns
            errors.append(exc)
            dialog.reject()

    QTimer.singleShot(0, attempt)


def runtime_requirements() -> set[str]:
    names = set()
    for requirement in metadata.distribution("esncoach").requires or []:
        name = licences._requirement_name(requirement)
        if name:
            names.add(licences.canonical(name))
    return names


# ----- licences (Qt-free) -------------------------------------------------------


def test_every_runtime_requirement_is_listed_with_its_licence_from_metadata() -> None:
    components = {licences.canonical(c.name): c for c in licences.bundled_components()}
    assert runtime_requirements() <= set(components)
    for name in ("sqlalchemy", "alembic", "pyqtgraph", "keyring", "platformdirs"):
        assert components[name].licence == "MIT"  # what each package's metadata declares
        assert components[name].version == metadata.version(name)
    assert components["numpy"].licence.startswith("BSD-3-Clause")
    assert components["pyside6-essentials"].licence == "LGPL-3.0-only"
    assert "GPL-2.0-only" in components["pyside6-essentials"].note  # the choice we made is visible
    assert all(c.licence and c.licence != "unknown" for c in components.values())


def test_native_libraries_report_the_versions_actually_linked(ws: Workspace) -> None:
    natives = {c.name: c for c in licences.native_components()}
    with ws.session() as s:
        cipher = s.connection().exec_driver_sql("PRAGMA cipher_version").scalar()
    assert natives["SQLCipher Community Edition"].version == cipher.split(" ")[0]
    assert natives["SQLCipher Community Edition"].licence == "BSD-3-Clause"
    assert natives["Qt"].licence == "LGPL-3.0-only"
    assert natives["Qt"].version == metadata.version("PySide6-Essentials")
    assert natives["Python"].version == ".".join(map(str, sys.version_info[:3]))


def test_licence_texts_come_from_the_wheels_or_the_bundled_resources() -> None:
    components = {licences.canonical(c.name): c for c in licences.bundled_components()}
    assert "Permission is hereby granted" in licences.licence_text(components["sqlalchemy"])
    qt_text = licences.licence_text(components["qt"])
    assert "GNU LESSER GENERAL PUBLIC LICENSE" in qt_text and "GNU GENERAL PUBLIC LICENSE" in qt_text
    assert "ZETETIC LLC" in licences.licence_text(components["sqlcipher community edition"])
    for component in components.values():
        assert licences.licence_text(component), component.name


def test_licences_module_never_imports_qt() -> None:
    code = (
        "import sys, esncoach.licences as l; l.bundled_components(); "
        "sys.exit(any(m.startswith('PySide6') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


# ----- About ---------------------------------------------------------------------


def test_help_about_shows_name_version_and_licence_texts(qtbot, ws: Workspace) -> None:  # type: ignore[no-untyped-def]
    window = MainWindow(ws, AppSettings())
    qtbot.addWidget(window)
    window.show()
    about_action = next(a for a in window.menus["Help"].actions() if "About" in a.text())
    seen: dict[str, object] = {}
    errors: list[BaseException] = []

    def inspect(dialog: QWidget) -> None:
        assert isinstance(dialog, AboutDialog)
        seen["title"] = dialog.title.text()
        names = [dialog.model.index(r, 0).data() for r in range(dialog.model.rowCount())]
        seen["names"] = names
        row = dialog.model.row_named("SQLAlchemy")
        rect = dialog.table.visualRect(dialog.model.index(row, 2))
        dialog.table.scrollTo(dialog.model.index(row, 0))
        rect = dialog.table.visualRect(dialog.model.index(row, 2))
        qtbot.mouseClick(dialog.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        seen["sqlalchemy"] = dialog.licence_view.toPlainText()
        assert dialog.select_component("Qt")
        seen["qt"] = dialog.licence_view.toPlainText()
        dialog.reject()

    when_modal(AboutDialog, inspect, errors)
    about_action.trigger()
    if errors:
        raise errors[0]
    assert f"esncoach {__version__}" in str(seen["title"])
    assert f"under the {metadata.metadata('esncoach')['License-Expression']} licence" in str(seen["title"])
    names = seen["names"]
    assert isinstance(names, list)
    for expected in ("Qt", "SQLCipher Community Edition", "SQLAlchemy", "alembic", "pyqtgraph", "numpy", "keyring"):
        assert expected in names
    assert str(seen["sqlalchemy"]).startswith(f"SQLAlchemy {metadata.version('SQLAlchemy')} — MIT")
    assert "Permission is hereby granted" in str(seen["sqlalchemy"])
    assert "LGPL-3.0-only" in str(seen["qt"]) and "replace them" in str(seen["qt"])


# ----- first run -----------------------------------------------------------------


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("ESNCOACH_DATA_DIR", str(folder))
    return folder


def test_welcome_explains_where_and_how_the_data_is_kept(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    with_keyring = WelcomeDialog(data_dir, keyring=True)
    without = WelcomeDialog(data_dir, keyring=False)
    for dialog in (with_keyring, without):
        qtbot.addWidget(dialog)
        where = dialog.findChild(QWidget, "welcomeWhere").text()  # type: ignore[union-attr]
        assert str(data_dir) in where and "this computer" in where
        assert "encrypted" in dialog.protection.text()
    assert "keyring" in with_keyring.protection.text()
    assert "cannot be recovered" not in with_keyring.protection.text()
    assert "passphrase" in without.protection.text() and "cannot be recovered" in without.protection.text()


def test_enter_on_the_welcome_starts_the_users_own_workspace(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    dialog = WelcomeDialog(data_dir, keyring=True)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    assert dialog.own_button.hasFocus()
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    assert dialog.choice is WelcomeChoice.OWN
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_first_run_demo_choice_opens_the_demo_and_is_remembered(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    settings = AppSettings()
    controller = AppController(settings)
    errors: list[BaseException] = []
    when_modal(WelcomeDialog, lambda d: qtbot.mouseClick(d.demo_button, Qt.MouseButton.LeftButton), errors)
    try:
        assert first_run(controller, paths.default_workspace()) is True
        assert not errors
        assert controller.ws is not None and controller.window is not None
        qtbot.addWidget(controller.window)
        assert controller.ws.path == paths.demo_workspace().resolve()
        assert len(execs.list_execs(controller.ws)) == 12
        assert controller.window.model.rowCount() == 12
    finally:
        controller.shutdown()
    assert not paths.default_workspace().exists()  # only what the user chose was created
    assert AppSettings().welcome_shown is True


def test_first_run_without_keyring_asks_for_a_passphrase_that_opens_the_file(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    keyring.set_keyring(fail.Keyring())  # the fixture restores the in-memory keyring afterwards
    controller = AppController(AppSettings())
    errors: list[BaseException] = []
    seen: dict[str, str] = {}

    def start_own(dialog: QWidget) -> None:
        assert isinstance(dialog, WelcomeDialog)
        seen["welcome"] = dialog.protection.text()
        when_modal(PassphraseDialog, choose_passphrase, errors)
        qtbot.mouseClick(dialog.own_button, Qt.MouseButton.LeftButton)

    def choose_passphrase(dialog: QWidget) -> None:
        assert isinstance(dialog, PassphraseDialog)
        seen["passphrase"] = " ".join(label.text() for label in dialog.findChildren(type(dialog.error)))
        qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
        qtbot.keyClicks(dialog.repeat, PASSPHRASE)
        dialog.accept()

    when_modal(WelcomeDialog, start_own, errors)
    try:
        assert first_run(controller, paths.default_workspace()) is True
        if errors:
            raise errors[0]
        assert controller.window is not None
        qtbot.addWidget(controller.window)
        assert controller.ws is not None and controller.ws.path == paths.default_workspace().resolve()
    finally:
        controller.shutdown()
    assert "cannot be recovered" in seen["welcome"]
    assert "cannot be recovered" in seen["passphrase"]
    with Workspace.open(paths.default_workspace(), passphrase_key(PASSPHRASE)) as reopened:
        assert execs.list_execs(reopened) == []


def test_closing_the_welcome_creates_nothing_and_it_comes_back(qtbot, data_dir: Path) -> None:  # type: ignore[no-untyped-def]
    controller = AppController(AppSettings())
    errors: list[BaseException] = []
    when_modal(WelcomeDialog, lambda d: d.reject(), errors)
    assert first_run(controller, paths.default_workspace()) is None
    assert not errors
    assert controller.ws is None
    assert not data_dir.exists() or not any(data_dir.iterdir())
    assert AppSettings().welcome_shown is False


@pytest.mark.parametrize(
    ("db", "shown", "welcomed"),
    [(None, False, True), (None, True, False), ("given.db", False, False)],
)
def test_welcome_only_on_first_run_without_db(  # type: ignore[no-untyped-def]
    qtbot, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, db: str | None, shown: bool, welcomed: bool
) -> None:
    AppSettings().welcome_shown = shown
    calls: list[str] = []

    def fake_first_run(controller: AppController, own: Path) -> None:
        calls.append("welcome")
        return None  # as if the user closed it: run_gui returns before its event loop

    def fake_open(self: AppController, path: Path, **_kwargs: object) -> bool:
        calls.append("open")
        return False  # run_gui returns 1 before its event loop

    import esncoach.views.workspace.welcome_dialog as welcome_module

    monkeypatch.setattr(welcome_module, "first_run", fake_first_run)
    monkeypatch.setattr(AppController, "open", fake_open)
    args = argparse.Namespace(db=str(tmp_path / db) if db else None, passphrase_file=None, coach=None)
    code = app.run_gui(args)
    assert calls == (["welcome"] if welcomed else ["open"])
    assert code == (0 if welcomed else 1)
    assert WelcomeChoice.DEMO.value == "demo"
