"""Running the installed `pacer` command as an operator does, without the caller's settings."""

import os
import subprocess
import sys


def pacer(*args, cwd, env_extra=None, timeout=60):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("SLACK_", "PACER_", "DATABASE_URL"))
    }
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
