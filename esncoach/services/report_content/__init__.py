"""What the PDF progress summaries say, assembled without Qt: the exec summary, the sponsor portfolio, the assistant brief.

A report is a ``ReportContent``: a header (title, subject, meta lines, confidentiality marking) and
sections of simple blocks (paragraphs, bullet lists, key figures, tables, chart requests) that the
Qt layer in ``esncoach.reports`` typesets (``blocks``: the pieces and shared helpers; one module per
report). The privacy rules live here, where they can be tested:

- A report reads only what it may show: never an exec's private notes, session notes, feedback
  comments or the text of a draft (only counts, titles of *published* posts and rubric scores).
- An exec's summary and an assistant's brief are built from that one exec's rows only, and every
  free text they carry (outcomes, action items, titles, reasons) is passed through ``Redactor``,
  which replaces the name or email of any other exec with "another executive".
- The sponsor summary names the execs of the programme (it is about them) but none of their
  supporters, and carries no free text typed about an exec: only figures, stages and dates.
- An exec's summary names no one else: action items show the owner's role, not their name.
"""
from __future__ import annotations

from esncoach.services.report_content.assistant import assistant_brief
from esncoach.services.report_content.blocks import (
    CM_NAME, DEFAULT_CM_LABEL, OTHER_EXEC, PROGRAMME_TARGETS, Align, Block, Bullets, ChartRequest, Column, KeyFigure,
    KeyFigures, Paragraph, Redactor, ReportContent, ReportKind, Section, Table, Tone, cm_name, default_period,
    file_stem_for, fmt_date, fmt_pct,
)
from esncoach.services.report_content.exec_summary import exec_summary
from esncoach.services.report_content.portfolio import portfolio_summary

__all__ = [
    "CM_NAME", "DEFAULT_CM_LABEL", "OTHER_EXEC", "PROGRAMME_TARGETS", "Align", "Block", "Bullets", "ChartRequest",
    "Column", "KeyFigure", "KeyFigures", "Paragraph", "Redactor", "ReportContent", "ReportKind", "Section", "Table",
    "Tone", "assistant_brief", "cm_name", "default_period", "exec_summary", "file_stem_for", "fmt_date", "fmt_pct",
    "portfolio_summary",
]
