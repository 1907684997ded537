"""bot/process_drafts/publish.py: publish refused, then confirmed; the announcement; history."""

from datetime import UTC, datetime

import pytest

from bot.process_drafts import scheduled
from storage.models import ActivityLog
from tests.bot.form_support import named_rig, versions
from tests.bot.process_drafts.support import add_review, drafts, open_part, send
from tests.bot.support import ADMIN, AE, MGR, SDR

CHANNEL = "C0SALES01"


@pytest.fixture
def rig(tmp_path):
    yield from named_rig(tmp_path)


def announcements(rig) -> list[str]:
    return [
        c.params["blocks"][0]["text"]["text"]
        for c in rig.slack.calls_to("chat.postMessage")
        if c.params.get("channel") == CHANNEL and "process is updated" in c.params["text"]
    ]


def test_open_suggestions_ask_for_confirm_and_the_announcement_names_the_reviewers(rig):
    rig.text("/pacer", f"channel <#{CHANNEL}|sales>", ADMIN)
    rig.text("/pacer", "process draft", MGR)
    send(rig, MGR, open_part(rig, MGR, "scorecards"), {"goal:sdr:calls": "80/day"})
    add_review(rig, {SDR: "suggest", AE: "approve", MGR: "approve"}, MGR)
    asked = rig.text("/pacer", "process publish", MGR)
    assert "1 suggestion is still open" in asked and "publish confirm" in asked
    assert versions(rig) == [] and announcements(rig) == []
    assert "managers" in rig.text("/pacer", "process publish confirm", SDR).lower()
    done = rig.text("/pacer", "process publish confirm", MGR)
    assert "Published* as version 1" in done and f"<#{CHANNEL}>" in done
    (posted,) = announcements(rig)
    assert "reviewed by 2 reps and 1 manager" in posted
    assert "version 1, from today" in posted
    (version,) = versions(rig)
    assert version.draft_id == drafts(rig)[0].id and version.loaded_by == MGR
    assert version.change.startswith(
        "published draft from 2026-11-24: goal sdr calls 60/day → 80/day"
    )
    history = rig.text("/pacer", "process history", SDR)
    assert "*v1*" in history and "in force from Tue 24 Nov 2026" in history
    assert "reviewed by" in history and "(2 approved)" in history


def test_a_later_date_dates_the_goals_and_a_moved_on_version_asks_for_confirm(rig):
    rig.text("/pacer", "process draft", MGR)
    send(rig, MGR, open_part(rig, MGR, "scorecards"), {"goal:sdr:calls": "80/day"})
    rig.text("/pacer", "goal sdr conversations 15/day", MGR)  # a version stored meanwhile
    asked = rig.text("/pacer", "process publish from 2026-12-01", MGR)
    assert "version 1 was stored after the draft was copied" in asked
    done = rig.text("/pacer", "process publish from 2026-12-01 confirm", MGR)
    assert "*Scheduled*" in done and "not announced: the team has no channel" in done
    assert len(versions(rig)) == 1 and drafts(rig)[0].status == "scheduled"
    rig.now = datetime(2026, 12, 1, 5, tzinfo=UTC)  # midnight in New York
    assert scheduled.sweep(rig.services, rig.now) == 1
    latest = versions(rig)[-1]
    assert '"from": "2026-12-01", "goal": "80/day"' in latest.definition
    # what the version stored meanwhile changed is undone from that day on, as confirmed
    assert latest.change.endswith("goal sdr conversations 15/day → 12/day")


def test_a_kpi_the_logs_use_cannot_be_removed_by_publishing(rig):
    rig.text("/log", "calls 5", SDR)
    rig.text("/pacer", "process draft", MGR)
    with rig.services.unit_of_work() as session:
        assert session.exec(ActivityLog.__table__.select()).first() is not None
    # Remove it through a file-like edit: the form refuses it, so edit the stored draft.
    form = open_part(rig, MGR, "kpis")
    refused = send(rig, MGR, form, {"kpi:calls": ""})
    assert "archive it instead" in refused["errors"]["kpi:calls"]
    archived = send(rig, MGR, form, {"kpi:calls": "archive"}, view_id="V0ARCH001")
    assert archived["response_action"] == "update"
    assert "Published" in rig.text("/pacer", "process publish", MGR)
    assert "archived: true" in versions(rig)[-1].source_text


def test_a_version_number_taken_at_the_same_instant_publishes_nothing(rig, monkeypatch):
    from bot.process_drafts import publish

    rig.text("/pacer", "process draft", MGR)
    monkeypatch.setattr(publish, "store_process", lambda *a, **kw: None)
    answer = rig.text("/pacer", "process publish", MGR)
    assert "stored at the same moment" in answer
    assert [d.status for d in drafts(rig)] == ["open"] and versions(rig) == []
