"""Team administration on the server: CM and lead login roles, who coaches which exec, who is in the team.

The rules themselves (who may read or write what) are row-level security policies created by migration
``0004_team_server``; this module only manages the roles and the assignment table those policies read.
Role passwords are sent as SCRAM verifiers computed by libpq on this side, so the clear text never
reaches the server (nor its statement log).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from esncoach.store.errors import StoreError, ValidationError
from esncoach.store.workspace import Workspace

CM_GROUP = "esncoach_cm"
LEAD_GROUP = "esncoach_lead"
ROLE_RE = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@dataclass(frozen=True)
class TeamMember:
    """One CM (or the lead) and the execs assigned to them."""

    role: str
    lead: bool
    execs: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        """The JSON shape of ``esncoach team list --json``."""
        return {"role": self.role, "lead": self.lead, "execs": list(self.execs)}


ASSIGN_REFUSED = "Only the programme lead can assign executives to CMs; nothing was changed."


def _require_server(ws: Workspace) -> None:
    if not ws.is_server:
        raise StoreError("Teams exist only on a team server: use --db postgresql://ROLE@HOST:PORT/DBNAME.")


def check_role_name(role: str) -> str:
    """Role names are plain lower-case identifiers, so they read the same in psql and in our lists."""
    if not ROLE_RE.match(role or ""):
        raise ValidationError("role", "A role name is lower-case letters, digits and _ (at most 63, not starting with a digit).")
    if role.startswith("pg_") or role in (CM_GROUP, LEAD_GROUP):
        raise ValidationError("role", f"“{role}” is reserved; choose another role name.")
    return role


def _raw(session: Any) -> Any:
    return session.connection().connection.driver_connection


@contextmanager
def _refused(sentence: str) -> Iterator[None]:
    """The server's refusal of a team change, as one sentence saying who may make it."""
    import psycopg

    try:
        yield
    except (psycopg.errors.InsufficientPrivilege, StoreError) as exc:
        cause = exc if isinstance(exc, psycopg.Error) else exc.__cause__
        if not isinstance(getattr(cause, "orig", cause), psycopg.errors.InsufficientPrivilege):
            raise
        raise StoreError(sentence) from None


def _verifier(raw: Any, role: str, password: str) -> str:
    return raw.pgconn.encrypt_password(password.encode(), role.encode(), b"scram-sha-256").decode()


def add_member(ws: Workspace, *, role: str, lead: bool = False, password: str | None = None) -> TeamMember:
    """Create (or update) the login role ``role`` in the CM or lead group and record it in this team.

    A CM is added through the server's ``team_add_cm`` (migration 0008), which the lead may call too; a
    lead only by a role allowed to create roles (the database owner).
    """
    from psycopg import sql

    _require_server(ws)
    check_role_name(role)
    if not lead:
        import psycopg

        try:
            with _refused("Only the programme lead or the database owner can add a CM; nothing was changed."), \
                    ws.session() as s:
                raw = _raw(s)
                with raw.cursor() as cur:
                    cur.execute("SELECT team_add_cm(%s, %s)",
                                (role, None if password is None else _verifier(raw, role, password)))
        except psycopg.errors.DuplicateObject:
            raise ValidationError("role", f"A role named “{role}” already exists on the server; choose another name "
                                          "(only the database owner changes an existing role).") from None
        return next(m for m in list_members(ws) if m.role == role)
    group, other = LEAD_GROUP, CM_GROUP
    with _refused("Only the database owner can add a programme lead; nothing was changed."), ws.session() as s:
        raw = _raw(s)
        with raw.cursor() as cur:
            cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,))
            exists = cur.fetchone() is not None
            ident = sql.Identifier(role)
            if not exists:
                cur.execute(sql.SQL("CREATE ROLE {} LOGIN").format(ident))
            if password is not None:
                cur.execute(sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(ident, sql.Literal(_verifier(raw, role, password))))
            cur.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), ident))
            cur.execute("SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid "
                        "JOIN pg_roles r ON r.oid = m.member WHERE g.rolname = %s AND r.rolname = %s", (other, role))
            if cur.fetchone():
                cur.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(other), ident))
            cur.execute("INSERT INTO team_member(role, is_lead) VALUES (%s, %s) "
                        "ON CONFLICT (role) DO UPDATE SET is_lead = EXCLUDED.is_lead", (role, lead))
    return next(m for m in list_members(ws) if m.role == role)


