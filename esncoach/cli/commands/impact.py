"""``esncoach impact``: the effect of an exec joining the network, adjusted for trend and weekday, plus the raw change."""

from __future__ import annotations

import argparse

from esncoach.cli.common import add_db_options, open_from_args, print_json


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "impact", help="engagement before and after an exec joined the network",
        description="The estimated effect of an exec joining on network engagement: a model of the daily "
                    "figures with weekday, trend and a step at each join date, a 95%% interval and a placebo "
                    "check; then the raw change of the mean per day over the N days before the join date and "
                    "the N days from it, with a bootstrap 95%% interval. Association, not proof.")
    add_db_options(parser)
    who = parser.add_mutually_exclusive_group(required=True)
    who.add_argument("--exec", metavar="NAME", help="the exec's name, a unique prefix, or email")
    who.add_argument("--portfolio", action="store_true",
                     help="every exec with a join date, from one joint model per window (use with --json)")
    parser.add_argument("--days", type=int, metavar="N", help="days in each window (default 30)")
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    parser.set_defaults(handler=_impact)


def _fmt(value: float | None, suffix: str = "") -> str:
    return "—" if value is None else f"{value:,.1f}{suffix}"


def _impact(args: argparse.Namespace) -> int:
    if args.portfolio:
        return _portfolio(args)
    from esncoach.services import execs, impact

    with open_from_args(args) as ws:
        ex = execs.find_exec(ws, args.exec)
        report = impact.exec_impact(ws, exec_id=ex.id, days=args.days)
    if args.json:
        print_json(report.as_json())
        return 0
    print(f"{report.exec_name} joined on {report.join_date.isoformat()}; {report.days} days before vs from then.")
    if report.network:
        print("\nEstimated effect of joining (adjusted for the network's trend and weekly pattern):")
        for name, m in report.network.items():
            if m.adjusted is not None:
                print(f"  {m.adjusted.sentence(name.replace('_', ' ').capitalize())}")
                for note in m.adjusted.notes[0 if m.adjusted.effect_pct is not None else 1:]:
                    print(f"    note: {note}")
    print("\nRaw change of the mean per day (the before/after figure people quote):")
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


def _portfolio(args: argparse.Namespace) -> int:
    from esncoach.services import impact, impact_adjusted, settings
    from esncoach.store.errors import ValidationError

    with open_from_args(args) as ws:
        days = int(args.days if args.days is not None else settings.get(ws, impact.WINDOW_DAYS))
        if not 1 <= days <= impact.MAX_DAYS:
            raise ValidationError("days", f"The window must be between 1 and {impact.MAX_DAYS} days.")
        result = impact_adjusted.portfolio_impact(ws, days=days)
    if args.json:
        print_json(result.as_json())
        return 0
    print(f"Estimated effect of each exec joining ({days} days each side, adjusted for trend and weekday):")
    for e in result.execs:
        print(f"\n{e.name} (joined {e.join_date.isoformat()})")
        for name, a in e.metrics.items():
            print(f"  {name.replace('_', ' '):<10} {a.short()}"
                  + (f"  placebo {a.placebo_rank[0]}/{a.placebo_rank[1]}" if a.placebo_rank else ""))
    for note in result.notes:
        print(f"Note: {note}")
    return 0
