"""Find anything in the workspace: the FTS5 look-up behind Ctrl+K and ``esncoach search``.

The index (table ``search_index``, migration ``0002_fulltext_search``) holds one row per exec, person,
session, action item, habit, check-in with a note, practice post, revision, feedback comment and watched
theme, kept in step by SQL triggers. Matching ignores case and accents (``unicode61 remove_diacritics 2``).
The query language is in ``esncoach.services.search_query`` (re-exported here).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from esncoach.store.search_query import (
    HIT_END,
    HIT_START,
    KIND_BY_CODE,
    KIND_BY_KEY,
    KINDS,
    KindInfo,
    Order,
    ParsedQuery,
    Term,
    highlight_words,
    make_snippet,
    parse_query,
)
from esncoach.store.workspace import Workspace

__all__ = [
    "HIT_END", "HIT_START", "KINDS", "KindInfo", "Order", "ParsedQuery", "SearchGroup", "SearchHit",
    "SearchResults", "Term", "make_snippet", "parse_query", "search",
]

TABLE = "search_index"
DAY = 2**36
"""Index rowids are ``day * DAY + id * 16 + kind code`` (migration 0002): order, kind and id without I/O."""


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
    """The item's day as YYYY-MM-DD (session start, check-in day, habit start, else when it was written)."""
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
    """The hits of one kind, best or newest first; ``total`` counts all matches, not only those shown.

    Post texts show one hit per post (its newest or best matching revision) but count every revision.
    """

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
    "action": "SELECT a.id, CASE WHEN a.done THEN 'Action item (done)' ELSE 'Action item' END "
              "|| CASE WHEN s.title <> '' THEN ' · ' || s.title ELSE '' END "
              "FROM action_item a LEFT JOIN coaching_session s ON s.id = a.session_id WHERE a.id IN ({ids})",
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
# bm25 weights of the columns title, body, extra, tags, owner, grp: a name or title match counts most.
BM25_WEIGHTS = (10.0, 2.0, 1.0, 4.0, 0.0, 0.0)
BEST_MATCH_LIMIT = 4000
"""Past this many matches (a one- or two-letter prefix) best match falls back to newest first: ranking
every row of the workspace costs more than a keystroke may, and says little about so vague a query."""
REVISION_OVERFETCH = 4


def _ints(values: Iterable[int]) -> str:
    return ", ".join(str(int(v)) for v in values) or "NULL"


def _decode(rowid: int) -> tuple[KindInfo, int, dt.date]:
    """Kind, item id and day of an index rowid."""
    day, rest = divmod(rowid, DAY)
    try:
        date = _UNIX_EPOCH + dt.timedelta(days=day - _UNIX_EPOCH_JULIAN)
    except OverflowError:  # an item without a date (day 0)
        date = dt.date.min
    return KIND_BY_CODE[rest % 16], rest // 16, date


_UNIX_EPOCH = dt.date(1970, 1, 1)
_UNIX_EPOCH_JULIAN = 2440587  # CAST(julianday('1970-01-01') AS INTEGER)


def _exec_ids_named(conn: Any, names: Sequence[str]) -> list[int]:
    """Ids of execs whose name matches any of ``names`` (accent-insensitive, last word a prefix)."""
    ids: set[int] = set()
    for name in names:
        terms = [t.fts() for g in parse_query(name).groups for t in g]
        if not terms:
            continue
        sql = f"SELECT rowid FROM {TABLE} WHERE {TABLE} MATCH ? AND rowid % 16 = {KIND_BY_KEY['exec'].code}"
        ids.update(_decode(r)[1] for (r,) in conn.exec_driver_sql(sql, ("title : (" + " ".join(terms) + ")",)).all())
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
        if ws.is_server:  # PostgreSQL's own full-text search, same rows and rowids
            from esncoach.store import pg_search as pg
        exec_ids: list[int] = []
        if parsed.exec_names:
            raw = conn.connection.driver_connection
            exec_ids = pg.exec_ids_named(raw, parsed.exec_names) if ws.is_server else _exec_ids_named(conn, parsed.exec_names)
            if not exec_ids:
                return SearchResults(parsed, order, message="No executive matches “" + parsed.exec_names[0] + "”.")
        if ws.is_server:
            found = pg.where_clause(parsed, exec_ids)
            if found is None:
                return SearchResults(parsed, order)
            ranked, ranked_best = pg.ranked(conn.connection.driver_connection, *found, order, per_kind,
                                            {KIND_BY_KEY["revision"].code: REVISION_OVERFETCH}, BEST_MATCH_LIMIT)
        else:
            match = parsed.match_expression(exec_ids)
            if match is None:
                return SearchResults(parsed, order)
            ranked, ranked_best = _ranked(conn, f"{TABLE} MATCH ?", [match], order, per_kind)
        groups = _assemble(conn, parsed, ranked, per_kind)
    message = "" if groups else "Nothing found."
    if groups and order is Order.BEST and not ranked_best:
        message = "Too many matches to rank by relevance: newest first"
    return SearchResults(parsed, order, groups, message)


