"""Closed vocabularies of the coaching domain, shared by models, services and views."""

from __future__ import annotations

import enum


class LadderStage(enum.Enum):
    """The adoption ladder, lowest rung first: execs climb one small step at a time."""

    LISTEN = "listen"
    LIKE = "like"
    COMMENT = "comment"
    SHORT_UPDATES = "short_updates"
    LONG_FORM = "long_form"
    DIALOGUE = "dialogue"

    @property
    def rank(self) -> int:
        return list(LadderStage).index(self)

    @property
    def label(self) -> str:
        return STAGE_LABELS[self]

    def next(self) -> LadderStage | None:
        stages = list(LadderStage)
        return stages[self.rank + 1] if self.rank + 1 < len(stages) else None

    @classmethod
    def parse(cls, text: str) -> LadderStage:
        """Accept a value, a name or a label, case-insensitively (for CLI and CSV input)."""
        key = text.strip().lower().replace("-", "_").replace(" ", "_")
        for stage in cls:
            if key in (stage.value, stage.name.lower(), stage.label.lower().replace(" ", "_")):
                return stage
        raise ValueError(f"unknown ladder stage {text!r}; expected one of: {', '.join(s.value for s in cls)}")


STAGE_LABELS = {
    LadderStage.LISTEN: "Listen",
    LadderStage.LIKE: "Like",
    LadderStage.COMMENT: "Comment",
    LadderStage.SHORT_UPDATES: "Short updates",
    LadderStage.LONG_FORM: "Long-form posts",
    LadderStage.DIALOGUE: "Open dialogue",
}


class SupportRole(enum.Enum):
    """How a person helps an exec."""

    REVERSE_MENTOR = "reverse_mentor"
    ASSISTANT = "assistant"
    SPONSOR = "sponsor"


class SessionKind(enum.Enum):
    """The kinds of coaching meeting the playbooks describe."""

    ONE_ON_ONE = "one_on_one"
    REVERSE_MENTORING = "reverse_mentoring"
    ASSISTANT_BRIEFING = "assistant_briefing"
    PRIVATE_SPACE_REVIEW = "private_space_review"


class SessionStatus(enum.Enum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class ActionOwner(enum.Enum):
    EXEC = "exec"
    ASSISTANT = "assistant"
    MENTOR = "mentor"
    CM = "cm"


class HabitSchedule(enum.Enum):
    """Daily, weekdays, or N repetitions in a period of days (3 per 7 = three times a week)."""

    DAILY = "daily"
    WEEKDAYS = "weekdays"
    TIMES_PER_PERIOD = "times_per_period"


class CheckInResult(enum.Enum):
    DONE = "done"
    SKIPPED = "skipped"
    MISSED = "missed"


class PostKind(enum.Enum):
    SHORT_UPDATE = "short_update"
    LONG_FORM = "long_form"
    TOUGH_QUESTION_REPLY = "tough_question_reply"


class PostStatus(enum.Enum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    CHANGES_REQUESTED = "changes_requested"
    READY = "ready"
    PUBLISHED = "published"


class DraftedBy(enum.Enum):
    """Who typed the draft, so delegated posts stay honest."""

    EXEC = "exec"
    ASSISTANT = "assistant"
    CM = "cm"


class Metric(enum.Enum):
    """Engagement figures we know how to import and compare."""

    MESSAGES = "messages"
    REPLIES = "replies"
    LIKES = "likes"
    READS = "reads"
    ACTIVE_DAYS = "active_days"
    REPLIES_RECEIVED = "replies_received"
    CHAT_MESSAGES = "chat_messages"
