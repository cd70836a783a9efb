"""Find anything in the workspace: the query language and the FTS5 look-up behind Ctrl+K and ``esncoach search``.

The index (table ``search_index``, migration ``0002_fulltext_search``) holds one row per exec, person,
session, action item, habit, check-in with a note, practice post, revision, feedback comment and watched
theme, kept in step by SQL triggers. Matching ignores case and accents (``unicode61 remove_diacritics 2``).

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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from esncoach.store.workspace import Workspace

TABLE = "search_index"
HIT_START, HIT_END = "\x02", "\x03"
"""Markers snippet() puts around matched words; ``SearchHit.snippet_parts`` splits on them."""


@dataclass(frozen=True)
class KindInfo:
    """One kind of searchable item: its key in the index, its group label and what ``kind:`` accepts."""

    key: str
    label: str
    aliases: tuple[str, ...]


KINDS: tuple[KindInfo, ...] = (
    KindInfo("exec", "Executives", ("exec", "execs", "executive", "executives")),
    KindInfo("person", "People", ("person", "people", "mentor", "assistant", "sponsor")),
    KindInfo("session", "Sessions", ("session", "sessions", "meeting", "agenda", "notes", "outcomes")),
    KindInfo("action", "Action items", ("action", "actions", "action_item", "todo")),
    KindInfo("habit", "Habits", ("habit", "habits")),
    KindInfo("check_in", "Check-ins", ("check_in", "checkin", "check-in", "checkins", "check-ins")),
    KindInfo("post", "Practice posts", ("post", "posts", "practice_post", "draft", "drafts")),
    KindInfo("revision", "Post texts", ("revision", "revisions", "text")),
    KindInfo("feedback", "Feedback", ("feedback", "comment", "comments")),
    KindInfo("theme", "Watched themes", ("theme", "themes", "watch", "watch_theme")),
)
KIND_BY_KEY = {k.key: k for k in KINDS}
# bm25 weights of the indexed columns title, body, extra, tags: a name or title match counts most.
BM25_WEIGHTS = (10.0, 2.0, 1.0, 4.0)
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

    def match_expression(self) -> str | None:
        """The FTS5 MATCH string, or None when only exec/kind filters were given."""
        parts = []
        for group in self.groups:
            alternatives = [t.fts() for t in group]
            parts.append(alternatives[0] if len(alternatives) == 1 else "(" + " OR ".join(alternatives) + ")")
        parts += [f"tags : {Term(tag, prefix=True).fts()}" for tag in self.tags]
        if not parts:
            return None
        expression = " AND ".join(parts)
        for term in self.excluded:
            expression = f"({expression}) NOT {term.fts()}"
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
    text = text.replace("\x00", " ")
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


# ---------------------------------------------------------------- results


@dataclass(frozen=True)
class SearchHit:
    """One item found: what it is, whose it is, a title line and a snippet with the matches marked."""

    kind: str
    item_id: int
    exec_id: int | None
    exec_name: str
    title: str
    snippet: str
    """Text around the match; matched words are wrapped in HIT_START/HIT_END."""
    at: str
    """When the item happened (session start, check-in day, creation), ISO text; sorts newest first."""
    score: float = 0.0

    @property
    def snippet_parts(self) -> tuple[tuple[str, bool], ...]:
        """The snippet as (text, matched?) pieces, for views and terminals to style as they like."""
        parts: list[tuple[str, bool]] = []
        for chunk in self.snippet.split(HIT_START):
            inside, sep, after = chunk.partition(HIT_END)
            if sep:
                parts.append((inside, True))
                if after:
                    parts.append((after, False))
            elif chunk:
                parts.append((chunk, False))
        return tuple(parts)

    def snippet_text(self, start: str = "[", end: str = "]") -> str:
        """The snippet with matches wrapped in plain-text marks."""
        return "".join(start + t + end if hit else t for t, hit in self.snippet_parts)

    @property
    def date(self) -> str:
        """The day part of ``at``."""
        return self.at[:10]

    def as_json(self) -> dict[str, Any]:
        """The public JSON shape of ``esncoach search --json``."""
        return {
            "kind": self.kind,
            "id": self.item_id,
            "exec_id": self.exec_id,
            "exec": self.exec_name,
            "title": self.title,
            "snippet": self.snippet_text(),
            "date": self.date,
        }


@dataclass(frozen=True)
class SearchGroup:
    """The hits of one kind, best or newest first; ``total`` counts all matches, not only those shown."""

    kind: str
    label: str
    total: int
    hits: tuple[SearchHit, ...]


@dataclass(frozen=True)
class SearchResults:
    """What a search found, grouped by kind in a fixed order; ``message`` explains an empty result."""

    query: ParsedQuery
    order: Order
    groups: tuple[SearchGroup, ...] = ()
    message: str = ""

    @property
    def total(self) -> int:
        return sum(g.total for g in self.groups)

    @property
    def hits(self) -> tuple[SearchHit, ...]:
        """Every shown hit, in display order."""
        return tuple(h for g in self.groups for h in g.hits)

    def as_json(self) -> dict[str, Any]:
        return {
            "query": self.query.text,
            "order": self.order.value,
            "total": self.total,
            "message": self.message,
            "groups": [
                {"kind": g.kind, "label": g.label, "total": g.total, "hits": [h.as_json() for h in g.hits]}
                for g in self.groups
            ],
        }


# Title line and date shown for each kind, looked up only for the hits shown. {ids} is a list of ints.
_CONTEXT_SQL: dict[str, str] = {
    "exec": "SELECT id, name FROM exec WHERE id IN ({ids})",
    "person": "SELECT id, name || CASE WHEN title <> '' THEN ' — ' || title ELSE '' END FROM person WHERE id IN ({ids})",
    "session": "SELECT id, CASE WHEN title <> '' THEN title ELSE 'Session' END FROM coaching_session WHERE id IN ({ids})",
    "action": "SELECT id, CASE WHEN done THEN 'Action item (done)' ELSE 'Action item' END FROM action_item "
              "WHERE id IN ({ids})",
    "habit": "SELECT id, description FROM habit WHERE id IN ({ids})",
    "check_in": "SELECT c.id, 'Check-in: ' || h.description FROM check_in c JOIN habit h ON h.id = c.habit_id "
                "WHERE c.id IN ({ids})",
    "post": "SELECT id, CASE WHEN title <> '' THEN title ELSE 'Untitled post' END FROM practice_post WHERE id IN ({ids})",
    "revision": "SELECT r.id, CASE WHEN p.title <> '' THEN p.title ELSE 'Untitled post' END || ' · revision ' || r.number "
                "FROM revision r JOIN practice_post p ON p.id = r.post_id WHERE r.id IN ({ids})",
    "feedback": "SELECT f.id, 'Feedback on ' || CASE WHEN p.title <> '' THEN p.title ELSE 'an untitled post' END "
                "FROM feedback f JOIN revision r ON r.id = f.revision_id JOIN practice_post p ON p.id = r.post_id "
                "WHERE f.id IN ({ids})",
    "theme": "SELECT id, 'Watched theme' FROM watch_theme WHERE id IN ({ids})",
}
SNIPPET_TOKENS = 14
BROWSE_SNIPPET_CHARS = 140


def _ints(values: Iterable[int]) -> str:
    return ", ".join(str(int(v)) for v in values) or "NULL"


def _exec_ids_named(conn: Any, names: Sequence[str]) -> list[int]:
    """Ids of execs whose name matches any of ``names`` (accent-insensitive, last word a prefix)."""
    ids: set[int] = set()
    for name in names:
        words = parse_query(name).groups
        if not words:
            continue
        expression = "title : (" + " ".join(t.fts() for g in words for t in g) + ")"
        rows = conn.exec_driver_sql(
            f"SELECT item_id FROM {TABLE} WHERE {TABLE} MATCH ? AND kind = 'exec'", (expression,)
        ).all()
        ids.update(r[0] for r in rows)
    return sorted(ids)


def search(
    ws: Workspace,
    *,
    query: str | ParsedQuery,
    order: Order = Order.NEWEST,
    per_kind: int = 8,
    prefix_last: bool = True,
) -> SearchResults:
    """Run a query typed by a user; at most ``per_kind`` hits per kind, each group's total counted."""
    parsed = query if isinstance(query, ParsedQuery) else parse_query(query, prefix_last=prefix_last)
    if parsed.unknown_kinds:
        known = ", ".join(k.key for k in KINDS)
        return SearchResults(parsed, order, message=f"Unknown kind “{parsed.unknown_kinds[0]}”: use one of {known}.")
    if parsed.is_empty:
        return SearchResults(parsed, order)
    with ws.session() as s:
        conn = s.connection()
        where: list[str] = []
        params: list[Any] = []
        match = parsed.match_expression()
        if match is not None:
            where.append(f"{TABLE} MATCH ?")
            params.append(match)
        if parsed.exec_names:
            exec_ids = _exec_ids_named(conn, parsed.exec_names)
            if not exec_ids:
                return SearchResults(parsed, order, message="No executive matches “" + parsed.exec_names[0] + "”.")
            where.append(f"exec_id IN ({_ints(exec_ids)})")
        if parsed.kinds:
            where.append("kind IN (" + ", ".join("?" for _ in parsed.kinds) + ")")
            params += list(parsed.kinds)
        rows = _ranked_rows(conn, " AND ".join(where), params, order, per_kind, ranked=match is not None)
        snippets = _snippets(conn, match, [r[0] for r in rows])
        groups = _assemble(conn, rows, snippets)
    message = "" if groups else "Nothing found."
    return SearchResults(parsed, order, groups, message)


