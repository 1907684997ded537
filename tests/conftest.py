"""Settings for the whole suite. Property tests have no deadline: a test's assertions say what
must hold, never how fast it ran (the machines are shared and noisy; speed is bench/'s)."""

from hypothesis import settings

settings.register_profile("pacer", deadline=None)
settings.load_profile("pacer")
