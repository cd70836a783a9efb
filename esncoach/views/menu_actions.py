"""Menu entries contributed by feature modules, so the main window stays a shell.

Each entry: (menu, text, shortcut, icon name, "module:function"); alternative shortcuts are separated by ";". The function is called with the
MainWindow when the action is triggered; it may use ``window.ws``, ``window.current_exec_id()``,
``window.refresh()``, ``window.select_exec(id)`` and ``window.undo_stack``. Menus: "File", "Executive",
"Tools", "Team", "View", "Help" (and "Edit"). A shortcut may list alternatives separated by "; ".
Modules load only when the action is first used, keeping startup fast.
"""

from __future__ import annotations

MENU_ACTIONS: list[tuple[str, str, str, str, str]] = [
    ("File", "&Import engagement figures…", "Ctrl+I", "import", "esncoach.views.workspace.data_menu:import_figures"),
    ("File", "Enter figures by &hand…", "", "edit", "esncoach.views.workspace.data_menu:enter_figures"),
    ("File", "&Back up now", "Ctrl+Shift+B", "backup", "esncoach.views.workspace.backup_dialog:back_up_now"),
    ("File", "Restore from bac&kup…", "", "restore", "esncoach.views.workspace.backup_dialog:open_restore_dialog"),
    ("File", "Connect to &team server…", "", "open", "esncoach.views.team.connect:open_connect_dialog"),
    ("File", "E&xport workspace archive…", "", "export", "esncoach.views.workspace.archive_dialog:open_export_dialog"),
    ("File", "Import workspace ar&chive…", "", "import", "esncoach.views.workspace.archive_dialog:open_import_dialog"),
    ("File", "Export progress &report…", "Ctrl+P", "report", "esncoach.views.reports.opener:open_report_dialog"),
    ("Edit", "&Find anything…", "Ctrl+K; Ctrl+F", "search", "esncoach.views.search_window:open_search"),
    ("Help", "&User guide", "F1", "", "esncoach.views.help_window:open_guide"),
    ("Help", "&Keyboard shortcuts", "Ctrl+/", "", "esncoach.views.help_window:open_shortcuts"),
    ("View", "&Today", "Ctrl+T", "check", "esncoach.views.today.today_window:open_today"),
    ("View", "Portfolio dashboard", "Ctrl+D", "chart", "esncoach.views.charts.dashboard:open_dashboard"),
    ("View", "Team &directory…", "", "person", "esncoach.views.team.directory:open_directory"),
    ("Team", "&Members…", "Ctrl+Shift+E", "person", "esncoach.views.team.members:open_members"),
    ("Team", "Take &offline…", "", "export", "esncoach.views.team.offline:take_offline"),
    ("Team", "&Bring back…", "", "import", "esncoach.views.team.offline:bring_back"),
    ("Team", "&Forget offline copy…", "", "", "esncoach.views.team.offline:forget_offline_copy"),
    ("Team", "&Release an exec taken offline…", "", "", "esncoach.views.team.offline:release_lease"),
    ("Tools", "&Check-ins…", "Ctrl+Shift+K", "habit", "esncoach.views.habits.checkin_view:open_checkins"),
    ("Tools", "Needs &attention…", "Ctrl+Shift+U", "coach", "esncoach.views.habits.attention_view:open_attention"),
    ("Tools", "&Mentors and assistants…", "Ctrl+Shift+P", "person", "esncoach.views.execs.people_view:open_people"),
    ("Tools", "R&eminders…", "", "settings", "esncoach.views.today.reminders_view:open_reminder_settings"),
    ("Tools", "Agenda &templates…", "", "session", "esncoach.views.sessions.templates_dialog:open_templates"),
    ("Tools", "Coaching t&hresholds…", "", "settings", "esncoach.views.habits.thresholds_dialog:open_thresholds"),
    ("Tools", "Practice-post &ideas…", "", "post", "esncoach.views.posts.settings_dialog:open_prompts"),
    ("Tools", "Practice-post &rubric and hints…", "", "settings", "esncoach.views.posts.settings_dialog:open_post_settings"),
    ("Executive", "&Import list…", "Ctrl+Shift+I", "import", "esncoach.views.execs.import_list_dialog:open_import_list"),
    ("Executive", "New coaching &session…", "Ctrl+Shift+S", "session", "esncoach.views.sessions.dialog:new_session_for_current"),
    ("Executive", "Move on the &ladder…", "Ctrl+Shift+L", "coach", "esncoach.views.habits.ladder_dialog:open_for_current"),
    ("Executive", "Export next session (.&ics)…", "", "export", "esncoach.views.sessions.tab:export_next_ics"),
    ("Executive", "Prepare &e-mail…", "Ctrl+Shift+M", "export", "esncoach.views.reports.email_menu:prepare_email_for_current"),
    ("Executive", "Plan recurring sessions…", "Ctrl+Alt+S", "session", "esncoach.views.sessions.recurring_dialog:plan_recurring_for_current"),
    ("Executive", "Export recurring series (.ics)…", "", "export", "esncoach.views.sessions.recurring_dialog:export_series_for_current"),
]
