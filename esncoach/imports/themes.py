"""Terms, two-word phrases and busy threads from Messages.csv bodies, counted at import time (bodies never kept).

Tokenising and stop words come from scikit-learn's ``CountVectorizer`` (its word pattern and English
stop-word list ship inside the wheel: nothing is downloaded at run time), with unigrams and bigrams.
Before counting, mention markup (``[[user:123]]``), links and e-mail addresses are removed; words are
letters only (no digits); and at the end any term containing a word of a sender's name or e-mail is dropped,
so a theme can never name a person. Memory stays bounded: when the per-day counters grow past
``MAX_ENTRIES`` the terms seen once on a day are pruned (rising themes need repeated terms anyway).
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable

MAX_ENTRIES = 400_000
TERMS_PER_DAY = 400
MIN_DAILY_COUNT = 2
MAX_THREADS = 300
MAX_TRACKED = 20_000
TITLE_TERMS = 3

_MARKUP = re.compile(r"\[\[\w+:\d+\]\]|https?://\S+|www\.\S+|\S+@\S+")
_NAME_SPLIT = re.compile(r"[^\w]+")
_analyzer: Callable[[str], list[str]] | None = None


def analyzer() -> Callable[[str], list[str]]:
    """scikit-learn's English analyzer for terms and two-word phrases (imported on first use: it is slow)."""
    global _analyzer
    if _analyzer is None:
        from sklearn.feature_extraction.text import CountVectorizer

        # Words of two letters or more (no digits, no underscores): numbers and ids are never themes.
        _analyzer = CountVectorizer(ngram_range=(1, 2), stop_words="english", lowercase=True,
                                    token_pattern=r"(?u)\b[^\W\d_]{2,}\b").build_analyzer()
    return _analyzer


def terms_of(body: str) -> list[str]:
    """The terms and bigrams of one message, without markup, links or numbers."""
    return analyzer()(_MARKUP.sub(" ", body) if ("[[" in body or "@" in body or "http" in body or "www." in body)
                      else body)


def name_words(text: str) -> set[str]:
    """The lower-case words of a name or an e-mail's local part (to keep names out of themes)."""
    return {w for w in _NAME_SPLIT.split(text.lower().split("@")[0]) if len(w) >= 2}


class TermCounter:
    """Terms per day over the listening window, pruned to stay within ``MAX_ENTRIES``."""

    def __init__(self) -> None:
        self.days: dict[dt.date, Counter] = {}
        self._entries = 0

    def add(self, day: dt.date, terms: list[str]) -> None:
        counter = self.days.get(day)
        if counter is None:
            counter = self.days[day] = Counter()
        before = len(counter)
        counter.update(terms)
        self._entries += len(counter) - before
        if self._entries > MAX_ENTRIES:
            self._prune()

    def _prune(self) -> None:
        total = 0
        for day, counter in self.days.items():
            kept = Counter({t: n for t, n in counter.items() if n > 1})
            self.days[day] = kept
            total += len(kept)
        self._entries = total

    def result(self, names: set[str]) -> dict[dt.date, Counter]:
        """Per day, the most used terms (no name words), for storing."""
        out: dict[dt.date, Counter] = {}
        for day, counter in self.days.items():
            kept = Counter()
            for term, n in counter.most_common():
                if n < MIN_DAILY_COUNT or len(kept) >= TERMS_PER_DAY:
                    break
                if not any(w in names for w in term.split()):
                    kept[term] = n
            if kept:
                out[day] = kept
        return out


class ThreadTracker:
    """Replies per thread per day in the listening window, and each thread's title or leading terms.

    At most ``MAX_TRACKED`` threads are followed: past that, the half with the fewest replies so far is
    forgotten (a thread with no replies yet is never among the busiest), so memory does not grow with
    the file.
    """

    def __init__(self) -> None:
        self.replies: dict[str, Counter] = {}
        self.last: dict[str, dt.date] = {}
        self.info: dict[str, tuple[str, str]] = {}  # thread -> (community, title)
        self.lead_terms: dict[str, tuple[str, ...]] = {}
        self.links: dict[str, str] = {}
        self._strings: dict[str, str] = {}  # one copy of each community name

    def add(self, thread: str, day: dt.date, *, is_reply: bool, community: str, title: str, link: str,
            starter_terms: list[str] | None) -> None:
        if is_reply:
            counts = self.replies.get(thread)
            if counts is None:
                counts = self.replies[thread] = Counter()
            counts[day] += 1
        last = self.last.get(thread)
        if last is None:
            if len(self.last) >= MAX_TRACKED:
                self._forget()
            self.last[thread] = day
        elif day > last:
            self.last[thread] = day
        if thread not in self.info or title:
            community = self._strings.setdefault(community, community)
            self.info[thread] = (community, title)
        if starter_terms is not None:
            self.lead_terms[thread] = tuple([t for t in starter_terms if " " not in t][:TITLE_TERMS * 2])
            if link:
                self.links[thread] = link

    def _forget(self) -> None:
        ranked = sorted(self.last, key=lambda t: (sum(self.replies[t].values()) if t in self.replies else 0,
                                                  self.last[t]))
        for thread in ranked[: len(ranked) // 2]:
            for table in (self.replies, self.last, self.info, self.lead_terms, self.links):
                table.pop(thread, None)

    def busiest(self, since: dt.date, joined: dict[str, set[int]], names: set[str]) -> list:
        """The ``MAX_THREADS`` threads with the most replies since ``since``, as ThreadRefs."""
        from esncoach.imports.analytics import ThreadRef

        ranked = sorted(((sum(n for d, n in days.items() if d >= since), thread)
                         for thread, days in self.replies.items()), reverse=True)
        refs = []
        for recent, thread in ranked[:MAX_THREADS]:
            if recent <= 0:
                break
            community, title = self.info.get(thread, ("", ""))
            if not title:
                words = [t for t in self.lead_terms.get(thread, []) if t not in names][:TITLE_TERMS]
                title = (community or "Thread") + (": " + ", ".join(words) if words else f" {thread}")
            days = {d.isoformat(): n for d, n in sorted(self.replies[thread].items())}
            refs.append(ThreadRef(self.links.get(thread) or thread, title, self.last[thread], days,
                                  tuple(sorted(joined.get(thread, ())))))
        return refs
