"""team server: PostgreSQL full-text search, team roles and row-level security (PostgreSQL only)

Revision ID: 0004_team_server
Revises: 0003_leader_analytics
Create Date: 2026-11-30 02:50:00

Nothing changes in a SQLite workspace (this step only records the revision there). On PostgreSQL:

* **Search**: ``search_index`` holds the same rows as the FTS5 index of 0002 (same rowid encoding, same
  columns), plus a stored ``tsvector`` (``simple`` configuration over ``unaccent``ed text; weights A title,
  B tags, C body, D extra) with a GIN index, kept in step by triggers. Private notes are not indexed.
* **Team**: group roles ``esncoach_cm`` and ``esncoach_lead`` (created when missing: the owner needs
  CREATEROLE), tables ``team_member`` (who belongs to this workspace, and who leads), ``team_exec_cm`` (which
  CMs coach which exec; several per exec), ``team_private_note`` (private notes, one per exec and author),
  the view ``team_directory`` (name, title, department, stage and CMs of every exec, for team members).
* **Live refresh**: a trigger on each of those tables announces the exec's id on channel ``esncoach_exec``.
* **Row-level security** on every table whose rows belong to an exec (found from the foreign keys, so tables
  of earlier migrations are covered): a CM reads and writes the rows of execs assigned to them, the lead reads
  all, nobody else anything; ``team_private_note`` rows are their author's only. An exec a CM creates is
  assigned to them. ``exec.private_notes`` keeps a single space: text written there moves into the
  writer's own private note (the app shows each user their own).

The SQL is frozen here on purpose. ``esncoach.store.migrations_filter`` hides ``team_*`` and ``search_*``.
"""

from __future__ import annotations

from alembic import op

revision = "0004_team_server"
down_revision = "0003_leader_analytics"
branch_labels = None
depends_on = None

CM, LEAD = "esncoach_cm", "esncoach_lead"
MINE = "SELECT c.exec_id FROM team_exec_cm c WHERE c.role = session_user"
"""The caller's execs, as a subquery the policies use."""
NOTE_MARK = " "
"""What ``exec.private_notes`` holds on a server: validated text is trimmed, so no user can write it."""
DAY = 2**36

_TAGS = "(SELECT string_agg(t.name, ' | ') FROM {link} l JOIN tag t ON t.id = l.tag_id WHERE l.{col} = {alias}.id)"

# kind -> (code, table, alias, date column, SELECT of title, body, extra, tags, owner, grp): as in 0002,
# in PostgreSQL's dialect, without private notes.
KINDS: dict[str, tuple[int, str, str, str, str]] = {
    "exec": (1, "exec", "e", "created_at", (
        "SELECT e.name, trim(e.title || ' ' || e.department), "
        "trim(coalesce(e.email, '') || ' ' || coalesce(e.handle, '')), "
        + _TAGS.format(link="exec_tag", col="exec_id", alias="e")
        + ", 'x' || e.id || ' k1', NULL::bigint FROM exec e WHERE {where}"
    )),
    "person": (2, "person", "p", "created_at", (
        "SELECT p.name, trim(p.title || chr(10) || p.notes), coalesce(p.email, ''), NULL, "
        "trim(coalesce((SELECT string_agg('x' || x.exec_id, ' ') FROM exec_support x "
        "WHERE x.person_id = p.id), '') || ' k2'), NULL::bigint FROM person p WHERE {where}"
    )),
    "session": (3, "coaching_session", "s", "starts_at", (
        "SELECT s.title, trim(s.agenda || chr(10) || s.notes || chr(10) || s.outcomes), '', "
        + _TAGS.format(link="session_tag", col="session_id", alias="s")
        + ", 'x' || s.exec_id || ' k3', NULL::bigint FROM coaching_session s WHERE {where}"
    )),
    "action": (4, "action_item", "a", "created_at", (
        "SELECT '', a.text, '', NULL, 'x' || a.exec_id || ' k4', NULL::bigint FROM action_item a WHERE {where}"
    )),
    "habit": (5, "habit", "h", "started_on", (
        "SELECT h.description, '', '', NULL, 'x' || h.exec_id || ' k5', NULL::bigint FROM habit h WHERE {where}"
    )),
    "check_in": (6, "check_in", "c", "day", (
        "SELECT '', c.note, '', NULL, "
        "coalesce((SELECT 'x' || h.exec_id FROM habit h WHERE h.id = c.habit_id), '') || ' k6', NULL::bigint "
        "FROM check_in c WHERE c.note <> '' AND {where}"
    )),
    "post": (7, "practice_post", "p", "updated_at", (
        "SELECT p.title, '', p.community, "
        + _TAGS.format(link="post_tag", col="post_id", alias="p")
        + ", 'x' || p.exec_id || ' k7', NULL::bigint FROM practice_post p WHERE {where}"
    )),
    "revision": (8, "revision", "r", "created_at", (
        "SELECT '', r.text, '', NULL, "
        "coalesce((SELECT 'x' || p.exec_id FROM practice_post p WHERE p.id = r.post_id), '') || ' k8', "
        "r.post_id::bigint FROM revision r WHERE {where}"
    )),
    "feedback": (9, "feedback", "f", "created_at", (
        "SELECT '', f.comment, f.quoted_text, NULL, "
        "coalesce((SELECT 'x' || p.exec_id FROM revision r JOIN practice_post p ON p.id = r.post_id "
        "WHERE r.id = f.revision_id), '') || ' k9', NULL::bigint FROM feedback f WHERE {where}"
    )),
    "theme": (10, "watch_theme", "w", "created_at", (
        "SELECT '', w.text, '', NULL, 'x' || w.exec_id || ' k10', NULL::bigint FROM watch_theme w WHERE {where}"
    )),
}

