"""One redaction for every output about one exec: other execs and the people around them, in any spelling.

A ``Redactor`` is built for a *subject* (the exec a report, a brief or a coaching session is about).
It knows every other exec — archived ones too — and every person linked only to other execs
(assistants, reverse mentors, sponsors), and finds them in free text however they are written
(``esncoach.services.name_variants``): full name, surname, first name + surname initial, an
``@handle`` (the stored one or any ``@`` + name form), an e-mail address or its local part; case-,
accent-, apostrophe-, hyphen- and whitespace-insensitive. The replacement lands on the original text.

Rules:
- The subject's own names, e-mail and handle, and the people around the subject, are never redacted,
  even where another person shares a first name or surname with them (that spelling is then left alone).
- A first name alone is ambiguous ("Grace", "Will"): it counts only when written as a name
  (capitalised) and when it is another person's first name but not the subject's. With
  ``ambiguous="replace"`` (coaching mode, on a shared screen) it is replaced; with ``"flag"`` (reports,
  checked before they are shared) it is kept and listed in ``possible_mentions`` with the phrase around it.
- A surname alone is replaced when written as a name ("Castillo", "CASTILLO"). Written in lower case it
  may be an ordinary word ("post", "green" for Maria Post or Tom Green): it is never replaced, only
  listed for review. In scripts without case (Chinese, Arabic) every spelling counts as written as a name,
  and a full name in a script written without spaces is found inside longer runs of text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

from sqlalchemy import select

from esncoach.models import ActionItem, CoachingSession, Exec, ExecSupport, Person
from esncoach.services.name_variants import AMBIGUOUS_KINDS, Folded, at_keys, fold, fold_plain, squash, variants
from esncoach.store.workspace import Workspace

OTHER_EXEC = "another executive"
OTHER_PERSON = "someone else"
Who = Literal["exec", "person"]
Ambiguous = Literal["replace", "flag"]
CONTEXT_WORDS = 4

_EMAIL = r"[\w.+'\-]+@[\w\-]+(?:\.[\w\-]+)+"
_AT = r"(?<![\w@])@\w[\w'.\-]*"
_RUN_RE = re.compile(r"[^\W_]+")
_STAMP = re.compile(r"\[\d{1,2}:\d{2}\]")
_SEPARATORS = " '-._"
"""What may stand between the words of a name (after folding: every space is " ", every dash "-")."""


@dataclass(frozen=True)
class Someone:
    """A person to find: an exec or someone around one."""

    name: str
    email: str | None = None
    handle: str | None = None
    who: Who = "exec"


@dataclass(frozen=True)
class Found:
    """One mention in a text: its original span and whether it is certain or only a first name."""

    start: int
    end: int
    text: str
    who: Who
    certain: bool
    weak: bool = False
    """A lower-case surname alone: maybe an ordinary word; listed for review, never replaced."""


@dataclass(frozen=True)
class PossibleMention:
    """A first name alone that may be another exec's, with the phrase around it as it will be shown."""

    phrase: str
    name: str


