"""Offline writing aids for practice posts: counts, readability, long sentences, passive voice, jargon.

Everything is computed locally. Readability is the Flesch reading ease with syllables from pyphen's
hyphenation dictionaries (shipped inside the package), because textstat's current releases fetch NLTK's
CMU dictionary over the network at run time. The results are hints for a conversation, not grades.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from esncoach.models import PostKind
from esncoach.services import settings
from esncoach.store.workspace import Workspace

DEFAULT_JARGON = [
    "leverage", "leveraging", "synergy", "synergies", "going forward", "value chain", "best-in-class",
    "paradigm", "circle back", "bandwidth", "low-hanging fruit", "move the needle", "deep dive",
    "stakeholders", "holistic", "actionable", "empower", "robust", "streamline", "at the end of the day",
    "think outside the box", "win-win", "touch base", "core competencies", "disrupt",
]
JARGON_WORDS = settings.declare("posts.jargon_words", DEFAULT_JARGON)
"""Words and phrases the aids point out as corporate jargon (case-insensitive, whole words)."""

LONG_SENTENCE_WORDS = 25

# The network's light formatting; the editor highlights with the same patterns the aids count.
MENTION_RE = re.compile(r"(?<![\w@])@\w(?:[\w.'-]*\w)?")
TOPIC_RE = re.compile(r"(?<![\w#&])#\w(?:[\w-]*\w)?")
LINK_RE = re.compile(r"\b(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]']", re.IGNORECASE)
WORD_RE = re.compile(r"[^\W_](?:[\w'’-]*[^\W_])?")
SENTENCE_RE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’)]*|\n|$)")
_BE = r"(?:am|is|are|was|were|be|been|being|is being|are being|was being|were being|has been|have been|had been|will be)"
_IRREGULAR = (
    "done|made|taken|given|seen|known|shown|written|chosen|told|held|brought|bought|built|sent|spent|kept|"
    "left|met|paid|put|read|run|said|set|sold|thought|understood|won|begun|broken|driven|forgotten|hidden|"
    "grown|drawn|led|felt|found|heard|lost|meant|taught|caught|cut|hit|hurt|let|shut|spread"
)
PASSIVE_RE = re.compile(rf"\b{_BE}\s+(?:\w+ly\s+)?(?:\w+ed|{_IRREGULAR})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Hint:
    """One thing worth a look: what kind, a sentence for the CM, and where in the text (if anywhere)."""

    kind: str
    """length, readability, sentence, passive, jargon, question, mention."""
    message: str
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class WritingAids:
    """Counts and hints for one text."""

    characters: int
    words: int
    sentences: int
    reading_ease: float | None
    """Flesch reading ease (higher is easier; 60–70 is plain English); None for very short texts."""
    average_sentence_words: float
    longest_sentence_words: int
    has_question: bool
    mentions: int
    topics: int
    links: int
    target: tuple[int, int] | None
    hints: tuple[Hint, ...]

    @property
    def length_state(self) -> str:
        """'short', 'ok' or 'long' against the target length (ok when there is no target)."""
        if self.target is None:
            return "ok"
        low, high = self.target
        return "short" if self.characters < low else "long" if self.characters > high else "ok"


@lru_cache(maxsize=1)
def _dictionary():  # noqa: ANN202 - pyphen has no type hints
    import pyphen

    return pyphen.Pyphen(lang="en_US")


@lru_cache(maxsize=20_000)
def syllables(word: str) -> int:
    """Syllables in an English word, from hyphenation points (good enough for a readability hint)."""
    w = word.lower().strip("'’-")
    if not w:
        return 0
    if w.isdigit():
        return max(1, len(w) // 2)
    # Hyphenation points + 1, as textstat counted before it moved to a downloaded dictionary.
    return len(_dictionary().positions(w)) + 1


def flesch_reading_ease(words: int, sentences: int, syllable_count: int) -> float:
    """Flesch's formula: 206.835 − 1.015 × words per sentence − 84.6 × syllables per word."""
    if not words or not sentences:
        return 0.0
    return round(206.835 - 1.015 * (words / sentences) - 84.6 * (syllable_count / words), 1)


def reading_ease_label(score: float) -> str:
    """Flesch's own bands, in words a CM can repeat to an exec."""
    for floor, label in ((90, "very easy"), (70, "easy"), (60, "plain English"), (50, "fairly hard"),
                         (30, "hard"), (-1000, "very hard")):
        if score >= floor:
            return label
    return "very hard"