DEPENDENTS: list[tuple[str, str, str, tuple[str, ...] | None]] = [
    ("exec_tag", "exec", "SELECT {row}.exec_id AS x", None),
    ("session_tag", "session", "SELECT {row}.session_id AS x", None),
    ("post_tag", "post", "SELECT {row}.post_id AS x", None),
    ("tag", "exec", "SELECT exec_id AS x FROM exec_tag WHERE tag_id = {row}.id", ("name",)),
    ("tag", "session", "SELECT session_id AS x FROM session_tag WHERE tag_id = {row}.id", ("name",)),
    ("tag", "post", "SELECT post_id AS x FROM post_tag WHERE tag_id = {row}.id", ("name",)),
    ("exec_support", "person", "SELECT {row}.person_id AS x", None),
    ("habit", "check_in", "SELECT id AS x FROM check_in WHERE habit_id = {row}.id", ("exec_id",)),
    ("practice_post", "revision", "SELECT id AS x FROM revision WHERE post_id = {row}.id", ("exec_id",)),
    ("practice_post", "feedback",
     "SELECT f.id AS x FROM feedback f JOIN revision r ON r.id = f.revision_id WHERE r.post_id = {row}.id", ("exec_id",)),
    ("revision", "feedback", "SELECT id AS x FROM feedback WHERE revision_id = {row}.id", ("post_id",)),
]


def _rowid(alias: str, at: str, code: int) -> str:
    # SQLite's CAST(julianday(date(x)) AS INTEGER) is the Julian day number minus one.
    return f"(coalesce(to_char({alias}.{at}::date, 'J')::bigint - 1, 0) * {DAY} + {alias}.id * 16 + {code})"


SEARCH_DDL = [
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    # unaccent() is only STABLE (its dictionary could change); pinning the dictionary makes it indexable.
    # Every run of non-alphanumerics becomes a space, so words split as FTS5's unicode61 splits them (the
    # default parser would otherwise keep "ann@example.com" or "e-mail" whole as well).
    "CREATE FUNCTION search_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT "
    "AS $$ SELECT regexp_replace(lower(public.unaccent('public.unaccent'::regdictionary, t)), "
    "'[^[:alnum:]]+', ' ', 'g') $$",
    "CREATE TABLE search_index ("
    " rowid bigint PRIMARY KEY, code smallint NOT NULL, item_id bigint NOT NULL, exec_id bigint,"
    " title text, body text, extra text, tags text, owner text, grp bigint,"
    " doc tsvector GENERATED ALWAYS AS ("
    "  setweight(to_tsvector('simple', search_fold(coalesce(title, ''))), 'A') ||"
    "  setweight(to_tsvector('simple', search_fold(coalesce(tags, ''))), 'B') ||"
    "  setweight(to_tsvector('simple', search_fold(coalesce(body, ''))), 'C') ||"
    "  setweight(to_tsvector('simple', search_fold(coalesce(extra, ''))), 'D')) STORED)",
    "CREATE INDEX search_index_doc ON search_index USING gin (doc)",
    "CREATE INDEX search_index_item ON search_index (code, item_id)",
    "CREATE INDEX search_index_exec ON search_index (exec_id)",
]


