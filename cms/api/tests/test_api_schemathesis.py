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
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
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
def wsgi_app():
    """The WSGI application, kept from closing the test's database connection.

    A real handler closes "old" connections when each request ends; inside the
    test's transaction that would close the connection itself (PostgreSQL).
    Django's test client disconnects the same handler for the same reason.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(clinic, wsgi_app):
    return schemathesis.openapi.from_wsgi("/api/v3/openapi.json", wsgi_app)


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


def test_no_operation_answers_with_a_server_error(api_schema, bearer):
    # The document as loaded; Django's test client is not used here, as it
    # would reconnect the connection-closing handler the fixture took off.
    impossible = impossible_operations(api_schema.raw_schema)
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
