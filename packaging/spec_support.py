"""Decisions behind ``esncoach.spec``, kept in plain functions so a fast test can check them without a build.

Nothing here imports PyInstaller or Qt: the spec calls these with the checkout's root folder and feeds the
answers to PyInstaller's Analysis/EXE/COLLECT/BUNDLE.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

BUNDLE_IDENTIFIER = "org.esncoach.esncoach"

# PySide6-Essentials modules esncoach and pyqtgraph can do without. PyInstaller only bundles what is
# imported, but pyqtgraph probes optional ones (QtTest) on import. QtSvg stays (SVG icons), and so do
# QtOpenGL and QtOpenGLWidgets: pyqtgraph's PlotCurveItem imports them unconditionally.
EXCLUDED_QT_MODULES = (
    "Qt3DAnimation", "Qt3DCore", "Qt3DExtras", "Qt3DInput", "Qt3DLogic", "Qt3DRender",
    "QtBluetooth", "QtCharts", "QtConcurrent", "QtDataVisualization", "QtDBus", "QtDesigner",
    "QtGraphs", "QtGraphsWidgets", "QtHelp", "QtHttpServer", "QtLocation", "QtMultimedia",
    "QtMultimediaWidgets", "QtNetwork", "QtNetworkAuth", "QtNfc", "QtPdf", "QtPdfWidgets", "QtPositioning", "QtQml", "QtQuick", "QtQuick3D", "QtQuickControls2",
    "QtQuickTest", "QtQuickWidgets", "QtRemoteObjects", "QtScxml", "QtSensors", "QtSerialBus",
    "QtSerialPort", "QtSpatialAudio", "QtSql", "QtStateMachine", "QtTest", "QtTextToSpeech",
    "QtUiTools", "QtWebChannel", "QtWebEngineCore", "QtWebEngineQuick", "QtWebEngineWidgets",
    "QtWebSockets", "QtWebView", "QtXml",
)

# Never wanted in the app: other Qt bindings (pyqtgraph probes them), GUI toolkits, test-only tools.
EXCLUDED_PYTHON_MODULES = (
    "PyQt5", "PyQt6", "PySide2", "tkinter", "_tkinter", "matplotlib", "IPython", "scipy",
    "pytest", "_pytest", "pytestqt", "hypothesis", "pyqtgraph.examples", "pyqtgraph.opengl",
    "pyqtgraph.jupyter",
)

# Qt plugin folders kept in the bundle; everything else (designer, QML tooling, SQL drivers, network,
# embedded-device input, Wayland compositor side) is left out.
KEPT_PLUGIN_FOLDERS = frozenset({
    "platforms", "platformthemes", "platforminputcontexts", "imageformats", "iconengines", "styles",
    "xcbglintegrations", "wayland-decoration-client", "wayland-graphics-integration-client",
    "wayland-shell-integration", "printsupport",
})
# Platform plugins for devices without a desktop (framebuffer, EGL full screen, VNC server).
DROPPED_PLATFORMS = re.compile(r"(eglfs|linuxfb|vnc|vkkhrdisplay|minimalegl)", re.IGNORECASE)
# The virtual keyboard input method needs Qt Quick (the compose and IBus input methods stay, for accents and
# CJK). The GTK 3 platform theme would drag the build machine's GTK, cairo and pango into the bundle, where
# they clash with the user's own GTK modules; without it Qt draws its own dialogs or uses the XDG portal.
DROPPED_PLUGINS = re.compile(r"(virtualkeyboard|qgtk3)", re.IGNORECASE)
REQUIRED_PLUGINS = {
    "platforms": ("offscreen", "xcb"),
    "imageformats": ("svg",),
    "iconengines": ("svgicon",),
}


def app_identity(root: Path) -> tuple[str, str]:
    """The app's name and version as the package declares them (APP_NAME, __version__), without importing it."""
    tree = ast.parse((root / "esncoach" / "__init__.py").read_text(encoding="utf-8"))
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            for target in node.targets:
                if isinstance(target, ast.Name) and target.id in ("APP_NAME", "__version__"):
                    found[target.id] = str(node.value.value)
    return found["APP_NAME"], found["__version__"]


def numeric_version(version: str) -> tuple[int, int, int, int]:
    """'0.1.0rc1' -> (0, 1, 0, 0): Windows version resources take four integers."""
    parts = [int(m) for m in re.findall(r"\d+", version.split("+")[0])[:4]]
    return tuple((parts + [0, 0, 0, 0])[:4])  # type: ignore[return-value]


def resource_datas(root: Path) -> list[tuple[str, str]]:
    """Everything under resources/ (icons, templates, translations), placed at ``resources/`` in the bundle."""
    return [(str(root / "resources"), "resources")]


