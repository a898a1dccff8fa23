"""The API's OpenAPI document, written stably so a diff shows real changes.

``make openapi`` runs this module; ``cms/core/tests/test_api_openapi.py``
fails when the committed ``docs/openapi.json`` differs from what the code
produces, so an API change is always a reviewed change.
"""

import json
import sys
from pathlib import Path


def document() -> dict:
    # Imported when called: run as a script, Django must be set up first.
    from cms.api.urls import api

    return api.get_openapi_schema()


def render() -> str:
    text = json.dumps(
        document(), indent=2, sort_keys=True, ensure_ascii=False, default=str
    )
    return text + "\n"


def main(argv: list[str]) -> None:
    # The script's own entry point; the test suite imports ``render`` only.
    import django

    django.setup()
    target = Path(argv[1] if len(argv) > 1 else "docs/openapi.json")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(render(), encoding="utf-8")
    sys.stdout.write(f"Wrote {target}\n")


if __name__ == "__main__":
    main(sys.argv)
