"""Full-text search on a team server: the query of ``services.search`` in PostgreSQL's terms.

The index (``search_index``, migration 0004) has the same rows and rowids as the FTS5 index of a file
workspace, plus ``doc``, a ``tsvector`` of the folded text (``simple`` configuration over ``unaccent``;
weights A title, B tags, C body, D extra) with a GIN index. Words are folded and split here as the
index folds and splits them (lower case, no accents, runs of letters and digits), so a typed word, a
phrase and a prefix match what FTS5 would match. A user's own private notes (``team_private_note``,
migration 0008) count as part of their exec's row, as they do in a file workspace's index. Best match ranks
with ``ts_rank_cd`` (length-normalised) using the same column weights as FTS5's bm25 (title 10, tags 4, body 2, extra 1); the row-level security of the
index keeps every user to the items they may see.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

from esncoach.store.search_query import KIND_BY_CODE, KIND_BY_KEY, Order, ParsedQuery, Term, _fold, parse_query

_WORD = re.compile(r"[^\W_]+")
RANK_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"
"""ts_rank weights for D (extra), C (body), B (tags), A (title): FTS5's 1, 2, 4 and 10, scaled."""
RANK_FUNCTION = "ts_rank_cd"
RANK_NORMALIZATION = 2
"""Cover density divided by document length: of the ranking options it agrees best with bm25 on the search
bench corpus (the top hit of 167 of 168 groups, 99% of shown hits; plain ts_rank: 72 of 168)."""


def term_query(term: Term, weights: str = "") -> str | None:
    """A tsquery for one typed word or phrase (its words in a row), the last one a prefix if asked."""
    words = _WORD.findall(_fold(term.text))
    if not words:
        return None
    parts = []
    for i, word in enumerate(words):
        star = "*" if term.prefix and i == len(words) - 1 else ""
        label = f":{star}{weights}" if star or weights else ""
        parts.append("'" + word.replace("'", "''") + "'" + label)
    return parts[0] if len(parts) == 1 else "(" + " <-> ".join(parts) + ")"


_MATCH = (
    "(doc @@ %s::tsquery OR rowid = ANY(ARRAY(SELECT i.rowid FROM team_private_note n JOIN search_index i "
    "ON i.code = 1 AND i.item_id = n.exec_id WHERE n.author = current_user AND i.doc || n.doc @@ %s::tsquery)))"
)
"""A text query matched by an index row, or by an exec's row together with the caller's own private note
(their text is part of the exec's row in a file workspace). The notes' row security keeps each to its
author; ``author = current_user`` also keeps the owner, whom row security does not bind, to their own."""
MY_NOTE = ("(SELECT n.{col} FROM team_private_note n WHERE search_index.code = 1 "
           "AND n.exec_id = search_index.item_id AND n.author = current_user)")
STORED_SQL = (
    "SELECT rowid, title, CASE WHEN code = 1 THEN trim(body || coalesce(chr(10) || "
    + MY_NOTE.format(col="text") + ", '')) ELSE body END, extra, tags, owner, grp "
    "FROM search_index WHERE rowid IN ({ids})"
)
"""The stored columns of the hits shown (``services.search._assemble``), an exec's body with the caller's note."""


def where_clause(parsed: ParsedQuery, exec_ids: Sequence[int]) -> tuple[str, list[Any]] | None:
    """SQL condition and parameters selecting the index rows the query matches, or None for none."""
    conditions: list[str] = []
    params: list[Any] = []
    text = []
    for group in parsed.groups:
        alternatives = [q for q in (term_query(t) for t in group) if q]
        if alternatives:
            text.append(alternatives[0] if len(alternatives) == 1 else "(" + " | ".join(alternatives) + ")")
    # Tag names are weight B (see the module docstring).
    text += [q for q in (term_query(Term(tag, prefix=True), "B") for tag in parsed.tags) if q]
    if text:
        conditions.append(_MATCH)
        params += [" & ".join(text)] * 2
    if exec_ids:
        conditions.append("exec_id = ANY(%s)")
        params.append(list(exec_ids))
    if parsed.kinds:
        conditions.append("code = ANY(%s)")
        params.append([KIND_BY_KEY[k].code for k in parsed.kinds])
    if not conditions:
        return None
    for term in parsed.excluded:
        q = term_query(term)
        if q:
            conditions.append(f"NOT {_MATCH}")
            params += [q, q]
    return " AND ".join(conditions), params


def exec_ids_named(raw: Any, names: Sequence[str]) -> list[int]:
    """Ids of execs whose name matches any of ``names`` (accent-insensitive, last word a prefix)."""
    ids: set[int] = set()
    for name in names:
        terms = [term_query(t, "A") for g in parse_query(name).groups for t in g]
        terms = [t for t in terms if t]
        if terms:
            rows = raw.execute("SELECT item_id FROM search_index WHERE code = 1 AND doc @@ %s::tsquery",
                               (" & ".join(terms),)).fetchall()
            ids.update(r[0] for r in rows)
    return sorted(ids)


def ranked(
    raw: Any, where: str, params: list[Any], order: Order, per_kind: int, overfetch: dict[int, int], best_limit: int
) -> tuple[dict[int, tuple[int, list[tuple[int, float]]]], bool]:
    """kind code -> (matches, [(rowid, score)] newest or best first); as ``services.search._ranked``."""
    wanted = {code: per_kind * overfetch.get(code, 1) for code in KIND_BY_CODE}
    counts = Counter(dict(raw.execute(f"SELECT code, count(*) FROM search_index WHERE {where} GROUP BY code",
                                      params).fetchall()))
    total = sum(counts.values())
    ranked_best = order is Order.BEST and 0 < total <= best_limit
    result: dict[int, tuple[int, list[tuple[int, float]]]] = {}
    if ranked_best:
        doc = f"CASE WHEN code = 1 THEN doc || coalesce({MY_NOTE.format(col='doc')}, ''::tsvector) ELSE doc END"
        sql = (f"SELECT code, rowid, -{RANK_FUNCTION}('{RANK_WEIGHTS}', {doc}, q, {RANK_NORMALIZATION}) "
               f"FROM search_index, CAST(%s AS tsquery) AS q WHERE {where}")
        text_query = params[0] if where.startswith(_MATCH) else None
        if text_query is None:
            ranked_best = False
        else:
            by_kind: dict[int, list[tuple[int, float]]] = {}
            for code, rid, score in raw.execute(sql, [text_query, *params]).fetchall():
                by_kind.setdefault(code, []).append((rid, float(score)))
            for code, hits in by_kind.items():
                hits.sort(key=lambda h: (h[1], -h[0]))
                result[code] = (counts[code], hits[: wanted.get(code, per_kind)])
            return result, True
    for code, n in counts.items():
        rows = raw.execute(
            f"SELECT rowid FROM search_index WHERE {where} AND code = %s ORDER BY rowid DESC LIMIT %s",
            [*params, code, min(n, wanted.get(code, per_kind))],
        ).fetchall()
        result[code] = (n, [(r[0], 0.0) for r in rows])
    return result, False
