"""full-text search index (FTS5) kept in step by triggers

Revision ID: 0002_fulltext_search
Revises: 0001_initial
Create Date: 2026-11-23 18:40:00

One FTS5 table, ``search_index``, lives inside the encrypted file next to the data it indexes, so the
index is exactly as encrypted as the data. Each searchable row of the workspace has one index row whose
rowid is ``id * 16 + kind code`` (an O(log n) delete when the source row changes). SQL triggers keep it
in step with every insert, update and delete, whoever writes: the ORM, a bulk ``UPDATE``, a cascade.

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

# kind -> (code, source table, alias, SELECT of the index columns for the rows where {where} holds).
# Columns: rowid, title, body, extra, tags, kind, item_id, exec_id, at, grp.
# title weighs most (names, titles), body is the written text, extra is secondary text (emails,
# quoted passages), tags are the tag names; grp groups revisions of one post so a post shows once.
_TAGS = "(SELECT group_concat(t.name, ' | ') FROM {link} l JOIN tag t ON t.id = l.tag_id WHERE l.{col} = {alias}.id)"
KINDS: dict[str, tuple[int, str, str, str]] = {
    "exec": (1, "exec", "e", (
        "SELECT e.id * 16 + 1, e.name, trim(e.title || ' ' || e.department || char(10) || e.private_notes), "
        "trim(coalesce(e.email, '') || ' ' || coalesce(e.handle, '')), "
        + _TAGS.format(link="exec_tag", col="exec_id", alias="e")
        + ", 'exec', e.id, e.id, e.created_at, NULL FROM exec e WHERE {where}"
    )),
    "person": (2, "person", "p", (
        "SELECT p.id * 16 + 2, p.name, trim(p.title || char(10) || p.notes), coalesce(p.email, ''), NULL, "
        "'person', p.id, (SELECT min(x.exec_id) FROM exec_support x WHERE x.person_id = p.id), p.created_at, NULL "
        "FROM person p WHERE {where}"
    )),
    "session": (3, "coaching_session", "s", (
        "SELECT s.id * 16 + 3, s.title, trim(s.agenda || char(10) || s.notes || char(10) || s.outcomes), '', "
        + _TAGS.format(link="session_tag", col="session_id", alias="s")
        + ", 'session', s.id, s.exec_id, s.starts_at, NULL FROM coaching_session s WHERE {where}"
    )),
    "action": (4, "action_item", "a", (
        "SELECT a.id * 16 + 4, '', a.text, '', NULL, 'action', a.id, a.exec_id, a.created_at, NULL "
        "FROM action_item a WHERE {where}"
    )),
    "habit": (5, "habit", "h", (
        "SELECT h.id * 16 + 5, h.description, '', '', NULL, 'habit', h.id, h.exec_id, h.started_on, NULL "
        "FROM habit h WHERE {where}"
    )),
    # Most check-ins carry no note; only those with one are worth a row.
    "check_in": (6, "check_in", "c", (
        "SELECT c.id * 16 + 6, '', c.note, '', NULL, 'check_in', c.id, "
        "(SELECT h.exec_id FROM habit h WHERE h.id = c.habit_id), c.day, NULL "
        "FROM check_in c WHERE c.note <> '' AND {where}"
    )),
    "post": (7, "practice_post", "p", (
        "SELECT p.id * 16 + 7, p.title, '', p.community, "
        + _TAGS.format(link="post_tag", col="post_id", alias="p")
        + ", 'post', p.id, p.exec_id, p.updated_at, NULL FROM practice_post p WHERE {where}"
    )),
    "revision": (8, "revision", "r", (
        "SELECT r.id * 16 + 8, '', r.text, '', NULL, 'revision', r.id, "
        "(SELECT p.exec_id FROM practice_post p WHERE p.id = r.post_id), r.created_at, r.post_id "
        "FROM revision r WHERE {where}"
    )),
    "feedback": (9, "feedback", "f", (
        "SELECT f.id * 16 + 9, '', f.comment, f.quoted_text, NULL, 'feedback', f.id, "
        "(SELECT p.exec_id FROM revision r JOIN practice_post p ON p.id = r.post_id WHERE r.id = f.revision_id), "
        "f.created_at, NULL FROM feedback f WHERE {where}"
    )),
    "theme": (10, "watch_theme", "w", (
        "SELECT w.id * 16 + 10, '', w.text, '', NULL, 'theme', w.id, w.exec_id, w.created_at, NULL "
        "FROM watch_theme w WHERE {where}"
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
    "title, body, extra, tags, kind UNINDEXED, item_id UNINDEXED, exec_id UNINDEXED, at UNINDEXED, grp UNINDEXED, "
    "tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2 3')"
)
_COLUMNS = "rowid, title, body, extra, tags, kind, item_id, exec_id, at, grp"


def _refresh(kind: str, ids_sql: str) -> str:
    """Statements re-indexing the rows of ``kind`` whose ids ``ids_sql`` yields (delete, then insert)."""
    code, _table, alias, select = KINDS[kind]
    return (
        f"DELETE FROM {TABLE} WHERE rowid IN (SELECT x * 16 + {code} FROM ({ids_sql}));\n"
        f"  INSERT INTO {TABLE}({_COLUMNS}) {select.format(where=f'{alias}.id IN ({ids_sql})')};"
    )


def trigger_statements() -> list[tuple[str, str]]:
    """(name, CREATE TRIGGER statement) for every trigger that keeps the index in step."""
    triggers: list[tuple[str, str]] = []
    for kind, (code, table, alias, select) in KINDS.items():
        insert = f"INSERT INTO {TABLE}({_COLUMNS}) {select.format(where=f'{alias}.id = NEW.id')};"
        delete = f"DELETE FROM {TABLE} WHERE rowid = OLD.id * 16 + {code};"
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
    op.execute(CREATE_TABLE)
    for _kind, (_code, _table, _alias, select) in KINDS.items():
        op.execute(f"INSERT INTO {TABLE}({_COLUMNS}) {select.format(where='1')}")
    op.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')")
    for _name, statement in trigger_statements():
        op.execute(statement)


def downgrade() -> None:
    for name, _statement in trigger_statements():
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.execute(f"DROP TABLE IF EXISTS {TABLE}")
