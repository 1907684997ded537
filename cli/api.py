"""`pacer api token create|list|revoke` and `pacer api review [map OWNER USER_ID]`.

A new token is printed once, alone on stdout (pipe it into a secret store); everything said
about it goes to stderr. A refused command prints why to stderr, exits 2 and changes nothing."""

import sys

REVIEW_USAGE = "pacer api review (the queue) · pacer api review map OWNER USER_ID (e.g. map jane@acme.com U0123ABCD)"


def add_parser(sub) -> None:
    api = sub.add_parser(
        "api", help="HTTP API tokens, and the queue of activity held for its owner"
    )
    api_sub = api.add_subparsers(dest="action", required=True)
    token = api_sub.add_parser("token", help="create, list or revoke API tokens")
    token_sub = token.add_subparsers(dest="token_action", required=True)
    create = token_sub.add_parser("create", help="a new token, printed once on a line of its own")
    create.add_argument("--name", required=True, help="e.g. hubspot-sync")
    create.add_argument(
        "--scopes",
        required=True,
        help="comma-separated: activities:write, activities:read, scorecards:read",
    )
    listing = token_sub.add_parser("list", help="the live tokens, masked")
    listing.add_argument("--all", action="store_true", help="revoked ones too")
    revoke = token_sub.add_parser(
        "revoke", help="revoke a token by name: it answers 401 from now on"
    )
    revoke.add_argument("name")
    review = api_sub.add_parser(
        "review",
        help="activity held because its owner is unknown; `map OWNER USER_ID` applies it",
        description=REVIEW_USAGE,
    )
    review.add_argument("words", nargs="*", help="map OWNER USER_ID")
    for p in (create, listing, revoke, review):
        p.add_argument("--workspace", help="Slack team ID of the workspace (when it has several)")


def run(settings, args) -> int:
    # Imported here: `pacer --help` builds this parser and needs none of it.
    from rituals.api_access import TokenRefused, workspace_for_cli
    from rituals.ingest import MappingRefused
    from storage.db import make_engine
    from storage.migrate import upgrade
    from storage.unit_of_work import unit_of_work

    if args.action == "review" and args.words and (args.words[0] != "map" or len(args.words) != 3):
        return _refused(f"usage: {REVIEW_USAGE}")
    engine = make_engine(settings.database_url)
    upgrade(engine)
    now = settings.now()
    try:
        with unit_of_work(engine) as session:
            workspace_id = workspace_for_cli(session, args.workspace, now)
            if args.action == "token":
                return _token(session, workspace_id, args, now)
            return _review(session, workspace_id, args.words, now)
    except (TokenRefused, MappingRefused) as error:  # the unit of work rolled back
        return _refused(str(error))


def _refused(text: str) -> int:
    print(f"pacer api: {text}", file=sys.stderr)
    return 2


def _token(session, workspace_id: int, args, now) -> int:
    from rituals.api_access import create_token, list_tokens, revoke_token

    if args.token_action == "create":
        info, token = create_token(session, workspace_id, args.name, args.scopes, "cli", now)
        print(
            f"Token {info.name!r} ({', '.join(info.scopes)}): shown once, store it now.",
            file=sys.stderr,
        )
        print(token)
        return 0
    if args.token_action == "revoke":
        info = revoke_token(session, workspace_id, args.name, "cli", now)
        print(f"Revoked {info.name!r} ({info.masked}): requests with it now answer 401.")
        return 0
    tokens = list_tokens(session, workspace_id, revoked=args.all)
    if not tokens:
        print("No API tokens yet. Create one: pacer api token create --name NAME --scopes SCOPES")
        return 0
    for t in tokens:
        state = f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "live"
        print(
            f"{t.name}\t{t.masked}\t{','.join(t.scopes)}\t{state}\tcreated {t.created_at:%Y-%m-%d} by {t.created_by}"
        )
    return 0


def _review(session, workspace_id: int, words: list[str], now) -> int:
    from rituals.ingest import held_queue, map_owner

    if words:
        mapped = map_owner(session, workspace_id, words[1], words[2], "cli", now)
        counts = ", ".join(f"{n} {status}" for status, n in sorted(mapped.counts().items()))
        was = f" (it meant {mapped.replaced} before)" if mapped.replaced else ""
        print(
            f"Mapped {mapped.owner} to {mapped.user_id}{was}: "
            f"{len(mapped.results)} held item(s) applied{f' ({counts})' if counts else ''}; "
            "later items with this owner count directly."
        )
        for result in mapped.results:
            if result.status == "rejected":
                print(f"  rejected {result.source}/{result.external_id}: {result.reason}")
        return 0
    queue = held_queue(session, workspace_id)
    if not queue:
        print("Nothing is held: every ingested item's owner was matched.")
        return 0
    print("Held until their owner is mapped (pacer api review map OWNER USER_ID):")
    for line in queue:
        print(
            f"{line.owner}\t{line.items} item(s), {line.total} in all\tfrom {', '.join(line.sources)}"
            f"\tlast {line.last_received:%Y-%m-%d %H:%M} UTC"
        )
    return 0
