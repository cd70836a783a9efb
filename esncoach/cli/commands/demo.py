"""``esncoach demo``: create the deterministic demo workspace."""

from __future__ import annotations

import argparse

from esncoach.cli.common import add_db_options, open_from_args


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("demo", help="create the demo workspace (12 execs, six months of history)")
    add_db_options(parser)
    parser.set_defaults(handler=_demo)


def _demo(args: argparse.Namespace) -> int:
    from esncoach.demo import build_demo

    with open_from_args(args, create=True) as ws:
        ctx = build_demo(ws)
    print(f"Created the demo workspace with {len(ctx.exec_ids)} executives in {args.db}.")
    return 0