def _ranked_rows(
    conn: Any, where: str, params: list[Any], order: Order, per_kind: int, *, ranked: bool
) -> list[tuple[Any, ...]]:
    """(rowid, kind, item_id, exec_id, at, score, total) of the top ``per_kind`` hits of each kind.

    Revisions of one post collapse to the newest one that matches, so a post shows once.
    """
    score = f"bm25({TABLE}, {', '.join(str(w) for w in BM25_WEIGHTS)})" if ranked else "0.0"
    ordering = "score, at DESC" if order is Order.BEST and ranked else "at DESC, score"
    # bm25() only works in the query that does the MATCH, not under a window function: materialise first.
    sql = f"""
        WITH found AS MATERIALIZED (
            SELECT rowid AS rid, kind, item_id, exec_id, at, grp, {score} AS score FROM {TABLE} WHERE {where}
        )
        SELECT rid, kind, item_id, exec_id, at, score, total FROM (
            SELECT *, row_number() OVER (PARTITION BY kind ORDER BY {ordering}, rid DESC) AS n,
                      count(*) OVER (PARTITION BY kind) AS total
            FROM (
                SELECT *, row_number() OVER (PARTITION BY kind, coalesce(grp, rid) ORDER BY at DESC) AS dup
                FROM found
            ) WHERE dup = 1
        ) WHERE n <= ? ORDER BY kind, n
    """
    return [tuple(r) for r in conn.exec_driver_sql(sql, (*params, per_kind)).all()]


