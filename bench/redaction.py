"""What the redaction of every spelling costs, next to the exact-name regex it replaced, in the same run.

Builds a subject and N other people (default 200 execs with e-mails and handles; BENCH_PEOPLE to change,
BENCH_QUICK=1 for 50 people and fewer rounds), then redacts paragraphs of typical coaching text (about
650 characters, one mention in five of them) with:

- ``redaction.Redactor`` (folding, every spelling, run look-ups), and
- the baseline: one case-insensitive alternation of the exact full names and e-mails, as reports did
  before issue #15.

Reports medians of building the redactor and of one paragraph, wall and CPU time. Last line: one JSON object.
"""

from __future__ import annotations

import json
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from esncoach.services.redaction import Redactor, Someone  # noqa: E402

QUICK = os.environ.get("BENCH_QUICK") == "1"
PEOPLE = int(os.environ.get("BENCH_PEOPLE", "50" if QUICK else "200"))
ROUNDS = 5 if QUICK else 15
PARAGRAPHS = 40 if QUICK else 200
SYLLABLES = ["ma", "ri", "ko", "lu", "an", "te", "sa", "vo", "ne", "di", "ra", "jo", "el", "is", "or", "é", "ø"]
FILLER = ("We agreed to practise replying to comments on the town hall thread and to draft a short update "
          "about the quarterly results before the next session. ")


def _name(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).title()


def _people(rng: random.Random) -> list[Someone]:
    out = []
    for i in range(PEOPLE + 1):
        first, last = _name(rng), _name(rng) + _name(rng).lower()
        out.append(Someone(f"{first} {last}", f"{first.lower()}.{last.lower()}{i}@example.com", f"@{first.lower()}{i}"))
    return out


def _baseline(others: list[Someone]):  # type: ignore[no-untyped-def]
    words = sorted({w for p in others for w in (p.name, p.email) if w}, key=len, reverse=True)
    pattern = re.compile(rf"(?<!\w)(?:{'|'.join(map(re.escape, words))})(?!\w)", re.IGNORECASE)
    return lambda text: pattern.sub("another executive", text)


def _time(fn, *args) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    w, c = time.perf_counter(), time.process_time()
    fn(*args)
    return time.perf_counter() - w, time.process_time() - c


def main() -> None:
    rng = random.Random(15)
    people = _people(rng)
    subject, others = people[0], people[1:]
    texts = []
    for i in range(PARAGRAPHS):
        text = FILLER * 4
        if i % 5 == 0:
            p = rng.choice(others)
            text += rng.choice([p.name, p.name.split()[1].upper(), p.email or "", f"{p.name.split()[0]} said"])
        texts.append(text)
    results: dict[str, dict[str, float]] = {}
    for label, build in (("every_spelling", lambda: Redactor(others=others, subject=[subject])),
                         ("exact_names_baseline", lambda: _baseline(others))):
        builds, per_text_wall, per_text_cpu = [], [], []
        for _ in range(ROUNDS):
            wall, _cpu = _time(build)
            builds.append(wall)
            clean = build()
            wall, cpu = _time(lambda: [clean(t) for t in texts])
            per_text_wall.append(wall / len(texts))
            per_text_cpu.append(cpu / len(texts))
        results[label] = {"build_ms": round(statistics.median(builds) * 1000, 2),
                          "paragraph_ms": round(statistics.median(per_text_wall) * 1000, 3),
                          "paragraph_cpu_ms": round(statistics.median(per_text_cpu) * 1000, 3)}
        print(f"{label:>22}: build {results[label]['build_ms']} ms, one paragraph "
              f"{results[label]['paragraph_ms']} ms (CPU {results[label]['paragraph_cpu_ms']} ms)")
    print(json.dumps({"bench": "redaction", "people": PEOPLE, "paragraph_chars": len(texts[0]), **results}))


if __name__ == "__main__":
    main()
