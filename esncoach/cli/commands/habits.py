"""``esncoach habits``: each exec's current habit, streak and strength as of today, for scripts and a quick look."""

from __future__ import annotations

import argparse
import datetime as dt

from esncoach.cli.common import add_db_options, open_from_args, print_json
from esncoach.services import habits
from esncoach.store.errors import ValidationError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("habits", help="list each exec's current habit, streak and strength")
    add_db_options(parser)
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    parser.add_argument("--today", metavar="YYYY-MM-DD", help="judge as of this day instead of today")
    parser.add_argument("--all", action="store_true", help="include archived executives")
    parser.set_defaults(handler=_habits)


def _habits(args: argparse.Namespace) -> int:
    today = dt.date.today()
    if args.today:
        try:
            today = dt.date.fromisoformat(args.today)
        except ValueError:
            raise ValidationError("today", f"“{args.today}” is not a date (use YYYY-MM-DD).") from None
    with open_from_args(args) as ws:
        rows = habits.all_statuses(ws, today=today, include_archived=args.all)
    if args.json:
        print_json({
            "as_of": today.isoformat(),
            "execs": [{"exec_id": eid, "name": name, "habit": st.as_json() if st else None} for eid, name, st in rows],
        })
        return 0
    if not rows:
        print("No executives yet.")
        return 0
    width = max(len(name) for _e, name, _s in rows) + 2
    print(f"{'Executive':<{width}}{'Strength':>8}  {'Streak':<14}Habit")
    for _eid, name, st in rows:
        if st is None:
            print(f"{name:<{width}}{'—':>8}  {'':<14}(no current habit)")
            continue
        streak = f"{st.streak} {st.streak_unit}"
        print(f"{name:<{width}}{st.strength:>8.0%}  {streak:<14}{st.description} ({st.schedule_text.lower()})")
    return 0
