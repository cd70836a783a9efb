"""``esncoach report``: PDF progress summaries for an exec, the sponsor's portfolio, an assistant's brief, or all execs."""

from __future__ import annotations

import argparse
import os
import sys

from esncoach.cli.common import add_db_options, open_from_args, print_json


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "report", help="PDF progress summaries",
        description="Typeset a PDF: an exec's progress summary (--exec), the sponsor's programme summary "
                    "(--portfolio), the brief for an exec's assistant (--assistant-brief), or one progress "
                    "summary per active exec (--all-execs). Files are written whole or not at all, readable "
                    "only by you.")
    add_db_options(parser)
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--exec", metavar="NAME", help="progress summary for this exec (name, unique prefix, email)")
    which.add_argument("--portfolio", action="store_true", help="programme summary across all execs, for the sponsor")
    which.add_argument("--assistant-brief", metavar="NAME", help="brief for this exec's assistant")
    which.add_argument("--all-execs", action="store_true", help="one progress summary per active exec (with --out-dir)")
    parser.add_argument("--out", metavar="FILE.pdf", help="the PDF to write")
    parser.add_argument("--out-dir", metavar="DIR", help="folder for --all-execs")
    parser.add_argument("--from", dest="start", metavar="DATE", help="period start, YYYY-MM-DD (default: coaching start)")
    parser.add_argument("--to", dest="end", metavar="DATE", help="period end, YYYY-MM-DD (default: today)")
    parser.add_argument("--page-size", choices=("auto", "A4", "Letter"), default="auto",
                        help="paper size (default: from the locale)")
    parser.add_argument("--json", action="store_true",
                        help="print what was written as JSON, with the possible mentions of other execs to review "
                             "(a first name alone; page and phrase)")
    parser.set_defaults(handler=_report, _parser=parser)


def _check(args: argparse.Namespace) -> str | None:
    if args.all_execs:
        if not args.out_dir:
            return "--all-execs needs --out-dir DIR"
        if args.out:
            return "--all-execs writes one file per exec: use --out-dir, not --out"
    else:
        if not args.out:
            return "--out FILE.pdf is required"
        if args.out_dir:
            return "--out-dir only goes with --all-execs"
    if (args.start or args.end) and not (args.exec or args.all_execs):
        return "--from/--to only apply to progress summaries (--exec or --all-execs)"
    return None


def ensure_qt_app() -> None:
    """Reports are typeset with Qt; a command-line run needs an application object but never a window."""
    from PySide6.QtCore import QCoreApplication

    if QCoreApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtWidgets import QApplication

        # Widgets, not just GUI: the app's charts are pyqtgraph widgets rendered off screen.
        QApplication(["esncoach"])


def _report(args: argparse.Namespace) -> int:
    problem = _check(args)
    if problem:
        args._parser.error(problem)
    from esncoach.services import validation

    start = validation.date(args.start, "from")
    end = validation.date(args.end, "to")
    ensure_qt_app()
    from esncoach.reports import batch, charts, pdf_writer
    from esncoach.services import execs, report_content

    with open_from_args(args) as ws:
        source = charts.app_charts(ws)
        if args.all_execs:
            saved = batch.write_all_exec_summaries(
                ws, out_dir=args.out_dir, start=start, end=end, page_size=args.page_size, charts=source,
                progress=_stderr_progress if sys.stderr.isatty() else _quiet)
        else:
            if args.exec:
                content = report_content.exec_summary(ws, exec_id=execs.find_exec(ws, args.exec).id,
                                                      start=start, end=end)
            elif args.portfolio:
                content = report_content.portfolio_summary(ws)
            else:
                content = report_content.assistant_brief(ws, exec_id=execs.find_exec(ws, args.assistant_brief).id)
            saved = [pdf_writer.save_report(content, args.out, page_size=args.page_size, charts=source)]
    if args.json:
        print_json([{"path": str(s.path), "pages": s.pages, "bytes": s.size_bytes,
                     "possible_mentions": [m.as_json() for m in s.possible_mentions]} for s in saved])
    else:
        for s in saved:
            print(f"{s.path} ({s.pages} page{'s' if s.pages != 1 else ''})")
            for m in s.possible_mentions:
                print(f"Possible mention to review, page {m.page}: {m.phrase}", file=sys.stderr)
        if source is None:
            print("Note: charts are not included (the chart export is not available in this build).", file=sys.stderr)
    return 0


def _stderr_progress(done: int, total: int, message: str = "") -> None:
    print(f"\r{message:<70}", end="" if done < total else "\n", file=sys.stderr, flush=True)


def _quiet(done: int, total: int, message: str = "") -> None:
    """No progress lines when stderr is not a terminal (scripts, logs)."""


