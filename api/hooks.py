"""POST /api/v1/hooks/hubspot: HubSpot's webhook. No bearer token: HubSpot signs each request
(X-HubSpot-Signature-v3, checked with HUBSPOT_CLIENT_SECRET) and the answer to anything
unsigned is 401. The work is rituals/connectors/hubspot_hook.py's.

Answers: 200 with what happened to each object; 401 not HubSpot's; 400 not events; 503 (HubSpot
retries the delivery later) when HubSpot's API can't be read or no process maps HubSpot records
yet, so nothing is lost while the process file is being set up.

The URI HubSpot signed is the one it called: PACER_PUBLIC_URL's scheme and host (the app behind
a proxy) with the request's path and query, else the Host header's."""

import json
import logging

from api.app import Route
from api.http import ApiProblem, Request, Response
from api.routes import Context
from rituals.connectors.hubspot import SignatureRefused, verify_v3
from rituals.connectors.hubspot_api import HubSpotApi, HubSpotUnavailable
from rituals.connectors.hubspot_hook import NotConnected, receive

log = logging.getLogger("pacer")
PATH = "/hooks/hubspot"


def request_uris(request: Request, public_url: str | None) -> list[str]:
    """The URIs HubSpot may have signed, most likely first."""
    environ = request.environ
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if not raw:
        query = environ.get("QUERY_STRING", "")
        raw = request.path + (f"?{query}" if query else "")
    out = []
    if public_url:
        out.append(public_url.rstrip("/") + raw)
    scheme = environ.get("HTTP_X_FORWARDED_PROTO") or environ.get("wsgi.url_scheme", "http")
    host = environ.get("HTTP_X_FORWARDED_HOST") or environ.get("HTTP_HOST")
    if host:
        out.append(f"{scheme}://{host}{raw}")
    return out or [raw]


def hubspot_route(env) -> Route:
    """The route, with its settings from the environment (read once, at start)."""
    secret = env.get("HUBSPOT_CLIENT_SECRET") or ""
    public_url = env.get("PACER_PUBLIC_URL") or None
    api = HubSpotApi.from_env(env)

    def handle(request: Request, ctx: Context) -> Response:
        refused = None
        for uri in request_uris(request, public_url):
            try:
                verify_v3(
                    secret,
                    request.method,
                    uri,
                    request.body,
                    request.header("X-HubSpot-Request-Timestamp"),
                    request.header("X-HubSpot-Signature-v3"),
                    ctx.now,
                )
                break
            except SignatureRefused as error:
                refused = error
        else:
            raise ApiProblem(401, f"not a request from HubSpot: {refused}")
        try:
            payload = json.loads(request.body or b"null")
        except ValueError:
            raise ApiProblem(400, "the body is not JSON; HubSpot sends a list of events") from None
        engine = ctx.session.get_bind()  # the request's own session stays unused: see receive()
        try:
            delivery = receive(engine, payload, api, ctx.now)
        except ValueError as error:
            raise ApiProblem(400, str(error)) from None
        except (NotConnected, HubSpotUnavailable) as error:
            log.warning("hubspot delivery refused: %s", error)
            raise ApiProblem(503, str(error), headers=[("Retry-After", "60")]) from None
        counts: dict[str, int] = {}
        for result in delivery.results:
            counts[result.status] = counts.get(result.status, 0) + 1
        log.info("hubspot delivery workspace=%s %s", delivery.workspace_id, counts)
        return Response(200, delivery.to_dict())

    return Route("POST", PATH, handle, None)