def _ranked(
    conn: Any, where: str, params: list[Any], order: Order, per_kind: int
) -> tuple[dict[int, tuple[int, list[tuple[int, float]]]], bool]:
    """kind code -> (matches of that kind, [(rowid, score)] best or newest first, a few extra for revisions).

    Only rowids are read (newest first is rowid order, the kind is in the low bits), never the stored
    text, which keeps a one-letter prefix matching everything fast. The flag says whether best-match
    ranking was applied (it is skipped, newest first, past BEST_MATCH_LIMIT matches).
    """
    raw = conn.connection.driver_connection  # plain DB-API, no row objects
    revision = KIND_BY_KEY["revision"].code
    wanted = {code: per_kind * (REVISION_OVERFETCH if code == revision else 1) for code in KIND_BY_CODE}
    # Up to BEST_MATCH_LIMIT + 1 newest rowids: all of them for most queries. Past that (a short prefix)
    # the counts come from one string built by SQLite and only the newest few are turned into objects.
    # They come as one string: thousands of rows kept alive as tuples would wake Python's cyclic garbage
    # collector, whose full passes cost more than the search. (Sorted here: an aggregate keeps no order.)
    (joined,) = raw.execute(
        f"SELECT group_concat(rowid) FROM (SELECT rowid FROM {TABLE} WHERE {where} "
        f"ORDER BY rowid DESC LIMIT {BEST_MATCH_LIMIT + 1})", tuple(params)
    ).fetchone()
    rows = sorted(map(int, joined.split(",")), reverse=True) if joined else []
    complete = len(rows) <= BEST_MATCH_LIMIT
    counts = Counter([rid & 15 for rid in rows])
    if not complete:  # the older matches, counted by kind without reading them
        counts.update(_kind_counts(raw, f"{where} AND rowid < {rows[-1]}", params))
    ranked_best = order is Order.BEST and bool(rows) and complete
    if not ranked_best:
        missing = {code: min(n, wanted.get(code, 0)) for code, n in counts.items()}
        newest = _newest(raw, where, params, rows, missing, complete)
        return {code: (counts[code], [(rid, 0.0) for rid in rids]) for code, rids in newest.items() if rids}, False
    weights = ", ".join(str(w) for w in BM25_WEIGHTS)
    # Best first (bm25: lower is better; ties newest first), sorted by SQLite; read until every kind has its share.
    scores = raw.execute(
        f"SELECT rowid, bm25({TABLE}, {weights}) AS score FROM {TABLE} WHERE {where} ORDER BY score, rowid DESC",
        tuple(params))
    missing = {code: min(n, wanted.get(code, per_kind)) for code, n in counts.items()}
    open_kinds = sum(1 for n in missing.values() if n)
    by_kind: dict[int, list[tuple[int, float]]] = {code: [] for code in counts}
    for rid, score in scores:
        code = rid & 15
        if missing.get(code):
            by_kind[code].append((rid, float(score)))
            missing[code] -= 1
            if not missing[code]:
                open_kinds -= 1
                if not open_kinds:
                    break
    return {code: (counts[code], hits) for code, hits in by_kind.items() if hits}, True


def _kind_counts(raw: Any, where: str, params: list[Any]) -> dict[int, int]:
    """Matches of each kind code, counted without a row object per match.

    SQLite joins the matches' kind codes (1..10, low bits of the rowid) into one string of digits: a
    one-letter prefix matches most of the workspace, and a Python object per match would cost more than
    the look-up itself. No code is 0, so every "0" is the end of a "10".
    """
    (digits,) = raw.execute(f"SELECT group_concat(rowid & 15, '') FROM {TABLE} WHERE {where}", tuple(params)).fetchone()
    if not digits:
        return {}
    counts = {code: digits.count(str(code)) for code in range(2, 10)}
    tens = digits.count("0")
    counts[1] = digits.count("1") - tens
    counts[10] = tens
    return {code: n for code, n in counts.items() if n and code in KIND_BY_CODE}


