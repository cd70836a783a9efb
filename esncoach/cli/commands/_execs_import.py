"""``esncoach execs import --db P FILE.csv [--json]``: bulk add executives from an HR list.

Kept apart from ``execs.py`` (which only registers it) so the list/add/edit commands and this one
evolve independently. The leading underscore keeps the command discovery from registering it twice.
"""

from __future__ import annotations

import argparse

from esncoach.cli.common import add_db_options, open_from_args, print_json
from esncoach.services import backup_policy, exec_import

ACTION_WORDS = {"add": "add", "update": "update", "unchanged": "same", "refuse": "REFUSED"}


def add_to(actions: argparse._SubParsersAction) -> None:
    """Add the ``import`` action under ``esncoach execs``."""
    imp = actions.add_parser(
        "import", help="add or update executives from a CSV list",
        description="Columns (first line): " + ", ".join(exec_import.COLUMNS) + ". Only name is required; "
                    "comma, semicolon or tab separated; dates YYYY-MM-DD or DD/MM/YYYY. Rows match existing "
                    "executives by email, else by name; blank cells never erase data.",
    )
    add_db_options(imp)
    imp.add_argument("file", metavar="FILE.csv", help="the list to import")
    imp.add_argument("--json", action="store_true", help="print JSON for scripts")
    imp.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    imp.set_defaults(handler=_import)


def _import(args: argparse.Namespace) -> int:
    with open_from_args(args) as ws:
        plan = exec_import.plan_import(ws, args.file)
        counts = plan.counts() if args.dry_run else exec_import.apply_plan(
            ws, plan, before_write=lambda: backup_policy.back_up_now(ws, reason="before-import"))
    if args.json:
        print_json({"file": str(plan.path), "dry_run": bool(args.dry_run), "counts": counts,
                    "rows": [r.as_json() for r in plan.rows]})
        return 0
    for r in plan.rows:
        detail = r.reason or (", ".join(r.changes) if r.changes else "")
        print(f"line {r.line:>4}  {ACTION_WORDS[r.action]:<7}  {r.name}" + (f"  ({detail})" if detail else ""))
    if args.dry_run:
        print(f"Would add {counts['add']}, update {counts['update']}, leave {counts['unchanged']} unchanged and "
              f"refuse {counts['refuse']}; nothing was written.")
    else:
        print(f"Added {counts['add']}, updated {counts['update']}, unchanged {counts['unchanged']}, "
              f"refused {counts['refuse']}.")
    return 0
