"""``esncoach report`` exactly as the issue spells it: real encrypted workspace, real PDFs read back."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from esncoach.cli import main
from esncoach.services import execs
from esncoach.store.workspace import Workspace
from tests.conftest import TEST_PASSPHRASE


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def pdf_text(path: Path) -> tuple[int, str]:
    reader = PdfReader(str(path))
    return len(reader.pages), " ".join(norm(p.extract_text() or "") for p in reader.pages)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A demo workspace locked with the test passphrase, as `esncoach demo` makes it."""
    folder = tmp_path_factory.mktemp("cli")
    pf = folder / "pass.txt"
    pf.write_text(TEST_PASSPHRASE + "\n", encoding="utf-8")
    db = folder / "demo.db"
    assert main(["demo", "--db", str(db), "--passphrase-file", str(pf)]) == 0
    return db, pf


def _names(db: Path, pf: Path) -> list[str]:
    from esncoach.store.keys import read_passphrase_file

    with Workspace.open(db, read_passphrase_file(str(pf))) as ws:
        return [e.name for e in execs.list_execs(ws, include_archived=False)]


def test_exec_summary_in_a_real_process(demo_db: tuple[Path, Path], tmp_path: Path) -> None:
    db, pf = demo_db
    out = tmp_path / "elodie.pdf"
    env = dict(os.environ, PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring")
    env.pop("QT_QPA_PLATFORM", None)  # the command must manage without a display on its own
    result = subprocess.run(
        [sys.executable, "-m", "esncoach", "report", "--db", str(db), "--passphrase-file", str(pf),
         "--exec", "Élodie Marchand", "--out", str(out), "--from", "2026-01-01", "--to", "2026-12-31",
         "--page-size", "A4"],
        capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().startswith(str(out))
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    pages, text = pdf_text(out)
    assert pages >= 3
    assert "Élodie Marchand" in text and "1 Jan 2026 – 31 Dec 2026" in text
    assert "Figure 1." in text  # the app's charts are in
    for name in _names(db, pf):
        if name != "Élodie Marchand":
            assert norm(name) not in text


def test_portfolio_and_assistant_brief(demo_db: tuple[Path, Path], tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db, pf = demo_db
    base = ["report", "--db", str(db), "--passphrase-file", str(pf)]
    assert main([*base, "--portfolio", "--out", str(tmp_path / "p.pdf"), "--json"]) == 0
    written = json.loads(capsys.readouterr().out)
    assert written[0]["path"] == str(tmp_path / "p.pdf") and written[0]["pages"] >= 3
    _pages, text = pdf_text(tmp_path / "p.pdf")
    assert all(norm(n) in text for n in _names(db, pf))
    assert "Prefers short sessions" not in text
    assert main([*base, "--assistant-brief", "Greta", "--out", str(tmp_path / "b.pdf")]) == 0
    pages, text = pdf_text(tmp_path / "b.pdf")
    assert pages <= 2 and "ASSISTANT BRIEF" in text  # the listening brief (#17) may take a second page and "Greta Lindqvist" in text
    assert "Worried about saying the wrong thing" not in text


def test_all_execs_batch(demo_db: tuple[Path, Path], tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db, pf = demo_db
    folder = tmp_path / "batch"
    folder.mkdir()
    assert main(["report", "--db", str(db), "--passphrase-file", str(pf), "--all-execs", "--out-dir", str(folder),
                 "--page-size", "Letter"]) == 0
    files = sorted(folder.iterdir())
    names = _names(db, pf)
    assert len(files) == len(names)
    assert all(f.name.startswith("progress-") and f.name.endswith(".pdf") and f.name.isascii() for f in files)
    for f in files:
        assert stat.S_IMODE(f.stat().st_mode) == 0o600
        assert float(PdfReader(str(f)).pages[0].mediabox.width) == 612
    assert len(capsys.readouterr().out.strip().splitlines()) == len(names)


@pytest.mark.parametrize(("args", "message"), [
    (["--exec", "Amelia"], "--out FILE.pdf is required"),
    (["--all-execs", "--out", "x.pdf"], "--all-execs needs --out-dir"),
    (["--portfolio", "--out", "x.pdf", "--from", "2026-01-01"], "--from/--to only apply"),
])
def test_option_mistakes_are_usage_errors(demo_db: tuple[Path, Path], args: list[str], message: str, capsys) -> None:  # type: ignore[no-untyped-def]
    db, pf = demo_db
    with pytest.raises(SystemExit) as exc:
        main(["report", "--db", str(db), "--passphrase-file", str(pf), *args])
    assert exc.value.code == 2
    assert message in capsys.readouterr().err


def test_errors_are_one_line_and_leave_no_file(demo_db: tuple[Path, Path], tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    db, pf = demo_db
    base = ["report", "--db", str(db), "--passphrase-file", str(pf)]
    assert main([*base, "--exec", "Nobody", "--out", str(tmp_path / "n.pdf")]) == 2
    assert "No executive called" in capsys.readouterr().err
    assert main([*base, "--exec", "Amelia", "--out", str(tmp_path / "n.pdf"), "--from", "2026-13-01"]) == 2
    assert "is not a date" in capsys.readouterr().err
    assert main([*base, "--exec", "Amelia", "--out", str(tmp_path / "n.pdf"), "--from", "2026-06-01",
                 "--to", "2026-05-01"]) == 2
    assert "before it starts" in capsys.readouterr().err
    assert main([*base, "--portfolio", "--out", str(tmp_path / "missing" / "p.pdf")]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "does not exist" in err
    assert not any(p.suffix in (".pdf", ".part") for p in tmp_path.rglob("*"))
