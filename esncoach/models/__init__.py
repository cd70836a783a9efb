"""The ORM tables of the whole product; import from here so every mapper is registered."""

from __future__ import annotations

from esncoach.models.base import Base
from esncoach.models.coaching import ActionItem, AgendaTemplate, CoachingSession, session_tags
from esncoach.models.enums import (
    ActionOwner,
    CheckInResult,
    DraftedBy,
    HabitSchedule,
    LadderStage,
    Metric,
    PostKind,
    PostStatus,
    SessionKind,
    SessionStatus,
    SupportRole,
)
from esncoach.models.habits import CheckIn, Habit
from esncoach.models.ladder import StageChange
from esncoach.models.metrics import ImportBatch, MetricSample
from esncoach.models.network import CommunityFigure, LeaderAsk, ListeningTerm, ListeningThread, NetworkDistribution
from esncoach.models.people import Exec, ExecSupport, Person, Tag, WatchTheme, WorkspaceSetting, exec_tags
from esncoach.models.posts import Feedback, PostPrompt, PracticePost, Revision, RubricScore, post_tags

__all__ = [
    "ActionItem", "ActionOwner", "AgendaTemplate", "Base", "CheckIn", "CheckInResult", "CoachingSession",
    "DraftedBy", "Exec", "ExecSupport", "Feedback", "Habit", "HabitSchedule", "ImportBatch", "LadderStage",
    "Metric", "MetricSample", "Person", "PostKind", "PostPrompt", "PostStatus", "PracticePost", "Revision",
    "RubricScore", "SessionKind", "SessionStatus", "StageChange", "SupportRole", "Tag", "WatchTheme",
    "WorkspaceSetting", "exec_tags", "post_tags", "session_tags",
    "CommunityFigure", "LeaderAsk", "ListeningTerm", "ListeningThread", "NetworkDistribution",
]
