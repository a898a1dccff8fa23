"""Contract tests: the OpenAPI snapshot, no untyped schema of ours, golden payloads.

To accept an intended change: ``make openapi`` for the document, and
``UPDATE_GOLDEN=1 pytest cms/core/tests/test_api_contract.py`` for payloads;
then review the diff like any other code.
"""

import json
import os
import re
from pathlib import Path

import pytest
from django.conf import settings

from cms.api.openapi import render

GOLDEN_DIR = Path(__file__).parent / "golden"
OPENAPI_FILE = Path(settings.BASE_DIR) / "docs" / "openapi.json"
OUR_PATH_PREFIXES = ("/api/v3/services/", "/api/v3/articles/", "/api/v3/studies/")
TYPED_KEYS = {"type", "$ref", "anyOf", "oneOf", "allOf", "const", "enum"}


def test_openapi_document_matches_the_committed_snapshot():
    assert OPENAPI_FILE.read_text(encoding="utf-8") == render(), (
        "The API changed: run `make openapi` and review docs/openapi.json."
    )


def reachable_schemas(document: dict, roots: list) -> dict[str, dict]:
    """Every component schema referenced, directly or not, from ``roots``."""
    components = document["components"]["schemas"]
    found: dict[str, dict] = {}
    stack = list(roots)
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if ref:
                name = ref.rsplit("/", 1)[-1]
                if name not in found:
                    found[name] = components[name]
                    stack.append(components[name])
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return found


def untyped_spots(name: str, schema, path=()) -> list[str]:
    """Places where a schema allows anything: ``{}``, or items/values untyped."""
    spots = []
    if isinstance(schema, dict):
        for key in ("items", "additionalProperties"):
            child = schema.get(key)
            if child is True or (
                isinstance(child, dict) and not child.keys() & TYPED_KEYS
            ):
                spots.append(f"{name}{'/'.join(('', *path, key))}")
        for prop, child in schema.get("properties", {}).items():
            if not child.keys() & TYPED_KEYS:
                spots.append(f"{name}/{'/'.join((*path, prop))}")
        for key, child in schema.items():
            if isinstance(child, dict | list):
                spots.extend(untyped_spots(name, child, (*path, key)))
    elif isinstance(schema, list):
        for index, child in enumerate(schema):
            spots.extend(untyped_spots(name, child, (*path, str(index))))
    return spots


def test_our_endpoints_have_no_untyped_schema():
    document = json.loads(render())
    operations = [
        operation
        for path, item in document["paths"].items()
        if path.startswith(OUR_PATH_PREFIXES)
        for operation in item.values()
    ]
    assert len(operations) == 9
    schemas = reachable_schemas(document, operations)
    assert {"BodyStreamBlockHeading", "ServicePageSchema", "StudyCardSchema"} <= set(
        schemas
    )
    spots = [spot for name, s in schemas.items() for spot in untyped_spots(name, s)]
    assert spots == []


def test_body_blocks_are_a_discriminated_union():
    document = json.loads(render())
    body = document["components"]["schemas"]["ServicePageSchema"]["properties"]["body"]
    union = body["items"]
    assert union["discriminator"]["propertyName"] == "type"
    assert set(union["discriminator"]["mapping"]) == {
        "paragraph",
        "heading",
        "image",
        "callout",
        "key_points",
        "faq",
        "quote",
        "table",
        "call_to_action",
        "study_reference",
        "embed",
    }


VOLATILE_KEYS = {"id", "first_published_at", "last_published_at", "dateModified"}


def normalise(value):
    """Blank what differs between runs (ids, publish times, file names)."""
    if isinstance(value, dict):
        return {
            key: "<volatile>" if key in VOLATILE_KEYS else normalise(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [normalise(item) for item in value]
    if isinstance(value, str):
        value = re.sub(r"/media/images/[^ \"]+", "/media/images/<file>", value)
        value = re.sub(r'(id="|/api/v3/\w+/|#)\d+', r"\1<id>", value)
        return value
    return value


@pytest.mark.django_db
@pytest.mark.parametrize(
    "section, key",
    [("services", "service"), ("articles", "article"), ("studies", "study")],
)
def test_detail_payload_matches_golden_json(client, clinic, section, key):
    response = client.get(f"/api/v3/{section}/{clinic[key].pk}/")
    assert response.status_code == 200
    payload = normalise(response.json())
    golden = GOLDEN_DIR / f"{section}_detail.json"
    if os.environ.get("UPDATE_GOLDEN") or not golden.exists():
        golden.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n")
        pytest.fail(f"Wrote {golden.name}; review and commit it.")
    assert payload == json.loads(golden.read_text())


@pytest.mark.django_db
@pytest.mark.parametrize("section", ["services", "articles", "studies"])
def test_list_payload_matches_golden_json(client, clinic, section):
    payload = normalise(client.get(f"/api/v3/{section}/").json())
    golden = GOLDEN_DIR / f"{section}_list.json"
    if os.environ.get("UPDATE_GOLDEN") or not golden.exists():
        golden.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n")
        pytest.fail(f"Wrote {golden.name}; review and commit it.")
    assert payload == json.loads(golden.read_text())
