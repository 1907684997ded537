"""bot/workers.py: how many processes `pacer serve` starts. --workers, else $WEB_CONCURRENCY
(as gunicorn reads it), else one per usable CPU (on SQLite too: its writers take turns)."""

import os

import pytest

from bot.workers import choose_workers, usable_cpus, warnings, web_concurrency


def test_one_worker_per_usable_cpu_on_either_database():
    assert choose_workers(None, {}, "postgresql", cpus=6) == (6, "one per usable CPU (6)")
    assert choose_workers(None, {}, "postgresql")[0] == usable_cpus()
    assert choose_workers(None, {}, "sqlite", cpus=6) == (
        6,
        "one per usable CPU (6); SQLite's writers take turns",
    )


def test_the_flag_beats_web_concurrency_which_beats_the_default():
    env = {"WEB_CONCURRENCY": "3"}
    assert choose_workers(None, env, "sqlite", cpus=8) == (3, "$WEB_CONCURRENCY")
    assert choose_workers(None, env, "postgresql", cpus=8) == (3, "$WEB_CONCURRENCY")
    assert choose_workers(5, env, "postgresql", cpus=8) == (5, "--workers")
    assert choose_workers(None, {"WEB_CONCURRENCY": " "}, "postgresql", cpus=8)[0] == 8


@pytest.mark.parametrize("value", ["abc", "0", "-2", "1.5"])
def test_a_web_concurrency_that_is_not_a_process_count_says_so(value):
    with pytest.raises(SystemExit) as stop:
        web_concurrency({"WEB_CONCURRENCY": value})
    assert f"WEB_CONCURRENCY must be a whole number of processes, 1 or more (it is {value!r})" in (
        str(stop.value)
    )


def _cgroup(tmp_path, v2: str | None = None, v1: tuple[str, str] | None = None):
    tmp_path.mkdir()
    if v2 is not None:
        (tmp_path / "cpu.max").write_text(v2 + "\n")
    if v1 is not None:
        (tmp_path / "cpu").mkdir()
        (tmp_path / "cpu" / "cpu.cfs_quota_us").write_text(v1[0] + "\n")
        (tmp_path / "cpu" / "cpu.cfs_period_us").write_text(v1[1] + "\n")
    return tmp_path


def test_usable_cpus_are_the_affinity_capped_by_a_container_quota(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "sched_getaffinity", lambda _pid: {0, 1, 2, 3}, raising=False)
    assert usable_cpus(tmp_path / "none") == 4  # no cgroup files: the affinity
    assert usable_cpus(_cgroup(tmp_path / "a", v2="max 100000")) == 4  # no limit
    assert usable_cpus(_cgroup(tmp_path / "b", v2="150000 100000")) == 2  # 1.5 CPUs → 2
    assert usable_cpus(_cgroup(tmp_path / "c", v2="800000 100000")) == 4  # quota above affinity
    assert usable_cpus(_cgroup(tmp_path / "d", v1=("100000", "100000"))) == 1  # cgroup v1
    assert usable_cpus(_cgroup(tmp_path / "e", v1=("-1", "100000"))) == 4


def test_the_operator_hears_when_the_workers_may_open_too_many_postgresql_connections():
    assert list(warnings(8, 40, None)) == []  # SQLite: no server to exhaust
    assert list(warnings(3, 30, 100)) == []
    [postgres] = warnings(4, 30, 100)
    assert "up to 120 PostgreSQL connections (30 each)" in postgres
    assert "max_connections (100)" in postgres
    assert list(warnings(3, 33, 100, master=1)) == []  # exactly the limit
    [with_clock] = warnings(3, 33, 100, master=2)
    assert "up to 101 PostgreSQL connections (33 each, and 2 for the clock in the master" in (
        with_clock
    )
