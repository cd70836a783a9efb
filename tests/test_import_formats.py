"""Each export format, read from a fixture written from the real header, imports what it should."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select

from esncoach.imports import ImportFailed, analyse_file, import_file
from esncoach.imports.csvstream import BadCell, parse_count, parse_date
from esncoach.models import MetricSample
from esncoach.services import execs
from esncoach.store.workspace import Workspace

DATA = Path(__file__).parent / "data"
D = dt.date


@pytest.fixture
def tracked(ws: Workspace) -> dict[str, int]:
    """Two tracked execs in the empty workspace, matched by email and by handle."""
    return {
        "amelia": execs.add_exec(ws, name="Amelia Hart", email="amelia.hart@example.com", handle="@amelia",
                                 joined="2026-02-01"),
        "bruno": execs.add_exec(ws, name="Bruno Castillo", email="bruno.castillo@example.com", handle="@bruno",
                                joined="2026-02-05"),
    }


def stored(ws: Workspace) -> dict[tuple[int | None, str, dt.date, dt.date], float]:
    with ws.session() as s:
        return {(m.exec_id, m.metric, m.period_start, m.period_end): m.value for m in s.scalars(select(MetricSample))}


@pytest.mark.parametrize(("text", "value"), [("12", 12.0), ('1,234', 1234.0), (" 1 234 ", 1234.0), ("", None),
                                             ("null", None), ("NULL", None), ("12.5", 12.5), ("1\u202f000", 1000.0)])
def test_counts_tolerate_export_quirks(text: str, value: float | None) -> None:
    assert parse_count(text) == value


@pytest.mark.parametrize("text", ["lots", "-3", "nan", "inf", "1e20"])
def test_bad_counts_are_refused_with_the_value(text: str) -> None:
    with pytest.raises(BadCell, match="“"):
        parse_count(text)


@pytest.mark.parametrize(("text", "day"), [
    ("2026-02-16", D(2026, 2, 16)), ("2026-02-16 19:46:41 UTC", D(2026, 2, 16)), ("2026-02-16T08:00:00Z", D(2026, 2, 16)),
    ("Feb 16, 2026", D(2026, 2, 16)), ("February 6 2026", D(2026, 2, 6)), ("16 Feb 2026", D(2026, 2, 16)),
    ("16/02/2026", D(2026, 2, 16)), ("2/16/2026", D(2026, 2, 16)), ("null", None), ("", None),
])
def test_dates_in_the_spellings_exports_use(text: str, day: dt.date | None) -> None:
    assert parse_date(text) == day


@pytest.mark.parametrize("text", ["03/04/2026", "2026-02-31", "yesterday", "1850-01-01"])
def test_unreadable_or_ambiguous_dates_are_refused(text: str) -> None:
    with pytest.raises(BadCell):
        parse_date(text)


def test_viva_user_detail_keeps_execs_and_folds_everyone_into_the_network(ws: Workspace, tracked: dict[str, int]) -> None:
    result = import_file(ws, DATA / "metrics_viva_user_detail.csv")
    assert result.format == "viva_user_detail"
    period = (D(2026, 1, 18), D(2026, 2, 16))  # 30 days ending on the refresh date
    assert result.period == period
    data = stored(ws)
    a, b = tracked["amelia"], tracked["bruno"]
    # BOM stripped, "1,234" read, upper-case email matched, empty "Liked Count" left out (not zero).
    assert data[(a, "messages", *period)] == 12
    assert data[(a, "reads", *period)] == 1234
    assert data[(a, "likes", *period)] == 40
    assert data[(b, "messages", *period)] == 3
    assert (b, "likes", *period) not in data
    # Network = everyone with a figure: Amelia, Bruno, Zoé and the deleted user with "null" posts.
    assert data[(None, "messages", *period)] == 12 + 3 + 20
    assert data[(None, "reads", *period)] == 1234 + 410 + 2000 + 15
    assert data[(None, "likes", *period)] == 40 + 100 + 5
    # Privacy: nobody but tracked execs has a per-person figure.
    assert {k[0] for k in data} == {None, a, b}
    assert result.people_folded == 2
    assert [(r.line, r.reason) for r in result.rejections] == [
        (6, "messages: “lots” is not a number"),
        (7, "the row names no user (user principal name and display name are empty)"),
    ]
    assert result.rows_imported == 4 and result.rows_rejected == 2


def test_viva_activity_counts_are_daily_network_figures(ws: Workspace) -> None:
    result = import_file(ws, DATA / "metrics_viva_activity_counts.csv")
    assert result.format == "viva_activity"
    data = stored(ws)
    assert data[(None, "likes", D(2026, 2, 10), D(2026, 2, 10))] == 1000
    assert data[(None, "likes", D(2026, 2, 16), D(2026, 2, 16))] == 1060
    assert (None, "likes", D(2026, 2, 13), D(2026, 2, 13)) not in data  # empty cell: no figure, not zero
    assert data[(None, "messages", D(2026, 2, 13), D(2026, 2, 13))] == 103
    assert data[(None, "reads", D(2026, 2, 16), D(2026, 2, 16))] == 5006
    assert {k[0] for k in data} == {None}
    assert [(r.line, r.reason) for r in result.rejections] == [
        (9, "“2026-02-31” is not a calendar date"),
        (10, "messages: “-3” is not a count (negative or not finite)"),
    ]


def test_yammer_messages_counts_per_day_and_replies_received(ws: Workspace, tracked: dict[str, int]) -> None:
    result = import_file(ws, DATA / "metrics_yammer_Messages.csv")
    assert result.format == "yammer_messages"
    data = stored(ws)
    a, b = tracked["amelia"], tracked["bruno"]
    d10, d11, d12 = (D(2026, 2, d) for d in (10, 11, 12))
    assert data[(None, "messages", d10, d10)] == 4 and data[(None, "replies", d10, d10)] == 3
    assert data[(None, "messages", d11, d11)] == 2 and data[(None, "replies", d11, d11)] == 1
    assert data[(None, "messages", d12, d12)] == 1
    assert data[(a, "messages", d10, d10)] == 2 and data[(a, "replies", d10, d10)] == 1
    assert data[(b, "replies", d11, d11)] == 1
    # Replies to Amelia's message 1001 by others: Zoé (listed before the message itself), Sam, and Yu on
    # the 12th; Amelia's own reply in her thread does not count.
    assert data[(a, "replies_received", d10, d10)] == 2
    assert data[(a, "replies_received", d12, d12)] == 1
    assert not any(k[1] == "replies_received" and k[0] is None for k in data)
    assert [(r.line, r.reason) for r in result.rejections] == [(10, "created at: “yesterday” is not a date")]
    assert result.rows_imported == 7  # the multi-line quoted body is one message


def test_slack_period_from_the_file_name_and_handles(ws: Workspace, tracked: dict[str, int]) -> None:
    result = import_file(ws, DATA / "metrics_slack Member Analytics Jan 18, 2026 - Feb 16, 2026.csv")
    assert result.format == "slack_members"
    period = (D(2026, 1, 18), D(2026, 2, 16))
    data = stored(ws)
    a, b = tracked["amelia"], tracked["bruno"]
    assert data[(a, "messages", *period)] == 1020
    assert data[(a, "likes", *period)] == 45
    assert data[(a, "active_days", *period)] == 12
    assert data[(b, "messages", *period)] == 7  # matched by Slack username "bruno" = handle "@bruno"
    assert data[(None, "messages", *period)] == 1020 + 7 + 250
    assert data[(None, "active_days", *period)] == 12 + 4 + 30 + 2
    assert [r.line for r in result.rejections] == [6]
    assert "45 days active" in result.rejections[0].reason
    assert result.warnings == ()


def test_slack_without_a_period_assumes_30_days_and_says_so(ws: Workspace, tmp_path: Path) -> None:
    copy = tmp_path / "members.csv"
    shutil.copy(DATA / "metrics_slack Member Analytics Jan 18, 2026 - Feb 16, 2026.csv", copy)
    # Line 6 (45 days active) contradicts the assumed 30 days: one sentence asks for the period.
    with pytest.raises(ImportFailed, match=r"assumed 30 days 2026-01-18 to 2026-02-16 cannot be right.*--from"):
        import_file(ws, copy)
    trimmed = tmp_path / "members-trimmed.csv"
    lines = copy.read_text(encoding="utf-8").splitlines(keepends=True)
    trimmed.write_text("".join(lines[:5] + lines[6:]), encoding="utf-8")
    result = import_file(ws, trimmed)
    assert result.period == (D(2026, 1, 18), D(2026, 2, 16))  # 30 days ending on the latest "Last active"
    assert any("assumed the 30 days" in w for w in result.warnings)
    chosen = import_file(ws, copy, period=(D(2026, 2, 1), D(2026, 2, 28)))
    assert chosen.period == (D(2026, 2, 1), D(2026, 2, 28)) and chosen.warnings == ()


def test_teams_posts_replies_and_chats(ws: Workspace, tracked: dict[str, int]) -> None:
    result = import_file(ws, DATA / "metrics_teams_user_activity.csv")
    assert result.format == "teams_user_activity"
    period = (D(2026, 2, 10), D(2026, 2, 16))  # Report Period 7
    data = stored(ws)
    a = tracked["amelia"]
    assert data[(a, "messages", *period)] == 4 + 6
    assert data[(a, "replies", *period)] == 6
    assert data[(a, "chat_messages", *period)] == 10 + 1500
    assert data[(None, "messages", *period)] == 10 + 10
    assert data[(None, "chat_messages", *period)] == 1510 + 70
    assert not any(k[0] == tracked["bruno"] for k in data)  # all Bruno's counts empty
    assert [(r.line, r.reason) for r in result.rejections] == [
        (5, "report period “every week” is not a number of days")]


def test_generic_network_rows_win_over_folded_people(ws: Workspace, tracked: dict[str, int]) -> None:
    result = import_file(ws, DATA / "metrics_generic.csv")
    assert result.format == "generic"
    data = stored(ws)
    a, b = tracked["amelia"], tracked["bruno"]
    d1, d2, d3 = (D(2026, 2, d) for d in (1, 2, 3))
    assert data[(None, "messages", d1, d1)] == 200  # the file's own network figure, not the sum of people
    assert data[(None, "likes", d1, d1)] == 1100
    assert (None, "likes", d2, d2) not in data  # "null"
    assert data[(None, "messages", d3, d3)] == 2  # no network row that day: people folded in
    assert data[(None, "active_days", d1, d1)] == 4
    assert data[(a, "messages", d1, d1)] == 3
    assert data[(b, "messages", d1, d1)] == 1  # "@bruno" matched by handle
    assert {k[0] for k in data} == {None, a, b}
    assert [(r.line, r.reason) for r in result.rejections] == [
        (9, "“2026-13-01” is not a calendar date"), (10, "the row has no figures")]
    # "Amelia Hart" as a bare name is not matched automatically; the review step offers it.
    assert [(u.label, u.suggestion_name, u.exact) for u in result.review] == [("Amelia Hart", "Amelia Hart", True)]


def test_review_mapping_links_a_name_to_an_exec(ws: Workspace, tracked: dict[str, int]) -> None:
    import_file(ws, DATA / "metrics_generic.csv", mapping={"amelia hart": tracked["amelia"]})
    d1 = D(2026, 2, 1)
    assert stored(ws)[(tracked["amelia"], "messages", d1, d1)] == 3 + 1


def test_generic_with_other_column_names_needs_a_mapping(ws: Workspace) -> None:
    path = DATA / "metrics_generic_custom.csv"
    with pytest.raises(ImportFailed, match="not an export esncoach recognises"):
        import_file(ws, path)
    with pytest.raises(ImportFailed, match="No column holds the date"):
        import_file(ws, path, fmt="generic")
    mapping = {"date": "Jour", "messages": "Publications", "replies": "Réponses", "likes": "Réactions"}
    preview = analyse_file(ws, path, fmt="generic", column_map=mapping)
    assert preview.header == ("Jour", "Publications", "Réponses", "Réactions")  # title line above skipped
    assert preview.preview[1] == ("2026-02-02", "1,012", "31", "81")
    assert stored(ws) == {}
    result = import_file(ws, path, fmt="generic", column_map=mapping)
    d2 = D(2026, 2, 2)
    assert stored(ws)[(None, "messages", d2, d2)] == 1012
    assert [(r.line, r.reason) for r in result.rejections] == [(5, "the row has no figures")]


def test_forcing_the_wrong_format_names_the_missing_columns(ws: Workspace) -> None:
    with pytest.raises(ImportFailed, match="missing columns posted count"):
        import_file(ws, DATA / "metrics_teams_user_activity.csv", fmt="viva_user_detail")
