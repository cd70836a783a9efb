"""Where an exec stands among everyone on the network, from a stored distribution (never per-person rows).

Assumptions (see ``percentile_of``):

* The population of a distribution is everyone the import saw with a value for that metric and period:
  for Messages.csv, everyone who posted at least once that calendar month; for a user-detail report,
  everyone the report lists for its period (zeros included, as the report gives them).
* Each person's value is binned (``sketch_bin``): exactly below 1,000 (counts are integers), to three
  significant digits above (at most 0.5% off), so the sketch has a few hundred bins at most and holds no
  identity. Percentiles computed from it equal the brute-force ones on binned values.
* The percentile is the mid-rank one: the share of people below the exec plus half of those level with
  them, times 100. "Top X%" is ``100 - percentile``. An exec with no value recorded for the period has
  no percentile (None): they are not among the people the distribution counts.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field

EXACT_BELOW = 1000


def sketch_bin(value: float) -> float:
    """The histogram bin of a per-person value: exact under 1,000, else three significant digits."""
    if value < EXACT_BELOW:
        return float(round(value, 2))
    return float(f"{value:.3g}")


@dataclass
class Sketch:
    """A histogram of per-person values for one metric and period: values and how many people had each."""

    bins: Counter = field(default_factory=Counter)

    def add(self, value: float) -> None:
        """Count one person's value."""
        self.bins[sketch_bin(value)] += 1

    @property
    def people(self) -> int:
        """How many people the sketch counts."""
        return sum(self.bins.values())

    def to_json(self) -> str:
        """``[[bin, people], ...]`` ascending, for ``NetworkDistribution.sketch_json``."""
        return json.dumps(sorted([b, n] for b, n in self.bins.items()), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Sketch:
        """The sketch stored by ``to_json``."""
        return cls(Counter({float(b): int(n) for b, n in json.loads(text)}))


def percentile_of(sketch: Sketch, value: float) -> float | None:
    """The mid-rank percentile (0–100) of ``value`` among the sketch's people; None for an empty sketch."""
    total = sketch.people
    if total == 0:
        return None
    target = sketch_bin(max(0.0, value))
    below = sum(n for b, n in sketch.bins.items() if b < target)
    level = sketch.bins.get(target, 0)
    return round(100.0 * (below + 0.5 * level) / total, 1)


def brute_force_percentile(values: list[float], value: float) -> float | None:
    """The same percentile from every person's value (for tests: the sketch must agree with it)."""
    if not values:
        return None
    target = sketch_bin(value)
    binned = [sketch_bin(v) for v in values]
    below = sum(1 for v in binned if v < target)
    level = sum(1 for v in binned if v == target)
    return round(100.0 * (below + 0.5 * level) / len(values), 1)


def top_share(percentile: float | None) -> float | None:
    """"Top X%": the share of people at or above the exec's level."""
    return None if percentile is None else round(100.0 - percentile, 1)
