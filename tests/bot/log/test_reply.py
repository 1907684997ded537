"""bot/log/reply.py: /log's acknowledgement confirms what was stored and nothing more; where the
rep stands follows through the command's response_url, one computation for the logs of a rep
waiting together, each log answered exactly once."""

from bot.log import reply
from rituals.scorecard import standings
from simulator.signed_requests import responses_to
from tests.bot.support import AE, MGR, SDR, Rig
from tests.storage.support import Statements


class Held:
    """A quiet lane that holds its jobs until the test runs them (bot/after_ack.py)."""

    def __init__(self) -> None:
        self.jobs: list = []

    def submit(self, job) -> bool:
        self.jobs.append(job)
        return True

    def run(self) -> int:
        jobs, self.jobs = self.jobs, []
        for job in jobs:
            job()
        return len(jobs)


def holding(rig: Rig) -> Held:
    held = Held()
    rig.services.quiet = held  # log_replies and home_refreshes submit through it
    return held


def log(rig: Rig, text: str, user: str) -> tuple[str, str]:
    """(the acknowledgement's text, the command's response_url)."""
    message = rig.run("/log", text, user)
    return "\n".join(b["text"]["text"] for b in message["blocks"]), rig.response_url


def replaced(rig: Rig, url: str) -> list[str]:
    return [
        "\n".join(b["text"]["text"] for b in r["blocks"])
        for r in responses_to(rig.slack, url)
        if r.get("replace_original")
    ]


def test_the_ack_confirms_what_was_stored_and_the_standings_follow_it(rig):
    rig.team()
    held = holding(rig)
    ack, url = log(rig, "call 12", SDR)
    assert ack == ":white_check_mark: Logged *12 Calls / Emails* · today, Tue 24 Nov."
    assert responses_to(rig.slack, url) == []  # nothing yet: the standings wait for the ack
    held.run()
    (full,) = replaced(rig, url)
    assert full.startswith(ack)
    assert "today 12 of 60" in full and "this week 12 of 240 (5%), pace 16% — behind" in full
    response = responses_to(rig.slack, url)[0]
    assert response["response_type"] == "ephemeral" and response["replace_original"] is True


def test_the_ack_reads_no_standings(rig):
    """Before the ack: the INSERT and the reads that decide who may log what, nothing else. The
    standings (a GROUP BY over the rep's logs) would add reads of activity_log here."""
    rig.team()
    log(rig, "call 1", SDR)  # warm: profiles, caches
    holding(rig)
    with Statements(rig.engine) as seen:
        log(rig, "call 2", SDR)
    on_logs = [s for s in seen.statements if "activity_log" in s.lower()]
    assert len(on_logs) == 1 and on_logs[0].lstrip().upper().startswith("INSERT"), on_logs
    writes = [s for s in seen.statements if s.lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert len(writes) == 1, writes


def test_a_reps_waiting_logs_are_answered_once_each_from_one_computation(rig, monkeypatch):
    computed = []
    monkeypatch.setattr(
        reply, "standings", lambda *a, **kw: computed.append(a[3].user_id) or standings(*a, **kw)
    )
    rig.team()
    held = holding(rig)
    first, url1 = log(rig, "call 1", SDR)
    second, url2 = log(rig, "calls 2 conversations 1", SDR)
    other, url3 = log(rig, "meeting 1", AE)
    assert len(held.jobs) == 2 + 2  # one reply job per rep, one Home refresh per rep
    held.run()
    (one,) = replaced(rig, url1)
    (two,) = replaced(rig, url2)
    (three,) = replaced(rig, url3)
    assert one.startswith(first) and two.startswith(second) and three.startswith(other)
    # Both of the SDR's replies show where the rep stands after both logs: one computation.
    assert "today 3 of 60" in one and "today 3 of 60" in two
    assert "Conversations" not in one.split("\n", 1)[1]  # each reply shows its own KPIs
    assert "today 1 of 12" in two
    assert sorted(computed) == sorted([SDR, AE])  # one computation per rep
    assert held.run() == 0  # nothing left over, nothing answered twice
    assert [len(responses_to(rig.slack, u)) for u in (url1, url2, url3)] == [1, 1, 1]
    # a log after the run starts a new reply of its own
    _, url4 = log(rig, "call 1", SDR)
    held.run()
    assert "today 4 of 60" in replaced(rig, url4)[0]
    assert len(responses_to(rig.slack, url1)) == 1


def test_a_credit_that_may_not_see_the_scorecard_gets_no_standings(rig):
    rig.team()
    rig.text("/pacer", "visibility managers", MGR)
    held = holding(rig)
    ack, url = log(rig, f"<@{SDR}> sao 1", AE)
    assert "Logged *1 Sales Accepted Opportunities*" in ack
    held.run()
    assert replaced(rig, url) == []  # the confirmation is the whole answer


def test_a_request_delivered_twice_is_confirmed_as_counted_once(rig):
    rig.team()
    held = holding(rig)
    _, url = log(rig, "call 5", SDR)
    assert "counted once" in rig.again()["text"]
    held.run()
    replies = replaced(rig, url)
    assert len(replies) == 2 and "counted once" in replies[1] and "today 5 of 60" in replies[1]


def test_a_failed_reply_loses_no_log_and_costs_the_others_nothing(rig):
    rig.team()
    held = holding(rig)
    _, url1 = log(rig, "call 1", SDR)
    _, url2 = log(rig, "call 1", SDR)
    for _ in range(5):  # the first response_url is used up (Slack allows 5 uses)
        rig.slack.responses[url1.rsplit("/", 1)[1]].append({})
    held.run()
    assert replaced(rig, url1) == []
    assert "today 2 of 60" in replaced(rig, url2)[0]
    assert "Calls / Emails 2/" in rig.run("/scorecard", "", SDR)["text"]
