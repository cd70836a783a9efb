"""``esncoach today --db P [--json]``: the Today screen for a terminal or a morning script."""

from __future__ import annotations

import argparse
import dataclasses

from esncoach.cli.common import add_db_options, open_from_args, print_json
from esncoach.services import today


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("today", help="sessions, due actions, missing check-ins and execs to look at today")
    add_db_options(parser)
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    parser.set_defaults(handler=_today)


def _item_json(item: today.TodayItem) -> dict[str, object]:
    data = dataclasses.asdict(item)
    data["when"] = item.when.isoformat() if item.when is not None else None
    return data


def _today(args: argparse.Namespace) -> int:
    with open_from_args(args) as ws:
        overview = today.overview(ws)
    if args.json:
        print_json({"day": overview.day.isoformat(),
                    "sections": {k: [_item_json(i) for i in overview.sections.get(k, ())]
                                 for k in overview.titles}})
        return 0
    print(f"Today, {overview.day:%A %d %B %Y}")
    for key, title in overview.titles.items():
        items = overview.sections.get(key, ())
        print(f"\n{title}: {len(items) or 'none'}")
        for item in items:
            print(f"  {'!' if item.urgent else ' '} {item.who or item.exec_name:<24} {item.text}")
    return 0
