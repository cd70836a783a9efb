"""The command line as scripts use it: real processes, real encrypted files, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from esncoach import __version__
from esncoach.cli import main


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m esncoach`` in a child with no usable keyring (as on a headless server)."""
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    return subprocess.run([sys.executable, "-m", "esncoach", *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=120)


def test_version_is_printed() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"esncoach {__version__}"


def test_demo_then_list_json_in_a_real_process(tmp_path: Path, passphrase_file: Path) -> None:
    db = tmp_path / "demo.db"
    assert run("demo", "--db", str(db), "--passphrase-file", str(passphrase_file)).returncode == 0
    result = run("execs", "list", "--db", str(db), "--passphrase-file", str(passphrase_file), "--json")
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) == 12
    assert {"name", "email", "title", "joined", "stage", "archived"} <= set(rows[0])
    by_name = {r["name"]: r for r in rows}
    assert by_name["Amelia Hart"]["stage"] == "dialogue"
    assert by_name["Kavya Raman"]["joined"] is None
    assert by_name["Bruno Castillo"]["email"] == "bruno.castillo@example.com"


def test_add_creates_the_workspace_and_check_reports_schema(tmp_path: Path, passphrase_file: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "new" / "w.db"
    pf = str(passphrase_file)
    assert main(["execs", "add", "--db", str(db), "--passphrase-file", pf, "--name", "Zoë Adler",
                 "--title", "CEO", "--email", "Zoe@Example.com", "--joined", "2026-01-15", "--stage", "comment"]) == 0
    assert main(["execs", "list", "--db", str(db), "--passphrase-file", pf, "--json"]) == 0
    out = capsys.readouterr().out
    rows = json.loads(out[out.index("["):])
    assert rows == [{"id": rows[0]["id"], "name": "Zoë Adler", "email": "zoe@example.com", "title": "CEO",
                     "department": "", "joined": "2026-01-15", "stage": "comment", "archived": False}]
    assert main(["check", "--db", str(db), "--passphrase-file", pf]) == 0
    assert "ok: schema" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--name", "  "], "Name is required"),
        (["--name", "X" * 201], "limit is 200"),
        (["--name", "A", "--email", "not-an-email"], "not a valid email"),
        (["--name", "A", "--joined", "yesterday"], "not a date"),
        (["--name", "A", "--joined", "2999-01-01"], "in the future"),
        (["--name", "A", "--stage", "guru"], "Unknown ladder stage"),
    ],
)
def test_bad_input_is_one_clear_line(tmp_path: Path, passphrase_file: Path, extra: list[str], message: str) -> None:
    result = run("execs", "add", "--db", str(tmp_path / "w.db"), "--passphrase-file", str(passphrase_file), *extra)
    assert result.returncode == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_duplicate_email_is_refused_and_first_exec_kept(tmp_path: Path, passphrase_file: Path) -> None:
    db, pf = str(tmp_path / "w.db"), str(passphrase_file)
    assert main(["execs", "add", "--db", db, "--passphrase-file", pf, "--name", "A", "--email", "a@x.com"]) == 0
    assert main(["execs", "add", "--db", db, "--passphrase-file", pf, "--name", "B", "--email", "a@x.com"]) == 2
    result = run("execs", "list", "--db", db, "--passphrase-file", pf, "--json")
    assert [r["name"] for r in json.loads(result.stdout)] == ["A"]


def test_wrong_passphrase_and_missing_key_are_one_line(tmp_path: Path, passphrase_file: Path) -> None:
    db = tmp_path / "w.db"
    assert run("execs", "add", "--db", str(db), "--passphrase-file", str(passphrase_file), "--name", "A").returncode == 0
    before = db.read_bytes()
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("not it\n")
    result = run("execs", "list", "--db", str(db), "--passphrase-file", str(wrong))
    assert result.returncode == 2
    assert "key or passphrase is wrong" in result.stderr
    assert "not it" not in result.stderr
    assert db.read_bytes() == before
    result = run("execs", "list", "--db", str(db))
    assert result.returncode == 2
    assert "--passphrase-file" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_missing_workspace_is_not_created_by_list(tmp_path: Path, passphrase_file: Path) -> None:
    db = tmp_path / "nothing.db"
    result = run("execs", "list", "--db", str(db), "--passphrase-file", str(passphrase_file))
    assert result.returncode == 2
    assert "There is no workspace" in result.stderr
    assert not db.exists()


def test_keyring_key_is_created_once_and_reused(tmp_path: Path, memory_keyring, capsys) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "k.db"
    assert main(["execs", "add", "--db", str(db), "--name", "Keyring Person"]) == 0
    assert len(memory_keyring.store) == 1
    stored_key = next(iter(memory_keyring.store.values()))
    assert len(stored_key) == 64
    assert main(["execs", "list", "--db", str(db), "--json"]) == 0
    assert "Keyring Person" in capsys.readouterr().out
    assert stored_key.encode() not in db.read_bytes()
