"""The contest form: `/contest start` with no arguments opens it, and the lag check's "Edit first"
opens it filled in from its proposal. A submission with a mistake keeps the form open with the
mistake on its field (nothing stored); a good one starts the contest, closes the form, and the
announcement follows in the team's channel."""

import json
from collections.abc import Callable
from datetime import date

from bot import messages, replies
from bot.contests import flow as contest_flow
from bot.context import Interaction, Request
from bot.ids import INPUT, View
from bot.messages import plain_text
from bot.modals import open_modal
from bot.parsing import MAX_DIGITS
from rituals import contests, lag_check
from rituals.contests import ContestSpec, SpecProblem
from rituals.process import Process
from rituals.teams import managers_of, require_manager, team_process
from storage import contest_queries, people_queries
from storage.models import Member, SalesTeam

GROUPS = 3  # team vs team: up to three groups in the form (the quick form takes more)
KIND_LABELS = {
    "race": ("Race", "The most wins; the top 3 are shown as it goes."),
    "target": ("Target", "Everyone who reaches the target wins."),
    "teams": ("Team vs team", "Groups of reps; the best group score wins."),
}
SCORING_LABELS = {
    "sum": ("Total", "Each group's reps' counts added up."),
    "average": ("Average per rep", "Fair to groups of different sizes."),
}
# Which block shows a problem with which field of the spec.
FIELD_BLOCKS = {
    "name": "name",
    "kpi": "kpi",
    "kind": "kind",
    "start": "start",
    "end": "end",
    "target": "target",
    "entrants": "entrants",
    "groups": "group1",
    "scoring": "scoring",
    "prize": "prize",
    **{f"group{i}": f"group{i}" for i in range(1, GROUPS + 1)},
}
ERROR_LIMIT = 500  # keep each field's error short enough to read under the field


def _option(text: str, value: str, description: str | None = None) -> dict:
    option = {"text": plain_text(text, 75), "value": value[:150]}
    if description:
        option["description"] = plain_text(description, 75)
    return option


_input = messages.input_block


def _text_input(initial: str = "", max_length: int = 80, placeholder: str = "") -> dict:
    element: dict = {"type": "plain_text_input", "max_length": max_length}
    if initial:
        element["initial_value"] = initial[:max_length]
    if placeholder:
        element["placeholder"] = plain_text(placeholder, 150)
    return element


def _users(initial: tuple[str, ...] = ()) -> dict:
    element: dict = {"type": "multi_users_select"}
    if initial:
        element["initial_users"] = list(initial)
    return element


