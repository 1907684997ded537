"""The OpenAPI 3.1 document is generated from the models that validate requests."""

from api.app import ROUTES
from api.openapi import document
from api.schemas import ActivityIn


def test_every_route_is_documented_with_its_scope():
    doc = document()
    assert doc["openapi"] == "3.1.0"
    for route in ROUTES:
        operation = doc["paths"][route.path][route.method.lower()]
        assert operation["security"] == [{"bearer": [route.scope]}]
        assert "429" in operation["responses"] and "401" in operation["responses"]


def test_the_schemas_are_the_models():
    schemas = document()["components"]["schemas"]
    assert schemas["ActivityIn"]["properties"].keys() == ActivityIn.model_fields.keys()
    assert schemas["ActivitiesIn"]["properties"]["activities"]["items"] == {
        "$ref": "#/components/schemas/ActivityIn"
    }
    problem = document()["paths"]["/activities"]["post"]["responses"]["413"]
    assert "application/problem+json" in problem["content"]