def migration_datas(root: Path) -> list[tuple[str, str]]:
    """Alembic's scripts are read as files at run time, so they travel as data beside the frozen package."""
    base = root / "esncoach" / "store" / "migrations"
    datas = []
    for path in sorted(base.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix in (".py", ".mako"):
            datas.append((str(path), str(Path("esncoach/store/migrations") / path.relative_to(base).parent)))
    return datas


def migration_imports(root: Path) -> list[str]:
    """Modules the migration scripts import: PyInstaller cannot see them, as it never analyses data files."""
    modules: set[str] = set()
    for path in (root / "esncoach" / "store" / "migrations").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                modules.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                modules.add(node.module)
                # ``from alembic import context, op``: those names are modules too.
                modules.update(f"{node.module}.{alias.name}" for alias in node.names if _is_module(node.module, alias.name))
    modules.discard("__future__")
    return sorted(modules)


def _is_module(package: str, name: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(f"{package}.{name}") is not None
    except (ImportError, ValueError):
        return False


def lazy_targets(root: Path) -> list[str]:
    """Modules named in "module:attr" strings (exec tabs, menu actions), imported only when first used."""
    modules: set[str] = set()
    for name in ("execs/tabs.py", "menu_actions.py"):
        path = root / "esncoach" / "views" / name
        if path.exists():
            modules.update(re.findall(r"[\"']((?:esncoach)(?:\.\w+)+):\w+[\"']", path.read_text(encoding="utf-8")))
    return sorted(modules)


def excluded_modules() -> list[str]:
    """Module names for Analysis(excludes=...)."""
    return [f"PySide6.{m}" for m in EXCLUDED_QT_MODULES] + list(EXCLUDED_PYTHON_MODULES)


def _plugin_location(dest: str) -> tuple[str, str] | None:
    """(folder, file) for a Qt plugin's destination path inside the bundle, else None."""
    parts = Path(dest).parts
    if "plugins" not in parts:
        return None
    i = parts.index("plugins")
    if len(parts) < i + 3 or "PySide6" not in parts[:i]:
        return None
    return parts[i + 1], parts[-1]


def keep_binary(dest: str) -> bool:
    """False for Qt plugins the app never loads (see the lists above); every other binary is kept here.

    Libraries that only the dropped plugins linked against are pruned afterwards in the spec, by walking
    the link-time dependencies: Qt libraries cannot be dropped by name (QtGui itself links QtDBus).
    """
    plugin = _plugin_location(dest)
    if plugin is None:
        return True
    folder, filename = plugin
    if folder not in KEPT_PLUGIN_FOLDERS or DROPPED_PLUGINS.search(filename):
        return False
    return not (folder == "platforms" and DROPPED_PLATFORMS.search(filename))


def keep_data(dest: str) -> bool:
    """False for data that only serves excluded modules (QML files, WebEngine resources and locales)."""
    parts = Path(dest).parts
    return not any(part in ("qml", "qtwebengine_locales", "resources") and "Qt" in parts for part in parts)


def windows_version_file(path: Path, name: str, version: str) -> Path:
    """Write the VSVersionInfo text PyInstaller embeds in esncoach.exe (shown in Explorer's Details tab)."""
    v = numeric_version(version)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"""VSVersionInfo(
  ffi=FixedFileInfo(filevers={v}, prodvers={v}, mask=0x3f, flags=0x0, OS=0x40004, fileType=0x1,
                    subtype=0x0, date=(0, 0)),
  kids=[
    StringFileInfo([StringTable('040904B0', [
      StringStruct('CompanyName', '{name}'),
      StringStruct('FileDescription', '{name}: coach executives onto the enterprise social network'),
      StringStruct('FileVersion', '{version}'),
      StringStruct('InternalName', '{name}'),
      StringStruct('OriginalFilename', '{name}.exe'),
      StringStruct('ProductName', '{name}'),
      StringStruct('ProductVersion', '{version}')])]),
    VarFileInfo([VarStruct('Translation', [1033, 1200])])
  ]
)
""",
        encoding="utf-8",
    )
    return path


def missing_from_installed_metadata(root: Path) -> list[str]:
    """pyproject dependencies the installed esncoach metadata does not list yet (``pip install -e .`` is due).

    The About dialog and the bundle's metadata follow the installed metadata, so a stale editable install
    would leave a new library out of the licence list.
    """
    import tomllib
    from importlib import metadata

    declared = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    try:
        installed = metadata.distribution("esncoach").requires or []
    except metadata.PackageNotFoundError:
        installed = []

    def name(requirement: str) -> str:
        match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
        return re.sub(r"[-_.]+", "-", match.group(1)).lower() if match else requirement

    have = {name(r) for r in installed if "extra" not in r.partition(";")[2]}
    return sorted(name(r) for r in declared if name(r) not in have)