def build_modal(
    process: Process,
    today: date,
    spec: ContestSpec | None = None,
    suggestion_id: int | None = None,
    reps: int | None = None,
) -> dict:
    """The form as a view payload (pure: tested as data)."""
    kpis = process.kpis[:100]
    start = spec.start_day if spec else contests.first_working_day(process.calendar, today)
    end = spec.end_day if spec else contests.after_working_days(process.calendar, start, 3)
    kpi_options = [_option(k.name, k.key, _kpi_hint(process, k.key)) for k in kpis]
    kpi_select: dict = {
        "type": "static_select",
        "options": kpi_options,
        "placeholder": plain_text("Choose a KPI"),
    }
    if spec and process.has_kpi(spec.kpi):
        kpi_select["initial_option"] = next(
            o for o in kpi_options if o["value"] == process.kpi(spec.kpi).key
        )
    kind_options = [_option(label, key, text) for key, (label, text) in KIND_LABELS.items()]
    kind = spec.kind if spec and spec.kind in KIND_LABELS else "race"
    scoring_options = [_option(label, key, text) for key, (label, text) in SCORING_LABELS.items()]
    scoring = spec.scoring if spec and spec.scoring in SCORING_LABELS else "sum"
    target: dict = {"type": "number_input", "is_decimal_allowed": False, "min_value": "1"}
    if spec and spec.target:
        target["initial_value"] = str(spec.target)
    everyone = f" ({reps} on the team now)" if reps is not None else ""
    blocks = [
        {
            "type": "context",
            "elements": [
                {
                    "type": "mrkdwn",
                    "text": "A contest rallies the team around one KPI for a few days. Logs count "
                    "on the day they happened, backdated ones too.",
                }
            ],
        },
        _input(
            "name",
            "Name",
            _text_input(spec.name if spec else "", contests.MAX_NAME, "e.g. Call Blitz"),
        ),
        _input("kpi", "KPI", kpi_select),
        _input(
            "kind",
            "Kind",
            {
                "type": "radio_buttons",
                "options": kind_options,
                "initial_option": kind_options[list(KIND_LABELS).index(kind)],
            },
        ),
        _input("start", "First day", {"type": "datepicker", "initial_date": start.isoformat()}),
        _input(
            "end",
            "Last day",
            {"type": "datepicker", "initial_date": end.isoformat()},
            hint=f"It ends when working hours end that day ({process.calendar.day_end:%H:%M}, "
            f"{process.timezone}).",
        ),
        _input(
            "target",
            "Target (for a target contest)",
            target,
            optional=True,
            hint="The number each person must reach. A team contest may set one per group.",
        ),
        _input(
            "entrants",
            "Who takes part (race or target)",
            _users(spec.entrants if spec else ()),
            optional=True,
            hint=f"Leave empty for everyone with the KPI on their scorecard{everyone}.",
        ),
        {"type": "divider"},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": "*Team vs team*: two or three groups of reps."},
        },
    ]
    groups = list(spec.groups) if spec else []
    for index in range(1, GROUPS + 1):
        name, people = groups[index - 1] if index <= len(groups) else ("", ())
        blocks.append(
            _input(
                f"group{index}_name",
                f"Group {index} name",
                _text_input(name or f"Team {index}", contests.MAX_GROUP_NAME),
                optional=True,
            )
        )
        blocks.append(_input(f"group{index}", f"Group {index}", _users(people), optional=True))
    blocks += [
        _input(
            "scoring",
            "Team score",
            {
                "type": "radio_buttons",
                "options": scoring_options,
                "initial_option": scoring_options[list(SCORING_LABELS).index(scoring)],
            },
            optional=True,
        ),
        {"type": "divider"},
        _input(
            "prize",
            "Prize",
            _text_input(spec.prize if spec else "", contests.MAX_PRIZE, "e.g. Lunch on me"),
            optional=True,
        ),
    ]
    view = {
        "type": "modal",
        "callback_id": View.CONTEST_START,
        "title": plain_text("Start a contest", messages.MODAL_TITLE_LIMIT),
        "submit": plain_text("Start", messages.MODAL_TITLE_LIMIT),
        "close": plain_text("Cancel", messages.MODAL_TITLE_LIMIT),
        "blocks": blocks,
    }
    if suggestion_id is not None:
        view["private_metadata"] = json.dumps({"suggestion_id": suggestion_id})
    return view


def _kpi_hint(process: Process, key: str) -> str | None:
    roles = [r.name for r in process.roles if key in r.scorecard]
    return f"On the {', '.join(roles)} scorecard" if roles else None


def open_contest_modal(
    request: Request,
    process: Process,
    members: list[Member],
    *,
    instead: str,
    spec: ContestSpec | None = None,
    suggestion_id: int | None = None,
) -> None:
    """Open the form with Slack's views.open (call it before acknowledging: a trigger_id lasts
    3 seconds), or refuse, saying what to do ``instead``. ``spec`` fills it in (the lag
    check's proposal) and ``suggestion_id`` rides in its private_metadata, so submitting it
    launches that suggestion."""
    today = process.calendar.local_date(request.services.clock())
    reps = sum(1 for m in members if m.active and m.role and process.has_role(m.role))
    view = build_modal(process, today, spec, suggestion_id, reps)
    open_modal(request, view, what="the contest form", instead=instead)


# -- the submission ---------------------------------------------------------------------------


