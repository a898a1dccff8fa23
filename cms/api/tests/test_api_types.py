"""The OpenAPI document gives a client generator precise types.

What a generated TypeScript client (openapi-typescript, ``tsc --strict``)
needs: no recursive schema, enums for fixed sets, ``required`` for every key
an answer always has, a top-level ``type`` on page details to narrow the
union, problem+json error answers on every operation, and ``find`` answers as
they really are. The required-key checks walk real answers of every endpoint
against the document the API serves.
"""

import json
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.conf import settings as django_settings
from wagtail.models import Page, Site

from cms.api.openapi import render
from cms.core import preview
from cms.core.models import ClinicSettings
from cms.core.tests.factories import publish_reviewed
from home.models import ConsultationFormPage
from home.tests.factories import StandardPageFactory

HTTP_METHODS = {"get", "put", "post", "patch", "delete"}
PAGE_TYPES = {
    "wagtailcore.Page",
    "home.HomePage",
    "home.ServiceIndexPage",
    "home.ServicePage",
    "home.StandardPage",
    "home.ConsultationFormPage",
    "articles.ArticleIndexPage",
    "articles.ArticlePage",
    "studies.StudyIndexPage",
    "studies.StudySummaryPage",
}
#: Schemas whose keys are optional on purpose, whatever the samples hold: a
#: JSON-LD node leaves out a detail it does not know (cms/core/jsonld.py).
OPTIONAL_BY_DESIGN_PREFIXES = ("JsonLd",)
#: ``meta.warnings`` is only sent on writes (v3 excludes it otherwise).
OPTIONAL_BY_DESIGN_KEYS = {"warnings"}


@pytest.fixture(scope="module")
def document():
    return json.loads(render())


def schemas(document) -> dict:
    return document["components"]["schemas"]


def ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def operations(document):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in HTTP_METHODS:
                yield path, method, operation


# The document -----------------------------------------------------------------


def refs_in(node) -> set[str]:
    found = set()
    stack = [node]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if isinstance(value.get("$ref"), str):
                found.add(ref_name(value["$ref"]))
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return found


def test_no_schema_refers_back_to_itself(document):
    """A ``$ref`` cycle is what breaks openapi-typescript (the old JsonLdValue)."""
    graph = {name: refs_in(schema) for name, schema in schemas(document).items()}
    cycles = []
    for start in graph:
        seen, stack = set(), list(graph[start])
        while stack:
            name = stack.pop()
            if name == start:
                cycles.append(start)
                break
            if name not in seen:
                seen.add(name)
                stack.extend(graph.get(name, ()))
    assert cycles == []
    assert "JsonLdValue" not in schemas(document)


def test_the_jsonld_graph_is_typed_node_by_node(document):
    graph = schemas(document)["JsonLdDocument"]["properties"]["@graph"]["items"]
    assert graph["discriminator"]["propertyName"] == "@type"
    assert set(graph["discriminator"]["mapping"]) == {
        "MedicalClinic",
        "WebSite",
        "WebPage",
        "MedicalWebPage",
        "MedicalTherapy",
        "Article",
        "MedicalScholarlyArticle",
        "BreadcrumbList",
    }
    page = schemas(document)["JsonLdMedicalWebPage"]
    assert page["additionalProperties"] is False
    assert {"@type", "@id", "url", "name", "medicalAudience"} <= set(page["required"])
    assert "reviewedBy" not in page["required"]


def enum_of(document, schema) -> list | None:
    """The allowed values of a property (``const``/``enum``, through ``null``)."""
    if "$ref" in schema:
        schema = schemas(document)[ref_name(schema["$ref"])]
    if "const" in schema:
        return [schema["const"]]
    if "enum" in schema:
        return schema["enum"]
    for member in schema.get("anyOf", []):
        if member.get("type") != "null":
            return enum_of(document, member)
    return None


@pytest.mark.parametrize(
    "schema, path, expected",
    [
        ("ServiceCardSchema", ["type"], ["home.ServicePage"]),
        ("ArticleCardSchema", ["type"], ["articles.ArticlePage"]),
        ("StudyCardSchema", ["type"], ["studies.StudySummaryPage"]),
        ("ServiceApproachSchema", ["kind"], ["plan", "therapy", "ketamine", ""]),
        ("DisclaimerSchema", ["kind"], ["ketamine_off_label", "general_medical", ""]),
        ("DisclaimerDict", ["kind"], ["ketamine_off_label", "general_medical", ""]),
        ("StudyDesignChoice", ["value"], None),
        ("EvidenceLevelChoice", ["value"], None),
        ("ReviewSummarySchema", ["status"], None),
        ("MedicalReviewDict", ["status"], None),
        ("HeadingBlockValue", ["level"], None),
    ],
)
def test_every_fixed_set_is_an_enum(document, schema, path, expected):
    node = schemas(document)[schema]
    for key in path:
        node = node["properties"][key]
    values = enum_of(document, node)
    assert values, f"{schema}.{'.'.join(path)} is a plain string"
    if expected is not None:
        assert sorted(values) == sorted(expected)


