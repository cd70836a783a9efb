"""Search on a team server finds what FTS5 finds: the search bench's corpus and queries on both backends.

The bench's generator fills a small file workspace (6 execs × 3 years); its rows are copied onto the
server (whose triggers index them). The copy is made by the owner, so the private notes become the
owner's own, which the owner's search finds as part of each exec's row, as FTS5 does. For every bench query, typed whole and as the prefixes on the way there,
both backends must count the same matches per kind and list the same newest hits; best-match ranking
(bm25 there, ts_rank here) must agree on the top hit of every group and mostly on the rest.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from esncoach.services.search import Order, search
from esncoach.store.pg_copy import copy_all
from esncoach.store.workspace import Workspace

BENCH = Path(__file__).resolve().parents[1] / "bench" / "search.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_search", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory, pg_server, pg_template):  # type: ignore[no-untyped-def]
    from tests.pg_server import socket_url

    bench = _bench()
    bench.EXECS = 6
    local = Workspace.open(tmp_path_factory.mktemp("search") / "bench.db", bench.KEY)
    bench.generate(local)
    with local.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM exec WHERE private_notes <> ''").scalar_one() > 0
    name = pg_server.fresh_name("search")
    pg_server.create_database(name, template=pg_template)
    server = Workspace.open(socket_url(pg_server, name), None)  # type: ignore[arg-type]
    with local.engine.connect() as src, server.engine.begin() as dst:
        copy_all(src, dst)
    yield bench, local, server
    local.close()
    server.close()


def _queries(bench: ModuleType) -> list[str]:
    return sorted({text[:n] for text in bench.TYPED for n in range(2, len(text) + 1) if text[:n].strip()})


def test_same_matches_and_newest_hits(both) -> None:  # type: ignore[no-untyped-def]
    bench, local, server = both
    for query in _queries(bench):
        a, b = search(local, query=query), search(server, query=query)
        assert [(g.kind, g.total) for g in a.groups] == [(g.kind, g.total) for g in b.groups], query
        assert [(h.kind, h.item_id, h.title, h.snippet) for h in a.hits] == \
               [(h.kind, h.item_id, h.title, h.snippet) for h in b.hits], query
        assert a.message == b.message, query


def test_best_match_agrees_on_top_hits(both) -> None:  # type: ignore[no-untyped-def]
    bench, local, server = both
    groups = same_top = overlap = shown = 0
    for query in bench.TYPED:
        a, b = search(local, query=query, order=Order.BEST), search(server, query=query, order=Order.BEST)
        assert [(g.kind, g.total) for g in a.groups] == [(g.kind, g.total) for g in b.groups], query
        for ga, gb in zip(a.groups, b.groups, strict=True):
            groups += 1
            ids_a, ids_b = [h.item_id for h in ga.hits], [h.item_id for h in gb.hits]
            same_top += ids_a[:1] == ids_b[:1]
            overlap += len(set(ids_a) & set(ids_b))
            shown += len(ids_a)
    assert groups > 40
    assert same_top / groups >= 0.95, (same_top, groups)
    assert overlap / shown >= 0.95, (overlap, shown)
