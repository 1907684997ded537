"""The story `pacer demo` tells, section by section: the team set up, the days played, what reps
see when they log, their mistakes, the manager's view, a coaching thread, then every ritual."""

import io
import random
from datetime import date, timedelta
from pathlib import Path

from slack_bolt.request import BoltRequest

from bot.delivery.posting import ChannelPacer
from bot.delivery.runner import run_ritual
from bot.services import Services
from rituals import dates
from rituals.schedule import first_working_day, occurrence_at
from rituals.teams import team_process
from simulator.demo import draft_story
from simulator.demo.activity import SEED, USUAL, contest_week, day_label, play_day, working_days
from simulator.demo.cast import (
    AES,
    CHANNEL_ID,
    CHANNEL_NAME,
    MANAGER,
    NEW_HIRE,
    OUTSIDER,
    REPS,
    SDRS,
    TZ,
)
from simulator.demo.contest_story import ContestStory
from simulator.demo.final_week import FinalWeek, give_new_sdrs_a_ramp
from simulator.demo.player import SECRET, Demo
from simulator.signed_requests import command_body, event_body, json_headers
from simulator.textview import mrkdwn_to_text, render_message
from storage import coaching_queries, people_queries
from storage.unit_of_work import unit_of_work

SHOWCASE_AT, NOW_AT = "13:30", "14:00"  # the last day stops here, so pace is mid-day
COACH_AT = "14:30"


