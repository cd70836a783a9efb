"""The search box's query language: what a user types, parsed into FTS5 terms and filters, and snippets.

What a user may type (nothing they type can make the search fail):

- words: every word must appear; the last one is a prefix while typing (``town ha`` finds "town hall");
- ``word*``: an explicit prefix; ``"a phrase"``: words next to each other (an unclosed quote runs to the end);
- ``-word``: leave out items containing it; ``a OR b``: either;
- ``exec:NAME``, ``tag:NAME``, ``kind:KIND`` (values may be quoted): only that exec's items, items with
  that tag, items of that kind (``kind:session``, ``kind:post``, ``kind:feedback``...).

FTS5 operators typed by a user (``NEAR``, ``AND``, ``NOT``, ``:``, ``^``, parentheses) are plain words:
each term goes to FTS5 as a quoted string, so its syntax never reaches the parser.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

TEXT_COLUMNS = "{title body extra tags}"
"""The index columns words are looked for in (``owner`` holds the x<exec>/k<kind> filter tokens)."""
HIT_START, HIT_END = "\x02", "\x03"
"""Markers put around matched words in snippets; ``SearchHit.snippet_parts`` splits on them."""
SNIPPET_CHARS = 110
"""About how much text a snippet shows; it starts SNIPPET_LEAD characters before the first match."""
SNIPPET_LEAD = 30
BROWSE_SNIPPET_CHARS = 140
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class KindInfo:
    """One kind of searchable item: its key in the index, its group label and what ``kind:`` accepts."""

    key: str
    code: int
    """The kind's code in the index rowid's low 4 bits (as migration 0002 assigns it)."""
    label: str
    aliases: tuple[str, ...]


KINDS: tuple[KindInfo, ...] = (
    KindInfo("exec", 1, "Executives", ("exec", "execs", "executive", "executives")),
    KindInfo("person", 2, "People", ("person", "people", "mentor", "assistant", "sponsor")),
    KindInfo("session", 3, "Sessions", ("session", "sessions", "meeting", "agenda", "notes", "outcomes")),
    KindInfo("action", 4, "Action items", ("action", "actions", "action_item", "todo")),
    KindInfo("habit", 5, "Habits", ("habit", "habits")),
    KindInfo("check_in", 6, "Check-ins", ("check_in", "checkin", "check-in", "checkins", "check-ins")),
    KindInfo("post", 7, "Practice posts", ("post", "posts", "practice_post", "draft", "drafts")),
    KindInfo("revision", 8, "Post texts", ("revision", "revisions", "text")),
    KindInfo("feedback", 9, "Feedback", ("feedback", "comment", "comments")),
    KindInfo("theme", 10, "Watched themes", ("theme", "themes", "watch", "watch_theme")),
)
KIND_BY_KEY = {k.key: k for k in KINDS}
KIND_BY_CODE = {k.code: k for k in KINDS}
FILTER_KEYS = ("exec", "tag", "kind")


class Order(enum.Enum):
    """How hits are ranked inside each kind's group."""

    NEWEST = "newest"
    BEST = "best"


# ---------------------------------------------------------------- query parsing


@dataclass(frozen=True)
class Term:
    """One word or phrase the user typed."""

    text: str
    phrase: bool = False
    prefix: bool = False
    negated: bool = False

    def fts(self) -> str:
        """The term as an FTS5 string: quoted, so operators and punctuation inside are just text."""
        return '"' + self.text.replace('"', '""') + '"' + ("*" if self.prefix else "")


