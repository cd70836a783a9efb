"""Leader analytics through the real import: personas, peer percentiles, responsiveness, delegated voice,
the privacy rule, and the ``leaders`` / ``listening`` commands."""

from __future__ import annotations

import csv
import datetime as dt
import json
import random
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from esncoach.imports import import_file
from esncoach.models import DraftedBy
from esncoach.services import execs, leaders, posts
from esncoach.services.leaders import MonthActivity, persona_for
from esncoach.services.leaders_percentile import Sketch, brute_force_percentile, percentile_of
from esncoach.store.workspace import Workspace

DATA = Path(__file__).parent / "data"
MESSAGES_HEADER = ["id", "replied_to_id", "thread_id", "conversation_id", "group_id", "group_name", "participants",
                   "in_private_group", "in_private_conversation", "sender_id", "sender_type", "sender_name",
                   "sender_email", "body", "api_url", "attachments", "deleted_by_id", "deleted_by_type", "created_at",
                   "deleted_at"]


# -- personas --------------------------------------------------------------------------------------

# exec -> (posts, replies, likes, replies received) for each of three months, and the personas expected.
HISTORIES = {
    "Olive Observer": ([(0, 1, 2, 0), (1, 0, 0, 0), (0, 0, 4, 0)], ["Observer"] * 3),
    "Brian Broadcaster": ([(6, 0, 0, 2), (5, 1, 0, 3), (8, 1, 0, 10)], ["Broadcaster"] * 3),
    "Rita Responder": ([(1, 6, 0, 0), (0, 4, 0, 0), (2, 5, 10, 1)], ["Responder"] * 3),
    "Cara Catalyst": ([(2, 1, 0, 9), (3, 1, 0, 12), (2, 0, 0, 7)], ["Catalyst"] * 3),
    "Eddie Engager": ([(4, 4, 0, 5), (3, 3, 5, 4), (5, 4, 0, 8)], ["Engager"] * 3),
}
MONTHS = [dt.date(2026, 1, 5), dt.date(2026, 2, 5), dt.date(2026, 3, 5)]


def _write_histories(path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["date", "person", "messages", "replies", "likes", "replies_received"])
        for name, (months, _expected) in HISTORIES.items():
            email = name.lower().replace(" ", ".") + "@example.com"
            for day, (p, r, likes, rc) in zip(MONTHS, months, strict=True):
                w.writerow([day.isoformat(), email, p + r, r, likes, rc])


def test_each_persona_from_a_constructed_history(ws: Workspace, tmp_path: Path) -> None:
    for name in HISTORIES:
        execs.add_exec(ws, name=name, email=name.lower().replace(" ", ".") + "@example.com")
    _write_histories(tmp_path / "history.csv")
    import_file(ws, tmp_path / "history.csv")
    profiles = {p.name: p for p in leaders.leader_profiles(ws)}
    for name, (_months, expected) in HISTORIES.items():
        got = profiles[name]
        assert [p for _m, p in got.persona_history] == expected, name
        assert [m for m, _p in got.persona_history] == ["2026-01", "2026-02", "2026-03"]
        assert got.persona == expected[-1]


def test_with_only_totals_the_note_says_which_personas_cannot_be_told_apart() -> None:
    month = dt.date(2026, 2, 1)
    assert persona_for(MonthActivity(month, posts=9)) == (
        None, "Only totals: Broadcaster, Responder, Catalyst and Engager cannot be told apart.")
    persona, note = persona_for(MonthActivity(month, posts=5, replies=1))
    assert persona is None and "Broadcaster, Catalyst and Engager" in note
    assert persona_for(MonthActivity(month, posts=1, replies=5))[0] == "Responder"
    assert persona_for(MonthActivity(month, posts=1))[0] == "Observer"


# -- peer percentile ---------------------------------------------------------------------------------

@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=5000), min_size=1, max_size=300), st.integers(0, 6000))
def test_sketch_percentile_equals_brute_force(values: list[int], probe: int) -> None:
    sketch = Sketch()
    for v in values:
        sketch.add(v)
    assert sketch.people == len(values)
    assert percentile_of(Sketch.from_json(sketch.to_json()), probe) == brute_force_percentile(values, probe)


