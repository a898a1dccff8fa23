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


def test_every_webhook_is_in_the_documents_webhooks_section(client):
    """One ``post`` per event, its body a schema, its signature headers required."""
    document = client.get("/api/v3/openapi.json").json()
    webhooks = document["webhooks"]
    assert set(webhooks) == {
        "page.published",
        "page.unpublished",
        "page.moved",
        "page.deleted",
        "page.visibility_changed",
        "page.changed",
        "snippet.changed",
        "site.changed",
        "redirect.created",
        "redirect.deleted",
        "test",
    }
    schemas = document["components"]["schemas"]
    for event, path_item in webhooks.items():
        operation = path_item["post"]
        body = operation["requestBody"]["content"]["application/json"]["schema"]
        schema = schemas[body["$ref"].rsplit("/", 1)[1]]
        assert schema["properties"]["event"]["const"] == event
        assert "event" in schema["required"]
        assert schema["additionalProperties"] is False
        headers = {p["name"]: p for p in operation["parameters"]}
        assert set(headers) == {
            "X-Clinic-Webhook-Event",
            "X-Clinic-Webhook-Id",
            "X-Clinic-Webhook-Timestamp",
            "X-Clinic-Webhook-Signature",
        }
        assert all(p["in"] == "header" and p["required"] for p in headers.values())
        assert list(operation["responses"]) == ["2XX"]
    published = schemas["WebhookPagePublished"]["properties"]
    assert published["old_html_path"]["anyOf"] == [{"type": "string"}, {"type": "null"}]
    assert "descendants_moved" in schemas["WebhookPagePublished"]["required"]