def test_choice_fields_of_study_pages_use_their_own_sets(document):
    study = schemas(document)["StudySummaryPageSchema"]["properties"]
    card = schemas(document)["StudyCardSchema"]["properties"]
    for props in (study, card):
        assert props["study_design"] == {
            "$ref": "#/components/schemas/StudyDesignChoice"
        }
        assert props["evidence_level"] == {
            "$ref": "#/components/schemas/EvidenceLevelChoice"
        }
    assert "rct" in enum_of(
        document, schemas(document)["StudyDesignChoice"]["properties"]["value"]
    )


def test_no_plain_string_is_named_like_a_fixed_set(document):
    """``type``, ``kind``, ``status`` of our payloads always list their values."""
    loose = []
    for name, schema in schemas(document).items():
        # Query parameters and the error schemas (a problem's ``type`` is a
        # URI, an error's ``type`` Django's open-ended code) are not payloads.
        if name.endswith(("Filters", "FilterSchema", "Input")) or name in (
            "ProblemDetail",
            "ConsultationProblem",
            "ConsultationFieldError",
        ):
            continue
        for key in ("type", "kind", "status"):
            prop = schema.get("properties", {}).get(key)
            if prop is not None and enum_of(document, prop) is None:
                loose.append(f"{name}.{key}")
    # v3's own generic schemas (sites, revisions, whoami, schema listing) are
    # not page payloads; everything else must be an enum or a const.
    assert [spot for spot in loose if not spot.startswith(V3_GENERIC)] == []


V3_GENERIC = (
    "ContentType",
    "SimpleBasePageMetaSchema",
    "BasePageMetaSchema",
    "PageMetaSchema",
    "BaseMetaSchema",
    "Revision",
    "PageRevision",
    "SnippetRevision",
    "SchemaDetail",
    "ImageDetailMeta",
    "DocumentDetailMeta",
    "OrderingSchema",
    "JsonLdDocument",
)


def test_every_page_detail_has_a_type_const_and_unions_narrow_on_it(document):
    consts = {}
    for name, schema in schemas(document).items():
        meta = schema.get("properties", {}).get("meta", {})
        meta_schema = schemas(document).get(ref_name(meta.get("$ref", "")), {})
        meta_type = meta_schema.get("properties", {}).get("type", {}).get("const")
        if meta_type in PAGE_TYPES and name.endswith("PageSchema"):
            assert schema["properties"]["type"]["const"] == meta_type, name
            assert "type" in schema["required"], name
            consts[meta_type] = name
    assert set(consts) == PAGE_TYPES
    for path in ("/api/v3/pages/{page_id}/", "/api/v3/preview/"):
        union = document["paths"][path]["get"]["responses"]["200"]["content"][
            "application/json"
        ]["schema"]
        assert union["discriminator"]["propertyName"] == "type"
        assert set(union["discriminator"]["mapping"]) == PAGE_TYPES


def is_problem_schema(document, schema) -> bool:
    """``ProblemDetail``, or a refinement of it (the consultation form's types
    its ``errors``) that requires every key ``ProblemDetail`` does."""
    ref = (schema or {}).get("$ref", "")
    if ref == "#/components/schemas/ProblemDetail":
        return True
    refined = schemas(document).get(ref.rsplit("/", 1)[-1], {})
    required = set(schemas(document)["ProblemDetail"]["required"])
    return bool(ref) and required <= set(refined.get("required", []))


def test_every_operation_documents_its_problem_answers(document):
    assert schemas(document)["ProblemDetail"]["required"] == [
        "type",
        "title",
        "status",
        "detail",
    ]
    missing = []
    for path, method, operation in operations(document):
        responses = operation["responses"]
        expected = {"400"}
        if any("BearerTokenAuth" in r for r in operation.get("security", [])):
            expected |= {"401", "403", "429"}
        if "{" in path or path.endswith("/find/") or path == "/api/v3/preview/":
            expected.add("404")
        if method != "get" or operation.get("parameters"):
            expected.add("422")
        for status in sorted(expected):
            content = responses.get(status, {}).get("content", {})
            schema = content.get("application/problem+json", {}).get("schema")
            if not is_problem_schema(document, schema):
                missing.append(f"{method.upper()} {path} {status}")
    assert missing == []


