"""``esncoach people add``: link an assistant, reverse mentor or sponsor to an exec; prints the person's id.

A person already known by that email (or, without one, by exactly that name) is linked, not duplicated.
"""

from __future__ import annotations

import argparse
import unicodedata

from esncoach.cli.common import action_parsers, add_db_options, open_from_args
from esncoach.models import SupportRole
from esncoach.services import execs, validation
from esncoach.store.errors import ValidationError


def register(sub: argparse._SubParsersAction) -> None:
    actions = action_parsers(sub, "people", "add the people around executives")
    add = actions.add_parser("add", help="add (or reuse) a person and link them to an executive; prints their id")
    add_db_options(add)
    add.add_argument("--exec", required=True, metavar="NAME", help="name or email of the executive")
    add.add_argument("--name", required=True, metavar="PERSON", help="the person's full name")
    add.add_argument("--role", required=True, choices=[r.value for r in SupportRole])
    add.add_argument("--email", metavar="E")
    add.set_defaults(handler=_add)


def _key(name: str) -> str:
    return unicodedata.normalize("NFC", name).strip().casefold()


def _add(args: argparse.Namespace) -> int:
    role = SupportRole(args.role)
    name = validation.line(args.name, "name", max_len=200, required=True)
    email = validation.email(args.email)
    with open_from_args(args) as ws:
        ex = execs.find_exec(ws, args.exec)
        known = execs.list_people(ws)
        if email:
            same = [p for p in known if p.email == email]
            if same and _key(same[0].name) != _key(name):
                raise ValidationError("email", f"{email} already belongs to {same[0].name}.")
        else:
            same = [p for p in known if _key(p.name) == _key(name)]
            if len(same) > 1:
                raise ValidationError("name", f"Several people are called {name}; give --email to say which.")
        person_id = same[0].id if same else execs.add_person(ws, name=name, email=email)
        execs.link_person(ws, exec_id=ex.id, person_id=person_id, role=role)
    print(person_id)
    return 0
