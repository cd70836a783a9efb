"""Menu entries contributed by feature modules, so the main window stays a shell.

Each entry: (menu, text, shortcut, icon name, "module:function"). The function is called with the
MainWindow when the action is triggered; it may use ``window.ws``, ``window.current_exec_id()``,
``window.refresh()``, ``window.select_exec(id)`` and ``window.undo_stack``. Menus: "File", "Executive",
"Tools", "View", "Help" (and "Edit"). A shortcut may list alternatives separated by "; ".
Modules load only when the action is first used, keeping startup fast.
"""

from __future__ import annotations

MENU_ACTIONS: list[tuple[str, str, str, str, str]] = [
    ("Edit", "&Find anything…", "Ctrl+K; Ctrl+F", "search", "esncoach.views.search_window:open_search"),
    ("View", "Portfolio dashboard", "Ctrl+D", "chart", "esncoach.views.charts.dashboard:open_dashboard"),
]
