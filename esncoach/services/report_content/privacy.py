"""The last step of every one-exec report: each string it shows passes through the subject's redactor."""

from __future__ import annotations

import dataclasses

from esncoach.services import redaction
from esncoach.services.report_content.blocks import (
    Block, Bullets, KeyFigure, KeyFigures, Paragraph, ReportContent, Section, Table,
)


def redact_content(content: ReportContent, clean: redaction.Redactor) -> ReportContent:
    """``content`` with every paragraph, bullet, figure, table cell and heading redacted for its subject, and
    the first names it only flagged listed in ``possible_mentions`` (the header names the subject only)."""
    sections = tuple(Section(clean(s.title), tuple(_block(b, clean) for b in s.blocks)) for s in content.sections)
    meta = tuple((k, clean(v)) for k, v in content.meta)
    mentions = tuple(dict.fromkeys((*content.possible_mentions, *clean.flagged)))
    return dataclasses.replace(content, sections=sections, meta=meta, possible_mentions=mentions)


def _block(block: Block, clean: redaction.Redactor) -> Block:
    if isinstance(block, Paragraph):
        return dataclasses.replace(block, text=clean(block.text))
    if isinstance(block, Bullets):
        return Bullets(tuple(clean(i) for i in block.items))
    if isinstance(block, KeyFigures):
        return KeyFigures(tuple(KeyFigure(clean(k.label), clean(k.value), clean(k.note)) for k in block.items))
    if isinstance(block, Table):
        rows = tuple(tuple(clean(c) for c in row) for row in block.rows)
        return dataclasses.replace(block, rows=rows, note=clean(block.note), empty_text=clean(block.empty_text))
    return block
