"""A deterministic demo workspace: the same people and story on every run, dated relative to today.

It is what a new user sees first and what the benchmarks and screenshots run on. Each area of the
product fills its own tables from its own module here, in dependency order.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from esncoach.store.workspace import Workspace

DEMO_SEED = 20261123
HISTORY_DAYS = 182


@dataclass
class DemoContext:
    """What the section builders share: the day the story ends, one seeded RNG, and created ids."""

    today: dt.date
    rng: random.Random
    exec_ids: dict[str, int]
    person_ids: dict[str, int]

    @property
    def start(self) -> dt.date:
        return self.today - dt.timedelta(days=HISTORY_DAYS)


def build_demo(ws: Workspace, *, today: dt.date | None = None) -> DemoContext:
    """Fill an empty workspace with the demo story; refuses a workspace that already has execs."""
    from sqlalchemy import func, select

    from esncoach.demo import coaching, habits, metrics, network, posts, roster
    from esncoach.models import Exec
    from esncoach.store.errors import StoreError

    with ws.session() as s:
        if s.scalar(select(func.count()).select_from(Exec)):
            raise StoreError("The demo workspace can only be created in an empty workspace.")
    ctx = DemoContext(today=today or dt.date.today(), rng=random.Random(DEMO_SEED), exec_ids={}, person_ids={})
    with ws.session() as s:
        roster.build(s, ctx)
        coaching.build(s, ctx)
        habits.build(s, ctx)
        posts.build(s, ctx)
        metrics.build(s, ctx)
        network.build(s, ctx)
    return ctx
