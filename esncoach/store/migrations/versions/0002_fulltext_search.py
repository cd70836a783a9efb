"""full-text search index (FTS5) kept in step by triggers

Revision ID: 0002_fulltext_search
Revises: 0001_initial
Create Date: 2026-11-23 18:40:00

One FTS5 table, ``search_index``, lives inside the encrypted file next to the data it indexes, so the
index is exactly as encrypted as the data. Each searchable row of the workspace has one index row whose
rowid is ``day * 2**36 + id * 16 + kind code`` (``day`` = the item's date as a Julian day number), so
"newest first" and "how many of each kind" are answered from rowids alone, without reading the stored
text, and a changed source row is found by an O(log n) delete. SQL triggers keep the index in step with
every insert, update and delete, whoever writes: the ORM, a bulk ``UPDATE``, a cascade.

The SQL is frozen here on purpose (a migration must not change when the code moves on). A later
migration that rebuilds one of the indexed tables with ``batch_alter_table`` drops its triggers with
the old table and must create them again; ``tests/test_search_index.py`` checks they all exist at head.

The table is kept out of the ORM models; ``esncoach.store.migrations_filter`` hides ``search_*``
tables from autogenerate.
"""

from __future__ import annotations

from alembic import op

revision = "0002_fulltext_search"
down_revision = "0001_initial"
branch_labels = None
depends_on = None

TABLE = "search_index"
DAY = 2**36
"""rowid = day * DAY + id * 16 + kind code: newest-first is rowid order, kind and id decode from it."""

_TAGS = "(SELECT group_concat(t.name, ' | ') FROM {link} l JOIN tag t ON t.id = l.tag_id WHERE l.{col} = {alias}.id)"


def rowid_sql(alias: str, at: str, code: int) -> str:
    """The index rowid of a source row (``alias`` may be NEW or OLD); ``at`` is its date column."""
    return f"(coalesce(CAST(julianday(date({alias}.{at})) AS INTEGER), 0) * {DAY} + {alias}.id * 16 + {code})"


# kind -> (code, source table, alias, date column, SELECT of the index columns where {where} holds).
# Columns: title (names, titles: weighs most), body (the written text), extra (emails, quoted passages),
# tags (tag names), owner ("x<exec id>" and "k<kind code>" tokens, for exec: and kind: filters), grp (the post
# of a revision).
KINDS: dict[str, tuple[int, str, str, str, str]] = {
    "exec": (1, "exec", "e", "created_at", (
        "SELECT {rowid}, e.name, trim(e.title || ' ' || e.department || char(10) || e.private_notes), "
        "trim(coalesce(e.email, '') || ' ' || coalesce(e.handle, '')), "
        + _TAGS.format(link="exec_tag", col="exec_id", alias="e")
        + ", 'x' || e.id || ' k1', NULL FROM exec e WHERE {where}"
    )),
    "person": (2, "person", "p", "created_at", (
        "SELECT {rowid}, p.name, trim(p.title || char(10) || p.notes), coalesce(p.email, ''), NULL, "
        "trim(coalesce((SELECT group_concat('x' || x.exec_id, ' ') FROM exec_support x "
        "WHERE x.person_id = p.id), '') || ' k2'), NULL FROM person p WHERE {where}"
    )),
    "session": (3, "coaching_session", "s", "starts_at", (
        "SELECT {rowid}, s.title, trim(s.agenda || char(10) || s.notes || char(10) || s.outcomes), '', "
        + _TAGS.format(link="session_tag", col="session_id", alias="s")
        + ", 'x' || s.exec_id || ' k3', NULL FROM coaching_session s WHERE {where}"
    )),
    "action": (4, "action_item", "a", "created_at", (
        "SELECT {rowid}, '', a.text, '', NULL, 'x' || a.exec_id || ' k4', NULL FROM action_item a WHERE {where}"
    )),
    "habit": (5, "habit", "h", "started_on", (
        "SELECT {rowid}, h.description, '', '', NULL, 'x' || h.exec_id || ' k5', NULL FROM habit h WHERE {where}"
    )),
    # Most check-ins carry no note; only those with one are worth a row.
    "check_in": (6, "check_in", "c", "day", (
        "SELECT {rowid}, '', c.note, '', NULL, "
        "coalesce((SELECT 'x' || h.exec_id FROM habit h WHERE h.id = c.habit_id), '') || ' k6', NULL "
        "FROM check_in c WHERE c.note <> '' AND {where}"
    )),
    "post": (7, "practice_post", "p", "updated_at", (
        "SELECT {rowid}, p.title, '', p.community, "
        + _TAGS.format(link="post_tag", col="post_id", alias="p")
        + ", 'x' || p.exec_id || ' k7', NULL FROM practice_post p WHERE {where}"
    )),
    "revision": (8, "revision", "r", "created_at", (
        "SELECT {rowid}, '', r.text, '', NULL, "
        "coalesce((SELECT 'x' || p.exec_id FROM practice_post p WHERE p.id = r.post_id), '') || ' k8', r.post_id "
        "FROM revision r WHERE {where}"
    )),
    "feedback": (9, "feedback", "f", "created_at", (
        "SELECT {rowid}, '', f.comment, f.quoted_text, NULL, "
        "coalesce((SELECT 'x' || p.exec_id FROM revision r JOIN practice_post p ON p.id = r.post_id "
        "WHERE r.id = f.revision_id), '') || ' k9', NULL FROM feedback f WHERE {where}"
    )),
    "theme": (10, "watch_theme", "w", "created_at", (
        "SELECT {rowid}, '', w.text, '', NULL, 'x' || w.exec_id || ' k10', NULL FROM watch_theme w WHERE {where}"
    )),
}

