from cms.core.tests.api_fixtures import clinic  # noqa: F401
