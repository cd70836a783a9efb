"""Short prefixes match most of a workspace; past BEST_MATCH_LIMIT matches the search counts them by kind
from one string built by SQLite and asks for a kind still short of its newest hits on its own (#18).
That path must give exactly what reading every match gives: the same groups, totals, hits and order."""

from __future__ import annotations

import pytest

from esncoach.services import search as search_module
from esncoach.services.search import Order, search
from esncoach.store.workspace import Workspace

QUERIES = [*"abcdefhilmnoprstuw", "th", "pr", "co", "se", "re", "to", "kind:session t", "tag:s", "a t", "-x t"]


def test_counted_path_matches_reading_every_match(demo_ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_module, "BEST_MATCH_LIMIT", 10**9)
    expected = {(q, n): search(demo_ws, query=q, per_kind=n).as_json() for q in QUERIES for n in (1, 3, 8)}
    assert sum(1 for r in expected.values() if r["total"] > 40) >= 10  # the prefixes do match a lot
    for limit in (0, 5, 40):
        monkeypatch.setattr(search_module, "BEST_MATCH_LIMIT", limit)
        for (q, n), want in expected.items():
            assert search(demo_ws, query=q, per_kind=n).as_json() == want, (q, n, limit)
            best = search(demo_ws, query=q, per_kind=n, order=Order.BEST)
            if want["total"] > limit:  # too many to rank: newest first, same hits, and the user is told
                assert best.message == "Too many matches to rank by relevance: newest first"
                assert best.as_json()["groups"] == want["groups"], (q, n, limit)