def _value(values: dict, block_id: str) -> dict:
    return (values.get(block_id) or {}).get(INPUT) or {}


def _text(values: dict, block_id: str) -> str:
    return (_value(values, block_id).get("value") or "").strip()


def _name(values: dict, block_id: str, errors: dict[str, str]) -> str:
    """A name typed in the form; one with a control character in it (a pasted NUL byte) is
    refused under its field rather than stored changed."""
    text = _text(values, block_id)
    if messages.has_controls(text):
        errors[block_id] = "This has an invisible control character in it: type it again."
        return messages.without_controls(text)
    return text


def _selected(values: dict, block_id: str) -> str | None:
    option = _value(values, block_id).get("selected_option") or {}
    return option.get("value")


def _date(values: dict, block_id: str, errors: dict) -> date | None:
    raw = _value(values, block_id).get("selected_date")
    if not raw:
        errors[block_id] = "Pick a day."
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        errors[block_id] = "Pick a day from the calendar."
        return None


def _people(values: dict, block_id: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_value(values, block_id).get("selected_users") or []))


def _plain(text: str) -> str:
    """A problem's Slack wording as plain text for a field error."""
    text = text.replace("`", "").replace("*", "")
    text = messages.unescape(text)
    return text if len(text) <= ERROR_LIMIT else text[: ERROR_LIMIT - 1] + "…"


def read_spec(view: dict, process: Process) -> tuple[ContestSpec | None, dict[str, str]]:
    """The spec a submitted form describes, or the errors of what can't be read (by block)."""
    values = (view.get("state") or {}).get("values") or {}
    errors: dict[str, str] = {}
    name = _name(values, "name", errors)
    kpi = _selected(values, "kpi")
    if not kpi:
        errors["kpi"] = "Choose the KPI the contest counts."
    elif not process.has_kpi(kpi):
        errors["kpi"] = "That KPI is no longer in the team's process: choose another."
    kind = _selected(values, "kind") or "race"
    start, end = _date(values, "start", errors), _date(values, "end", errors)
    target = None
    raw_target = _text(values, "target")
    if raw_target:
        try:
            target = int(raw_target) if len(raw_target) <= MAX_DIGITS else None
        except ValueError:
            target = None
        if target is None:
            errors["target"] = "The target is a whole number, e.g. 5."
    entrants = _people(values, "entrants")
    groups = []
    for index in range(1, GROUPS + 1):
        people = _people(values, f"group{index}")
        if people:
            group_name = _name(values, f"group{index}_name", errors)
            groups.append((group_name or f"Team {index}", people))
    if kind == "teams" and entrants:
        errors["entrants"] = "For team vs team, put people in the groups below, not here."
    if kind != "teams" and groups:
        errors["group1"] = "Groups are for team vs team: choose that kind, or clear the groups."
    scoring = _selected(values, "scoring") or "sum"
    if start is None or end is None or kpi is None or "kpi" in errors:
        return None, errors  # the rest is checked once these are there
    spec = ContestSpec(
        name=name,
        kind=kind,
        kpi=kpi,
        start_day=start,
        end_day=end,
        target=target if kind != "race" else None,
        entrants=entrants if kind != "teams" else (),
        groups=tuple(groups) if kind == "teams" else (),
        scoring=scoring,
        prize=_name(values, "prize", errors),
    )
    return spec, errors


def field_errors(
    problems: tuple[SpecProblem, ...], who: Callable[[str], str] | None = None
) -> dict[str, str]:
    """Each problem under its field, worded as the reply would be (``who`` names people)."""
    errors: dict[str, str] = {}
    for problem in problems:
        block = FIELD_BLOCKS.get(problem.field, "name")
        text = _plain(replies.contest_problem_text(problem, who))
        errors[block] = f"{errors[block]} {text}"[:ERROR_LIMIT] if block in errors else text
    return errors


def _suggestion_id(view: dict) -> int | None:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        return None
    value = data.get("suggestion_id") if isinstance(data, dict) else None
    return value if isinstance(value, int) else None


