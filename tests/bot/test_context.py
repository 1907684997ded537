"""bot/context.py: every request runs in one unit of work, committed when its handler returns and
rolled back on any refusal or error, so a refused request changes nothing; a refusal becomes the
reply's text (with a command that would work), and a busy database says nothing was stored."""

from sqlmodel import select

from bot.context import DATABASE_BUSY_COMMAND, Command, Interaction, handle, where
from bot.replies import Problem
from rituals.refusals import NothingToUndo
from storage import people_queries
from storage.errors import DatabaseUnavailable
from storage.models import Member
from tests.bot.support import ADMIN, SDR

BODY = {"team_id": "T0RIG0001", "user_id": ADMIN, "text": ""}


def add_rep(request) -> dict:
    member = Member(
        workspace_id=request.actor.workspace_id,
        team_id=request.actor.team_id,
        user_id=SDR,
        role="sdr",
        added_by=request.user_id,
        added_at=request.now,
    )
    people_queries.save_member(request.session, member)
    request.follow_ups.append(lambda: None)
    return {"text": "added"}


def members(rig) -> list[str]:
    with rig.services.unit_of_work() as session:
        return [m.user_id for m in session.exec(select(Member))]


def test_what_a_handler_stores_is_committed_when_it_returns(rig):
    done = handle(rig.services, BODY, add_rep, Command, command="/pacer")
    assert (done.reply, done.outcome, done.problem, len(done.follow_ups)) == (
        {"text": "added"},
        "ok",
        None,
        1,
    )
    assert members(rig) == [SDR]


def test_a_refusal_rolls_back_what_the_handler_stored_and_is_worded_for_slack(rig):
    def refused(request) -> dict:
        add_rep(request)
        raise NothingToUndo()

    done = handle(rig.services, BODY, refused, Command, command="/log")
    assert done.reply is None and done.follow_ups == []
    assert done.outcome == "refused:NothingToUndo"
    assert done.problem == (
        "There's nothing you logged left to undo. See what counts with `/scorecard`."
    )
    assert members(rig) == []


def test_a_problem_found_in_slack_gets_the_commands_help_and_changes_nothing(rig):
    def problem(request) -> dict:
        add_rep(request)
        raise Problem("No such person.")

    done = handle(rig.services, BODY, problem, Command, command="/scorecard")
    assert done.problem == "No such person. `/scorecard help` shows every form."
    assert members(rig) == []


def test_a_button_answers_its_refusal_its_own_way_after_the_rollback(rig):
    def refused(request) -> dict:
        add_rep(request)
        raise NothingToUndo()

    def notice(request, text: str) -> dict:
        request.follow_ups.append(lambda: None)
        return {"notice": text}

    body = {"team": {"id": "T0RIG0001"}, "user": {"id": ADMIN}}
    done = handle(rig.services, body, refused, Interaction, on_refusal=notice)
    assert done.reply == {
        "notice": "There's nothing you logged left to undo. See what counts with `/scorecard`."
    }
    assert len(done.follow_ups) == 1  # the notice's, not the refused handler's
    assert members(rig) == []


def test_a_busy_database_says_nothing_was_stored(rig):
    def busy(request) -> dict:
        raise DatabaseUnavailable("database is locked")

    done = handle(rig.services, BODY, busy, Command, command="/log")
    assert (done.outcome, done.problem) == ("database_unavailable", DATABASE_BUSY_COMMAND)


def test_who_is_asking_is_read_from_every_payload_shape():
    assert where({"team_id": "T1", "user_id": "U1", "enterprise_id": "E1"}) == ("T1", "E1", "U1")
    assert where({"team": {"id": "T2"}, "user": {"id": "U2"}, "enterprise": {"id": "E2"}}) == (
        "T2",
        "E2",
        "U2",
    )
    assert where({"user": {"id": "U3", "team_id": "T3"}}) == ("T3", None, "U3")
    assert where({"team_id": "T4", "user": "U4"}) == ("T4", None, "U4")