def assign(ws: Workspace, *, exec_name: str, cm: str) -> None:
    """Make ``cm`` one of the CMs of the exec named ``exec_name`` (an exec may have several)."""
    _require_server(ws)
    with _refused(ASSIGN_REFUSED), ws.session() as s:
        raw = _raw(s)
        with raw.cursor() as cur:
            cur.execute("SELECT id FROM team_directory WHERE lower(name) = lower(%s)", (exec_name.strip(),))
            ids = [r[0] for r in cur.fetchall()]
            if not ids:
                raise ValidationError("exec", f"There is no executive named “{exec_name}”.")
            if len(ids) > 1:
                raise ValidationError("exec", f"Several executives are named “{exec_name}”; rename one first.")
            cur.execute("SELECT is_lead FROM team_member WHERE role = %s", (cm,))
            row = cur.fetchone()
            if row is None:
                raise ValidationError("cm", f"“{cm}” is not a CM of this team: add them first (Team ▸ Members… or esncoach team add-cm).")
            if row[0]:
                raise ValidationError("cm", f"“{cm}” is the programme lead, not a CM; execs are assigned to CMs.")
            cur.execute("INSERT INTO team_exec_cm(exec_id, role) VALUES (%s, %s) ON CONFLICT DO NOTHING", (ids[0], cm))


def unassign(ws: Workspace, *, exec_name: str, cm: str) -> None:
    """Take ``cm`` off the exec named ``exec_name``."""
    _require_server(ws)
    with _refused(ASSIGN_REFUSED), ws.session() as s, _raw(s).cursor() as cur:
        cur.execute("DELETE FROM team_exec_cm c USING team_directory e WHERE e.id = c.exec_id AND lower(e.name) = lower(%s) "
                    "AND c.role = %s", (exec_name.strip(), cm))
        if cur.rowcount == 0:
            raise ValidationError("cm", f"“{cm}” is not a CM of “{exec_name.strip()}”; nothing was changed.")


def may_coach(ws: Workspace) -> bool:
    """Whether the server lets this login write coaching (a CM, the owner) rather than only read it (the lead).

    The server's grants answer, so the views can show a read-only page instead of refusing at every save.
    Asked once per open workspace (the exec page, its Overview, Today and the reminders all want it; a login's
    group does not change while it is connected) and kept on the workspace object.
    """
    if not ws.is_server:
        return True
    known = getattr(ws, "_may_coach", None)
    if known is None:
        with ws.session() as s, _raw(s).cursor() as cur:
            cur.execute("SELECT has_table_privilege('coaching_session', 'INSERT')")
            known = bool(cur.fetchone()[0])
        ws._may_coach = known  # type: ignore[attr-defined]
    return known


def list_members(ws: Workspace) -> list[TeamMember]:
    """Every member of the team with the names of their execs, leads first, then by role name."""
    _require_server(ws)
    with ws.session() as s, _raw(s).cursor() as cur:
        cur.execute(
            "SELECT m.role, m.is_lead, coalesce(array_agg(d.name ORDER BY d.name) FILTER (WHERE d.name IS NOT NULL), "
            "'{}') FROM team_member m LEFT JOIN team_exec_cm c ON c.role = m.role "
            "LEFT JOIN team_directory d ON d.id = c.exec_id GROUP BY m.role, m.is_lead "
            "ORDER BY m.is_lead DESC, m.role"
        )
        return [TeamMember(role, bool(lead), tuple(execs)) for role, lead, execs in cur.fetchall()]


@dataclass(frozen=True)
class DirectoryRow:
    """What every team member may see of any exec: enough for the programme list and the portfolio."""

    exec_id: int
    name: str
    title: str
    department: str
    stage: str
    cms: tuple[str, ...]


def directory(ws: Workspace) -> list[DirectoryRow]:
    """Every exec of the programme with their CMs (the server's ``team_directory`` view), by name."""
    _require_server(ws)
    with ws.session() as s, _raw(s).cursor() as cur:
        cur.execute("SELECT id, name, title, department, stage, cms FROM team_directory ORDER BY lower(name)")
        return [DirectoryRow(i, n, t, d, st, tuple(c for c in cms.split(", ") if c))
                for i, n, t, d, st, cms in cur.fetchall()]
