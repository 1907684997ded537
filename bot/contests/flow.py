"""Starting and ending contests from Slack (the quick form, the modal, the lag check's buttons and
its automatic launch all come through here), and the follow-up jobs that post a contest's start
and result through the ritual path (bot.delivery.runner.run_ritual), so each is posted once.

A contest is stored before it is announced: ``launch`` and ``end_now`` write inside the
caller's unit of work, and the jobs that post run after it has committed (a request's
follow-ups run after its unit of work; the lag check's automatic launch opens one of its own)."""

from collections.abc import Callable
from datetime import datetime

from bot.delivery.posting import ChannelPacer
from bot.delivery.runner import Outcome, run_ritual
from bot.services import Services
from rituals import contests, runs
from rituals.contests import ContestSpec, Standings
from rituals.process import Process
from rituals.schedule import Occurrence
from storage import contest_queries
from storage.models import Contest, SalesTeam
from storage.unit_of_work import Session

_PACER = ChannelPacer()  # one per process: posts to a channel stay about a second apart


def launch(
    services: Services,
    session: Session,
    *,
    team: SalesTeam,
    process: Process,
    spec: ContestSpec,
    by: str,
    now: datetime,
    source: str,
    start_key: str,
    suggestion_id: int | None = None,
) -> tuple[Contest, bool]:
    """Check ``spec`` and store the contest and its entrants in the caller's unit of work;
    (contest, True). The same ``start_key`` again (a retried Slack request) returns the contest
    it started and False. With ``suggestion_id`` the lag suggestion is marked launched with it;
    if it is no longer open, SuggestionUnavailable says who launched or dismissed it and when.
    Raises ContestNotStarted with what is wrong; a refusal stores nothing. The announcement is
    ``announce_job``'s, once the unit of work has committed."""
    return contests.start_contest(
        session,
        team=team,
        process=process,
        spec=spec,
        by=by,
        now=now,
        source=source,
        start_key=start_key,
        suggestion_id=suggestion_id,
    )


def _post_job(
    services: Services,
    team_id: int,
    contest_id: int,
    occurrence_of: Callable[[Contest], Occurrence],
) -> Callable[[], None]:
    def job() -> None:
        with services.unit_of_work() as session:
            contest = contest_queries.get_contest(session, contest_id)
        if contest is None:
            return
        post(services, team_id, occurrence_of(contest))

    return job


def post(services: Services, team_id: int, occurrence: Occurrence) -> Outcome:
    """One contest post through the ritual path: claimed first, so it is posted exactly once
    (the clock finds it done, or posts it later if this attempt could not)."""
    return run_ritual(
        services,
        team_id,
        occurrence,
        services.clock(),
        pacer=_PACER,
        owner=runs.process_identity(),
    )


def announce_job(services: Services, team_id: int, contest_id: int) -> Callable[[], None]:
    """A job (run after the acknowledgement) that posts the contest's start announcement in the
    team's channel, once: its ``c{id}:start`` occurrence through run_ritual."""
    return _post_job(services, team_id, contest_id, contests.start_occurrence)


def result_job(services: Services, team_id: int, contest_id: int) -> Callable[[], None]:
    """A job that posts the contest's result (``c{id}:result``) through run_ritual, once."""
    return _post_job(services, team_id, contest_id, contests.result_occurrence)


def end_now(session: Session, contest: Contest, by: str, now: datetime) -> Standings | None:
    """End a running contest now and freeze its result as of now (in the caller's unit of
    work); None when it had already ended. Post the result with ``result_job`` once it has
    committed."""
    return contests.end_contest(session, contest, by, now)
