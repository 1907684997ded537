"""Edge input, on SQLite and PostgreSQL: a number thousands of digits long and a NUL byte get a
specific answer and change nothing (or, in a note, the NUL is dropped)."""

from concurrent.futures import ThreadPoolExecutor

from tests.e2e.harness import ADMIN, Workspace

SDR, MGR = "USDR00001", "UMGR00001"
HUGE = "9" * 5000


def test_a_count_of_5000_digits_is_refused_by_name_and_stores_nothing(ws: Workspace):
    ws.setup_team()
    reply = ws.log(SDR, f"calls {HUGE}")
    assert reply.status == 200
    assert "5,000 digits" in reply.text and "far too big for a count" in reply.text
    assert "unexpected" not in reply.text
    assert ws.server.stored(ws.team_id) == 0


def test_huge_goals_and_targets_are_refused_by_name(ws: Workspace):
    ws.setup_team()
    goal = ws.pacer(ADMIN, f"goal sdr calls {HUGE}/day").text
    assert "5,000 digits" in goal and "far too large" in goal
    target = ws.command("/contest", f'start target calls 3d "Blitz" target {HUGE}', MGR).text
    assert "5,000 digits" in target and "far too big" in target
    days = ws.command("/contest", f'start race calls {HUGE}d "Blitz"', MGR).text
    assert "a contest runs 1 to" in days
    for text in (goal, target, days):
        assert "unexpected" not in text
    assert ws.server.stored(ws.team_id, "contest") == 0


def test_a_nul_byte_in_a_note_is_dropped_and_the_log_stored(ws: Workspace):
    ws.setup_team()
    reply = ws.log(SDR, "calls 3 Acme\x00 Corp")
    assert "Logged *3" in reply.text, reply.text
    notes = ws.server.rows(
        "SELECT t.note FROM activity_log t JOIN workspace w ON w.id = t.workspace_id "
        "WHERE w.slack_team_id = ?",
        ws.team_id,
    )
    assert notes == [("Acme Corp",)]
    away = ws.command("/away", "friday dent\x00ist", SDR).text
    assert "Away *Fri 27 Nov 2026*" in away and "dentist" in away


def test_a_nul_byte_in_a_contest_name_is_refused(ws: Workspace):
    ws.setup_team()
    reply = ws.command("/contest", 'start race calls 3d "Call\x00 Blitz"', MGR).text
    assert "control character" in reply and "unexpected" not in reply
    assert ws.server.stored(ws.team_id, "contest") == 0


def test_concurrent_team_adds_of_one_person_add_them_once(ws: Workspace):
    ws.setup_team(sdrs=(), aes=())
    with ThreadPoolExecutor(8) as pool:
        replies = list(pool.map(lambda _: ws.pacer(ADMIN, "team add <@UNEW00001> sdr"), range(8)))
    texts = [r.text for r in replies]
    assert all(r.status == 200 for r in replies)
    assert not [t for t in texts if "unexpected" in t or "busy" in t], texts
    assert sum("Added" in t for t in texts) == 1, texts
    assert sum("already on the team" in t for t in texts) == 7, texts
    assert ws.server.stored(ws.team_id, "member") == 2  # the manager and the new SDR


def test_concurrent_manager_namings_of_a_new_person_store_them_once(ws: Workspace):
    ws.setup_team(sdrs=(), aes=())
    with ThreadPoolExecutor(8) as pool:
        replies = list(pool.map(lambda _: ws.pacer(ADMIN, "manager <@UNEWMGR01>"), range(8)))
    texts = [r.text for r in replies]
    assert all(r.status == 200 for r in replies)
    assert not [t for t in texts if "unexpected" in t or "busy" in t], texts
    assert all("manages" in t for t in texts), texts
    assert ws.server.stored(ws.team_id, "member") == 2  # the first manager and the new one
    managers = ws.server.rows(
        "SELECT m.user_id FROM member m JOIN workspace w ON w.id = m.workspace_id "
        "WHERE w.slack_team_id = ? AND m.is_manager ORDER BY m.user_id",
        ws.team_id,
    )
    assert managers == [("UMGR00001",), ("UNEWMGR01",)]
