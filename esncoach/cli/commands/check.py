"""``esncoach check``: is this workspace healthy, and which schema is it?"""

from __future__ import annotations

import argparse
import sys

from esncoach.cli.common import add_db_options, open_from_args
from esncoach.services.health import run_checks


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("check", help="open the workspace and run integrity checks")
    add_db_options(parser)
    parser.set_defaults(handler=_check)


def _check(args: argparse.Namespace) -> int:
    with open_from_args(args) as ws:
        report = run_checks(ws)
    if report.healthy:
        print(f"ok: schema {report.schema_version}, {report.exec_count} executives")
        return 0
    print(f"esncoach: damaged: {report.problem}", file=sys.stderr)
    return 1
