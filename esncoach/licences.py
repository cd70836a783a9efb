"""What esncoach ships with and under which licences, read from the installed package metadata.

The About dialog shows this list, and the PyInstaller spec uses :func:`runtime_distributions` to copy the
same metadata (with its licence files) into the bundle, so the frozen app reports exactly what it carries.
Qt-free on purpose: the spec and the tests import it without a display.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from functools import cache
from importlib import metadata

ROOT_DISTRIBUTION = "esncoach"

# Used only when a distribution's metadata carries no usable licence field (or is missing from a bundle).
KNOWN_LICENCES: dict[str, str] = {
    "pyside6-essentials": "LGPL-3.0-only",
    "shiboken6": "LGPL-3.0-only",
    "sqlcipher3-binary": "MIT",
    "sqlalchemy": "MIT",
    "alembic": "MIT",
    "mako": "MIT",
    "markupsafe": "BSD-3-Clause",
    "pyqtgraph": "MIT",
    "numpy": "BSD-3-Clause",
    "keyring": "MIT",
    "platformdirs": "MIT",
    "filelock": "Unlicense",
    "icalendar": "BSD-2-Clause",
    "typing-extensions": "PSF-2.0",
}

# Where the licence field of the metadata disagrees with the licence file the wheel ships.
CORRECTED_LICENCE: dict[str, tuple[str, str]] = {
    "sqlcipher3-binary": ("Zlib", "metadata says MIT; the LICENSE it ships is pysqlite's zlib licence"),
}

# Licences offered as a choice in the metadata; we distribute under the first (Qt for Python: LGPLv3).
CHOSEN_LICENCE: dict[str, str] = {
    "pyside6-essentials": "LGPL-3.0-only",
    "shiboken6": "LGPL-3.0-only",
}

_SHORT_LICENCE = 80


@dataclass(frozen=True)
class Component:
    """One thing inside the application: a Python distribution or a native library it embeds."""

    name: str
    version: str
    licence: str
    kind: str  # "package" or "library"
    url: str = ""
    note: str = ""
    licence_files: tuple[str, ...] = field(default=(), repr=False)
    """For a package: License-File entries of its metadata; for a library: files in resources/licences/."""


def canonical(name: str) -> str:
    """PEP 503 normalised distribution name, so 'PySide6_Essentials' and 'pyside6-essentials' match."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_name(requirement: str) -> str | None:
    """The distribution named by a Requires-Dist line, or None when it only applies to an extra."""
    spec, _, marker = requirement.partition(";")
    if "extra" in marker:
        return None
    match = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", spec)
    return match.group(1) if match else None


def _distribution(name: str) -> metadata.Distribution | None:
    try:
        return metadata.distribution(name)
    except metadata.PackageNotFoundError:
        return None


def runtime_distributions(root: str = ROOT_DISTRIBUTION) -> list[str]:
    """Canonical names of ``root`` and every installed distribution it needs at run time (extras left out).

    Requirements whose distribution is not installed are skipped: they belong to another platform
    (e.g. pywin32-ctypes for keyring on Windows) and are therefore not in this build either.
    """
    seen: dict[str, None] = {}
    pending = [root]
    while pending:
        name = canonical(pending.pop())
        if name in seen:
            continue
        dist = _distribution(name)
        if dist is None:
            continue
        seen[name] = None
        for requirement in dist.requires or []:
            required = _requirement_name(requirement)
            if required:
                pending.append(required)
    return sorted(seen)


