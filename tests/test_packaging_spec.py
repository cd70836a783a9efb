"""Fast checks of packaging/: the spec evaluated with recording stand-ins for PyInstaller (no build here;
``bash packaging/build.sh`` builds and smoke-tests the real bundle), and the icons rendered by Qt."""

from __future__ import annotations

import importlib
import pkgutil
import re
import subprocess
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage, QImageReader

import esncoach
import esncoach.cli.commands

ROOT = Path(__file__).resolve().parent.parent
PACKAGING = ROOT / "packaging"
SPEC = PACKAGING / "esncoach.spec"

# (bundle destination, what it links against): a plugin we drop, the library only it needs, one we keep.
FAKE_BINARIES = {
    "PySide6/Qt/plugins/platforms/libqxcb.so": ["libQt6Gui.so.6", "libQt6XcbQpa.so.6"],
    "PySide6/Qt/plugins/platforms/libqoffscreen.so": ["libQt6Gui.so.6"],
    "PySide6/Qt/plugins/platforms/libqvnc.so": ["libQt6Gui.so.6", "libQt6Network.so.6"],
    "PySide6/Qt/plugins/platformthemes/libqgtk3.so": ["libQt6Gui.so.6", "libgtk-3.so.0"],
    "PySide6/Qt/plugins/imageformats/libqsvg.so": ["libQt6Svg.so.6"],
    "PySide6/Qt/plugins/iconengines/libqsvgicon.so": ["libQt6Svg.so.6"],
    "PySide6/Qt/plugins/sqldrivers/libqsqlite.so": ["libQt6Sql.so.6"],
    "PySide6/Qt/lib/libQt6Gui.so.6": ["libQt6DBus.so.6"],
    "PySide6/Qt/lib/libQt6XcbQpa.so.6": ["libQt6Gui.so.6"],
    "PySide6/Qt/lib/libQt6DBus.so.6": [],
    "PySide6/Qt/lib/libQt6Svg.so.6": [],
    "PySide6/Qt/lib/libQt6Network.so.6": [],
    "PySide6/Qt/lib/libQt6Sql.so.6": [],
    "libgtk-3.so.0": ["libcairo.so.2"],
    "libcairo.so.2": [],
    "PySide6/QtGui.abi3.so": ["libQt6Gui.so.6"],
    "sqlcipher3/_sqlite3.cpython-311-x86_64-linux-gnu.so": ["libcrypto-0dcfa43e.so.3"],
    "sqlcipher3_binary.libs/libcrypto-0dcfa43e.so.3": [],
}


class Recorder:
    """Stands in for one PyInstaller build target and remembers how the spec called it."""

    calls: dict[str, list[Recorder]]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args, self.kwargs = args, kwargs
        self.calls.setdefault(type(self).__name__, []).append(self)