@dataclass(frozen=True)
class ParsedQuery:
    """A query split into text terms and filters, with the FTS5 expression built from them."""

    text: str
    groups: tuple[tuple[Term, ...], ...] = ()
    """Positive terms: all groups must match; a group matches if any of its terms does (``a OR b``)."""
    excluded: tuple[Term, ...] = ()
    exec_names: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    kinds: tuple[str, ...] = ()
    unknown_kinds: tuple[str, ...] = ()

    @property
    def is_empty(self) -> bool:
        """Nothing to look for (only blanks, punctuation or exclusions typed)."""
        return not (self.groups or self.tags or self.exec_names or self.kinds or self.unknown_kinds)

    def match_expression(self, exec_ids: Sequence[int] = ()) -> str | None:
        """The FTS5 MATCH string, narrowed to the items of ``exec_ids`` and to ``kinds`` when given."""
        parts = []
        text = []
        for group in self.groups:
            alternatives = [t.fts() for t in group]
            text.append(alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")")
        if text:
            parts.append(f"{TEXT_COLUMNS} : ({' AND '.join(text)})")
        parts += [f"tags : {Term(tag, prefix=True).fts()}" for tag in self.tags]
        if exec_ids:
            parts.append("owner : (" + " OR ".join(f'"x{int(i)}"' for i in exec_ids) + ")")
        if self.kinds:
            parts.append("owner : (" + " OR ".join(f'"k{KIND_BY_KEY[k].code}"' for k in self.kinds) + ")")
        if not parts:
            return None
        expression = " AND ".join(parts)
        for term in self.excluded:
            expression = f"({expression}) NOT {TEXT_COLUMNS} : {term.fts()}"
        return expression

    @property
    def words(self) -> tuple[str, ...]:
        """The positive words, for display (e.g. "no results for ...")."""
        return tuple(t.text for g in self.groups for t in g)


def _has_token(text: str) -> bool:
    # unicode61 makes tokens of letters and digits; a term without any would be an empty phrase,
    # which FTS5 matches against nothing and would empty every AND it is part of.
    return any(ch.isalnum() for ch in text)


def _read_quoted(text: str, i: int) -> tuple[str, int, bool]:
    """Read from an opening quote at ``i``; return (content, index after it, closed?)."""
    end = text.find('"', i + 1)
    if end < 0:
        return text[i + 1 :], len(text), False
    return text[i + 1 : end], end + 1, True


def _tokens(text: str) -> Iterable[tuple[str, str, bool, bool]]:
    """Yield (kind, value, negated, open) for each token: kind "term", "phrase", "or" or a filter key."""
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        negated = text[i] == "-" and i + 1 < n and not text[i + 1].isspace()
        start = i + 1 if negated else i
        if text[start] == '"':
            value, i, closed = _read_quoted(text, start)
            yield "phrase", value, negated, not closed
            continue
        j = start
        while j < n and not text[j].isspace() and text[j] != '"':
            j += 1
        word = text[start:j]
        key, colon, rest = word.partition(":")
        if colon and key.lower() in FILTER_KEYS and not negated:
            if not rest and j < n and text[j] == '"':
                rest, j, _closed = _read_quoted(text, j)
            yield key.lower(), rest, False, False
        elif word == "OR" and not negated:
            yield "or", word, False, False
        else:
            yield "term", word, negated, j >= n
        i = j