def _licence_of(name: str, meta: metadata.PackageMetadata) -> str:
    if name in CORRECTED_LICENCE:
        return CORRECTED_LICENCE[name][0]
    if name in CHOSEN_LICENCE:
        return CHOSEN_LICENCE[name]
    expression = meta.get("License-Expression")
    if expression:
        return expression.strip()
    text = (meta.get("License") or "").strip()
    if text and "\n" not in text and len(text) <= _SHORT_LICENCE and text.upper() != "UNKNOWN":
        return text
    classifiers = [c.rsplit("::", 1)[-1].strip() for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    if classifiers:
        return " / ".join(classifiers)
    return KNOWN_LICENCES.get(name, "see the licence file")


def _url_of(meta: metadata.PackageMetadata) -> str:
    home = meta.get("Home-page")
    if home:
        return home
    for entry in meta.get_all("Project-URL") or []:
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("homepage", "home", "source", "repository", "source code"):
            return url.strip()
    return ""


def package_component(name: str) -> Component:
    """The Component for one installed distribution (version, licence and URL from its metadata)."""
    key = canonical(name)
    dist = _distribution(key)
    if dist is None:
        return Component(name, "", KNOWN_LICENCES.get(key, "unknown"), "package", note="metadata not bundled")
    meta = dist.metadata
    files = tuple(meta.get_all("License-File") or []) or _licence_files_in_dist_info(dist)
    note = ""
    if key in CHOSEN_LICENCE:
        note = f"offered under {meta.get('License-Expression') or meta.get('License')}"
        files = ("Qt.txt", "LGPL-3.0.txt", "GPL-3.0.txt")  # the wheel ships no licence file
    elif key in CORRECTED_LICENCE:
        note = CORRECTED_LICENCE[key][1]
    return Component(meta["Name"], dist.version, _licence_of(key, meta), "package", _url_of(meta), note, files)


def _licence_files_in_dist_info(dist: metadata.Distribution) -> tuple[str, ...]:
    """Licence files a wheel ships in its .dist-info without naming them in License-File (scipy does)."""
    names = []
    for f in dist.files or ():
        parts = f.parts
        if len(parts) == 2 and parts[0].endswith(".dist-info") and re.match(r"(LICEN[CS]E|COPYING|NOTICE)", parts[1], re.I):
            names.append(parts[1])
    return tuple(sorted(names))


@cache
def _sqlcipher_versions() -> tuple[str, str, str]:
    """(SQLite, SQLCipher, crypto provider) versions of the SQLCipher build we link, '' when unknown."""
    try:
        import sqlcipher3

        conn = sqlcipher3.connect(":memory:")
        try:
            conn.execute("PRAGMA key = 'about'")  # the provider is only reported on a keyed connection
            cipher = conn.execute("PRAGMA cipher_version").fetchone()
            provider = conn.execute("PRAGMA cipher_provider_version").fetchone()
        finally:
            conn.close()
        return sqlcipher3.sqlite_version, cipher[0] if cipher else "", provider[0] if provider else ""
    except Exception:  # noqa: BLE001 - the About dialog must open even if the driver is broken
        return "", "", ""


def native_components() -> list[Component]:
    """Libraries compiled into the wheels above, whose licences the package metadata does not name."""
    sqlite_version, cipher_version, provider = _sqlcipher_versions()
    qt = _distribution("pyside6-essentials")
    provider_name, _, provider_rest = provider.partition(" ")
    provider_version = provider_rest.split(" ")[0]
    return [
        Component("Python", ".".join(map(str, sys.version_info[:3])), "PSF-2.0", "library",
                  "https://www.python.org", licence_files=("Python.txt",)),
        Component("Qt", qt.version if qt else "", "LGPL-3.0-only", "library", "https://www.qt.io",
                  "shared libraries in the application folder; they may be replaced with a compatible build",
                  ("Qt.txt", "LGPL-3.0.txt", "GPL-3.0.txt")),
        Component("SQLCipher Community Edition", cipher_version.split(" ")[0], "BSD-3-Clause", "library",
                  "https://www.zetetic.net/sqlcipher/", "© Zetetic LLC; compiled into sqlcipher3",
                  ("SQLCipher.txt",)),
        Component("SQLite", sqlite_version, "Public domain", "library", "https://sqlite.org",
                  licence_files=("SQLite.txt",)),
        Component(provider_name or "OpenSSL", provider_version, "Apache-2.0", "library",
                  "https://www.openssl.org", "libcrypto, SQLCipher's cipher provider", ("Apache-2.0.txt",)),
    ]


def bundled_components() -> list[Component]:
    """Everything esncoach ships: the native libraries first (Qt, SQLCipher…), then every Python package."""
    packages = [package_component(n) for n in runtime_distributions() if n != ROOT_DISTRIBUTION]
    packages.sort(key=lambda c: c.name.lower())
    return native_components() + packages


def _resource_licence(name: str) -> str:
    from esncoach.paths import resources_dir

    try:
        return (resources_dir() / "licences" / name).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def _package_licence(dist: metadata.Distribution, name: str) -> str:
    for candidate in (f"licenses/{name}", name):
        text = dist.read_text(candidate)
        if text:
            return text.strip()
    return _resource_licence(name)


def licence_text(component: Component) -> str:
    """The component's licence file(s), joined: from its package metadata, else from resources/licences/."""
    dist = _distribution(component.name) if component.kind == "package" else None
    texts = [
        _package_licence(dist, name) if dist is not None else _resource_licence(name)
        for name in component.licence_files
    ]
    separator = "\n\n" + "-" * 72 + "\n\n"
    return separator.join(text for text in texts if text)


__all__ = [
    "Component",
    "bundled_components",
    "canonical",
    "licence_text",
    "native_components",
    "package_component",
    "runtime_distributions",
]