def _refresh_function(kind: str) -> str:
    code, _table, alias, at, select = KINDS[kind]
    body = select.format(where=f"{alias}.id = ANY(ids)")
    cols = body[len("SELECT "):]
    exec_id = "NULL" if kind == "person" else "substring(q.owner FROM 'x([0-9]+)')::bigint"
    return (
        f"CREATE FUNCTION search_refresh_{kind}(ids bigint[]) RETURNS void LANGUAGE plpgsql SECURITY DEFINER "
        f"SET search_path = public AS $$\nBEGIN\n"
        f"  DELETE FROM search_index WHERE code = {code} AND item_id = ANY(ids);\n"
        f"  INSERT INTO search_index(rowid, code, item_id, exec_id, title, body, extra, tags, owner, grp)\n"
        f"  SELECT q.rid, {code}, q.iid, {exec_id}, q.title, q.body, q.extra, q.tags, q.owner, q.grp FROM (\n"
        f"    SELECT {_rowid(alias, at, code)} AS rid, {alias}.id AS iid, {cols}\n"
        f"  ) AS q(rid, iid, title, body, extra, tags, owner, grp);\nEND $$"
    )


def _trigger_ddl() -> list[str]:
    ddl: list[str] = []
    for kind, (_code, table, _alias, _at, _select) in KINDS.items():
        fn = f"search_{table}_row"
        ddl.append(
            f"CREATE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public "
            f"AS $$\nBEGIN\n"
            f"  IF TG_OP <> 'INSERT' THEN PERFORM search_refresh_{kind}(ARRAY[OLD.id]::bigint[]); END IF;\n"
            f"  IF TG_OP <> 'DELETE' THEN PERFORM search_refresh_{kind}(ARRAY[NEW.id]::bigint[]); END IF;\n"
            f"  RETURN NULL;\nEND $$"
        )
        ddl.append(f"CREATE TRIGGER {fn} AFTER INSERT OR UPDATE OR DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION {fn}()")
    for table, kind, ids, columns in DEPENDENTS:
        fn = f"search_{table}_{kind}"
        old, new = ids.format(row="OLD"), ids.format(row="NEW")
        ddl.append(
            f"CREATE FUNCTION {fn}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = public "
            f"AS $$\nBEGIN\n"
            f"  IF TG_OP <> 'INSERT' THEN PERFORM search_refresh_{kind}(ARRAY(SELECT q.x::bigint FROM ({old}) q)); END IF;\n"
            f"  IF TG_OP <> 'DELETE' THEN PERFORM search_refresh_{kind}(ARRAY(SELECT q.x::bigint FROM ({new}) q)); END IF;\n"
            f"  RETURN NULL;\nEND $$"
        )
        events = f"UPDATE OF {', '.join(columns)}" if columns else "INSERT OR UPDATE OR DELETE"
        ddl.append(f"CREATE TRIGGER {fn} AFTER {events} ON {table} FOR EACH ROW EXECUTE FUNCTION {fn}()")
    return ddl


