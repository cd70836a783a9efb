"""The areas shown as tabs on an exec's page, in order; each feature adds one entry here.

Entries are (title, "module:Class") so a tab's module (and what it imports, e.g. pyqtgraph) loads only
when the exec page is first built.
"""

from __future__ import annotations

EXEC_TABS: list[tuple[str, str]] = [
    ("Overview", "esncoach.views.execs.overview:ExecOverviewTab"),
    ("Engagement", "esncoach.views.metrics.impact_panel:ImpactTab"),
    ("Leadership", "esncoach.views.metrics.leader_tab:LeaderTab"),
    ("Progress", "esncoach.views.charts.progress_page:ProgressTab"),
    ("Sessions", "esncoach.views.sessions.tab:SessionsTab"),
    ("Habit && ladder", "esncoach.views.habits.tab:HabitTab"),
    ("Practice posts", "esncoach.views.posts.tab:PostsTab"),
    ("Timeline", "esncoach.views.execs.timeline_tab:TimelineTab"),
]