def run_spec(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, platform: str) -> dict[str, list[Recorder]]:
    """Execute esncoach.spec as PyInstaller would, with recording stand-ins; returns the calls by target."""
    calls: dict[str, list[Recorder]] = {}
    bases = {"calls": calls}

    class Analysis(Recorder):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.binaries = [(dest, f"/src/{dest}", "BINARY") for dest in FAKE_BINARIES]
            # PyInstaller's top-level links to Qt libraries: one to a library that stays, one to a pruned one.
            self.datas = [(f"{dest}/{Path(src).name}", src, "DATA") for src, dest in kwargs["datas"]] + [
                ("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
                ("libQt6Network.so.6", "PySide6/Qt/lib/libQt6Network.so.6", "SYMLINK"),
            ]
            self.pure, self.scripts = [], []

    targets = {name: type(name, (Recorder,), dict(bases)) for name in ("PYZ", "EXE", "COLLECT", "BUNDLE")}
    Analysis.calls = calls

    def collect_submodules(package: str) -> list[str]:
        module = importlib.import_module(package)
        return [package] + [m.name for m in pkgutil.walk_packages(module.__path__, package + ".")]

    hooks = types.ModuleType("PyInstaller.utils.hooks")
    hooks.collect_submodules = collect_submodules  # type: ignore[attr-defined]
    hooks.copy_metadata = lambda dist: [(f"/site-packages/{dist}.dist-info", f"{dist}.dist-info")]  # type: ignore[attr-defined]
    bindepend = types.ModuleType("PyInstaller.depend.bindepend")
    bindepend.get_imports = lambda src: {(name, None) for name in FAKE_BINARIES[src.removeprefix("/src/")]}  # type: ignore[attr-defined]
    for name in ("PyInstaller", "PyInstaller.utils", "PyInstaller.depend"):
        monkeypatch.setitem(sys.modules, name, types.ModuleType(name))
    monkeypatch.setitem(sys.modules, "PyInstaller.utils.hooks", hooks)
    monkeypatch.setitem(sys.modules, "PyInstaller.depend.bindepend", bindepend)
    monkeypatch.setattr(sys, "path", list(sys.path))
    monkeypatch.setattr(sys, "platform", platform)
    sys.path.insert(0, str(PACKAGING))
    support = importlib.import_module("spec_support")
    monkeypatch.setattr(support, "windows_version_file",
                        lambda path, name, version: Path(tmp_path / "version.txt"))
    namespace = {"SPECPATH": str(PACKAGING), "Analysis": Analysis, **targets, "__name__": "__main__"}
    exec(compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec"), namespace)  # noqa: S102
    return calls


@pytest.fixture
def linux(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> dict[str, list[Recorder]]:
    return run_spec(monkeypatch, tmp_path, "linux")


def test_spec_parses_and_names_the_package_and_its_version(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    compile(SPEC.read_text(encoding="utf-8"), str(SPEC), "exec")
    calls = run_spec(monkeypatch, tmp_path, "darwin")
    (exe,) = calls["EXE"]
    assert exe.kwargs["name"] == esncoach.APP_NAME and exe.kwargs["exclude_binaries"] is True  # one folder
    assert exe.kwargs["console"] is False  # a windowed launcher inside the .app
    assert calls["COLLECT"][0].kwargs["name"] == esncoach.APP_NAME
    (bundle,) = calls["BUNDLE"]
    assert bundle.kwargs["name"] == f"{esncoach.APP_NAME}.app"
    assert bundle.kwargs["version"] == esncoach.__version__
    assert bundle.kwargs["info_plist"]["CFBundleShortVersionString"] == esncoach.__version__


def test_windows_gets_a_windowed_app_and_a_console_cli(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    calls = run_spec(monkeypatch, tmp_path, "win32")
    by_name = {e.kwargs["name"]: e.kwargs for e in calls["EXE"]}
    assert by_name["esncoach"]["console"] is False
    assert by_name["esncoach-cli"]["console"] is True
    assert "BUNDLE" not in calls
    assert len(calls["COLLECT"][0].args) == 2 + 2  # both launchers, binaries, datas


def test_lazily_loaded_modules_and_migrations_are_bundled(linux: dict[str, list[Recorder]]) -> None:
    assert linux["EXE"][0].kwargs["console"] is True  # on Linux the one launcher is also the CLI
    kwargs = linux["Analysis"][0].kwargs
    hidden = set(kwargs["hiddenimports"])
    commands = {f"esncoach.cli.commands.{m.name}" for m in pkgutil.iter_modules(esncoach.cli.commands.__path__)}
    assert commands <= hidden
    tabs = re.findall(r"\"(esncoach[\w.]+):\w+\"", (ROOT / "esncoach/views/execs/tabs.py").read_text(encoding="utf-8"))
    assert set(tabs) <= hidden
    assert {"esncoach.views.about_dialog", "esncoach.views.workspace.welcome_dialog", "alembic.op", "sqlcipher3"} <= hidden
    datas = {(Path(src).name, dest) for src, dest in kwargs["datas"]}
    assert ("resources", "resources") in datas
    assert ("env.py", "esncoach/store/migrations") in datas
    for script in (ROOT / "esncoach/store/migrations/versions").glob("*.py"):
        assert (script.name, "esncoach/store/migrations/versions") in datas
    assert ("esncoach.dist-info", "esncoach.dist-info") in datas  # the About dialog's licence list
    assert ("sqlalchemy.dist-info", "sqlalchemy.dist-info") in datas


def test_only_the_qt_modules_the_app_uses_go_in(linux: dict[str, list[Recorder]]) -> None:
    excludes = set(linux["Analysis"][0].kwargs["excludes"])
    for unwanted in ("QtWebEngineCore", "QtWebEngineWidgets", "QtQml", "QtQuick", "Qt3DCore", "QtMultimedia"):
        assert f"PySide6.{unwanted}" in excludes
    used = set()
    for path in (ROOT / "esncoach").rglob("*.py"):
        used.update(re.findall(r"PySide6\.(Qt\w+)", path.read_text(encoding="utf-8")))
    assert used, "the app should import some Qt"
    # A feature that starts using an excluded module must take it off the spec's list, or it breaks frozen.
    assert not {f"PySide6.{m}" for m in used} & excludes
    assert not {"PySide6.QtCore", "PySide6.QtGui", "PySide6.QtWidgets", "PySide6.QtSvg"} & excludes


BLOCK_EXCLUDED = """
import importlib, pkgutil, sys
sys.path.insert(0, sys.argv[1])
import spec_support
blocked = spec_support.excluded_modules()

class Excluded:
    def find_spec(self, name, path=None, target=None):
        if any(name == b or name.startswith(b + ".") for b in blocked):
            raise ImportError(f"excluded from the bundle: {name}")

sys.meta_path.insert(0, Excluded())
import esncoach
failures = []
for module in pkgutil.walk_packages(esncoach.__path__, "esncoach."):
    if module.name.endswith("__main__"):
        continue  # running it would start the app
    try:
        importlib.import_module(module.name)
    except ImportError as exc:
        if "excluded from the bundle" in str(exc):
            failures.append(f"{module.name}: {exc}")
print("\\n".join(failures))
sys.exit(1 if failures else 0)
"""


def test_every_module_imports_without_the_excluded_ones() -> None:
    # What the frozen app sees: pyqtgraph, for one, imports QtOpenGL whether or not OpenGL is used.
    result = subprocess.run([sys.executable, "-c", BLOCK_EXCLUDED, str(PACKAGING)], capture_output=True,
                            text=True, check=False, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_unused_plugins_and_the_libraries_only_they_need_are_pruned(linux: dict[str, list[Recorder]]) -> None:
    kept = {Path(dest).as_posix() for dest, _src, _kind in linux["COLLECT"][0].args[1]}
    for plugin in ("platforms/libqxcb.so", "platforms/libqoffscreen.so", "imageformats/libqsvg.so",
                   "iconengines/libqsvgicon.so"):
        assert f"PySide6/Qt/plugins/{plugin}" in kept
    for gone in ("PySide6/Qt/plugins/platforms/libqvnc.so", "PySide6/Qt/plugins/platformthemes/libqgtk3.so",
                 "PySide6/Qt/plugins/sqldrivers/libqsqlite.so", "libgtk-3.so.0", "libcairo.so.2",
                 "PySide6/Qt/lib/libQt6Network.so.6", "PySide6/Qt/lib/libQt6Sql.so.6"):
        assert gone not in kept
    links = {dest for dest, _src, kind in linux["COLLECT"][0].args[2] if kind == "SYMLINK"}
    assert links == {"libQt6Gui.so.6"}  # no link left pointing at a pruned library
    # Needed by what stays, even though a dropped plugin also linked them.
    for needed in ("PySide6/Qt/lib/libQt6Gui.so.6", "PySide6/Qt/lib/libQt6DBus.so.6",
                   "sqlcipher3_binary.libs/libcrypto-0dcfa43e.so.3"):
        assert needed in kept


def test_icons_are_rendered_by_qt_into_png_ico_and_icns(qapp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    sys.path.insert(0, str(PACKAGING))
    try:
        render_icons = importlib.import_module("render_icons")
    finally:
        sys.path.remove(str(PACKAGING))
    written = render_icons.render_all(tmp_path)
    ico = QImageReader(str(written["ico"]))
    assert ico.imageCount() == len(render_icons.ICO_SIZES)
    sizes = set()
    for _ in range(ico.imageCount()):
        sizes.add(ico.read().width())
        ico.jumpToNextImage()
    assert sizes == set(render_icons.ICO_SIZES)
    assert written["icns"].read_bytes()[:4] == b"icns"
    assert QImageReader(str(written["icns"])).imageCount() == len(render_icons.ICNS_TYPES)
    png = QImage(str(written["png"]))
    assert png.width() == png.height() == 256
    assert png.pixelColor(128, 128).alpha() == 255 and png.pixelColor(0, 0).alpha() == 0  # rounded corner


def test_toolbar_icons_share_one_style_and_render_at_toolbar_sizes(qapp) -> None:  # type: ignore[no-untyped-def]
    import xml.etree.ElementTree as ET

    from PySide6.QtGui import QIcon

    icons = sorted(p for p in (ROOT / "resources/icons").glob("*.svg") if p.stem != "app")
    assert len(icons) >= 20
    for path in icons:
        root = ET.parse(path).getroot()
        style = {k: root.get(k) for k in ("viewBox", "fill", "stroke", "stroke-width", "stroke-linecap")}
        # One outline style for the whole set: 24-unit grid, 2-unit round strokes, one colour.
        assert style == {"viewBox": "0 0 24 24", "fill": "none", "stroke": "#2f5d8a", "stroke-width": "2",
                         "stroke-linecap": "round"}, path.name
        for size in (16, 24, 32):
            image = QIcon(str(path)).pixmap(size, size).toImage()
            assert image.width() == size
            assert any(image.pixelColor(x, y).alpha() > 0 for x in range(size) for y in range(size)), path.name
