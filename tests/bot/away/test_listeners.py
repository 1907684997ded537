"""bot/away/listeners.py: /away, the Home tab's Time off buttons and its form each reach their
handler (the handlers themselves: test_command.py, test_home.py)."""

from bot.ids import Action, View
from tests.bot.home.support import open_home, opened_modals, press, submit
from tests.bot.support import SDR


def test_the_command_buttons_and_form_reach_their_handlers(rig):
    rig.team()
    assert "/away list" in rig.text("/away", "help", SDR)
    press(rig, SDR, open_home(rig, SDR), Action.HOME_AWAY_ADD, "add")
    modal = opened_modals(rig)[-1]
    assert modal["callback_id"] == View.HOME_AWAY
    answer = submit(rig, SDR, modal, {}, "V9")
    assert answer["errors"] == {"first": "Pick the first day away."}
    assert "*Time off*" in str(open_home(rig, SDR))