def test_generic_find_endpoints_document_their_redirect(document):
    for path in ("/api/v3/pages/find/", "/api/v3/redirects/find/"):
        responses = document["paths"][path]["get"]["responses"]
        assert "200" not in responses
        assert responses["302"]["headers"]["Location"]["required"] is True
        assert "404" in responses
    for section in ("services", "articles", "studies"):
        operation = document["paths"][f"/api/v3/{section}/find/"]["get"]
        assert "200" in operation["responses"] and "302" not in operation["responses"]
        assert "Answers 200" in operation["description"]


# Real answers against the document ----------------------------------------------


class Walker:
    """Checks answers against their schemas and records which keys each had."""

    def __init__(self, document):
        self.document = document
        self.errors: list[str] = []
        self.seen: dict[str, list[set]] = {}

    def check(self, value, schema, where: str, name: str | None = None) -> list[str]:
        errors: list[str] = []
        self._check(value, schema, where, name, errors, record=True)
        self.errors.extend(errors)
        return errors

    def fits(self, value, schema) -> bool:
        errors: list[str] = []
        self._check(value, schema, "", None, errors, record=False)
        return not errors

    def _check(self, value, schema, where, name, errors, record):
        if "$ref" in schema:
            name = ref_name(schema["$ref"])
            schema = schemas(self.document)[name]
        for member in schema.get("allOf", []):
            self._check(value, member, where, name, errors, record)
        union = schema.get("anyOf") or schema.get("oneOf")
        if union:
            discriminator = schema.get("discriminator")
            if discriminator and isinstance(value, dict):
                key = value.get(discriminator["propertyName"])
                target = discriminator["mapping"].get(key)
                if target is None:
                    errors.append(f"{where}: no union member for {key!r}")
                    return
                self._check(value, {"$ref": target}, where, None, errors, record)
                return
            for member in union:
                if self.fits(value, member):
                    self._check(value, member, where, None, errors, record)
                    return
            errors.append(f"{where}: {str(value)[:80]!r} fits no member of the union")
            return
        if value is None:
            if schema.get("type") not in (None, "null"):
                errors.append(f"{where}: null where {schema.get('type')} is required")
            return
        if "const" in schema and value != schema["const"]:
            errors.append(f"{where}: {value!r} is not {schema['const']!r}")
        if "enum" in schema and value not in schema["enum"]:
            errors.append(f"{where}: {value!r} is not one of {schema['enum']}")
        if "properties" in schema:
            if not isinstance(value, dict):
                errors.append(f"{where}: not an object")
                return
            missing = set(schema.get("required", [])) - set(value)
            if missing:
                errors.append(
                    f"{where} ({name}): required but absent {sorted(missing)}"
                )
            extra = set(value) - set(schema["properties"])
            if extra:
                errors.append(f"{where} ({name}): undocumented keys {sorted(extra)}")
            if record and name:
                self.seen.setdefault(name, []).append(set(value))
            for key, item in value.items():
                if key in schema["properties"]:
                    self._check(
                        item,
                        schema["properties"][key],
                        f"{where}.{key}",
                        None,
                        errors,
                        record,
                    )
        if schema.get("type") == "array" and "items" in schema:
            if not isinstance(value, list):
                errors.append(f"{where}: not an array")
                return
            for index, item in enumerate(value):
                self._check(
                    item, schema["items"], f"{where}[{index}]", None, errors, record
                )

    def always_present_but_optional(self) -> list[str]:
        spots = []
        for name, samples in self.seen.items():
            if name.startswith(OPTIONAL_BY_DESIGN_PREFIXES):
                continue
            required = set(schemas(self.document)[name].get("required", []))
            always = set.intersection(*samples) - OPTIONAL_BY_DESIGN_KEYS
            spots.extend(f"{name}.{key}" for key in sorted(always - required))
        return spots


def answer_schema(document, path, method, status, content_type):
    operation = document["paths"][path][method]
    answer = operation["responses"].get(str(status))
    assert answer is not None, (
        f"{method.upper()} {path} answered {status}: undocumented"
    )
    return answer["content"][content_type]["schema"]