def _team_of(interaction: Interaction, suggestion_id: int | None) -> tuple[SalesTeam, Process]:
    """The team the contest is for: the person's own, or, for a form opened from a lag
    suggestion, the suggestion's team (an admin on another team launches it there)."""
    actor, session = interaction.actor, interaction.session
    if suggestion_id is None:
        require_manager(actor, "start contests")
        return actor.team, actor.process
    row = lag_check.get_suggestion(session, suggestion_id)
    if row is None or row.workspace_id != actor.workspace_id:
        raise replies.Problem(
            "Pacer can't find the suggestion this form came from, so nothing was started. "
            "`/contest start` starts a contest by hand."
        )
    team = people_queries.get_team(session, row.team_id)
    if not actor.is_admin and actor.user_id not in managers_of(session, team.id):
        raise replies.Problem(
            f"Only the managers of {messages.escape(team.name)} and Pacer admins can launch its "
            "suggested contest, so nothing was started."
        )
    return team, team_process(session, team.id)[0]


def submit(interaction: Interaction) -> dict | None:
    """The form submitted: field errors (nothing stored), or the contest started, the form
    closed, and the announcement and a private confirmation after the acknowledgement."""
    actor, session, now, view = (
        interaction.actor,
        interaction.session,
        interaction.now,
        interaction.view,
    )
    suggestion_id = _suggestion_id(view)
    team, process = _team_of(interaction, suggestion_id)
    start_key = f"view:{view.get('id', '')}:{view.get('hash', '')}"
    if contest_queries.contest_by_start_key(session, actor.workspace_id, start_key) is not None:
        interaction.outcome = "duplicate"  # Slack delivered this submission again: it started
        return None
    spec, errors = read_spec(view, process)
    if spec is not None:
        people = list(spec.entrants) + [u for _, ids in spec.groups for u in ids]
        cached = people_queries.profiles(session, actor.workspace_id, people)
        names = {u: row.display_name for u, row in cached.items()}

        def who(user_id: str) -> str:
            # Pacer's cache only: asking Slack here could miss the 3-second deadline.
            return names.get(user_id, f"A person picked here ({user_id})")

        plan = contests.plan_contest(session, team.id, process, spec, now)
        errors.update(
            {k: v for k, v in field_errors(plan.problems, who).items() if k not in errors}
        )
    if errors:
        interaction.outcome = "invalid"
        return {"response_action": "errors", "errors": errors}
    contest, created = contest_flow.launch(
        interaction.services,
        session,
        team=team,
        process=process,
        spec=spec,
        by=actor.user_id,
        now=now,
        source="suggestion" if suggestion_id is not None else "modal",
        start_key=start_key,
        suggestion_id=suggestion_id,
    )
    interaction.outcome = "started" if created else "duplicate"
    if created:
        services = interaction.services
        interaction.follow_ups.append(contest_flow.announce_job(services, team.id, contest.id))
        text = _confirmation(contest, process, team.channel_id)
        note = messages.message(text, messages.section(text))  # a plain text, and the blocks
        user = actor.user_id

        def confirm() -> None:
            clients = interaction.clients  # the workspace's own token
            if clients is not None:
                clients.client.chat_postMessage(
                    channel=user, text=note["text"], blocks=note["blocks"]
                )

        interaction.follow_ups.append(confirm)
    return None


def _confirmation(contest, process: Process, channel_id: str | None) -> str:
    ends = contest.ends_at.astimezone(process.calendar.tz)
    where = (
        f"It's being announced in {messages.channel(channel_id)}."
        if channel_id
        else "The team has no channel yet, so it isn't announced: `/pacer channel #sales` sets one."
    )
    return (
        f":checkered_flag: You started *{messages.escape(contest.name)}* "
        f"(until {ends:%a} {ends.day} {ends:%b} {ends:%H:%M}). {where} "
        f"`/contest standings` shows where everyone stands."
    )
