"""schemathesis on every read and write operation of the OpenAPI document: no 5xx.

In process, through the WSGI application, against the Django test database
with the clinic's live pages and a superuser's API token, so writes really
create, patch and delete. Bounded: a few derandomised examples per operation
(positive and negative data), so the run is reproducible and takes a minute
or two.

Each operation's cases come from schemathesis's Hypothesis strategy and are
run by ``@given`` here (schemathesis's own pytest loader for fixtures does not
run under pytest 9).
"""

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from wagtail.models import APIToken

pytestmark = pytest.mark.django_db

MAX_EXAMPLES = 10
BOUNDED = settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def bearer(admin_user) -> dict:
    _token, secret = APIToken.create_token(user=admin_user, name="schemathesis")
    return {"Authorization": f"Bearer {secret}"}


@pytest.fixture
def api_schema(clinic):
    return schemathesis.openapi.from_wsgi(
        "/api/v3/openapi.json", get_wsgi_application()
    )


def operations(schema) -> list:
    found = []
    for result in schema.get_all_operations():
        found.append(result.ok())  # an invalid operation fails the test here
    return found


def test_the_document_lists_reads_and_writes(api_schema):
    methods = {operation.method.upper() for operation in operations(api_schema)}
    assert {"GET", "POST", "PATCH", "PUT", "DELETE"} <= methods
    assert len(operations(api_schema)) > 40


def impossible_operations(document: dict) -> set[str]:
    """Operations no request can reach: a path parameter that must be ``""``.

    v3 declares its snippet revision, publish and translation routes for the
    snippet types that have those features; the clinic's snippets have none,
    so their ``type`` is ``const: ""`` (and Hypothesis finds no data).
    """
    found = set()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path" and parameter["schema"].get("const") == "":
                    found.add(f"{method.upper()} {path}")
    return found


def test_no_operation_answers_with_a_server_error(client, api_schema, bearer):
    impossible = impossible_operations(client.get("/api/v3/openapi.json").json())
    assert all("/snippets/" in label for label in impossible)
    failures = []
    for operation in operations(api_schema):
        strategy = st.one_of(
            operation.as_strategy(generation_mode=GenerationMode.POSITIVE),
            operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
        )

        @given(case=strategy)
        @BOUNDED
        def run(case):
            case.call_and_validate(headers=bearer, checks=[not_a_server_error])

        try:
            run()
        except Unsatisfiable:
            if operation.label not in impossible:
                failures.append(f"{operation.label}: no data can be generated")
        except Exception as error:  # collect every operation's failure, then fail
            failures.append(f"{operation.label}: {error}"[:3000])
    assert not failures, "\n\n".join(failures)
