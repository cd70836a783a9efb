"""What one autosave and one hint refresh cost on a 100,000-character practice post, beside a plain word count.

Measures, in the same run: ``writing_aids.analyse`` (counts, Flesch via pyphen, hints), carrying 50 comment
anchors through a small edit (``feedback.map_span`` over ``posts.char_opcodes``, what autosave does), the
side-by-side diff of two revisions, and as a baseline ``len(text.split())``. Medians of several repeats.
Last line: one JSON object.
"""

from __future__ import annotations

import json
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from esncoach.models import PostKind  # noqa: E402
from esncoach.services.feedback import map_span  # noqa: E402
from esncoach.services.posts import char_opcodes, diff_segments  # noqa: E402
from esncoach.services.writing_aids import analyse  # noqa: E402

REPEATS = 7
WORDS = ("we decided to plan quarterly because our markets move faster than our budget cycle and teams "
         "waited months for money they needed in weeks leveraging synergies going forward was taken").split()


def _text(rng: random.Random, size: int) -> str:
    out: list[str] = []
    length = 0
    while length < size:
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 30))).capitalize() + rng.choice(".?.")
        out.append(sentence)
        length += len(sentence) + 1
    return " ".join(out)[:size]


def _median_ms(fn) -> float:  # noqa: ANN001
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def main() -> None:
    rng = random.Random(7)
    text = _text(rng, 100_000)
    edited = text[:50_000] + " A new sentence the exec typed. " + text[50_000:]
    rewritten = _text(random.Random(8), 100_000)
    anchors = sorted((s, s + 40) for s in rng.sample(range(0, 99_000), 50))

    def carry() -> None:
        ops = char_opcodes(text, edited)
        for s, e in anchors:
            map_span(text, edited, s, e, ops)

    result = {
        "chars": len(text),
        "baseline_split_ms": _median_ms(lambda: len(text.split())),
        "analyse_ms": _median_ms(lambda: analyse(text, kind=PostKind.LONG_FORM, target=(1200, 3000))),
        "autosave_carry_50_anchors_ms": _median_ms(carry),
        "compare_small_edit_ms": _median_ms(lambda: diff_segments(text, edited)),
        "compare_full_rewrite_ms": _median_ms(lambda: diff_segments(text, rewritten)),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
