"""The search query language, where services and views have always imported it; it lives in ``esncoach.store``.

Both search backends (FTS5 in the file, tsvector on the team server, ``store.pg_search``) turn a parsed
query into their own match syntax, and the store may not import services, so the parser moved below them.
"""

from __future__ import annotations

from esncoach.store.search_query import (
    BROWSE_SNIPPET_CHARS,
    FILTER_KEYS,
    HIT_END,
    HIT_START,
    KIND_BY_CODE,
    KIND_BY_KEY,
    KINDS,
    SNIPPET_CHARS,
    SNIPPET_LEAD,
    TEXT_COLUMNS,
    KindInfo,
    Order,
    ParsedQuery,
    Term,
    highlight_words,
    make_snippet,
    parse_query,
)

__all__ = [
    "BROWSE_SNIPPET_CHARS", "FILTER_KEYS", "HIT_END", "HIT_START", "KIND_BY_CODE", "KIND_BY_KEY", "KINDS",
    "SNIPPET_CHARS", "SNIPPET_LEAD", "TEXT_COLUMNS", "KindInfo", "Order", "ParsedQuery", "Term", "highlight_words",
    "make_snippet", "parse_query",
]