TEAM_DDL = [
    f"""DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{CM}') THEN CREATE ROLE {CM} NOLOGIN; END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{LEAD}') THEN CREATE ROLE {LEAD} NOLOGIN; END IF;
END $$""",
    "CREATE TABLE team_member (role name PRIMARY KEY, is_lead boolean NOT NULL DEFAULT false)",
    # Deferred: an exec's creator is assigned by a BEFORE INSERT trigger, before the exec row exists.
    "CREATE TABLE team_exec_cm (exec_id integer NOT NULL REFERENCES exec(id) ON DELETE CASCADE "
    "DEFERRABLE INITIALLY DEFERRED, role name NOT NULL REFERENCES team_member(role) ON DELETE CASCADE "
    "ON UPDATE CASCADE, PRIMARY KEY (exec_id, role))",
    "CREATE INDEX team_exec_cm_role ON team_exec_cm (role)",
    "CREATE TABLE team_private_note (exec_id integer NOT NULL REFERENCES exec(id) ON DELETE CASCADE "
    "DEFERRABLE INITIALLY DEFERRED, author name NOT NULL DEFAULT current_user, text text NOT NULL, "
    "updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (exec_id, author))",
    # Helpers the policies call. SECURITY DEFINER: they read the team tables whatever the caller may see.
    "CREATE FUNCTION team_is_member() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER "
    "SET search_path = public AS $$ SELECT EXISTS (SELECT 1 FROM team_member WHERE role = session_user) $$",
    "CREATE FUNCTION team_is_lead() RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER "
    "SET search_path = public AS $$ SELECT EXISTS (SELECT 1 FROM team_member WHERE role = session_user AND is_lead) $$",
    # VOLATILE: must see the assignment the exec-created trigger wrote earlier in the same statement.
    "CREATE FUNCTION team_assigned(e bigint) RETURNS boolean LANGUAGE sql VOLATILE SECURITY DEFINER "
    "SET search_path = public AS $$ SELECT EXISTS (SELECT 1 FROM team_exec_cm WHERE exec_id = e AND role = session_user) $$",
    f"""CREATE FUNCTION team_exec_created() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER
SET search_path = public AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM team_member WHERE role = session_user AND NOT is_lead) THEN
    INSERT INTO team_exec_cm(exec_id, role) VALUES (NEW.id, session_user) ON CONFLICT DO NOTHING;
  END IF;
  RETURN NEW;
END $$""",
    "CREATE TRIGGER team_exec_created BEFORE INSERT ON exec FOR EACH ROW EXECUTE FUNCTION team_exec_created()",
    # Runs as the writer, so the note's RLS applies: it is written as (and readable by) its author only.
    f"""CREATE FUNCTION team_private_note_moved() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.private_notes IS DISTINCT FROM OLD.private_notes THEN
    IF NEW.private_notes = '' OR NEW.private_notes = '{NOTE_MARK}' THEN
      DELETE FROM team_private_note WHERE exec_id = NEW.id AND author = current_user;
    ELSE
      INSERT INTO team_private_note(exec_id, author, text) VALUES (NEW.id, current_user, NEW.private_notes)
      ON CONFLICT (exec_id, author) DO UPDATE SET text = EXCLUDED.text, updated_at = now();
    END IF;
    NEW.private_notes := '{NOTE_MARK}';
  END IF;
  RETURN NEW;
END $$""",
    "CREATE TRIGGER team_private_note_moved BEFORE INSERT OR UPDATE OF private_notes ON exec "
    "FOR EACH ROW EXECUTE FUNCTION team_private_note_moved()",
    # Owned by the migrating role, so it reads every exec; it shows rows only to members of this workspace.
    "CREATE VIEW team_directory AS SELECT e.id, e.name, e.title, e.department, e.stage, "
    "coalesce((SELECT string_agg(c.role::text, ', ' ORDER BY c.role) FROM team_exec_cm c WHERE c.exec_id = e.id), '') "
    "AS cms FROM exec e WHERE (SELECT team_is_member()) OR pg_has_role(current_user, (SELECT datdba FROM pg_database "
    "WHERE datname = current_database()), 'MEMBER')",
    "ALTER TABLE team_private_note ENABLE ROW LEVEL SECURITY",
    "CREATE POLICY team_author ON team_private_note USING (author = current_user) "
    "WITH CHECK (author = current_user AND (team_assigned(exec_id) OR NOT team_is_member()))",
    "ALTER TABLE team_exec_cm ENABLE ROW LEVEL SECURITY",
    f"CREATE POLICY team_read ON team_exec_cm FOR SELECT TO {CM}, {LEAD} USING ((SELECT team_is_member()))",
    f"CREATE POLICY team_assign ON team_exec_cm TO {LEAD} USING ((SELECT team_is_lead())) "
    "WITH CHECK ((SELECT team_is_lead()))",
    "ALTER TABLE team_member ENABLE ROW LEVEL SECURITY",
    f"CREATE POLICY team_read ON team_member FOR SELECT TO {CM}, {LEAD} USING ((SELECT team_is_member()))",
    "ALTER TABLE search_index ENABLE ROW LEVEL SECURITY",
    f"CREATE POLICY team_read ON search_index FOR SELECT TO {CM}, {LEAD} USING ("
    f"(exec_id IS NULL AND (SELECT team_is_member())) OR (SELECT team_is_lead()) OR exec_id IN ({MINE}))",
]

