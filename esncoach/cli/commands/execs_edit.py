"""``esncoach execs edit``: change an executive's details from a script (only the options given change)."""

from __future__ import annotations

import argparse

from esncoach.cli.common import action_parsers, add_db_options, open_from_args
from esncoach.models import LadderStage
from esncoach.services import execs, ladder
from esncoach.store.errors import ValidationError

STAGE_REASON = "Changed with esncoach execs edit"


def register(sub: argparse._SubParsersAction) -> None:
    actions = action_parsers(sub, "execs", "list, add or edit executives")
    edit = actions.add_parser("edit", help="change an executive's title, email, handle, private notes or stage")
    add_db_options(edit)
    edit.add_argument("--name", required=True, metavar="NAME", help="the exec's name, a unique prefix, or email")
    edit.add_argument("--title", metavar="T")
    edit.add_argument("--email", metavar="E", help="new email address ('' removes it)")
    edit.add_argument("--handle", metavar="H", help="their handle on the network, e.g. @bruno ('' removes it)")
    edit.add_argument("--private-notes", metavar="TEXT", help="replace the private notes")
    edit.add_argument("--stage", metavar="STAGE", help="ladder stage: " + ", ".join(s.value for s in LadderStage))
    edit.set_defaults(handler=_edit)


def _edit(args: argparse.Namespace) -> int:
    stage = None
    if args.stage is not None:
        try:
            stage = LadderStage.parse(args.stage)
        except ValueError as exc:
            raise ValidationError("stage", str(exc).capitalize() + ".") from None
    changes = {k: getattr(args, k) for k in ("title", "email", "handle", "private_notes") if getattr(args, k) is not None}
    if not changes and stage is None:
        raise ValidationError("execs", "Nothing to change: give --title, --email, --handle, --private-notes or --stage.")
    with open_from_args(args) as ws:
        ex = execs.find_exec(ws, args.name)
        if changes:
            execs.update_exec(
                ws, ex.id, name=ex.name, department=ex.department, joined=ex.joined,
                title=changes.get("title", ex.title),
                email=changes.get("email", ex.email),
                handle=changes.get("handle", ex.handle),
                private_notes=changes.get("private_notes", ex.private_notes),
                expected_version=ex.version,  # the fields not given come from this read: never over a newer save
            )
        if stage is not None and stage != ex.stage:
            ladder.move_stage(ws, exec_id=ex.id, to_stage=stage, reason=STAGE_REASON)
    print(f"Updated {ex.name}.")
    return 0
