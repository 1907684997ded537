"""`pacer migrate`: the schema brought to this Pacer's newest revision, and nothing else (a
container's one-shot before the web and clock processes start; they migrate too, harmlessly)."""

import sys

from bot.settings import Settings
from storage import db
from storage.migrate import head_revision, upgrade


def migrate(settings: Settings, out=None, err=None) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    shown = db.make_url_safe(settings.database_url)
    engine = db.make_engine(settings.database_url)
    try:
        before, after = upgrade(engine)
    except Exception as error:  # noqa: BLE001 - one clear line, not a traceback
        reason = str(error).strip().splitlines()[0] if str(error).strip() else ""
        print(
            f"pacer migrate: can't migrate {shown} ({type(error).__name__}: {reason}): check "
            "DATABASE_URL and that the database server is up.",
            file=err,
        )
        return 1
    finally:
        engine.dispose()
    if before == after:
        print(f"pacer migrate: {shown} is already at {after} (head {head_revision()}).", file=out)
    else:
        print(f"pacer migrate: {shown} migrated from {before or 'empty'} to {after}.", file=out)
    return 0
