"""``esncoach import``: import an engagement export (Viva Engage, Yammer, Slack, Teams or generic CSV)."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from esncoach.cli.common import add_db_options, open_from_args, print_json


def register(sub: argparse._SubParsersAction) -> None:
    from esncoach.imports import FORMATS

    parser = sub.add_parser(
        "import", help="import engagement figures from a network export",
        description="Import an engagement export into the workspace. The format is recognised from the "
                    "header; re-importing a file or an overlapping period replaces the earlier figures.",
        epilog=_generic_help(), formatter_class=argparse.RawDescriptionHelpFormatter)
    add_db_options(parser)
    parser.add_argument("file", metavar="FILE", help="the exported CSV file")
    parser.add_argument("--format", metavar="NAME", choices=[f.name for f in FORMATS],
                        help="skip recognition and read the file as: " + ", ".join(f.name for f in FORMATS))
    parser.add_argument("--from", dest="period_from", metavar="YYYY-MM-DD",
                        help="first day the file covers, for exports whose rows carry no dates (Slack, admin centre)")
    parser.add_argument("--to", dest="period_to", metavar="YYYY-MM-DD", help="last day the file covers (with --from)")
    parser.add_argument("--json", action="store_true", help="print JSON for scripts")
    parser.set_defaults(handler=_import)


def _generic_help() -> str:
    """The generic CSV's format, wrapped for the terminal (also in the wizard and the README)."""
    import textwrap

    from esncoach.imports.generic import FORMAT_HELP

    return textwrap.fill(FORMAT_HELP, width=78)


def _period(args: argparse.Namespace) -> tuple[dt.date, dt.date] | None:
    """--from/--to as dates; a ValidationError sentence when only one is given or they are not dates."""
    from esncoach.store.errors import ValidationError

    if args.period_from is None and args.period_to is None:
        return None
    if args.period_from is None or args.period_to is None:
        raise ValidationError("period", "Give both --from and --to (YYYY-MM-DD), or neither.")
    try:
        start, end = dt.date.fromisoformat(args.period_from), dt.date.fromisoformat(args.period_to)
    except ValueError:
        raise ValidationError("period", "--from and --to take dates written YYYY-MM-DD.") from None
    if end < start:
        raise ValidationError("period", f"The period ends ({end.isoformat()}) before it starts ({start.isoformat()}).")
    return start, end


def _import(args: argparse.Namespace) -> int:
    from esncoach.imports import import_file
    from esncoach.imports.pipeline import backup_before_import

    from esncoach.imports import BY_NAME

    period = _period(args)
    with open_from_args(args) as ws:
        result = import_file(ws, args.file, fmt=args.format, period=period, before_write=backup_before_import(ws))
    if period is not None and not BY_NAME[result.format].undated:
        print(f"Note: --from/--to were not needed: the rows of {result.format_label} carry their own dates.",
              file=sys.stderr)
    if args.json:
        print_json(result.as_json())
        return 0
    print(f"Recognised: {result.format_label} ({result.format})")
    if result.period:
        print(f"Period:     {result.period[0].isoformat()} to {result.period[1].isoformat()}")
    execs = ", ".join(f"{m.name} ({m.rows} row{'s' if m.rows != 1 else ''})" for m in result.matched) or "none"
    print(f"Imported:   {result.rows_imported:,} rows as {result.samples_written:,} figures; execs matched: {execs}; "
          f"{result.people_folded:,} other people counted in network totals only")
    print(f"Replaced:   {result.samples_replaced:,} earlier figures"
          + (f" ({result.batches_replaced} earlier import{'s' if result.batches_replaced != 1 else ''} removed)"
             if result.batches_replaced else ""))
    print(f"Rejected:   {result.rows_rejected:,} rows")
    for r in result.rejections[:50]:
        print(f"  line {r.line}: {r.reason}")
    if len(result.rejections) > 50:
        print(f"  … and {result.rows_rejected - 50:,} more (use --json for the first {len(result.rejections):,})")
    for u in result.review:
        print(f"Not matched: {u.label} ({u.rows} rows) looks like {u.suggestion_name}; give the exec this email "
              "or handle, or map it in the import wizard")
    for w in result.warnings:
        print(f"Warning: {w}")
    if result.backup:
        print(f"Backup taken before importing: {result.backup}")
    return 0
