"""``esncoach search QUERY``: the workspace's full-text search for scripts and terminals."""

from __future__ import annotations

import argparse

from esncoach.cli.common import add_db_options, open_from_args, print_json
from esncoach.services import search


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "search",
        help="find execs, sessions, posts, feedback... by their words",
        description=(
            "Words must all appear (accents and case ignored; the last word is a prefix). "
            '"a phrase", word*, -word, a OR b, exec:NAME, tag:NAME and kind:KIND are understood. '
            "Put -- before a query that starts with -."
        ),
    )
    add_db_options(parser)
    parser.add_argument("query", nargs="+", metavar="QUERY", help="what to look for")
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    parser.add_argument("--order", choices=[o.value for o in search.Order], default=search.Order.NEWEST.value,
                        help="newest first (default) or best match first, within each kind")
    parser.add_argument("--limit", type=int, default=10, metavar="N", help="at most N hits per kind (default 10)")
    parser.add_argument("--exact", action="store_true", help="do not treat the last word as a prefix")
    parser.set_defaults(handler=_search)


def _search(args: argparse.Namespace) -> int:
    query = " ".join(args.query)
    with open_from_args(args) as ws:
        results = search.search(
            ws, query=query, order=search.Order(args.order), per_kind=max(1, args.limit), prefix_last=not args.exact
        )
    if args.json:
        print_json(results.as_json())
        return 0
    if not results.groups:
        print(results.message or "Nothing found.")
        return 0
    for group in results.groups:
        shown = len(group.hits)
        more = f", {shown} shown" if shown < group.total else ""
        print(f"{group.label} ({group.total}{more})")
        for hit in group.hits:
            who = f"  [{hit.exec_name}]" if hit.exec_name else ""
            print(f"  {hit.date}  {hit.title}{who}  ({hit.kind} {hit.item_id})")
            if hit.snippet:
                print(f"      {hit.snippet_text()}")
    return 0
