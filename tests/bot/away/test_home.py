"""The Home tab's Time off: "Add time off…" opens the form, a good submission stores the days
and refreshes the tab, mistakes stay on their fields and store nothing, Cancel cancels; a
refused press says why in a small notice."""

from datetime import date

import pytest

from bot.ids import Action, View
from tests.bot.away.support import away, rows
from tests.bot.home.support import dispatch, open_home, opened_modals, press, press_payload, text_of
from tests.bot.home.support import submit as submit_form
from tests.bot.support import MGR, SDR


@pytest.fixture
def team_rig(rig):
    rig.team()
    return rig


def dates_form(first=None, last=None, note=None) -> dict:
    values = {}
    if first:
        values["first"] = {"value": {"type": "datepicker", "selected_date": first}}
    if last:
        values["last"] = {"value": {"type": "datepicker", "selected_date": last}}
    if note is not None:
        values["note"] = {"value": {"type": "plain_text_input", "value": note}}
    return values


def cancel_button(view: dict) -> dict:
    for block in view["blocks"]:
        accessory = block.get("accessory") or {}
        if accessory.get("action_id") == Action.HOME_AWAY_CANCEL:
            return accessory
    raise AssertionError("no Cancel button on the Home tab")


def test_add_time_off_from_home_then_cancel_it(team_rig):
    rig = team_rig
    home = open_home(rig, SDR)
    assert "*Time off*" in text_of(home) and "No days away coming" in text_of(home)
    press(rig, SDR, home, Action.HOME_AWAY_ADD, "add")
    modal = opened_modals(rig)[-1]
    assert modal["callback_id"] == View.HOME_AWAY
    first = next(b for b in modal["blocks"] if b.get("block_id") == "first")
    assert first["element"]["initial_date"] == "2026-11-24"

    answer = submit_form(rig, SDR, modal, dates_form("2026-11-25", "2026-11-30", "Family"), "V1")
    assert answer == {}  # the form closes
    assert away(rig, SDR) == [date(2026, 11, 25), date(2026, 11, 27), date(2026, 11, 30)]
    tab = text_of(rig.slack.calls_to("views.publish")[-1].params["view"])
    assert "Away *Wed 25 – Mon 30 Nov 2026*: 3 working days." in tab
    refreshed = rig.slack.calls_to("views.publish")[-1].params["view"]
    button = cancel_button(refreshed)
    assert button["value"] == "2026-11-25:2026-11-30"
    assert "Wed 25 – Mon 30 Nov 2026 · 3 working days · _Family_" in text_of(refreshed)

    dispatch(rig, press_payload(SDR, refreshed, Action.HOME_AWAY_CANCEL, button["value"]))
    assert away(rig, SDR) == []
    tab = text_of(rig.slack.calls_to("views.publish")[-1].params["view"])
    assert "Cancelled 3 days away" in tab


@pytest.mark.parametrize(
    ("form", "field", "words"),
    [
        (dates_form("2026-11-30", "2026-11-25"), "last", "is before the first"),
        (dates_form("2026-11-20"), "first", "has passed"),
        (dates_form("2026-11-28"), "first", "not a working day"),
        (dates_form("2026-11-25", None, "x" * 201), "note", "at most 200 characters"),
        (dates_form(None, "2026-11-25"), "first", "Pick the first day away."),
    ],
)
def test_form_mistakes_stay_on_their_field(team_rig, form, field, words):
    rig = team_rig
    home = open_home(rig, SDR)
    press(rig, SDR, home, Action.HOME_AWAY_ADD, "add")
    answer = submit_form(rig, SDR, opened_modals(rig)[-1], form, "V2")
    assert answer["response_action"] == "errors"
    assert words in answer["errors"][field]
    assert "*" not in answer["errors"][field] and "`" not in answer["errors"][field]
    assert rows(rig) == []


def test_a_refused_press_opens_a_notice(team_rig):
    rig = team_rig
    home = open_home(rig, SDR)
    dispatch(rig, press_payload(MGR, home, Action.HOME_AWAY_ADD, "add"))
    notice = opened_modals(rig)[-1]
    assert "You're not a rep on a Pacer team" in text_of(notice)
    dispatch(rig, press_payload(SDR, home, Action.HOME_AWAY_CANCEL, "2026-12-01:2026-12-02"))
    assert "not away on" in text_of(opened_modals(rig)[-1])
    dispatch(rig, press_payload(SDR, home, Action.HOME_AWAY_CANCEL, "nonsense"))
    assert "can't tell which days" in text_of(opened_modals(rig)[-1])
    assert rows(rig) == []
