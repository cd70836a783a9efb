"""Colours the network's light formatting in a draft: @mentions, #topics, links, and jargon to reconsider."""

from __future__ import annotations

import re

from PySide6.QtGui import QColor, QFont, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from esncoach.services.writing_aids import LINK_RE, MENTION_RE, TOPIC_RE, jargon_pattern


def _format(color: str, *, bold: bool = False, underline: QTextCharFormat.UnderlineStyle | None = None,
            underline_color: str | None = None) -> QTextCharFormat:
    fmt = QTextCharFormat()
    if color:
        fmt.setForeground(QColor(color))
    if bold:
        fmt.setFontWeight(QFont.Weight.DemiBold)
    if underline is not None:
        fmt.setUnderlineStyle(underline)
        fmt.setUnderlineColor(QColor(underline_color or color))
    return fmt


class PostHighlighter(QSyntaxHighlighter):
    """Uses the same patterns the writing aids count, so what is coloured is what is counted."""

    def __init__(self, document: QTextDocument, jargon: tuple[str, ...] = ()) -> None:
        super().__init__(document)
        self.formats = {
            "mention": _format("#1f5fa8", bold=True),
            "topic": _format("#0f7a6c", bold=True),
            "link": _format("#1f5fa8", underline=QTextCharFormat.UnderlineStyle.SingleUnderline),
            "jargon": _format("", underline=QTextCharFormat.UnderlineStyle.DotLine, underline_color="#c27c0e"),
        }
        self._jargon: re.Pattern[str] | None = jargon_pattern(tuple(jargon))

    def set_jargon(self, words: tuple[str, ...]) -> None:
        """Underline a new jargon list (after the CM edits it)."""
        self._jargon = jargon_pattern(tuple(words))
        self.rehighlight()

    def highlightBlock(self, text: str) -> None:  # noqa: N802 - Qt override
        patterns: list[tuple[str, re.Pattern[str] | None]] = [
            ("jargon", self._jargon), ("link", LINK_RE), ("mention", MENTION_RE), ("topic", TOPIC_RE)]
        for name, pattern in patterns:
            if pattern is None:
                continue
            fmt = self.formats[name]
            for m in pattern.finditer(text):
                self.setFormat(m.start(), m.end() - m.start(), fmt)