SKIP = {"alembic_version", "search_index"}


def _exec_owned(conn) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """table -> SQL giving the exec id of one of its rows, for every table whose rows belong to an exec."""
    fks = conn.exec_driver_sql(
        "SELECT tc.relname, a.attname, rc.relname FROM pg_constraint c "
        "JOIN pg_class tc ON tc.oid = c.conrelid JOIN pg_class rc ON rc.oid = c.confrelid "
        "JOIN pg_namespace n ON n.oid = tc.relnamespace "
        "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
        "WHERE c.contype = 'f' AND n.nspname = current_schema() AND array_length(c.conkey, 1) = 1"
    ).all()
    owned = {"exec": "id"}
    owned.update({table: column for table, column, parent in fks if parent == "exec" and table not in SKIP
                  and not table.startswith("team_")})
    changed = True
    while changed:
        changed = False
        for table, column, parent in fks:
            if table in owned or table in SKIP or table.startswith("team_") or parent not in owned:
                continue
            owned[table] = column if parent == "exec" else f"team_exec_of_{parent}({column})"
            changed = True
    return owned


NOTIFY_CHANNEL = "esncoach_exec"
"""Every change to an exec's rows announces the exec's id here (once per transaction and exec)."""


def _notify_trigger(table: str, expr: str) -> None:
    def row(which: str) -> str:
        if "(" in expr:
            name, column = expr.rstrip(")").split("(")
            return f"{name}({which}.{column})"
        return f"{which}.{expr}"

    op.execute(
        f"CREATE FUNCTION team_notify_{table}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
        f"  IF TG_OP <> 'INSERT' THEN PERFORM pg_notify('{NOTIFY_CHANNEL}', coalesce(({row('OLD')})::text, '')); END IF;\n"
        f"  IF TG_OP <> 'DELETE' THEN PERFORM pg_notify('{NOTIFY_CHANNEL}', coalesce(({row('NEW')})::text, '')); END IF;\n"
        f"  RETURN NULL;\nEND $$"
    )
    op.execute(f"CREATE TRIGGER team_notify AFTER INSERT OR UPDATE OR DELETE ON {table} "
               f"FOR EACH ROW EXECUTE FUNCTION team_notify_{table}()")


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    for statement in SEARCH_DDL:
        op.execute(statement)
    for kind in KINDS:
        op.execute(_refresh_function(kind))
    for statement in _trigger_ddl():
        op.execute(statement)
    for kind, (_code, table, *_rest) in KINDS.items():
        op.execute(f"SELECT search_refresh_{kind}(ARRAY(SELECT id::bigint FROM {table}))")
    for statement in TEAM_DDL:
        op.execute(statement)
    owned = _exec_owned(conn)
    parents = {expr.split("(")[0][len("team_exec_of_"):] for expr in owned.values() if expr.startswith("team_exec_of_")}
    # Parents first: each helper may call its own parent's.
    for table in [t for t in owned if t in parents]:
        expr = owned[table]
        op.execute(
            f"CREATE FUNCTION team_exec_of_{table}(i bigint) RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER "
            f"SET search_path = public AS $$ SELECT {expr.replace('(', '(t.', 1) if '(' in expr else 't.' + expr}::bigint "
            f"FROM {table} t WHERE t.id = i $$"
        )
    nullable = {
        t for (t,) in conn.exec_driver_sql(
            "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
            "AND column_name = 'exec_id' AND is_nullable = 'YES'"
        ).all()
    }
    tables = [t for (t,) in conn.exec_driver_sql(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename").all()]
    for table in tables:
        if table in SKIP or table.startswith("team_"):
            continue
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO {CM}")
        op.execute(f"GRANT SELECT ON {table} TO {LEAD}")
        if table not in owned:
            continue  # shared by the team: tags, people, settings, templates, imports
        expr = owned[table]
        # Subqueries rather than per-row function calls: the planner runs each once per statement (a
        # hashed set of the caller's exec ids), so a page of rows costs no more than without the rules.
        if table == "exec":  # the OR: RETURNING of an exec just created sees the assignment its trigger made
            mine = f"id IN ({MINE}) OR team_assigned(id)"
        elif "(" in expr:  # a grandchild: its parent's rows visible to the caller are the caller's
            parent, column = expr[len("team_exec_of_"):].rstrip(")").split("(")
            mine = f"{column} IN (SELECT p.id FROM {parent} p)"
        else:
            mine = f"{expr} IN ({MINE})"
        if table in nullable:  # programme-level rows (no exec) are the whole team's
            mine = f"({expr} IS NULL AND (SELECT team_is_member())) OR {mine}"
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"CREATE POLICY team_cm ON {table} TO {CM} USING ({mine}) WITH CHECK ({mine})")
        op.execute(f"CREATE POLICY team_lead ON {table} FOR SELECT TO {LEAD} USING ((SELECT team_is_lead()))")
        _notify_trigger(table, expr)
    _notify_trigger("team_exec_cm", "exec_id")
    # An import batch is shared by the execs its figures are about. A CM's import removes batches whose
    # figures it replaced entirely, but it sees only its own execs' figures: without this rule it could
    # delete a batch still holding a colleague's figures (and the cascade would take them). A batch goes
    # only once no row of anyone's references it.
    users = [t for (t,) in conn.exec_driver_sql(
        "SELECT DISTINCT tc.relname FROM pg_constraint c JOIN pg_class tc ON tc.oid = c.conrelid "
        "JOIN pg_class rc ON rc.oid = c.confrelid WHERE c.contype = 'f' AND rc.relname = 'import_batch' "
        "ORDER BY 1").all()]
    in_use = " OR ".join(f"EXISTS (SELECT 1 FROM {t} WHERE batch_id = b)" for t in users) or "false"
    op.execute("CREATE FUNCTION team_batch_in_use(b integer) RETURNS boolean LANGUAGE sql STABLE SECURITY DEFINER "
               f"SET search_path = public AS $$ SELECT {in_use} $$")
    op.execute("ALTER TABLE import_batch ENABLE ROW LEVEL SECURITY")
    op.execute(f"CREATE POLICY team_read ON import_batch FOR SELECT TO {CM}, {LEAD} USING (true)")
    op.execute(f"CREATE POLICY team_add ON import_batch FOR INSERT TO {CM} WITH CHECK (true)")
    op.execute(f"CREATE POLICY team_change ON import_batch FOR UPDATE TO {CM} USING (true)")
    op.execute(f"CREATE POLICY team_remove ON import_batch FOR DELETE TO {CM} USING (NOT team_batch_in_use(id))")
    op.execute(f"GRANT SELECT ON alembic_version, search_index, team_member, team_exec_cm, team_directory TO {CM}, {LEAD}")
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON team_private_note TO {CM}")
    op.execute(f"GRANT SELECT ON team_private_note TO {LEAD}")  # their own only (none): the author policy
    op.execute(f"GRANT INSERT, DELETE ON team_exec_cm TO {LEAD}")
    op.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {CM}")
    op.execute(f"GRANT USAGE ON SCHEMA public TO {CM}, {LEAD}")
    # Private notes written before the team existed become the migrating owner's own.
    op.execute(
        "INSERT INTO team_private_note(exec_id, author, text) SELECT id, current_user, private_notes FROM exec "
        f"WHERE private_notes NOT IN ('', '{NOTE_MARK}')"
    )
    op.execute("ALTER TABLE exec DISABLE TRIGGER team_private_note_moved")
    op.execute(f"UPDATE exec SET private_notes = '{NOTE_MARK}'")
    op.execute("ALTER TABLE exec ENABLE TRIGGER team_private_note_moved")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    raise NotImplementedError("A team workspace is not downgraded; restore the administrator's pg_dump instead.")
