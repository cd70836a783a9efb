"""How a person's name may be written in free text, and text folded so that every such spelling compares equal.

``fold`` turns text into a comparison form — lower case (``casefold``), compatibility-decomposed with the
accents dropped (NFC and NFD input fold alike), every apostrophe one ``'``, every hyphen or dash one
``-``, every Unicode space or line break one space, zero-width characters and soft hyphens gone — and
keeps, for each folded character, the index of the original character it came from, so a match found
in the folded text is replaced in the original text.

``variants`` lists the ways one person may be named: the full name, first name + surname, the surname
(and a multi-word surname), first name + surname initial, the first name alone (ambiguous: "Grace",
"Will"), the e-mail address, its local part and the stored handle. Each is a sequence of *runs*
(letters and digits); the matcher allows any run of spaces, apostrophes, hyphens, dots or underscores
between runs, so "O’Connor", "O'Connor", "OConnor", "Bruno-Castillo" and "Bruno  Castillo" all match.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e\u200e\u200f\u202a\u202b\u202c\u202d\u202e"
                       "\u2066\u2067\u2068\u2069")
"""Invisible characters someone may paste into (or hide inside) a name; they fold to nothing."""
APOSTROPHES = frozenset("'’‘ʼ`´ʹ′＇‛")
HYPHENS = frozenset("-‐‑‒–—―−﹣－⁃")
LETTERS_NFKD_MISSES = {"ø": "o", "đ": "d", "ð": "d", "ł": "l", "æ": "ae", "œ": "oe", "þ": "th", "ı": "i",
                       "ŧ": "t", "ħ": "h"}
"""Latin letters with a stroke or ligature that Unicode does not decompose: "Søren" matches "Soren"."""

Kind = Literal["full", "surname", "initial", "first", "email", "local", "handle"]
AMBIGUOUS_KINDS: frozenset[str] = frozenset({"first"})
"""A first name alone may be an ordinary word or someone else ("Grace", "Will"): flagged, not trusted."""

_RUN = re.compile(r"[^\W_]+")


@lru_cache(maxsize=4096)
def fold_char(ch: str) -> str:
    """The comparison form of one character (possibly empty, possibly two letters, as "ß" → "ss")."""
    if ch in ZERO_WIDTH:
        return ""
    if ch in APOSTROPHES:
        return "'"
    if ch in HYPHENS:
        return "-"
    if ch.isspace():
        return " "
    out = []
    for c in unicodedata.normalize("NFKD", ch.casefold()):
        if unicodedata.combining(c):
            continue
        out.append(LETTERS_NFKD_MISSES.get(c, c))
    return "".join(out)


@dataclass(frozen=True)
class Folded:
    """Folded text and, for each of its characters, where it came from in the original."""

    original: str
    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original span of the folded span ``[start, end)`` (a match), invisible characters after it included."""
        if start >= end:
            at = self.origin[start] if start < len(self.origin) else len(self.original)
            return at, at
        a = self.origin[start]
        last = self.origin[end - 1]
        b = self.origin[end] if end < len(self.origin) else len(self.original)
        return a, (b if b > last else last + 1)


def fold(text: str) -> Folded:
    """Fold ``text`` for comparison, keeping the way back to the original characters."""
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        f = fold_char(ch)
        if f:
            chars.append(f)
            origin.extend([i] * len(f))
    return Folded(text, "".join(chars), tuple(origin))


def fold_plain(text: str) -> str:
    """Just the folded text."""
    return "".join(fold_char(ch) for ch in text)


def runs(text: str) -> list[str]:
    """The letter-and-digit runs of ``text`` once folded: "Liam O’Connor" → ["liam", "o", "connor"]."""
    return _RUN.findall(fold_plain(text))


def squash(text: str) -> str:
    """The runs of ``text`` joined: the key two spellings of one name share ("bruno-castillo" → "brunocastillo")."""
    return "".join(runs(text))


@dataclass(frozen=True)
class Variant:
    """One way of writing a person's name, as runs; ``initial`` forms end in one letter (and may take a dot)."""

    kind: Kind
    runs: tuple[str, ...]

    @property
    def key(self) -> str:
        return "".join(self.runs)


def variants(name: str, email: str | None = None, handle: str | None = None) -> list[Variant]:
    """Every spelling of one person the redaction looks for (see the module docstring)."""
    out: list[Variant] = []
    words = [r for r in (runs(w) for w in name.split()) if r]
    if words:
        whole = tuple(r for w in words for r in w)
        out.append(Variant("full", whole))
        if len(words) == 1:
            out.append(Variant("surname" if len(whole[0]) >= 4 else "first", whole))
        else:
            first, last = words[0], words[-1]
            if len(words) > 2:
                out.append(Variant("full", tuple(first + last)))
                out.append(Variant("surname", tuple(r for w in words[1:] for r in w)))
            if len("".join(last)) >= 2:
                out.append(Variant("surname", tuple(last)))
            out.append(Variant("initial", (*first, last[0][0])))
            out.append(Variant("first", tuple(first)))
    if email and "@" in email:
        local = email.rsplit("@", 1)[0]
        address = runs(email)
        if address:
            out.append(Variant("email", tuple(address)))
        if len(squash(local)) >= 3:
            out.append(Variant("local", tuple(runs(local))))
    if handle and squash(handle):
        out.append(Variant("handle", tuple(runs(handle))))
    return out


def at_keys(name: str, email: str | None = None, handle: str | None = None) -> set[str]:
    """What may follow an "@" to mean this person: any variant, first+last either way, initial+surname."""
    keys = {v.key for v in variants(name, email, handle) if v.kind != "email"}
    words = [r for r in (runs(w) for w in name.split()) if r]
    if len(words) >= 2:
        first, last = "".join(words[0]), "".join(words[-1])
        keys |= {last + first, first[0] + last, first + last[0], last + first[0]}
    return {k for k in keys if len(k) >= 2}
