"""``esncoach execs list|add``: read and onboard executives from scripts."""

from __future__ import annotations

import argparse

from esncoach.cli.common import add_db_options, open_from_args, print_json
from esncoach.models import LadderStage
from esncoach.services import execs
from esncoach.store.errors import ValidationError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("execs", help="list or add executives")
    actions = parser.add_subparsers(dest="execs_command", metavar="ACTION", required=True)

    ls = actions.add_parser("list", help="list executives")
    add_db_options(ls)
    ls.add_argument("--json", action="store_true", help="print JSON for scripts")
    ls.set_defaults(handler=_list)

    add = actions.add_parser("add", help="add an executive (creates the workspace if needed)")
    add_db_options(add)
    add.add_argument("--name", required=True)
    add.add_argument("--title", default="")
    add.add_argument("--email")
    add.add_argument("--joined", metavar="YYYY-MM-DD", help="date they joined the network")
    add.add_argument("--stage", default=LadderStage.LISTEN.value,
                     help="ladder stage: " + ", ".join(s.value for s in LadderStage))
    add.set_defaults(handler=_add)

    from esncoach.cli.commands._execs_import import add_to  # bulk import lives in its own module

    add_to(actions)


def _list(args: argparse.Namespace) -> int:
    with open_from_args(args) as ws:
        rows = execs.list_execs(ws)
    if args.json:
        print_json([r.as_json() for r in rows])
        return 0
    if not rows:
        print("No executives yet.")
    for r in rows:
        flag = " (archived)" if r.archived else ""
        print(f"{r.name:<28} {r.stage.label:<16} {r.title}{flag}")
    return 0


def _add(args: argparse.Namespace) -> int:
    try:
        stage = LadderStage.parse(args.stage)
    except ValueError as exc:
        raise ValidationError("stage", str(exc).capitalize() + ".") from None
    with open_from_args(args, create=True) as ws:
        execs.add_exec(ws, name=args.name, title=args.title, email=args.email, joined=args.joined, stage=stage)
    print(f"Added {args.name.strip()}.")
    return 0
