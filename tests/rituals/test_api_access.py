"""API tokens: shown once and stored hashed, scopes checked, names unique among live tokens,
revoked by name, and who a bearer token is."""

import pytest

from rituals.api_access import (
    TokenRefused,
    authenticate,
    create_token,
    hash_token,
    list_tokens,
    parse_scopes,
    revoke_token,
    workspace_for_cli,
)
from storage import api_queries
from tests.storage.support import NOW


def test_a_token_is_stored_only_as_its_hash(session, ws):
    info, token = create_token(
        session, ws.id, "crm", "activities:write, scorecards:read", "cli", NOW
    )
    assert token.startswith("pacer_") and len(token) > 40
    assert info.masked == f"pacer_…{token[-4:]}" and info.scopes == (
        "activities:write",
        "scorecards:read",
    )
    [row] = api_queries.tokens(session, ws.id)
    assert row.token_hash == hash_token(token) and token not in (row.hint, row.token_hash)
    caller = authenticate(session, token)
    assert (caller.workspace_id, caller.name, caller.scopes) == (
        ws.id,
        "crm",
        frozenset({"activities:write", "scorecards:read"}),
    )
    assert authenticate(session, "pacer_wrong") is None and authenticate(session, "nope") is None


def test_revoked_tokens_stop_working_and_free_their_name(session, ws):
    _, token = create_token(session, ws.id, "crm", "activities:read", "cli", NOW)
    revoked = revoke_token(session, ws.id, "crm", "U0ADMIN", NOW)
    assert revoked.revoked_at is not None
    assert authenticate(session, token) is None
    assert list_tokens(session, ws.id) == [] and len(list_tokens(session, ws.id, revoked=True)) == 1
    create_token(session, ws.id, "crm", "activities:read", "cli", NOW)  # the name is free again
    with pytest.raises(TokenRefused, match="exists already"):
        create_token(session, ws.id, "crm", "activities:read", "cli", NOW)


@pytest.mark.parametrize(
    ("text", "says"),
    [("", "at least one scope"), ("activities:write,admin", "unknown scope 'admin'")],
)
def test_scopes(text, says):
    with pytest.raises(TokenRefused, match=says):
        parse_scopes(text)
    assert parse_scopes("activities:read,activities:read") == ("activities:read",)


def test_names_and_revoking_what_is_not_there(session, ws):
    with pytest.raises(TokenRefused, match="1–80 letters"):
        create_token(session, ws.id, "no spaces", "activities:read", "cli", NOW)
    with pytest.raises(TokenRefused, match="there are no live tokens"):
        revoke_token(session, ws.id, "crm", "cli", NOW)


def test_the_workspace_of_a_command(session, ws):
    assert workspace_for_cli(session, None, NOW) == ws.id
    other = workspace_for_cli(session, "T0OTHER", NOW)
    assert other != ws.id
    with pytest.raises(TokenRefused, match="several workspaces"):
        workspace_for_cli(session, None, NOW)
