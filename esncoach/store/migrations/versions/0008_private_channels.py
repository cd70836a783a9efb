"""private channels: live refresh that tells each member only about execs they may read; searchable private notes

Revision ID: 0008_private_channels
Revises: 0007_offline_leases
Create Date: 2026-11-30 04:50:00

Nothing changes in a SQLite workspace (this step only records the revision there). On PostgreSQL:

* **Announcements per reader.** Until now every change to an exec's rows was announced on the one channel
  ``esncoach_exec`` with the exec's id, and any member (anyone with psql) could LISTEN to it and learn
  when a colleague's exec had a session saved or a check-in added. Channels are not guarded by PostgreSQL
  (anyone may LISTEN to any name), so each member gets a channel whose name only the server can derive:
  a hash of a random secret (``team_notify_secret``, readable by the owner only) and the role name.
  ``team_my_channel()`` gives a caller their own channel, never anyone else's. A change to an exec's rows is
  announced (its id, once per transaction) on the channels of its CMs, of every lead and of the owner.
* ``esncoach_exec`` stays, for what every member may read anyway: the directory (an exec added or removed, its
  name, title, department or stage changed, its CMs changed) and leases (announced by the app).
* ``team_add_cm(role, verifier)``: the lead (or the owner) adds a new CM login role from the app; nothing else.
* **Private notes searchable by their author**: ``team_private_note`` gains ``doc``, the ``tsvector`` of its
  text folded as ``search_index`` folds (weight C, the body's, as in a file workspace's index). The note's row
  security (its author only) guards it; ``esncoach.store.pg_search`` matches an exec's index row against its
  index text plus the caller's own note.
"""

from __future__ import annotations

import re

from alembic import op

revision = "0008_private_channels"
down_revision = "0007_offline_leases"
branch_labels = None
depends_on = None

CM, LEAD = "esncoach_cm", "esncoach_lead"
PUBLIC_CHANNEL = "esncoach_exec"
OWNER_KEY = ""
"""The key of the owner's channel (no role is named ""): the database owner, and superusers, who read all."""

