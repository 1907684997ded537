"""`pacer calendar show` as an operator uses it: every day off on a working weekday, one per
line as `YYYY-MM-DD  name`, for this month and the next two unless --from/--to say otherwise."""

import yaml

from rituals.process import default_process, dump_process
from tests.cli.support import pacer

CLOCK = {"PACER_CLOCK": "2026-11-24T11:00:00-05:00"}


def test_the_default_range_is_this_month_and_the_next_two(tmp_path):
    result = pacer("calendar", "show", cwd=tmp_path, env_extra=CLOCK)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "2026-11-11  Veterans Day",
        "2026-11-26  Thanksgiving Day",
        "2026-12-25  Christmas Day",
        "2027-01-01  New Year's Day",
        "2027-01-18  Martin Luther King Jr. Day",
    ]
    assert "5 days off from 2026-11-01 to 2027-01-31" in result.stderr
    assert "public holidays of US" in result.stderr


def test_a_loaded_calendar_and_a_chosen_range(tmp_path):
    data = yaml.safe_load(dump_process(default_process()))
    data["holidays"] = {
        "country": "US",
        "subdivision": "NY",
        "add": [{"date": "2026-12-24", "name": "Christmas Eve"}, "2026-12-26"],
        "remove": ["2026-11-11"],
    }
    (tmp_path / "sales.yml").write_text(yaml.safe_dump(data, sort_keys=False))
    loaded = pacer("process", "load", "sales.yml", cwd=tmp_path)
    assert loaded.returncode == 0, loaded.stderr
    assert "Sat 26 Dec 2026 is not a working day" in loaded.stdout + loaded.stderr  # a warning
    shown = pacer("calendar", "show", "--from", "2026-11-01", "--to", "2026-12-31", cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout == (
        "2026-11-03  Election Day\n"  # New York's own
        "2026-11-26  Thanksgiving Day\n"
        "2026-12-24  Christmas Eve\n"
        "2026-12-25  Christmas Day\n"
    )  # Veterans Day is worked; Saturday the 26th is no working day anyway
    assert "worked: 2026-11-11 Veterans Day" in shown.stderr
    alone = pacer("calendar", "show", "--from", "2027-01-01", cwd=tmp_path)
    assert alone.stdout.splitlines()[-1] == (
        "2027-02-15  Susan B. Anthony Day; Washington's Birthday"  # both, in New York
    )
    assert "from 2027-01-01 to 2027-03-31" in alone.stderr


def test_mistakes_say_what_would_work(tmp_path):
    bad = pacer("calendar", "show", "--from", "2026-13-01", cwd=tmp_path)
    assert bad.returncode == 2 and "write it as YYYY-MM-DD" in bad.stderr
    backwards = pacer(
        "calendar", "show", "--from", "2027-01-01", "--to", "2026-12-01", cwd=tmp_path
    )
    assert backwards.returncode == 2 and "give the earlier date first" in backwards.stderr
    team = pacer("calendar", "show", "--team", "Nope", cwd=tmp_path)
    assert team.returncode == 2 and "no team is called 'Nope'" in team.stderr
    assert "this month and the next two" in pacer("calendar", "show", "--help", cwd=tmp_path).stdout
