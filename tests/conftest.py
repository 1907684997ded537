"""Settings for the whole suite. Property tests have no deadline: a test's assertions say what
must hold, never how fast it ran (the machines are shared and noisy; speed is bench/'s). So
Hypothesis's too_slow health check is off too (drawing examples slowly on a loaded machine is
no failure). In CI (CI set, as .ci/run sets it) the examples are derandomized and no example
database is kept, whatever Hypothesis's version does by itself (6.100, the floor, has no "ci"
profile: its examples there were random), so both passes draw the same examples every run and
fail only for a change in the code. Elsewhere each run draws new examples."""

import os

from hypothesis import HealthCheck, settings

IN_CI = {"derandomize": True, "database": None} if os.environ.get("CI") else {}

settings.register_profile(
    "pacer", deadline=None, suppress_health_check=[HealthCheck.too_slow], **IN_CI
)
settings.load_profile("pacer")
