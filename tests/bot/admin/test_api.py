"""/pacer api: the token list (masked, admins only), the held queue and mapping an owner,
through signed requests; every refusal changes nothing."""

from rituals.api_access import create_token
from rituals.ingest import IngestItem, ingest
from storage import ingest_queries, people_queries
from tests.bot.support import ADMIN, MGR, SDR

JANE = "jane@crm.example"


def workspace_id(rig) -> int:
    with rig.services.unit_of_work() as session:
        return people_queries.all_workspaces(session)[0].id


def test_admins_see_the_tokens_masked(rig):
    rig.team()
    assert "No API tokens yet" in rig.text("/pacer", "api", ADMIN)
    with rig.services.unit_of_work() as session:
        _, token = create_token(
            session, workspace_id(rig), "hubspot", "activities:write", "cli", rig.now
        )
    listed = rig.text("/pacer", "api", ADMIN)
    assert "*hubspot*" in listed and f"pacer_…{token[-4:]}" in listed
    assert token not in listed
    assert "Only Pacer admins" in rig.text("/pacer", "api", MGR)
    assert "isn't one of these" in rig.text("/pacer", "api frobnicate", ADMIN)


def test_review_and_map_an_owner(rig):
    rig.team()
    ws = workspace_id(rig)
    with rig.services.unit_of_work() as session:
        at = rig.now
        ingest(session, ws, [IngestItem("crm", "c1", at, JANE, "calls", 4)], rig.now)
    queue = rig.text("/pacer", "api review", MGR)
    assert f"`{JANE}` — 1 item (4 in all) from crm" in queue
    assert "Only the team's managers and Pacer admins can review" in rig.text(
        "/pacer", "api review", SDR
    )
    refused = rig.text("/pacer", f"api map <mailto:{JANE}|{JANE}> <@{MGR}>", MGR)
    assert "Nothing changed" in refused and "not a rep" in refused
    with rig.services.unit_of_work() as session:
        assert ingest_queries.list_aliases(session, ws) == []
    mapped = rig.text("/pacer", f"api map <mailto:{JANE}|{JANE}> <@{SDR}>", MGR)
    assert f"`{JANE}` is <@{SDR}> from now on. Held items: 1 created." in mapped
    assert "Nothing is held" in rig.text("/pacer", "api review", MGR)
    assert "Name the owner and the person" in rig.text("/pacer", "api map", MGR)