@pytest.fixture
def full_site(clinic):
    """The clinic fixture, plus clinic settings and every other page type."""
    site = Site.objects.get(is_default_site=True)
    settings = ClinicSettings.for_site(site)
    settings.clinic_name = "Example Clinic"
    settings.phone = "+1 555 0100"
    settings.email = "hello@example.com"
    settings.street_address = "1 Main St"
    settings.locality = "Springfield"
    settings.region = "IL"
    settings.postal_code = "62701"
    settings.opening_hours = "Mon-Fri 8am-5pm"
    settings.save()
    service = clinic["service"]
    service.approaches.create(kind="therapy", name="Cognitive Behavioral Therapy")
    publish_reviewed(service)
    home = clinic["home"]
    standard = StandardPageFactory(parent=home, title="About", slug="about")
    consultation = home.add_child(
        instance=ConsultationFormPage(
            title="Book", slug="book", intro="<p>Ask us.</p>", privacy_note="Private."
        )
    )
    return {**clinic, "standard": standard, "consultation": consultation}


@pytest.mark.django_db
def test_every_answer_fits_the_document_and_every_constant_key_is_required(
    client, full_site, document
):
    walker = Walker(document)
    samples = []

    def get(url, path, status=200, content_type="application/json"):
        response = client.get(url)
        assert response.status_code == status, (url, response.content[:300])
        schema = answer_schema(document, path, "get", status, content_type)
        walker.check(response.json(), schema, url)
        samples.append(url)
        return response

    for section, key in (
        ("services", "service"),
        ("articles", "article"),
        ("studies", "study"),
    ):
        page = full_site[key]
        get(f"/api/v3/{section}/", f"/api/v3/{section}/")
        get(f"/api/v3/{section}/{page.pk}/", f"/api/v3/{section}/{{page_id}}/")
        get(
            f"/api/v3/{section}/find/?html_path={page.url}",
            f"/api/v3/{section}/find/",
        )
        get(
            f"/api/v3/{section}/find/?html_path=/no/such/page/",
            f"/api/v3/{section}/find/",
            404,
            "application/problem+json",
        )
        get(
            f"/api/v3/{section}/?colour=red",
            f"/api/v3/{section}/",
            400,
            "application/problem+json",
        )
    get("/api/v3/pages/", "/api/v3/pages/")
    page_types = set()
    for page in Page.objects.live().specific():
        if page.depth < 2:
            continue
        payload = get(f"/api/v3/pages/{page.pk}/", "/api/v3/pages/{page_id}/").json()
        assert payload["type"] == payload["meta"]["type"] == page._meta.label
        page_types.add(payload["type"])
    assert page_types == PAGE_TYPES - {"wagtailcore.Page"}
    get(
        "/api/v3/pages/999999/",
        "/api/v3/pages/{page_id}/",
        404,
        "application/problem+json",
    )
    study = full_site["study"]
    token = preview.store_draft(study)
    payload = get(
        f"/api/v3/preview/?page_id={study.pk}&token={token}", "/api/v3/preview/"
    ).json()
    assert payload["type"] == "studies.StudySummaryPage"

    assert walker.errors == []
    assert walker.always_present_but_optional() == []
    # The walk reached the schemas that matter, JSON-LD nodes included.
    assert {
        "ServicePageSchema",
        "ServicePageMetaSchema",
        "ServiceCardSchema",
        "ServiceApproachSchema",
        "BodyStreamBlockHeading",
        "HeadingBlockValue",
        "JsonLdMedicalClinic",
        "JsonLdMedicalWebPage",
        "JsonLdWebPage",
        "JsonLdMedicalTherapy",
        "JsonLdArticle",
        "JsonLdMedicalScholarlyArticle",
        "JsonLdBreadcrumbList",
        "ProblemDetail",
        "HomePageSchema",
        "ConsultationFormPageSchema",
    } <= set(walker.seen)


@pytest.mark.django_db
def test_generic_find_answers_the_documented_redirect(client, clinic, document):
    service = clinic["service"]
    response = client.get(f"/api/v3/pages/find/?html_path={service.url}")
    assert response.status_code == 302
    assert "302" in document["paths"]["/api/v3/pages/find/"]["get"]["responses"]
    assert urlparse(response["Location"]).path == f"/api/v3/pages/{service.pk}/"
    missing = client.get("/api/v3/pages/find/?html_path=/no/such/page/")
    assert missing.status_code == 404
    assert missing["Content-Type"] == "application/problem+json"


def test_the_snapshot_is_built_by_the_same_steps(document):
    """docs/openapi.json carries the typed answers (regenerate when it fails)."""
    path = Path(django_settings.BASE_DIR) / "docs" / "openapi.json"
    committed = json.loads(path.read_text(encoding="utf-8"))
    assert "ProblemDetail" in committed["components"]["schemas"]
    assert committed == document
