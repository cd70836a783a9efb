"""The command line on a CM's day: options on either side of the action, quiet on a closed pipe, folded e-mails."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from esncoach.store.workspace import Workspace


def esncoach(*args: str, **kw) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def]
    return subprocess.run([sys.executable, "-m", "esncoach", *args], capture_output=True, text=True, timeout=300, **kw)


def test_workspace_options_on_either_side_of_the_action(demo_path: Path, passphrase_file: Path, key,
                                                         tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "cli.db"
    made = esncoach("demo", "--db", str(db), "--passphrase-file", str(passphrase_file))
    assert made.returncode == 0, made.stderr
    opts = ["--db", str(db), "--passphrase-file", str(passphrase_file)]
    after = esncoach("sessions", "list", *opts, "--exec", "Chen Wei")
    before = esncoach("sessions", *opts, "list", "--exec", "Chen Wei")
    top = esncoach(*opts, "sessions", "list", "--exec", "Chen Wei")
    assert after.returncode == before.returncode == top.returncode == 0, (before.stderr, top.stderr)
    assert before.stdout == after.stdout == top.stdout and "Chen Wei" not in before.stderr
    plain = esncoach("execs", "list", f"--db={db}", "--passphrase-file", str(passphrase_file))
    assert plain.returncode == 0 and "Élodie Marchand" in plain.stdout


def test_a_closed_pipe_ends_quietly(tmp_path: Path, passphrase_file: Path) -> None:
    db = tmp_path / "pipe.db"
    assert esncoach("demo", "--db", str(db), "--passphrase-file", str(passphrase_file)).returncode == 0
    proc = subprocess.Popen([sys.executable, "-m", "esncoach", "execs", "list", "--db", str(db), "--passphrase-file",
                             str(passphrase_file)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # what `| head` does once it has read enough
    _out, err = proc.communicate(timeout=300)
    assert err.decode() == ""
    assert proc.returncode == 141


def test_demo_email_folds_accents(demo_ws: Workspace) -> None:
    from esncoach.services import execs

    assert execs.find_exec(demo_ws, "Élodie Marchand").email == "elodie.marchand@example.com"


def test_exec_list_sorts_accented_names_where_a_reader_expects(demo_ws: Workspace) -> None:
    from esncoach.services import execs

    names = [r.name for r in execs.list_execs(demo_ws)]
    assert names.index("Élodie Marchand") < names.index("Farid Haddad") < names.index("Liam O'Connor")
