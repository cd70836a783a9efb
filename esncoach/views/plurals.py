"""English plural forms for Qt's ``tr("%n check-in(s)", "", n)``, without shipping a .qm file.

Qt picks plural forms through a translator; with none installed, "1 move(s)" stays as written. This
translator answers every numerus string (``n >= 0``) with its English singular or plural: "(s)"/"(es)"
endings, and a few irregular words ("person(s)" → person/people). Other languages would ship .qm files
installed before it, which take precedence (Qt asks the most recently installed translator first, so
``install`` must run before them).
"""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication, QTranslator

IRREGULAR = {"person(s)": ("person", "people"), "Person(s)": ("Person", "People"),
             "this/these": ("this", "these"), "is/are": ("is", "are"), "was/were": ("was", "were"),
             "has/have": ("has", "have")}
_SUFFIX = re.compile(r"\((e?s)\)")
_installed: EnglishPlurals | None = None


def english_plural(text: str, n: int) -> str:
    """``text`` with its "(s)" marks resolved for the count ``n`` (the %n stays for Qt to fill in)."""
    one = n == 1
    for marked, (singular, plural) in IRREGULAR.items():
        text = text.replace(marked, singular if one else plural)
    return _SUFFIX.sub("" if one else r"\1", text)


class EnglishPlurals(QTranslator):
    """Resolves "(s)" in numerus strings for English; leaves every other string alone."""

    def translate(self, context: str, source: str, disambiguation: str | None = None,  # noqa: ARG002
                  n: int = -1) -> str | None:
        # None is a null QString, "no translation here": Qt then asks the next translator or keeps the source.
        if n is None or n < 0 or not source or ("(" not in source and "/" not in source):
            return None
        resolved = english_plural(source, n)
        return resolved if resolved != source else None

    def isEmpty(self) -> bool:  # noqa: N802 - Qt skips translators that say they are empty
        return False


def install() -> None:
    """Install the English plural forms once per application (idempotent; needs a QCoreApplication)."""
    global _installed
    app = QCoreApplication.instance()
    if app is None or (_installed is not None and _installed.parent() is app):
        return
    _installed = EnglishPlurals(app)
    QCoreApplication.installTranslator(_installed)