def _snippets(conn: Any, match: str | None, rowids: list[int]) -> dict[int, str]:
    """The text to show for each hit: FTS5's snippet around the match, or the start of the text."""
    if not rowids:
        return {}
    if match is None:
        sql = f"SELECT rowid, coalesce(nullif(body, ''), nullif(extra, ''), title) FROM {TABLE} WHERE rowid IN ({_ints(rowids)})"
        return {r[0]: _shorten(r[1] or "") for r in conn.exec_driver_sql(sql).all()}
    sql = (
        f"SELECT rowid, snippet({TABLE}, -1, ?, ?, '…', {SNIPPET_TOKENS}) FROM {TABLE} "
        f"WHERE {TABLE} MATCH ? AND rowid IN ({_ints(rowids)})"
    )
    return {r[0]: " ".join((r[1] or "").split()) for r in conn.exec_driver_sql(sql, (HIT_START, HIT_END, match)).all()}


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= BROWSE_SNIPPET_CHARS else text[: BROWSE_SNIPPET_CHARS - 1].rstrip() + "…"


def _assemble(conn: Any, rows: list[tuple[Any, ...]], snippets: dict[int, str]) -> tuple[SearchGroup, ...]:
    by_kind: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows:
        by_kind.setdefault(row[1], []).append(row)
    exec_ids = {r[3] for r in rows if r[3] is not None}
    names = dict(conn.exec_driver_sql(f"SELECT id, name FROM exec WHERE id IN ({_ints(exec_ids)})").all())
    groups: list[SearchGroup] = []
    for info in KINDS:
        kind_rows = by_kind.get(info.key)
        if not kind_rows:
            continue
        titles = dict(conn.exec_driver_sql(_CONTEXT_SQL[info.key].format(ids=_ints(r[2] for r in kind_rows))).all())
        hits = tuple(
            SearchHit(
                kind=info.key,
                item_id=int(item_id),
                exec_id=int(exec_id) if exec_id is not None else None,
                exec_name=names.get(exec_id, ""),
                title=titles.get(item_id, info.label),
                snippet=snippets.get(rid, ""),
                at=str(at or ""),
                score=float(score or 0.0),
            )
            for rid, _kind, item_id, exec_id, at, score, _total in kind_rows
        )
        groups.append(SearchGroup(info.key, info.label, int(kind_rows[0][6]), hits))
    return tuple(groups)


@dataclass(frozen=True)
class IndexStats:
    """How many items of each kind the index holds (for the CLI and diagnostics)."""

    counts: dict[str, int] = field(default_factory=dict)


def index_stats(ws: Workspace) -> IndexStats:
    """Count index rows per kind."""
    with ws.session() as s:
        rows = s.connection().exec_driver_sql(f"SELECT kind, count(*) FROM {TABLE} GROUP BY kind").all()
    return IndexStats({k: int(n) for k, n in rows})