def _random_messages(path: Path, *, people: int, messages: int, execs_: int, seed: int) -> list[tuple]:
    rng = random.Random(seed)
    rows = []
    start = dt.datetime(2026, 1, 1)
    for i in range(messages):
        sender = min(int(rng.paretovariate(1.2)) - 1, people - 1)
        when = start + dt.timedelta(minutes=int(i * 60 * 24 * 59 / messages))
        reply = rng.random() < 0.4 and i > 0
        parent = 5000 + rng.randrange(i) if reply else ""
        rows.append((5000 + i, parent, parent or 5000 + i, sender, when))
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(MESSAGES_HEADER)
        for msg_id, parent, thread, sender, when in rows:
            email = f"exec{sender}@example.com" if sender < execs_ else f"person{sender}@example.com"
            w.writerow([msg_id, parent, thread, "", 1, "All Company", "", "false", "false", 100 + sender, "user",
                        f"Person {sender}", email, "budget review update", f"https://example/{msg_id}", "", "", "",
                        when.strftime("%Y-%m-%d %H:%M:%S UTC"), ""])
    return rows


def test_exec_percentiles_match_brute_force_over_the_file(ws: Workspace, tmp_path: Path) -> None:
    ids = {i: execs.add_exec(ws, name=f"Exec {i}", email=f"exec{i}@example.com") for i in range(5)}
    rows = _random_messages(tmp_path / "Messages.csv", people=400, messages=6000, execs_=5, seed=7)
    import_file(ws, tmp_path / "Messages.csv")
    latest = max(when for *_r, when in rows).date().replace(day=1)
    per_person = Counter(sender for _i, _p, _t, sender, when in rows if when.date() >= latest)
    replies = Counter(sender for _i, parent, _t, sender, when in rows if when.date() >= latest and parent != "")
    for i, exec_id in ids.items():
        profile = leaders.leader_profile(ws, exec_id=exec_id)
        assert profile.percentile_period == (latest, dt.date(2026, 2, 28))
        assert profile.percentile["messages"] == brute_force_percentile(list(per_person.values()), per_person[i])
        everyone_replies = [replies.get(p, 0) for p in per_person]
        assert profile.percentile["replies"] == brute_force_percentile(everyone_replies, replies.get(i, 0))


# -- responsiveness, delegated voice, privacy ------------------------------------------------------------

@pytest.fixture
def imported(ws: Workspace) -> dict[str, int]:
    ids = {"amelia": execs.add_exec(ws, name="Amelia Hart", email="amelia.hart@example.com"),
           "bruno": execs.add_exec(ws, name="Bruno Castillo", email="bruno.castillo@example.com")}
    import_file(ws, DATA / "metrics_viva_engage_Messages.csv")
    return ids


def test_responsiveness_and_delegated_voice(ws: Workspace, imported: dict[str, int]) -> None:
    amelia = leaders.leader_profile(ws, exec_id=imported["amelia"])
    r = amelia.responsiveness
    assert (r.asks, r.answered_share, r.median_hours) == (2, 0.5, 2.0)  # Sam answered after 2 h, Zoé not
    assert [(u.thread, u.asked_on) for u in r.unanswered] == [
        ("https://www.yammer.com/api/v1/messages/2004", dt.date(2026, 2, 3))]
    assert amelia.delegated_share == 0.5  # one of her two messages was posted by a delegate
    bruno = leaders.leader_profile(ws, exec_id=imported["bruno"])
    assert bruno.responsiveness.asks == 1 and bruno.responsiveness.answered_share == 0.0  # the [[user:2]] mention
    assert bruno.delegated_share == 0.0
    posts.create_post(ws, exec_id=imported["amelia"], title="Town hall recap", text="Draft",
                      drafted_by=DraftedBy.ASSISTANT)
    posts.create_post(ws, exec_id=imported["amelia"], title="Thanks", text="Draft")
    assert leaders.leader_profile(ws, exec_id=imported["amelia"]).drafted_by_assistant_share == 0.5


NOT_EXECS = ("sam staff", "sam.staff", "zoé worker", "zoe.worker", "yu reader", "yu.reader", "someone.else", "bad.row",
             "bad row", "old.timer", "old timer", "guest person", "guest@partner", "too.active", "too active")


EVERY_FORMAT = ("metrics_viva_admin_user_detail.csv", "metrics_viva_groups_activity.csv", "metrics_viva_user_detail.csv",
                "metrics_viva_user_detail_excel_de.csv", "metrics_teams_user_activity.csv", "metrics_generic.csv",
                "metrics_generic_excel_de.csv", "metrics_viva_activity_counts.csv", "metrics_yammer_Messages.csv",
                "metrics_slack Member Analytics Jan 18, 2026 - Feb 16, 2026.csv")


