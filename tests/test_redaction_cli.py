"""The probe of issue #15 replayed through the scripting commands only: text put where the app keeps it,
then the exec's PDF, the assistant brief and the exec's archive checked for every other exec."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from pathlib import Path

import pytest

from esncoach.cli import main
from tests.test_archive_clean import _readable, decrypted_pages
from tests.test_redaction_reports import CANARY, Scenario, leaks, pdf_pages

NFD_ELODIE = unicodedata.normalize("NFD", "Élodie Marchand")
SPELLINGS = [
    "Co-author a post with Bruno Castillo", "Ask Castillo for the deck", "Follow @bruno on the thread",
    "Ask @liam.oconnor for the data", "Book time with bruno.castillo", "Reply to Elodie Marchand",
    f"Thank {NFD_ELODIE} for the intro", "Prep with Liam O’Connor", "Call Bruno  Castillo",
    "Lunch with Bruno\u00a0Castillo", "Compare with Bruno-Castillo", "Copy chen.wei@example.com",
    "Brief Ines Duarte", "Coffee with Bruno next week",
]


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code = main(list(args))
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_the_probe_through_the_scripting_commands(capsys, passphrase_file: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = ["--db", str(tmp_path / "probe.db"), "--passphrase-file", str(passphrase_file)]
    for name, email in (("Dana Whitfield", "dana@example.com"), ("Bruno Castillo", "bruno.castillo@example.com"),
                        ("Élodie Marchand", "elodie.marchand@example.com"), ("Liam O'Connor", "liam@example.com"),
                        ("Chen Wei", "chen.wei@example.com")):
        _run(capsys, "execs", "add", *db, "--name", name, "--email", email)
    _run(capsys, "execs", "edit", *db, "--name", "Liam", "--handle", "@liam.oconnor")
    _run(capsys, "execs", "edit", *db, "--name", "Bruno", "--private-notes", f"Between us: {CANARY} worries")
    _run(capsys, "people", "add", *db, "--exec", "Bruno Castillo", "--name", "Ines Duarte", "--role", "assistant",
         "--email", "ines@example.com")
    held = (dt.datetime.now() - dt.timedelta(days=3)).strftime("%Y-%m-%d %H:%M")
    session_id = _run(capsys, "sessions", "add", *db, "--exec", "Dana", "--when", held, "--held",
                      "--title", "Debrief with Castillo", "--outcomes", "Agreed to follow @bruno").strip()
    for i, text in enumerate(SPELLINGS):
        extra = ["--session", session_id] if i % 2 else []
        _run(capsys, "actions", "add", *db, "--exec", "Dana", "--text", text, *extra)
    _run(capsys, "posts", "add", *db, "--exec", "Dana", "--title", "Thanks to @bruno", "--text", "Bruno Castillo helped")

    scenario = Scenario(0, 0, 0, ("castillo", "marchand", "connor", "oconnor", "chen", "wei", "ines", "duarte",
                                  "@bruno", "elodie", "@liam"))
    report = json.loads(_run(capsys, "report", *db, "--exec", "Dana", "--out", str(tmp_path / "dana.pdf"),
                             "--page-size", "A4", "--json"))
    pages = pdf_pages(tmp_path / "dana.pdf")
    assert leaks(" ".join(pages), scenario) == []
    assert [m["phrase"] for m in report[0]["possible_mentions"]] == ["Coffee with Bruno next week"]
    assert "Coffee with Bruno" in " ".join(pages[report[0]["possible_mentions"][0]["page"] - 1].split())
    _run(capsys, "report", *db, "--assistant-brief", "Dana", "--out", str(tmp_path / "brief.pdf"))
    assert leaks(" ".join(pdf_pages(tmp_path / "brief.pdf")), scenario) == []

    listed = json.loads(_run(capsys, "execs", "list", *db, "--json"))
    dana = next(e["id"] for e in listed if e["name"] == "Dana Whitfield")
    phrase = tmp_path / "archive-pass.txt"
    phrase.write_text("an archive passphrase\n", encoding="utf-8")
    out = tmp_path / "dana.esnarchive"
    _run(capsys, "export-archive", *db, "--out", str(out), "--archive-passphrase-file", str(phrase),
         "--exec", str(dana))
    decrypted = decrypted_pages(out, "an archive passphrase")
    assert _readable(decrypted, "Dana Whitfield")
    for word in (CANARY, "elodie.marchand@example.com", "ines@example.com", "liam@example.com"):
        assert not _readable(decrypted, word), word
