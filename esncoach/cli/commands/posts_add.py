"""``esncoach posts add``: start a practice post (a draft, revision 1) for an exec; prints its id."""

from __future__ import annotations

import argparse

from esncoach.cli.common import action_parsers, add_db_options, open_from_args
from esncoach.models import PostKind
from esncoach.services import execs, posts
from esncoach.store.errors import ValidationError

KINDS = {"short_update": PostKind.SHORT_UPDATE, "long_form": PostKind.LONG_FORM,
         "tough_reply": PostKind.TOUGH_QUESTION_REPLY}


def register(sub: argparse._SubParsersAction) -> None:
    actions = action_parsers(sub, "posts", "add practice posts")
    add = actions.add_parser("add", help="add a practice post draft for an executive; prints its id")
    add_db_options(add)
    add.add_argument("--exec", required=True, metavar="NAME", help="name or email of the executive")
    add.add_argument("--title", required=True, metavar="T")
    add.add_argument("--text", required=True, metavar="TEXT", help="the draft's text")
    add.add_argument("--kind", default="short_update", choices=list(KINDS))
    add.set_defaults(handler=_add)


def _add(args: argparse.Namespace) -> int:
    if not args.title.strip():
        raise ValidationError("title", "Title is required.")
    with open_from_args(args) as ws:
        ex = execs.find_exec(ws, args.exec)
        post_id = posts.create_post(ws, exec_id=ex.id, kind=KINDS[args.kind], title=args.title, text=args.text)
    print(post_id)
    return 0