def _newest(
    raw: Any, where: str, params: list[Any], rows: list[int], missing: dict[int, int], complete: bool
) -> dict[int, list[int]]:
    """The newest ``missing[code]`` matching rowids of each kind, newest first, from ``rows`` (the newest
    matches, newest first; all of them if ``complete``).

    A kind still short of its share past ``rows`` is asked for on its own (its "k<code>" owner token
    ANDed to the match), so no query turns every match of a short prefix into Python objects.
    """
    newest: dict[int, list[int]] = {code: [] for code in missing}
    missing = {code: n for code, n in missing.items() if n}
    open_kinds = len(missing)
    for rid in rows:  # newest first; stops once every kind has its share
        code = rid & 15
        if missing.get(code):
            newest[code].append(rid)
            missing[code] -= 1
            if not missing[code]:
                open_kinds -= 1
                if not open_kinds:
                    break
    if complete or not open_kinds:
        return newest
    match_at = next(i for i, p in enumerate(params) if isinstance(p, str))  # the MATCH string
    for code, n in missing.items():
        if not n:
            continue
        kind_params = list(params)
        kind_params[match_at] = f'({params[match_at]}) AND owner : ("k{code}")'
        below = f" AND rowid < {rows[-1]}"  # older than every row already seen
        newest[code] += [rid for (rid,) in raw.execute(
            f"SELECT rowid FROM {TABLE} WHERE {where}{below} ORDER BY rowid DESC LIMIT {n}", tuple(kind_params))]
    return newest

def _assemble(
    conn: Any, parsed: ParsedQuery, ranked: dict[int, tuple[int, list[tuple[int, float]]]], per_kind: int
) -> tuple[SearchGroup, ...]:
    """Read the stored text of the chosen rows only, and build the groups with titles and snippets."""
    rowids = [rid for _total, hits in ranked.values() for rid, _score in hits]
    if not rowids:
        return ()
    raw = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":  # an exec's body with the reader's own private note, as in a file
        from esncoach.store.pg_search import STORED_SQL as stored_sql
    else:
        stored_sql = f"SELECT rowid, title, body, extra, tags, owner, grp FROM {TABLE} WHERE rowid IN ({{ids}})"
    stored = {r[0]: r[1:] for r in raw.execute(stored_sql.format(ids=_ints(rowids)))}
    words = highlight_words(parsed)
    chosen: dict[int, list[tuple[int, float]]] = {}
    for code, (_total, hits) in ranked.items():
        seen_posts: set[Any] = set()
        keep = []
        for rid, score in hits:
            grp = stored.get(rid, (None,) * 6)[5]
            if grp is not None:  # revisions of one post: the first (newest or best) stands for the post
                if grp in seen_posts:
                    continue
                seen_posts.add(grp)
            keep.append((rid, score))
        chosen[code] = keep[:per_kind]
    exec_of = {rid: _first_exec(stored.get(rid, (None,) * 6)[4]) for hits in chosen.values() for rid, _s in hits}
    names = dict(raw.execute(f"SELECT id, name FROM exec WHERE id IN ({_ints(set(exec_of.values()) - {None})})"))
    present = [info for info in KINDS if chosen.get(info.code)]
    # One round trip for every title line: (kind code, id, title) from each kind's own tables.
    titles_sql = " UNION ALL ".join(
        f"SELECT {info.code}, * FROM ({_CONTEXT_SQL[info.key].format(ids=_ints(_decode(r)[1] for r, _s in chosen[info.code]))}) AS k{info.code}"
        for info in present
    )
    titles_of: dict[tuple[int, int], str] = {(code, i): t for code, i, t in raw.execute(titles_sql)}
    groups: list[SearchGroup] = []
    for info in present:
        hits_of_kind = chosen[info.code]
        titles = {i: t for (code, i), t in titles_of.items() if code == info.code}
        hits = []
        for rid, score in hits_of_kind:
            _kind, item_id, day = _decode(rid)
            title, body, extra, tags, _owner, _grp = stored.get(rid, ("", "", "", "", None, None))
            exec_id = exec_of.get(rid)
            hits.append(SearchHit(
                kind=info.key,
                item_id=item_id,
                exec_id=exec_id,
                exec_name=names.get(exec_id, ""),
                title=titles.get(item_id, info.label),
                snippet=make_snippet((body, title, extra, tags), words),
                at=day.isoformat() if day != dt.date.min else "",
                score=score,
            ))
        groups.append(SearchGroup(info.key, info.label, int(ranked[info.code][0]), tuple(hits)))
    return tuple(groups)


def _first_exec(owner: str | None) -> int | None:
    for token in (owner or "").split():
        if token.startswith("x") and token[1:].isdigit():
            return int(token[1:])
    return None