PG_DDL = [
    "CREATE TABLE team_notify_secret (secret text NOT NULL, one boolean NOT NULL UNIQUE DEFAULT true CHECK (one))",
    "INSERT INTO team_notify_secret(secret) VALUES (replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''))",
    "REVOKE ALL ON team_notify_secret FROM PUBLIC",
    # Internal: nobody but the owner may ask for someone else's channel.
    "CREATE FUNCTION team_channel_of(r text) RETURNS text LANGUAGE sql STABLE SECURITY DEFINER "
    "SET search_path = public AS $$ SELECT 'esncoach_' || left(encode(sha256(convert_to("
    "(SELECT secret FROM team_notify_secret) || ':' || r, 'UTF8')), 'hex'), 40) $$",
    "REVOKE ALL ON FUNCTION team_channel_of(text) FROM PUBLIC",
    f"""CREATE FUNCTION team_my_channel() RETURNS text LANGUAGE sql STABLE SECURITY DEFINER
SET search_path = public AS $$
  SELECT CASE
    WHEN EXISTS (SELECT 1 FROM team_member WHERE role = session_user) THEN team_channel_of(session_user::text)
    WHEN pg_has_role(session_user, (SELECT datdba FROM pg_database WHERE datname = current_database()), 'MEMBER')
      THEN team_channel_of('{OWNER_KEY}')
  END $$""",
    "REVOKE ALL ON FUNCTION team_my_channel() FROM PUBLIC",
    f"GRANT EXECUTE ON FUNCTION team_my_channel() TO {CM}, {LEAD}",
    # Who may read everything about exec e hears its id on their own channel.
    f"""CREATE FUNCTION team_announce(e bigint) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public AS $$
DECLARE r text;
BEGIN
  IF e IS NULL THEN RETURN; END IF;
  FOR r IN SELECT c.role::text FROM team_exec_cm c WHERE c.exec_id = e
           UNION SELECT m.role::text FROM team_member m WHERE m.is_lead
           UNION SELECT '{OWNER_KEY}' LOOP
    PERFORM pg_notify(team_channel_of(r), e::text);
  END LOOP;
END $$""",
    "REVOKE ALL ON FUNCTION team_announce(bigint) FROM PUBLIC",
    f"GRANT EXECUTE ON FUNCTION team_announce(bigint) TO {CM}, {LEAD}",
    # Runs as the writer, without a SET clause: a transaction-local note of the execs already announced keeps
    # a bulk write (an import's thousands of rows) to one announcement per exec. (A SET clause would undo it.)
    """CREATE FUNCTION team_announce_once(e bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE seen text;
BEGIN
  IF e IS NULL THEN RETURN; END IF;
  seen := coalesce(current_setting('esncoach.announced', true), '');
  IF position(',' || e || ',' IN seen) > 0 THEN RETURN; END IF;
  PERFORM set_config('esncoach.announced', seen || ',' || e || ',', true);
  PERFORM public.team_announce(e);
END $$""",
    # The directory (names, titles, departments, stages, CMs) is every member's: its changes stay public.
    f"""CREATE OR REPLACE FUNCTION team_notify_team_exec_cm() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM pg_notify('{PUBLIC_CHANNEL}', OLD.exec_id::text); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM pg_notify('{PUBLIC_CHANNEL}', NEW.exec_id::text); END IF;
  RETURN NULL;
END $$""",
    f"""CREATE OR REPLACE FUNCTION team_notify_exec() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM team_announce_once(OLD.id); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM team_announce_once(NEW.id); END IF;
  IF TG_OP <> 'UPDATE' OR (OLD.name, OLD.title, OLD.department, OLD.stage)
                          IS DISTINCT FROM (NEW.name, NEW.title, NEW.department, NEW.stage) THEN
    PERFORM pg_notify('{PUBLIC_CHANNEL}', coalesce(NEW.id, OLD.id)::text);
  END IF;
  RETURN NULL;
END $$""",
    # The lead adds CMs from the app without being allowed to create roles (CREATEROLE would let them make any
    # role, and grant themselves any group): this function, run as the owner, makes only new login roles in the
    # CM group. An existing role (a CM's too: a new password would let the lead log in as them and read their
    # private notes) is the owner's to change.
    f"""CREATE FUNCTION team_add_cm(r text, verifier text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public AS $$
DECLARE
  owner_like boolean := pg_has_role(session_user, (SELECT datdba FROM pg_database
                                                   WHERE datname = current_database()), 'MEMBER');
BEGIN
  IF NOT owner_like AND NOT EXISTS (SELECT 1 FROM team_member WHERE role = session_user AND is_lead) THEN
    RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = 'only the programme lead or the owner may add a CM';
  END IF;
  IF r !~ '^[a-z_][a-z0-9_]{{0,62}}$' OR r LIKE 'pg\\_%' OR r IN ('{CM}', '{LEAD}') THEN
    RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = format('%s is not a role name for a CM', r);
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
    -- Not even a CM's: setting their password would let the lead log in as them and read their private notes.
    IF NOT owner_like THEN
      RAISE EXCEPTION USING ERRCODE = '42710', MESSAGE = format('the role %s exists; only the owner changes it', r);
    END IF;
  ELSE
    EXECUTE format('CREATE ROLE %I LOGIN', r);
  END IF;
  IF verifier IS NOT NULL THEN
    EXECUTE format('ALTER ROLE %I LOGIN PASSWORD %L', r, verifier);
  END IF;
  EXECUTE format('GRANT {CM} TO %I', r);
  IF EXISTS (SELECT 1 FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
             WHERE g.rolname = '{LEAD}' AND u.rolname = r) THEN
    EXECUTE format('REVOKE {LEAD} FROM %I', r);
  END IF;
  INSERT INTO team_member(role, is_lead) VALUES (r, false) ON CONFLICT (role) DO UPDATE SET is_lead = false;
END $$""",
    "REVOKE ALL ON FUNCTION team_add_cm(text, text) FROM PUBLIC",
    f"GRANT EXECUTE ON FUNCTION team_add_cm(text, text) TO {LEAD}",
    # An upgrade from before 0004 in one transaction has just filled team_private_note, whose deferred foreign
    # key checks would still be pending: ALTER TABLE refuses a table with pending trigger events.
    "SET CONSTRAINTS ALL IMMEDIATE",
    "ALTER TABLE team_private_note ADD COLUMN doc tsvector GENERATED ALWAYS AS "
    "(setweight(to_tsvector('simple', search_fold(text)), 'C')) STORED",
    "CREATE INDEX team_private_note_author ON team_private_note (author)",
    "SET CONSTRAINTS ALL DEFERRED",  # back as before: the deferrable keys (team_*) are all initially deferred
]


OLD_NOTIFY = re.compile(r"pg_notify\('esncoach_exec', coalesce\(\((.+?)\)::text, ''\)\)")
"""What 0004's notify trigger functions say for each changed row (its SQL is frozen, so this text is known)."""


def _announce_privately(conn) -> None:  # type: ignore[no-untyped-def]
    """Rewrite 0004's notify trigger function of every exec-owned table to announce on the readers' channels."""
    functions = conn.exec_driver_sql(
        "SELECT proname, prosrc FROM pg_proc WHERE pronamespace = 'public'::regnamespace "
        "AND proname LIKE 'team\\_notify\\_%%' AND proname NOT IN ('team_notify_exec', 'team_notify_team_exec_cm')"
    ).all()
    for name, source in functions:
        found = OLD_NOTIFY.findall(source)
        if len(found) != 2:
            raise RuntimeError(f"{name} is not the notify function migration 0004 wrote; not upgraded.")
        old, new = found
        # The common case (a bulk write about an exec already announced) costs one look at a setting, not a call.
        op.execute(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $fn$\n"
            "DECLARE seen text := coalesce(current_setting('esncoach.announced', true), ''); e bigint;\nBEGIN\n"
            f"  IF TG_OP <> 'INSERT' THEN e := ({old})::bigint;\n"
            "    IF position(',' || e || ',' IN seen) = 0 THEN PERFORM team_announce_once(e); END IF;\n  END IF;\n"
            f"  IF TG_OP <> 'DELETE' THEN e := ({new})::bigint;\n"
            "    IF position(',' || e || ',' IN seen) = 0 THEN PERFORM team_announce_once(e); END IF;\n  END IF;\n"
            "  RETURN NULL;\nEND $fn$"
        )


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    for statement in PG_DDL:
        op.execute(statement)
    _announce_privately(conn)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    raise NotImplementedError("A team workspace is not downgraded; restore the administrator's pg_dump instead.")