@dataclass
class Redactor:
    """Finds and replaces other people in free text for one subject; remembers what it only flagged."""

    others: list[Someone]
    subject: list[Someone]
    ambiguous: Ambiguous = "flag"
    flagged: list[PossibleMention] = field(default_factory=list)

    def __post_init__(self) -> None:
        protected: set[str] = set()
        protected_at: set[str] = set()
        protected_emails: set[str] = set()
        for p in self.subject:
            protected |= {v.key for v in variants(p.name, p.email, p.handle)}
            protected_at |= at_keys(p.name, p.email, p.handle)
            if p.email:
                protected_emails.add(fold_plain(p.email))
        self._names: dict[str, tuple[Who, bool]] = {}
        self._initials: set[str] = set()
        kinds: dict[str, set[str]] = {}
        self._at: dict[str, Who] = {}
        self._emails: dict[str, Who] = {}
        for p in self.others:
            if p.email and fold_plain(p.email) not in protected_emails:
                self._emails[fold_plain(p.email)] = _stronger(self._emails.get(fold_plain(p.email)), p.who)
            for key in at_keys(p.name, p.email, p.handle) - protected_at:
                self._at[key] = _stronger(self._at.get(key), p.who)
            for v in variants(p.name, p.email, p.handle):
                if v.kind == "email" or v.key in protected or len(v.key) < 2:
                    continue
                certain = v.kind not in AMBIGUOUS_KINDS
                old = self._names.get(v.key)
                self._names[v.key] = (_stronger(old[0] if old else None, p.who), certain or bool(old and old[1]))
                if v.kind == "initial":
                    self._initials.add(v.key)
                kinds.setdefault(v.key, set()).add("word" if v.kind in ("surname", "first") or
                                                   (v.kind == "full" and len(v.runs) == 1) else v.kind)
        self._words_only = {k for k, ks in kinds.items() if ks == {"word"}}
        # Chinese or Japanese is written without spaces: a full name there is looked for inside the text's runs.
        self._unspaced = sorted((k for k, (_who, certain) in self._names.items()
                                 if certain and len(k) >= 2 and all(_unspaced_letter(c) for c in k)), key=len,
                                reverse=True)
        # Every prefix of every spelling: the scan stops as soon as the words read so far lead nowhere.
        self._prefixes = {k[:i] for k in self._names for i in range(1, len(k) + 1)}
        self._regex = re.compile(rf"(?P<email>{_EMAIL})|(?P<at>{_AT})")

    # -- finding -----------------------------------------------------------------------------------

    def find(self, text: str) -> list[Found]:
        """Every mention of someone else in ``text`` (original spans), first names alone marked uncertain.

        E-mail addresses and @-mentions are found by a small regular expression; names by walking the
        folded text's runs of letters: from each run, runs joined by separators only (spaces, apostrophes,
        hyphens, dots, underscores — or none inside a run, as in "OConnor") are looked up as one squashed
        key, the longest spelling wins. Dictionary look-ups keep this linear in the text, whatever the
        number of people (one alternation of every spelling was 30 ms per paragraph with 200 execs).
        """
        if not text:
            return []
        folded = fold(text)
        ft = folded.text
        found: list[Found] = []
        taken: list[tuple[int, int]] = []
        for m in self._regex.finditer(ft):
            f = self._judge(m, folded)
            if f is not None:
                found.append(f)
                taken.append(m.span())
        runs = [(m.start(), m.end(), m.group()) for m in _RUN_RE.finditer(ft)]
        free = [not any(a <= r[0] < b for a, b in taken) for r in runs]
        i = 0
        while i < len(runs):
            if not free[i]:
                i += 1
                continue
            best: tuple[int, str] | None = None
            acc = ""
            for j in range(i, len(runs)):
                if j > i and (not free[j] or ft[runs[j - 1][1]:runs[j][0]].strip(_SEPARATORS)):
                    break
                acc += runs[j][2]
                if acc in self._names:
                    best = (j, acc)
                if acc not in self._prefixes:
                    break
            if best is None:
                i += 1
                continue
            j, key = best
            end = runs[j][1]
            if key in self._initials and ft[end:end + 1] == ".":
                end += 1
            f = self._name_found(folded, runs[i][0], end, key)
            if f is not None:
                found.append(f)
            i = j + 1
        for key in self._unspaced:
            at = ft.find(key)
            while at >= 0:
                a, b = folded.span(at, at + len(key))
                if not any(f.start < b and a < f.end for f in found):
                    hit = self._name_found(folded, at, at + len(key), key)
                    if hit is not None:
                        found.append(hit)
                at = ft.find(key, at + len(key))
        return sorted(found, key=lambda f: f.start)

    def _name_found(self, folded: Folded, start: int, end: int, key: str) -> Found | None:
        who, certain = self._names[key]
        a, b = folded.span(start, end)
        original = folded.original[a:b]
        first = original[:1]
        # Written as a name: capitalised, or in a script without case (a Chinese or Arabic name).
        if first.isupper() or first.lower() == first.upper() or key not in self._words_only:
            return Found(a, b, original, who, certain)
        if not certain:
            return None  # "will", "grace" as words
        return Found(a, b, original, who, False, weak=True)  # "post", "green": listed, not replaced

    def _judge(self, m: re.Match[str], folded: Folded) -> Found | None:
        start, end = m.span()
        if m.lastgroup == "at":
            body = m.group().rstrip("'.-")
            end = start + len(body)
            who = self._at.get(squash(body[1:]))
        else:
            address = m.group()
            who = self._emails.get(address) or self._at.get(squash(address.rsplit("@", 1)[0]))
        if who is None:
            return None  # not someone we know: the names inside it are still looked for
        a, b = folded.span(start, end)
        return Found(a, b, folded.original[a:b], who, True)

    # -- replacing ---------------------------------------------------------------------------------

    def __call__(self, text: str) -> str:
        """``text`` with other people replaced; first names alone replaced or flagged as configured."""
        if not text:
            return text
        out: list[str] = []
        flagged_at: list[tuple[int, int, str]] = []
        pos = 0
        length = 0
        for f in self.find(text):
            out.append(text[pos:f.start])
            length += f.start - pos
            if f.certain or (self.ambiguous == "replace" and not f.weak):
                word = replacement(text, f)
                out.append(word)
                length += len(word)
            else:
                out.append(f.text)
                flagged_at.append((length, length + len(f.text), f.text))
                length += len(f.text)
            pos = f.end
        out.append(text[pos:])
        result = "".join(out)
        for a, b, name in flagged_at:
            mention = PossibleMention(_phrase(result, a, b), " ".join(name.split()))
            if mention not in self.flagged:
                self.flagged.append(mention)
        return result

    def has_mentions(self, text: str) -> bool:
        """Whether ``text`` names someone else (first names alone included)."""
        return bool(self.find(text))