def play(demo: Demo, services: Services, weeks: int, today: date) -> ContestStory | None:
    days = working_days(today, weeks)
    first, prev, last = days[0], days[-2], days[-1]
    sdr1, sdr2, sdr3, sdr4 = SDRS
    demo.print(
        f"Pacer demo · {weeks} week{'s' * (weeks > 1)} of a sales team, {dates.short(first)} – "
        f"{dates.long(last)} (America/New_York)",
        "Every line below went through Pacer's real slash-command path (signed requests, the same",
        "parser and handlers as in Slack) against a local stand-in for Slack and an SQLite file.",
    )

    demo.section(f"{MANAGER.name}, the sales manager, sets up the team")
    demo.clock.set(first, "08:30")
    for i, rep in enumerate(REPS):
        demo.show(MANAGER, "/pacer", f"team add <@{rep.user_id}> {rep.role}", brief=i > 0)
    demo.show(MANAGER, "/pacer", f"manager <@{MANAGER.user_id}>", brief=True)
    demo.show(MANAGER, "/pacer", f"channel <#{CHANNEL_ID}|{CHANNEL_NAME}>")

    draft_story.draft_journey(demo)
    demo.clock.set(first, "08:35")
    draft_story.review(demo)
    demo.clock.set(first, "08:40")
    draft_story.publish(demo)
    demo.clock.set(first, "08:45")
    demo.show(MANAGER, "/pacer", "holiday")  # the default process takes US public holidays off
    week = FinalWeek.of(days)
    give_new_sdrs_a_ramp(demo, services)
    demo.show(MANAGER, "/pacer", f"team add <@{NEW_HIRE.user_id}> sdr starting {week.hire_starts}")

    demo.section(f"{len(days)} working days of activity")
    monday = contest_week(days)
    story = ContestStory(demo, services, monday) if monday else None
    rng, pending, credits, start = random.Random(SEED), {}, [], demo.played
    screen, demo.out = demo.out, io.StringIO()  # the contest's story prints after this section
    try:
        for day in days:
            stop_at = SHOWCASE_AT if day == last else "24:00"
            plan = story.plan(day) if story else USUAL
            if day == week.booking:
                week.plan_ahead(demo, day)  # a day off booked, a goal raised from Monday
            play_day(demo, rng, day, pending, credits, stop_at, plan, week.reps_on(day))
    finally:
        told, demo.out = demo.out.getvalue(), screen
    samples = demo.typed[:: max(1, len(demo.typed) // 8)][:8]
    demo.print(
        f"The team typed {demo.played - start} commands, at 09:40 (yesterday's forgotten logs),",
        "10:30, 11:15 (AEs accept leads), 13:00 and 16:45, each rep 1–3 times a day; "
        f"{last:%a} stops at {SHOWCASE_AT}.",
        f"{demo.logs()} logs stored. A sample of what they typed:",
        *(f"    {mrkdwn_to_text(t, demo.names)}" for t in samples),
    )
    if story is None:
        demo.print("")
        demo.say(
            "(A contest suggested by a lagging metric needs a full week before the final one: "
            "run with --weeks 2 or more to see it.)"
        )
    else:
        demo.out.write(told.rstrip("\n") + "\n")

    demo.section(f"What reps see when they log ({dates.short(last)}, from {SHOWCASE_AT})")
    demo.clock.set(last, SHOWCASE_AT)
    demo.show(sdr1, "/log", "calls 24 conversations 5")
    demo.show(sdr2, "/log", "18 dials")
    demo.show(sdr3, "/log", "meeting 1 Acme Corp")
    demo.show(AES[0], "/log", f"<@{sdr3.user_id}> sao 1 Acme Corp")
    posts = demo.standin.calls_to("chat.postMessage")
    dms = [c.params for c in posts if c.params.get("channel") == sdr3.user_id]
    if not dms:
        demo.problems.append(f"{sdr3.name} was credited with an SAO but got no direct message")
    for dm in dms[-1:]:
        demo.print(
            f"Pacer › direct message to {sdr3.name}", "    " + render_message(dm, demo.names), ""
        )
    demo.show(sdr4, "/log", f"call 12 {day_label(prev, last)}")

    demo.section("Mistakes, and what Pacer answers (none of them stores anything)")
    before = demo.logs()
    demo.show(sdr2, "/log", "conversatons 3")
    demo.show(sdr1, "/log", "calls 0")
    demo.show(sdr4, "/log", f"calls 10 {last + timedelta(days=1)}")
    demo.show(OUTSIDER, "/log", "calls 5")
    demo.show(sdr3, "/log", "sao 1")
    demo.print(f"Logs stored before these mistakes: {before}; after: {demo.logs()}.")

    demo.section("Taking a log back, and a request Slack delivered twice")
    demo.clock.set(last, "13:45")
    demo.show(sdr2, "/log", "calls 150")
    demo.show(sdr2, "/log", "undo")
    demo.show(sdr2, "/log", "calls 15")
    # one trigger_id, sent twice
    body = command_body(
        "/log", "held 1 roi 1", AES[1].user_id, response_url=demo.standin.new_response_url()
    )
    demo.show(AES[1], "/log", "held 1 roi 1", body)
    once = demo.logs()
    demo.show(AES[1], "/log", "held 1 roi 1", body)
    demo.print(f"Logs stored after the first delivery: {once}; after the second: {demo.logs()}.")

    demo.section(f"The manager's view ({dates.short(last)} {NOW_AT})")
    demo.clock.set(last, NOW_AT)
    demo.show(MANAGER, "/pacer", "team")
    demo.show(MANAGER, "/pacer", "process")
    demo.show(MANAGER, "/scorecard", "")  # a manager's own /scorecard: the team's
    for rep in REPS:
        demo.show(MANAGER, "/scorecard", f"<@{rep.user_id}>")
    demo.show(MANAGER, "/scorecard", f"<@{sdr4.user_id}> month")
    demo.show(MANAGER, "/scorecard", f"<@{sdr2.user_id}> calls")
    week.show_what_changed(demo, last)

    coach(demo, last)
    return story


REP_NOTE = "Listened to two calls with Dana: my opener runs 40 seconds."
ACTION_NOTE = "action: Tyler tries the two-line opener on his next 20 calls"


def coach(demo: Demo, last: date) -> None:
    """The manager opens a coaching thread with the weakest SDR, two replies in it are saved
    (one an action item), and the rep's coaching history shows the action."""
    rep = min(SDRS, key=lambda p: p.form)  # Tyler Brooks
    demo.section(f"Coaching {rep.name} from the numbers ({dates.short(last)} {COACH_AT})")
    demo.clock.set(last, COACH_AT)
    first = len(demo.standin.calls)
    demo.show(MANAGER, "/coach", f"<@{rep.user_id}>")
    openings = [
        c.params
        for c in demo.standin.calls[first:]
        if c.method == "chat.postMessage" and "Coaching session" in c.params.get("text", "")
    ]
    with unit_of_work(demo.engine) as session:
        workspace_id = people_queries.teams(session)[0].workspace_id
        newest = coaching_queries.sessions_for_rep(session, workspace_id, rep.user_id, limit=1)
    row = newest[0] if newest else None
    if not openings or row is None or not row.thread_ts:
        demo.problems.append(f"/coach @{rep.name} opened no coaching thread")
        return
    demo.post(
        f"Pacer › the coaching thread, in a private conversation of {MANAGER.name} and {rep.name}",
        openings[-1],
    )
    base = int(row.thread_ts.split(".")[0])
    for minutes, who, text in ((4, rep, REP_NOTE), (7, MANAGER, ACTION_NOTE)):
        demo.clock.set(last, COACH_AT)
        demo.clock.now += timedelta(minutes=minutes)
        ts = f"{base + minutes * 60}.000200"
        event = {
            "type": "message",
            "channel": row.channel_id,
            "user": who.user_id,
            "text": text,
            "ts": ts,
            "thread_ts": row.thread_ts,
            "event_ts": ts,
            "channel_type": "mpim",  # the manager, the rep and Pacer
        }
        body = event_body(event)
        response = demo.app.dispatch(BoltRequest(body=body, headers=json_headers(SECRET, body)))
        if response.status != 200:
            demo.problems.append(f"a reply in the coaching thread → [{response.status}]")
        demo.print(f"  ↳ in the thread, {who.name}: {text}")
    with unit_of_work(demo.engine) as session:
        notes = coaching_queries.notes_for_sessions(session, [row.id])[row.id]
    pins = [
        c
        for c in demo.standin.calls[first:]
        if c.method == "reactions.add" and c.params.get("name") == "pushpin"
    ]
    actions = [n for n in notes if n.is_action]
    demo.print("")
    demo.say(
        f"Pacer saved {len(notes)} notes from the thread, {len(actions)} of them an action item"
        + (" (it reacts 📌 on it, so the thread shows it was captured):" if pins else ":")
    )
    demo.print(
        *(f"    {'📌 action item' if n.is_action else 'note'} · {n.text}" for n in notes), ""
    )
    if len(notes) != 2 or len(actions) != 1 or len(pins) != 1:
        demo.problems.append(
            f"coaching thread replies: {len(notes)} notes, {len(actions)} action items, "
            f"{len(pins)} 📌 reactions (expected 2, 1, 1)"
        )
    demo.clock.set(last, COACH_AT)
    demo.clock.now += timedelta(minutes=15)
    history = demo.show(MANAGER, "/coach", f"<@{rep.user_id}> history")
    if "two-line opener" not in history:
        demo.problems.append(f"/coach @{rep.name} history does not show the action item")


def rituals(demo: Demo, services: Services, today: date, folder: Path) -> None:
    """Every ritual, run through the same path as the clock, as of the moment it would post."""
    with unit_of_work(demo.engine) as session:
        team = people_queries.teams(session)[0]
        process, _ = team_process(session, team.id)
    monday = today - timedelta(days=today.weekday())
    first = first_working_day(today.year, today.month, process.calendar)
    moments = [
        ("leaderboard", today, "12:00", "the 12:00 leaderboard"),
        ("daily", today, "17:30", "the daily digest"),
        ("weekly", monday, "09:00", "Monday's weekly digest"),
    ]
    if team.created_at.astimezone(TZ).date() < today.replace(day=1):
        # Only when the demo team already worked last month: a monthly digest reports last month.
        moments.append(
            ("monthly", first, "09:00", "the monthly digest, on the month's first working day")
        )
    for kind, day, hhmm, what in moments:
        demo.standin.reset()
        demo.clock.set(day, hhmm)
        now = demo.clock()
        outcome = run_ritual(
            services,
            team.id,
            occurrence_at(process, kind, now),
            now,
            pacer=ChannelPacer(0),
            owner="demo",
        )
        demo.heading(f"{what.capitalize()} ({dates.short(day)} {hhmm}, #{CHANNEL_NAME}): {outcome}")
        if outcome.status not in ("posted", "done-already"):
            demo.problems.append(f"{kind}: {outcome}")
        for call in demo.standin.calls_to("chat.postMessage"):
            where = "  ↳ in the thread:" if call.params.get("thread_ts") else "Pacer ›"
            demo.print(
                where,
                *("    " + line for line in render_message(call.params, demo.names).splitlines()),
                "",
            )
        for index, (complete, png) in enumerate(
            zip(
                demo.standin.calls_to("files.completeUploadExternal"),
                demo.standin.uploads.values(),
                strict=False,
            )
        ):
            path = folder / f"{kind}-chart{'' if index == 0 else index + 1}.png"
            path.write_bytes(png)
            title = complete.params["files"][0].get("title", "chart")
            demo.print(
                f"  ↳ in the thread: the chart “{title}”, saved as {path.name} beside the database",
                "",
            )
