"""Menu entries contributed by feature modules, so the main window stays a shell.

Each entry: (menu, text, shortcut, icon name, "module:function"). The function is called with the
MainWindow when the action is triggered; it may use ``window.ws``, ``window.current_exec_id()``,
``window.refresh()``, ``window.select_exec(id)`` and ``window.undo_stack``. Menus: "File", "Executive",
"Tools", "View", "Help". Modules load only when the action is first used, keeping startup fast.
"""

from __future__ import annotations

MENU_ACTIONS: list[tuple[str, str, str, str, str]] = [
]
