"""``esncoach team push``: a solo workspace moves onto the team server; a second run adds nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from esncoach.cli import main
from esncoach.services import execs, sessions, team
from esncoach.store.server import open_server
from esncoach.store.workspace import Workspace
from tests.conftest import TEST_PASSPHRASE
from tests.pg_server import PgServer


def _counts(pg_server: PgServer, db: str) -> dict[str, int]:
    with pg_server.admin(db) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                for t in ("exec", "coaching_session", "action_item", "habit", "check_in", "practice_post",
                          "revision", "feedback", "person", "tag", "team_private_note", "team_exec_cm")}


def test_push_twice_copies_once_and_assigns(pg_server: PgServer, pg_url: str, pg_db: str, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    local = tmp_path / "solo.db"
    phrase = tmp_path / "phrase"
    phrase.write_text(TEST_PASSPHRASE + "\n")
    assert main(["demo", "--db", str(local), "--passphrase-file", str(phrase)]) == 0
    cm = f"pushcm_{pg_db}"
    with Workspace.open(pg_url, None) as ws:  # type: ignore[arg-type]
        team.add_member(ws, role=cm, password="pw")
    try:
        capsys.readouterr()
        args = ["team", "push", "--from", str(local), "--passphrase-file", str(phrase), "--db", pg_url, "--cm", cm, "--json"]
        assert main(args) == 0
        first = json.loads(capsys.readouterr().out)
        assert len(first["added"]) == 12 and first["already_there"] == []
        after_first = _counts(pg_server, pg_db)
        assert after_first["exec"] == 12 and after_first["team_private_note"] == 12 and after_first["team_exec_cm"] == 12
        assert main(args) == 0
        second = json.loads(capsys.readouterr().out)
        assert second["added"] == [] and len(second["already_there"]) == 12
        assert _counts(pg_server, pg_db) == after_first
        # The CM sees their execs with sessions and their own private notes.
        url = f"postgresql://{cm}@{pg_server.host}:{pg_server.port}/{pg_db}"
        with open_server(url, password="pw") as ws:
            rows = execs.list_execs(ws)
            assert len(rows) == 12
            amelia = next(r for r in rows if r.name == "Amelia Hart")
            assert execs.get_exec(ws, amelia.id).private_notes.startswith("Prefers short sessions")
            assert sessions.list_sessions(ws, exec_id=amelia.id)
        assert main(["team", "push", "--from", str(local), "--passphrase-file", str(phrase), "--db", pg_url,
                     "--cm", "nobody_here"]) == 2
        assert _counts(pg_server, pg_db) == after_first
    finally:
        with pg_server.admin() as conn:
            conn.execute(f"DROP DATABASE {pg_db} WITH (FORCE)")
            conn.execute(f"DROP ROLE {cm}")