def replacement(text: str, found: Found) -> str:
    """What replaces ``found`` in ``text``: "another executive" or "someone else", capitalised at a sentence start."""
    word = OTHER_EXEC if found.who == "exec" else OTHER_PERSON
    return word[0].upper() + word[1:] if _sentence_start(text, found.start) else word


def _unspaced_letter(c: str) -> bool:
    """A letter of a script written without spaces between words (Han, kana, Thai and the like)."""
    name = unicodedata.name(c, "")
    return name.startswith(("CJK UNIFIED", "CJK COMPATIBILITY", "HIRAGANA", "KATAKANA", "THAI", "LAO", "KHMER",
                            "MYANMAR", "HANGUL"))


def _stronger(old: Who | None, new: Who) -> Who:
    return "exec" if "exec" in (old, new) else new


def _sentence_start(text: str, at: int) -> bool:
    before = text[:at].rstrip(" \t\u00a0")
    line = before.rsplit("\n", 1)[-1]
    # "[10:42] Another executive called": a quick note's time stamp starts the sentence too.
    return not before or before[-1] in ".!?\n" or bool(_STAMP.fullmatch(line))


def _phrase(text: str, a: int, b: int) -> str:
    """A few words either side of ``text[a:b]``, whitespace collapsed, "…" where cut."""
    before = text[:a].split()
    after = text[b:].split()
    left = before[-CONTEXT_WORDS:]
    right = after[:CONTEXT_WORDS]
    glue_left = text[:a][-1:].isspace() or not text[:a]
    glue_right = text[b:][:1].isspace() or not text[b:]
    core = text[a:b]
    if left and not glue_left:
        core = left.pop() + core
    if right and not glue_right:
        core = core + right.pop(0)
    words = left + [core] + right
    phrase = "".join(c for c in " ".join(" ".join(words).split()) if unicodedata.category(c) not in ("Cc", "Cf"))
    return ("… " if len(before) > len(left) else "") + phrase + (" …" if len(after) > CONTEXT_WORDS else "")


# -- building one for a subject ----------------------------------------------------------------------


def for_execs(ws: Workspace, *, about: set[int], ambiguous: Ambiguous = "flag") -> Redactor:
    """The redactor for outputs about the execs in ``about``: everyone else, execs (archived too) and the
    people linked only to them, is found; the subjects and the people around them are kept."""
    with ws.session() as s:
        execs = s.execute(select(Exec.id, Exec.name, Exec.email, Exec.handle)).all()
        links = s.execute(select(ExecSupport.person_id, ExecSupport.exec_id)).all()
        people = {pid: (name, email) for pid, name, email in s.execute(select(Person.id, Person.name, Person.email))}
        around = {pid for pid, eid in links if eid in about}
        if about:
            around |= set(s.scalars(select(CoachingSession.mentor_id).where(
                CoachingSession.exec_id.in_(about), CoachingSession.mentor_id.is_not(None))))
            around |= set(s.scalars(select(ActionItem.owner_person_id).where(
                ActionItem.exec_id.in_(about), ActionItem.owner_person_id.is_not(None))))
    subject = [Someone(n, e, h, "exec") for i, n, e, h in execs if i in about]
    subject += [Someone(people[pid][0], people[pid][1], None, "person") for pid in around if pid in people]
    others = [Someone(n, e, h, "exec") for i, n, e, h in execs if i not in about]
    linked_elsewhere = {pid for pid, eid in links if eid not in about}
    others += [Someone(people[pid][0], people[pid][1], None, "person")
               for pid in sorted(linked_elsewhere - around) if pid in people]
    return Redactor(others=others, subject=subject, ambiguous=ambiguous)


def for_exec(ws: Workspace, *, exec_id: int, ambiguous: Ambiguous = "flag") -> Redactor:
    """The redactor for one exec's outputs (reports flag first names; coaching mode passes ``"replace"``)."""
    return for_execs(ws, about={exec_id}, ambiguous=ambiguous)
