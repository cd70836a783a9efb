"""Menu entries contributed by feature modules, so the main window stays a shell.

Each entry: (menu, text, shortcut, icon name, "module:function"); alternative shortcuts are separated by ";". The function is called with the
MainWindow when the action is triggered; it may use ``window.ws``, ``window.current_exec_id()``,
``window.refresh()``, ``window.select_exec(id)`` and ``window.undo_stack``. Menus: "File", "Executive",
"Tools", "View", "Help" (and "Edit"). A shortcut may list alternatives separated by "; ".
Modules load only when the action is first used, keeping startup fast.
"""

from __future__ import annotations

MENU_ACTIONS: list[tuple[str, str, str, str, str]] = [
    ("File", "&Import engagement figures…", "Ctrl+I", "import", "esncoach.views.data_menu:import_figures"),
    ("File", "Enter figures by &hand…", "", "edit", "esncoach.views.data_menu:enter_figures"),
    ("File", "&Back up now", "Ctrl+Shift+B", "backup", "esncoach.views.backup_dialog:back_up_now"),
    ("File", "Restore from bac&kup…", "", "restore", "esncoach.views.backup_dialog:open_restore_dialog"),
    ("File", "E&xport workspace archive…", "", "export", "esncoach.views.archive_dialog:open_export_dialog"),
    ("File", "Import workspace ar&chive…", "", "import", "esncoach.views.archive_dialog:open_import_dialog"),
    ("File", "Export progress &report…", "Ctrl+P", "report", "esncoach.views.report_dialog:open_report_dialog"),
    ("Edit", "&Find anything…", "Ctrl+K; Ctrl+F", "search", "esncoach.views.search_window:open_search"),
    ("View", "Portfolio dashboard", "Ctrl+D", "chart", "esncoach.views.charts.dashboard:open_dashboard"),
    ("Tools", "&Check-ins…", "Ctrl+Shift+K", "habit", "esncoach.views.checkin_view:open_checkins"),
    ("Tools", "Needs &attention…", "Ctrl+Shift+U", "coach", "esncoach.views.attention_view:open_attention"),
    ("Tools", "&Mentors and assistants…", "Ctrl+Shift+P", "person", "esncoach.views.people_view:open_people"),
    ("Tools", "Agenda &templates…", "", "session", "esncoach.views.templates_dialog:open_templates"),
    ("Tools", "Coaching t&hresholds…", "", "settings", "esncoach.views.thresholds_dialog:open_thresholds"),
    ("Tools", "Practice-post &ideas…", "", "post", "esncoach.views.post_settings_dialog:open_prompts"),
    ("Tools", "Practice-post &rubric and hints…", "", "settings", "esncoach.views.post_settings_dialog:open_post_settings"),
    ("Executive", "New coaching &session…", "Ctrl+Shift+S", "session", "esncoach.views.session_dialog:new_session_for_current"),
    ("Executive", "Move on the &ladder…", "Ctrl+Shift+L", "coach", "esncoach.views.ladder_dialog:open_for_current"),
    ("Executive", "Export next session (.&ics)…", "", "export", "esncoach.views.sessions_tab:export_next_ics"),
]
