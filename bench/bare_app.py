"""The yardstick for the acknowledgement benchmarks: a bare Bolt app that only acks `/log`,
served by the same server class and options (bot.server.PacerServer: gunicorn gthread) with the
same options as `pacer serve`, so the only difference measured is Pacer's own work.

    python -m bench.bare_app --port 3001 [--threads 16]

Reads SLACK_SIGNING_SECRET (default: the benchmark's secret) and SLACK_API_URL from the
environment. Like Pacer, its WebClient points at SLACK_API_URL (the benchmark's local Slack
stand-in): Bolt's single-team authorization calls auth.test once, on the first request, in both
apps alike. Without SLACK_API_URL it uses a dead local address, never slack.com. Binds 127.0.0.1
only. GET /healthz answers 200, as Pacer's does, so the benchmark can wait for it.
"""

import argparse
import os

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

from bot.server import PacerServer, server_options

DEFAULT_SECRET = "bench-signing-secret"
NOWHERE = "http://127.0.0.1:9/api/"  # the discard port: fails fast, stays on this machine


def build_app(signing_secret: str, api_url: str) -> App:
    app = App(
        signing_secret=signing_secret,
        client=WebClient(token="xoxb-bench-token", base_url=api_url, timeout=5),
        process_before_response=True,
        token_verification_enabled=False,
        raise_error_for_unhandled_request=False,
    )

    @app.command("/log")
    def log(ack):
        ack("ok")

    return app


def make_wsgi(app: App):
    bolt = SlackRequestHandler(app, path="/slack/events")

    def application(environ, start_response):
        path = environ.get("PATH_INFO", "")
        if path == "/healthz":
            start_response("200 OK", [("Content-Type", "text/plain")])
            return [b"ok\n"]
        if path == "/slack/events":
            return bolt(environ, start_response)
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found\n"]

    return application


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY") or 2))
    args = parser.parse_args(argv)
    secret = os.environ.get("SLACK_SIGNING_SECRET") or DEFAULT_SECRET
    api_url = os.environ.get("SLACK_API_URL") or NOWHERE
    app = build_app(secret, api_url)
    PacerServer(
        make_wsgi(app), server_options("127.0.0.1", args.port, args.threads, args.workers)
    ).run()


if __name__ == "__main__":
    main()
