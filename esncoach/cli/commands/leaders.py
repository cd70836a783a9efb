"""``esncoach leaders``: each exec's persona over time, peer percentile, responsiveness and delegated voice."""

from __future__ import annotations

import argparse

from esncoach.cli.common import add_db_options, open_from_args, print_json


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "leaders", help="personas, peer percentile, responsiveness and delegated voice per exec",
        description="What each exec's network activity says: persona per month (Observer, Broadcaster, "
                    "Responder, Catalyst, Engager), where they stand among everyone on the network, how they "
                    "answer replies and mentions, and how much of their voice is delegated.")
    add_db_options(parser)
    parser.add_argument("--exec", metavar="NAME", help="only this exec (name, unique prefix or email)")
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    parser.set_defaults(handler=_leaders)


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def _leaders(args: argparse.Namespace) -> int:
    from esncoach.services import execs, leaders

    with open_from_args(args) as ws:
        if args.exec:
            profiles = [leaders.leader_profile(ws, exec_id=execs.find_exec(ws, args.exec).id)]
        else:
            profiles = leaders.leader_profiles(ws)
    if args.json:
        print_json([p.as_json() for p in profiles])
        return 0
    for p in profiles:
        print(p.name)
        print(f"  Persona:        {p.persona or '—'}" + (f" ({p.persona_note})" if p.persona_note else ""))
        if p.persona_history:
            print("  History:        " + ", ".join(f"{m} {x or '?'}" for m, x in p.persona_history))
        for metric, value in p.percentile.items():
            sentence = p.percentile_sentence(metric)
            print(f"  Percentile:     {metric} {'—' if value is None else f'{value:.1f}'}"
                  + (f" ({sentence})" if sentence else ""))
        r = p.responsiveness
        print(f"  Responsiveness: {_share(r.answered_share)} of {r.asks} asks answered"
              + (f", median {r.median_hours:.1f} h" if r.median_hours is not None else ""))
        for u in r.unanswered[:5]:
            print(f"    unanswered since {u.asked_on.isoformat()}: {u.thread}")
        print(f"  Delegated:      {_share(p.delegated_share)} of network posts by a delegate; "
              f"{_share(p.drafted_by_assistant_share)} of practice drafts by the assistant")
    return 0
