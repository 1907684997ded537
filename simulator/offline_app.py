"""The real app, as `bot.app` builds it for Slack, wired to the stand-in Slack: what `pacer demo`
and `pacer console` both run. Requests are signed with a local secret, and whatever the app does
after acknowledging runs before dispatch returns, so what a command causes is there before the
next one is typed."""

from slack_bolt import App

from bot.app import build_app
from bot.ritual_deliveries import DELIVERIES
from bot.services import Services, make_client
from bot.settings import load_settings
from simulator.slack_standin import SlackStandin


class Inline:
    """An executor that runs each job at once: after-ack work (profile refreshes, direct
    messages) and Bolt's lazy listeners, so a replay is deterministic."""

    def submit(self, job, *args, **kwargs) -> None:
        job(*args, **kwargs)

    def shutdown(self, wait: bool = True) -> None:
        pass


def offline_app(
    standin: SlackStandin,
    engine,
    database_url: str,
    clock,
    *,
    token: str,
    secret: str,
    admins: str,
) -> tuple[Services, App]:
    """The app's services and the Bolt app, calling ``standin`` instead of Slack's Web API."""
    settings = load_settings(
        {
            "SLACK_BOT_TOKEN": token,
            "SLACK_SIGNING_SECRET": secret,
            "SLACK_API_URL": standin.url,
            "DATABASE_URL": database_url,
            "PACER_ADMINS": admins,
        }
    )
    services = Services(
        settings, engine, make_client(settings), clock, background=Inline(), deliveries=DELIVERIES
    )
    app = build_app(services)
    app.listener_runner.lazy_listener_runner.executor = Inline()
    return services, app
