"""bot/tokens.py: single-workspace mode gives its one token to every workspace; the protocol is
what the services ask (tests/bot/test_tenancy.py covers the per-workspace sources)."""

from bot.tokens import EnvTokenSource, TokenSource


def test_the_env_token_serves_every_workspace():
    source = EnvTokenSource("xoxb-env")
    assert source.bot_token("T1", None) == "xoxb-env"
    assert source.bot_token("T2", "E1") == "xoxb-env"


def test_no_env_token_means_not_installed_anywhere():
    assert EnvTokenSource(None).bot_token("T1", None) is None


def test_a_mapping_satisfies_the_protocol():
    class Mapped:
        def __init__(self, tokens: dict) -> None:
            self.tokens = tokens

        def bot_token(self, team_id, enterprise_id):
            return self.tokens.get((team_id, enterprise_id))

    source: TokenSource = Mapped({("T1", None): "xoxb-T1"})
    assert source.bot_token("T1", None) == "xoxb-T1"
    assert source.bot_token("T2", None) is None