def _jargon_re(words: tuple[str, ...]) -> re.Pattern[str] | None:
    terms = sorted({w.strip().lower() for w in words if w.strip()}, key=len, reverse=True)
    if not terms:
        return None
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in terms) + r")(?![\w-])",
                      re.IGNORECASE)


jargon_pattern = lru_cache(maxsize=8)(_jargon_re)


def analyse(
    text: str, *, kind: PostKind | None = None, target: tuple[int, int] | None = None,
    jargon: tuple[str, ...] = tuple(DEFAULT_JARGON), max_hints_per_kind: int = 5,
) -> WritingAids:
    """Counts, readability and hints for a text; pure and fast enough to run as the user types."""
    # A link or a mention counts as one word and its dots never end a sentence.
    masked = MENTION_RE.sub(lambda m: "x" * len(m.group()), LINK_RE.sub(lambda m: "x" * len(m.group()), text))
    words = list(WORD_RE.finditer(masked))
    sentences = [m for m in SENTENCE_RE.finditer(masked) if WORD_RE.search(m.group())]
    lengths = [(len(WORD_RE.findall(m.group())), m.start(), m.end()) for m in sentences]
    n_words, n_sent = len(words), max(1, len(sentences)) if words else 0
    ease = None
    if n_words >= 10:
        ease = flesch_reading_ease(n_words, n_sent, sum(syllables(m.group()) if len(m.group()) < 40 else 3 for m in words))
    has_question = "?" in text
    mentions, topics, links = (len(r.findall(text)) for r in (MENTION_RE, TOPIC_RE, LINK_RE))
    hints: list[Hint] = []
    chars = len(text.strip())
    if target is not None and chars:
        low, high = target
        if chars > high:
            hints.append(Hint("length", f"{chars - high:,} characters over the {high:,} aimed for; what could go?"))
        elif chars < low and n_words >= 3:
            hints.append(Hint("length", f"Shorter than the {low:,} characters aimed for; room for one concrete detail."))
    if ease is not None:
        label = reading_ease_label(ease)
        advice = " Shorter sentences and words help." if ease < 50 else ""
        hints.append(Hint("readability", f"Reads as {label} (Flesch {ease:.0f}).{advice}"))
    long_ones = [(n, s, e) for n, s, e in lengths if n > LONG_SENTENCE_WORDS]
    for n, s, e in long_ones[:max_hints_per_kind]:
        hints.append(Hint("sentence", f"A {n}-word sentence; could it be two?", s, e))
    for m in list(PASSIVE_RE.finditer(text))[:max_hints_per_kind]:
        hints.append(Hint("passive", f"“{m.group()}” is passive; who did it?", m.start(), m.end()))
    pattern = jargon_pattern(tuple(jargon))
    if pattern is not None:
        for m in list(pattern.finditer(text))[:max_hints_per_kind]:
            hints.append(Hint("jargon", f"“{m.group()}” sounds like corporate jargon; say it plainly?", m.start(), m.end()))
    if n_words >= 5 and kind != PostKind.TOUGH_QUESTION_REPLY:
        if not has_question and not mentions:
            hints.append(Hint("question", "No question or @mention yet; ending with one invites replies."))
        elif not has_question:
            hints.append(Hint("question", "No question yet; a question invites replies."))
    return WritingAids(
        characters=len(text), words=n_words, sentences=len(sentences), reading_ease=ease,
        average_sentence_words=round(n_words / n_sent, 1) if n_sent else 0.0,
        longest_sentence_words=max((n for n, _, _ in lengths), default=0),
        has_question=has_question, mentions=mentions, topics=topics, links=links, target=target,
        hints=tuple(hints),
    )


def jargon_words(ws: Workspace) -> list[str]:
    """The CM's jargon list."""
    return [str(w) for w in settings.get(ws, JARGON_WORDS)]


def set_jargon_words(ws: Workspace, *, words: list[str]) -> list[str]:
    """Replace the jargon list (blank lines and duplicates dropped)."""
    clean: list[str] = []
    for w in words:
        w = " ".join(w.split())[:100]
        if w and w.lower() not in (c.lower() for c in clean):
            clean.append(w)
    settings.put(ws, JARGON_WORDS, clean)
    return clean


def analyse_for(ws: Workspace, text: str, *, kind: PostKind) -> WritingAids:
    """``analyse`` with the workspace's target length for the kind and its jargon list."""
    from esncoach.services.posts import target_length

    return analyse(text, kind=kind, target=target_length(ws, kind), jargon=tuple(jargon_words(ws)))
