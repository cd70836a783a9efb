"""Where on the typeset pages the "possible mentions to review" of a report landed (page and phrase)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtGui import QTextDocument

from esncoach.services.name_variants import fold_plain
from esncoach.services.redaction import PossibleMention


@dataclass(frozen=True)
class MentionOnPage:
    """A first name alone that may be another exec's, on page ``page`` (1-based) of the file."""

    page: int
    phrase: str

    def as_json(self) -> dict[str, object]:
        """The shape listed under ``possible_mentions`` by ``esncoach report --json``."""
        return {"page": self.page, "phrase": self.phrase}


def _norm(text: str) -> str:
    return " ".join(fold_plain(text).split())


def page_texts(pages: Sequence[Sequence[object]]) -> list[str]:
    """The text of each laid-out page (every text document its placed pieces draw), normalised for search."""
    out = []
    for page in pages:
        docs = [v for placed in page for v in vars(getattr(placed, "piece", placed)).values()
                if isinstance(v, QTextDocument)]
        out.append(_norm("\n".join(d.toPlainText() for d in docs)))
    return out


def locate(mentions: Sequence[PossibleMention], texts: Sequence[str]) -> tuple[MentionOnPage, ...]:
    """Each mention with the first page showing its phrase (else its name as a word; else page 1)."""
    found = []
    for m in mentions:
        core = _norm(m.phrase.strip("… "))
        word = re.compile(rf"(?<!\w){re.escape(_norm(m.name))}(?!\w)")
        page = next((i for i, t in enumerate(texts, 1) if core and core in t), None)
        if page is None:
            page = next((i for i, t in enumerate(texts, 1) if word.search(t)), 1)
        found.append(MentionOnPage(page, m.phrase))
    return tuple(found)