# Rows of other tables whose content shows up in an index row: (table, kind to refresh, SQL giving the
# ids (as column x) of that kind for a NEW/OLD row of the table, columns whose update matters or None for any).
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

CREATE_TABLE = (
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5("
    "title, body, extra, tags, owner, grp UNINDEXED, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')"
)
COLUMNS = "rowid, title, body, extra, tags, owner, grp"


def select_sql(kind: str, where: str) -> str:
    """SELECT of the index rows of ``kind`` for the source rows where ``where`` holds."""
    code, _table, alias, at, select = KINDS[kind]
    return select.format(rowid=rowid_sql(alias, at, code), where=where)


def _refresh(kind: str, ids_sql: str) -> str:
    """Statements re-indexing the rows of ``kind`` whose ids ``ids_sql`` yields (delete, then insert)."""
    code, table, alias, at, _select = KINDS[kind]
    return (
        f"DELETE FROM {TABLE} WHERE rowid IN "
        f"(SELECT {rowid_sql(alias, at, code)} FROM {table} {alias} WHERE {alias}.id IN ({ids_sql}));\n"
        f"  INSERT INTO {TABLE}({COLUMNS}) {select_sql(kind, f'{alias}.id IN ({ids_sql})')};"
    )


def trigger_statements() -> list[tuple[str, str]]:
    """(name, CREATE TRIGGER statement) for every trigger that keeps the index in step."""
    triggers: list[tuple[str, str]] = []
    for kind, (code, table, alias, at, _select) in KINDS.items():
        insert = f"INSERT INTO {TABLE}({COLUMNS}) {select_sql(kind, f'{alias}.id = NEW.id')};"
        delete = f"DELETE FROM {TABLE} WHERE rowid = {rowid_sql('OLD', at, code)};"
        triggers += [
            (f"search_{table}_ai", f"AFTER INSERT ON {table} BEGIN\n  {insert}\nEND"),
            (f"search_{table}_au", f"AFTER UPDATE ON {table} BEGIN\n  {delete}\n  {insert}\nEND"),
            (f"search_{table}_ad", f"AFTER DELETE ON {table} BEGIN\n  {delete}\nEND"),
        ]
    for table, kind, ids, columns in DEPENDENTS:
        of = f" OF {', '.join(columns)}" if columns else ""
        new, old = _refresh(kind, ids.format(row="NEW")), _refresh(kind, ids.format(row="OLD"))
        base = f"search_{table}_{kind}"
        if columns is None:
            triggers += [
                (f"{base}_ai", f"AFTER INSERT ON {table} BEGIN\n  {new}\nEND"),
                (f"{base}_ad", f"AFTER DELETE ON {table} BEGIN\n  {old}\nEND"),
            ]
        triggers.append((f"{base}_au", f"AFTER UPDATE{of} ON {table} BEGIN\n  {old}\n  {new}\nEND"))
    return [(name, f"CREATE TRIGGER {name} {body}") for name, body in triggers]


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return  # PostgreSQL searches with its own tsvector index (migration 0003_team_server)
    op.execute(CREATE_TABLE)
    for kind in KINDS:
        op.execute(f"INSERT INTO {TABLE}({COLUMNS}) {select_sql(kind, '1')}")
    op.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')")
    for _name, statement in trigger_statements():
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name, _statement in trigger_statements():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute(f"DROP TABLE IF EXISTS {TABLE}")
