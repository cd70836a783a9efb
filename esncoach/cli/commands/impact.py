"""``esncoach impact``: network engagement before and after an exec joined, with a 95% interval."""

from __future__ import annotations

import argparse

from esncoach.cli.common import add_db_options, open_from_args, print_json


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "impact", help="engagement before and after an exec joined the network",
        description="Mean per day over the N days before an exec's join date and the N days from it, the "
                    "change in percent and a bootstrap 95% interval. Association, not proof.")
    add_db_options(parser)
    parser.add_argument("--exec", required=True, metavar="NAME", help="the exec's name, a unique prefix, or email")
    parser.add_argument("--days", type=int, metavar="N", help="days in each window (default 30)")
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    parser.set_defaults(handler=_impact)


def _fmt(value: float | None, suffix: str = "") -> str:
    return "—" if value is None else f"{value:,.1f}{suffix}"


def _impact(args: argparse.Namespace) -> int:
    from esncoach.services import execs, impact

    with open_from_args(args) as ws:
        ex = execs.find_exec(ws, args.exec)
        report = impact.exec_impact(ws, exec_id=ex.id, days=args.days)
    if args.json:
        print_json(report.as_json())
        return 0
    print(f"{report.exec_name} joined on {report.join_date.isoformat()}; {report.days} days before vs from then "
          "(mean per day):")
    for title, group in (("Network", report.network), (report.exec_name, report.own)):
        if not group:
            continue
        print(f"\n{title}")
        for name, m in group.items():
            ci = f"[{m.ci95[0]:+.1f}%, {m.ci95[1]:+.1f}%]" if m.ci95 else ""
            change = "—" if m.change_pct is None else f"{m.change_pct:+.1f}%"
            print(f"  {name.replace('_', ' '):<17} {_fmt(m.before):>10} → {_fmt(m.after):>10}  {change:>8} {ci}")
    for w in report.warnings:
        print(f"Warning: {w}")
    print("\nA before/after comparison shows association, not proof.")
    return 0
