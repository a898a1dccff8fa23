"""schemathesis against the live OpenAPI document: no 5xx, no off-schema answer.

The server is pytest-django's live server on 127.0.0.1 with the clinic's own
content. Anonymous reads of every GET operation (Wagtail's and ours) and the
page PATCH that stock v3 used to crash on, a bounded number of examples each,
one worker, a fixed seed: the run is reproducible and stays within minutes.
"""

import subprocess
import sys
from pathlib import Path

MAX_EXAMPLES = 12
RUN_TIMEOUT = 240  # seconds; the run usually takes a fraction of this


def test_fuzzing_finds_no_server_error_or_schema_violation(clinic_site, tmp_path):
    schemathesis = Path(sys.executable).with_name("schemathesis")
    command = [
        str(schemathesis),
        "run",
        f"{clinic_site.url}/api/v3/openapi.json",
        "--checks",
        "not_a_server_error,response_schema_conformance",
        "--include-method",
        "GET",
        "--include-method",
        "PATCH",
        # Wagtail's own snippet-revision paths declare parameters no generator
        # can satisfy (a schema error in stock v3, not a server error).
        "--exclude-path-regex",
        "^/api/v3/snippets/.*/revisions/",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--seed",
        "20261123",
        "--request-timeout",
        "20",
        "--workers",
        "1",
        "--generation-database",
        "none",
        "--report-dir",
        str(tmp_path),
    ]
    result = subprocess.run(  # noqa: S603 - fixed arguments, loopback target
        command,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    assert clinic_site.url.startswith("http://127.0.0.1:")
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-2000:]
