"""Settings for the whole suite. Property tests have no deadline: a test's assertions say what
must hold, never how fast it ran (the machines are shared and noisy; speed is bench/'s). So
Hypothesis's too_slow health check is off too (drawing examples slowly on a loaded machine is
no failure). In CI (CI set) the examples are derandomized and no example database is kept:
both passes draw the same examples every run, whatever Hypothesis's version does by itself
(6.100, the floor, has no "ci" profile: its runs there were random), so a run fails only for
a change in the code. Locally each run draws new examples."""

import os

from hypothesis import HealthCheck, settings

IN_CI = bool(os.environ.get("CI"))

settings.register_profile(
    "pacer",
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=IN_CI,
    **({"database": None} if IN_CI else {}),
)
settings.load_profile("pacer")
