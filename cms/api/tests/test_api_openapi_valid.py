"""The served OpenAPI document is valid OpenAPI 3.1 (openapi-spec-validator)."""

import pytest
from openapi_spec_validator import validate

pytestmark = pytest.mark.django_db


def test_the_served_document_is_valid_openapi(client):
    response = client.get("/api/v3/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)  # raises with the first violation
    assert document["openapi"].startswith("3.1")


def test_anonymous_access_is_an_empty_requirement_not_a_scheme(client):
    document = client.get("/api/v3/openapi.json").json()
    schemes = document["components"]["securitySchemes"]
    assert schemes == {"BearerTokenAuth": {"type": "http", "scheme": "bearer"}}
    pages = document["paths"]["/api/v3/pages/"]
    assert pages["get"]["security"] == [{"BearerTokenAuth": []}, {}]
    assert pages["post"]["security"] == [{"BearerTokenAuth": []}]
    assert document["paths"]["/api/v3/services/"]["get"]["security"] == [{}]