def test_no_person_who_is_not_an_exec_is_stored_anywhere(ws: Workspace, imported: dict[str, int],
                                                         tmp_path: Path) -> None:
    for name in EVERY_FORMAT:
        import_file(ws, DATA / name)
    with ws.engine.connect() as conn:
        tables = [r[0] for r in conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        assert {"network_distribution", "leader_ask", "listening_term", "listening_thread"} <= set(tables)
        cells = [str(v).lower() for t in tables for row in conn.execute(text(f'SELECT * FROM "{t}"')) for v in row
                 if isinstance(v, str)]
        terms = [r[0] for r in conn.exec_driver_sql("SELECT term FROM listening_term")]
    assert cells and terms
    leaks = [c for c in cells for name in NOT_EXECS if name in c]
    assert leaks == []
    assert not [t for t in terms if {"sam", "zoé", "yu", "staff", "worker", "reader"} & set(t.split())]
    assert not [t for t in terms if "bluebird" in t or "merger" in t]  # a private conversation stays private
    assert "admin@example.com" not in " ".join(cells)  # a community owner's name is never stored


# -- the commands ---------------------------------------------------------------------------------------

def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "esncoach", *args], capture_output=True, text=True, timeout=300)


def test_leaders_and_listening_json_from_the_command_line(tmp_path: Path, passphrase_file: Path) -> None:
    db, pf = str(tmp_path / "w.db"), str(passphrase_file)
    for name, email in (("Amelia Hart", "amelia.hart@example.com"), ("Bruno Castillo", "bruno.castillo@example.com")):
        assert _cli("execs", "add", "--db", db, "--passphrase-file", pf, "--name", name, "--email", email).returncode == 0
    assert _cli("import", "--db", db, "--passphrase-file", pf,
                str(DATA / "metrics_viva_engage_Messages.csv")).returncode == 0
    out = _cli("leaders", "--db", db, "--passphrase-file", pf, "--exec", "Amelia", "--json")
    assert out.returncode == 0, out.stderr
    (amelia,) = json.loads(out.stdout)
    assert {"name", "persona", "persona_history", "percentile", "responsiveness", "delegated_share",
            "drafted_by_assistant_share"} <= set(amelia)
    assert amelia["name"] == "Amelia Hart" and amelia["persona"] == "Engager"
    assert amelia["persona_history"] == [{"month": "2026-02", "persona": "Engager"}]
    assert amelia["percentile"] == {"messages": 50.0, "replies": 50.0}
    assert amelia["responsiveness"]["unanswered"] == [
        {"thread": "https://www.yammer.com/api/v1/messages/2004", "asked_on": "2026-02-03"}]
    assert amelia["responsiveness"]["answered_share"] == 0.5 and amelia["responsiveness"]["median_hours"] == 2.0
    assert amelia["delegated_share"] == 0.5 and amelia["drafted_by_assistant_share"] is None
    everyone = json.loads(_cli("leaders", "--db", db, "--passphrase-file", pf, "--json").stdout)
    assert [p["name"] for p in everyone] == ["Amelia Hart", "Bruno Castillo"]
    out = _cli("listening", "--db", db, "--passphrase-file", pf, "--exec", "Bruno", "--json")
    assert out.returncode == 0, out.stderr
    brief = json.loads(out.stdout)
    assert {"term": "hybrid office", "count": 4, "rise": 17.1} in brief["themes"]
    assert brief["threads"][0] == {"thread": "https://www.yammer.com/api/v1/messages/2001",
                                   "title_or_start": "Hybrid office policy", "replies": 3,
                                   "last_activity": "2026-02-03"}
    bad = _cli("listening", "--db", db, "--passphrase-file", pf, "--exec", "Bruno", "--days", "400")
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1 and "1 to 30 days" in bad.stderr


def test_the_demo_workspace_shows_every_analytic_on_first_run(demo_ws: Workspace) -> None:
    profiles = {p.name: p for p in leaders.leader_profiles(demo_ws)}
    on_network = [p for p in profiles.values() if p.responsiveness.asks]
    assert len(on_network) >= 8
    assert {"Catalyst", "Responder", "Broadcaster", "Engager", "Observer"} <= {p.persona for p in profiles.values()}
    amelia = profiles["Amelia Hart"]
    assert len(amelia.persona_history) == 12 and amelia.percentile["messages"] is not None
    assert amelia.percentile_sentence().startswith("top ")
    assert amelia.responsiveness.unanswered and amelia.delegated_share is not None
    from esncoach.services import listening

    brief = listening.listening_brief(demo_ws, exec_id=amelia.exec_id)
    assert brief.themes[0].term == "hybrid office" and brief.themes[0].rise > 3
    assert brief.threads
