"""Team administration for scripts and views: members, assignments, the team list (server only).

The work is the server backend's (``esncoach.store.pg_team``); access rules are the server's policies.
"""

from __future__ import annotations

from esncoach.store.pg_team import (
    DirectoryRow,
    TeamMember,
    add_member,
    assign,
    check_role_name,
    directory,
    list_members,
    may_coach,
    unassign,
)

__all__ = ["DirectoryRow", "TeamMember", "add_member", "assign", "check_role_name", "directory", "list_members",
           "may_coach", "unassign"]
