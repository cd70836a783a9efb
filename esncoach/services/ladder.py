"""The adoption ladder: moving an exec up or back with a date and a reason, and saying when they look ready.

Readiness is judged from evidence the workspace holds, against thresholds the CM tunes as workspace
settings: habit strength held above a level for several weeks, enough done check-ins since reaching
the stage, enough time at the stage, and (from the stage where writing starts) posts reviewed at it.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from esncoach.models import (
    CheckIn,
    CheckInResult,
    Exec,
    Feedback,
    Habit,
    LadderStage,
    PostStatus,
    PracticePost,
    Revision,
    StageChange,
    WorkspaceSetting,
)
from esncoach.services import settings, validation
from esncoach.services.habits import Schedule, compute_scores
from esncoach.store.errors import ValidationError
from esncoach.store.workspace import Workspace

REASON_MAX = 2_000

MIN_STRENGTH = settings.declare("ladder.min_strength", 0.6)
STRENGTH_WEEKS = settings.declare("ladder.strength_weeks", 3)
MIN_CHECKINS = settings.declare("ladder.min_checkins_at_stage", 10)
MIN_DAYS_AT_STAGE = settings.declare("ladder.min_days_at_stage", 21)
MIN_REVIEWED_POSTS = settings.declare("ladder.min_reviewed_posts", 1)
POSTS_FROM_STAGE = settings.declare("ladder.posts_required_from_stage", LadderStage.COMMENT.value)


@dataclass(frozen=True)
class StageChangeRow:
    """One move on the ladder."""

    id: int
    exec_id: int
    from_stage: LadderStage | None
    stage: LadderStage
    changed_on: dt.date
    reason: str

    @property
    def direction(self) -> str:
        """"start", "up" or "back"."""
        if self.from_stage is None:
            return "start"
        return "up" if self.stage.rank > self.from_stage.rank else "back"


@dataclass(frozen=True)
class Readiness:
    """Whether an exec looks ready for the next stage, with the evidence for and what is still missing."""

    exec_id: int
    exec_name: str
    stage: LadderStage
    next_stage: LadderStage | None
    ready: bool
    reasons: tuple[str, ...]
    missing: tuple[str, ...]

    def summary(self) -> str:
        """One paragraph a CM can paste as the reason for the move."""
        return "; ".join(self.reasons)


def read_settings(ws: Workspace, keys: tuple[str, ...]) -> dict[str, object]:
    """Several declared workspace settings in one transaction (``settings.get`` opens one per key)."""
    defaults = settings.declared()
    with ws.session() as s:
        stored = {r.key: json.loads(r.value_json)
                  for r in s.scalars(select(WorkspaceSetting).where(WorkspaceSetting.key.in_(keys)))}
    return {k: stored.get(k, defaults[k]) for k in keys}


def stage_history(ws: Workspace, *, exec_id: int) -> list[StageChangeRow]:
    """Every move of the exec on the ladder, oldest first (the first is where coaching started)."""
    with ws.session() as s:
        rows = s.scalars(
            select(StageChange).where(StageChange.exec_id == exec_id)
            .order_by(StageChange.changed_on, StageChange.id)
        ).all()
        return [StageChangeRow(r.id, r.exec_id, r.from_stage, r.stage, r.changed_on, r.reason) for r in rows]


def move_stage(
    ws: Workspace, *, exec_id: int, to_stage: LadderStage, on: dt.date | None = None, reason: str,
    today: dt.date | None = None,
) -> int:
    """Move an exec up or back to a stage on a day, for a reason; the history keeps every move."""
    today = today or dt.date.today()
    on = on or today
    clean_reason = validation.text(reason, "reason", max_len=REASON_MAX, required=True)
    validation.date(on, "date", allow_future=False, today=today)
    with ws.session() as s:
        ex = s.get(Exec, exec_id)
        if ex is None:
            raise ValidationError("exec", "That executive no longer exists.")
        if ex.stage == to_stage:
            raise ValidationError("stage", f"{ex.name} is already at “{to_stage.label}”.")
        last = s.scalar(select(func.max(StageChange.changed_on)).where(StageChange.exec_id == exec_id))
        if last is not None and on < last:
            raise ValidationError("date", f"The last move was on {last.isoformat()}; a new move cannot be dated earlier.")
        change = StageChange(exec_id=exec_id, from_stage=ex.stage, stage=to_stage, changed_on=on, reason=clean_reason)
        s.add(change)
        ex.stage = to_stage
        s.flush()
        return change.id


def _reviewed_posts(s, exec_id: int, stage: LadderStage, since: dt.date) -> int:  # type: ignore[no-untyped-def]
    """Posts written at the stage (or, untagged, since reaching it) that got feedback or a verdict."""
    commented = select(Revision.post_id).join(Feedback, Feedback.revision_id == Revision.id)
    return s.scalar(
        select(func.count()).select_from(PracticePost).where(
            PracticePost.exec_id == exec_id,
            or_(PracticePost.stage == stage,
                and_(PracticePost.stage.is_(None), PracticePost.created_at >= dt.datetime.combine(since, dt.time()))),
            or_(PracticePost.status.in_([PostStatus.READY, PostStatus.PUBLISHED, PostStatus.CHANGES_REQUESTED]),
                PracticePost.id.in_(commented)),
        )
    ) or 0


def readiness(ws: Workspace, *, exec_id: int, today: dt.date | None = None) -> Readiness:
    """Judge one exec against the ladder thresholds; ``reasons`` are the evidence, ``missing`` what is not there yet."""
    today = today or dt.date.today()
    values = read_settings(ws, (MIN_STRENGTH, STRENGTH_WEEKS, MIN_CHECKINS, MIN_DAYS_AT_STAGE, MIN_REVIEWED_POSTS,
                                POSTS_FROM_STAGE))
    min_strength = float(values[MIN_STRENGTH])
    weeks = int(values[STRENGTH_WEEKS])
    min_checkins = int(values[MIN_CHECKINS])
    min_days = int(values[MIN_DAYS_AT_STAGE])
    min_posts = int(values[MIN_REVIEWED_POSTS])
    posts_from = LadderStage(values[POSTS_FROM_STAGE])
    with ws.session() as s:
        ex = s.get(Exec, exec_id)
        if ex is None:
            raise ValidationError("exec", "That executive no longer exists.")
        nxt = ex.stage.next()
        since = s.scalar(
            select(func.max(StageChange.changed_on)).where(StageChange.exec_id == exec_id, StageChange.stage == ex.stage)
        ) or today
        reasons: list[str] = []
        missing: list[str] = []
        if nxt is None:
            return Readiness(exec_id, ex.name, ex.stage, None, False, (), ("Already at the top of the ladder.",))

        days = (today - since).days
        (reasons if days >= min_days else missing).append(
            f"{days} days at “{ex.stage.label}” (at least {min_days})"
        )

        habit = s.scalar(
            select(Habit).options(selectinload(Habit.check_ins))
            .where(Habit.exec_id == exec_id, Habit.ended_on.is_(None)).order_by(Habit.started_on.desc())
        )
        if habit is None:
            missing.append("no current habit to judge")
        else:
            window_start = today - dt.timedelta(days=7 * weeks)
            scores = compute_scores(Schedule.of(habit), {c.day: c.result for c in habit.check_ins},
                                    habit.started_on, today, today=today)
            window = [v for d, v in scores if d >= window_start]
            held = habit.started_on <= window_start and bool(window) and min(window) >= min_strength
            lowest = min(window) if window else 0.0
            text = (f"habit strength at least {min_strength:.0%} for {weeks} weeks (lowest {lowest:.0%}, "
                    f"now {scores[-1][1] if scores else 0:.0%})")
            (reasons if held else missing).append(text)

        done = s.scalar(
            select(func.count()).select_from(CheckIn).join(Habit, Habit.id == CheckIn.habit_id)
            .where(Habit.exec_id == exec_id, CheckIn.result == CheckInResult.DONE, CheckIn.day >= since,
                   CheckIn.day <= today)
        ) or 0
        (reasons if done >= min_checkins else missing).append(
            f"{done} check-in{'' if done == 1 else 's'} done since reaching the stage (at least {min_checkins})"
        )

        if ex.stage.rank >= posts_from.rank and min_posts > 0:
            reviewed = _reviewed_posts(s, exec_id, ex.stage, since)
            (reasons if reviewed >= min_posts else missing).append(
                f"{reviewed} practice post{'s' if reviewed != 1 else ''} reviewed at this stage (at least {min_posts})"
            )
        return Readiness(exec_id, ex.name, ex.stage, nxt, not missing, tuple(reasons), tuple(missing))


def suggestions(ws: Workspace, *, today: dt.date | None = None) -> list[Readiness]:
    """Every active exec who looks ready for the next stage, by name."""
    with ws.session() as s:
        ids = s.scalars(select(Exec.id).where(Exec.archived.is_(False)).order_by(Exec.name)).all()
    return [r for r in (readiness(ws, exec_id=i, today=today) for i in ids) if r.ready]