def _resolve_kinds(values: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Map ``kind:`` values to index kinds (a prefix of an alias is enough); return (kinds, unknown)."""
    found: list[str] = []
    unknown: list[str] = []
    for value in values:
        v = value.strip().lower().replace(" ", "_")
        exact = [k.key for k in KINDS if v in k.aliases]
        keys = exact or [k.key for k in KINDS if any(a.startswith(v) for a in k.aliases)]
        if keys:
            found += [k for k in keys if k not in found]
        else:
            unknown.append(value)
    return tuple(found), tuple(unknown)


def parse_query(text: str, *, prefix_last: bool = True) -> ParsedQuery:
    """Split what the user typed into terms and filters; never raises, whatever the input.

    ``prefix_last`` makes the word being typed (the last one, with no blank after it) a prefix.
    """
    # NUL ends a C string and lone surrogates cannot be encoded for SQLite: neither reaches it.
    text = text.replace("\x00", " ").encode("utf-8", "replace").decode("utf-8")
    groups: list[list[Term]] = []
    excluded: list[Term] = []
    filters: dict[str, list[str]] = {key: [] for key in FILTER_KEYS}
    pending_or = False
    for kind, value, negated, is_open in _tokens(text):
        if kind == "or":
            pending_or = bool(groups)
            continue
        if kind in FILTER_KEYS:
            if _has_token(value) or (kind == "kind" and value.strip()):
                filters[kind].append(value.strip())
            continue
        prefix = False
        if kind == "term" and value.endswith("*"):
            value, prefix = value.rstrip("*"), True
        elif prefix_last and is_open:
            prefix = True
        if not _has_token(value):
            continue
        term = Term(value, phrase=kind == "phrase", prefix=prefix, negated=negated)
        if negated:
            excluded.append(term)
        elif pending_or:
            groups[-1].append(term)
        else:
            groups.append([term])
        pending_or = False
    kinds, unknown = _resolve_kinds(filters["kind"])
    return ParsedQuery(
        text=text,
        groups=tuple(tuple(g) for g in groups),
        excluded=tuple(excluded),
        exec_names=tuple(filters["exec"]),
        tags=tuple(filters["tag"]),
        kinds=kinds,
        unknown_kinds=unknown,
    )


# ---------------------------------------------------------------- snippets


@lru_cache(maxsize=4096)
def _fold(text: str) -> str:
    """Case- and accent-free form of a word, as the index's tokenizer compares them."""
    decomposed = unicodedata.normalize("NFKD", text)
    # lower(), not casefold(): unicode61 lower-cases letter by letter ("ß" stays "ß"), and so do we.
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def highlight_words(parsed: ParsedQuery) -> list[tuple[str, bool]]:
    """(folded word, is prefix) for every word the query looks for, to mark in snippets."""
    words: list[tuple[str, bool]] = []
    terms = [t for g in parsed.groups for t in g] + [Term(tag, prefix=True) for tag in parsed.tags]
    for term in terms:
        tokens = _WORD.findall(_fold(term.text))
        words += [(tok, term.prefix and i == len(tokens) - 1) for i, tok in enumerate(tokens)]
    return words


def make_snippet(columns: Sequence[str | None], words: Sequence[tuple[str, bool]]) -> str:
    """A short passage of the first column (in the order given) with a matched word, matches marked.

    Done here rather than with FTS5's snippet(): that re-runs the whole query for every row shown,
    which costs far more than this on short prefixes. One regular expression over the case- and
    accent-folded text finds the words.
    """
    pattern = _pattern(tuple(words)) if words else None
    for text in columns:
        if not text or pattern is None:
            continue
        folded, origin = _folded(text)
        spans = [(origin[m.start()], origin[m.end() - 1] + 1) for m in pattern.finditer(folded)]
        if not spans:
            continue
        start = text.rfind(" ", 0, max(0, spans[0][0] - SNIPPET_LEAD)) + 1 if spans[0][0] > SNIPPET_LEAD else 0
        end = len(text) if len(text) - start <= SNIPPET_CHARS else text.rfind(" ", start, start + SNIPPET_CHARS)
        if end <= spans[0][1]:
            end = min(len(text), start + SNIPPET_CHARS)
        out = ["…" if start > 0 else ""]
        cursor = start
        for a, b in spans:
            if a < cursor or b > end:
                continue
            out += [text[cursor:a], HIT_START, text[a:b], HIT_END]
            cursor = b
        out += [text[cursor:end], "…" if end < len(text) else ""]
        return " ".join("".join(out).split())
    return _shorten(next((c for c in columns if c), ""))


@lru_cache(maxsize=256)
def _pattern(words: tuple[tuple[str, bool], ...]) -> re.Pattern[str]:
    """Folded words at word starts; a prefix word runs to the end of the word it starts."""
    alternatives = sorted({re.escape(w) + (r"[^\W_]*" if prefix else r"(?![^\W_])") for w, prefix in words},
                          key=len, reverse=True)
    return re.compile(r"(?<![^\W_])(?:" + "|".join(alternatives) + ")")


_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def _folded(text: str) -> tuple[str, Sequence[int]]:
    """The text folded as ``_fold`` does, and for each folded character the index it came from."""
    if text.isascii():
        return text.lower(), range(len(text))
    table = dict(_ASCII_LOWER)
    for ch in set(text):
        if ord(ch) > 127:
            f = _fold(ch)
            if len(f) != 1:  # "ß" -> "ss", a lone combining accent -> "": positions shift, map each one
                break
            table[ord(ch)] = f
    else:
        return text.translate(table), range(len(text))
    parts: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        f = _fold(ch)
        parts.append(f)
        origin += [i] * len(f)
    return "".join(parts), origin


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= BROWSE_SNIPPET_CHARS else text[: BROWSE_SNIPPET_CHARS - 1].rstrip() + "…"
