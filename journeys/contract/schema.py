"""JSON Schema of the two document kinds, so that editors check YAML as users type."""

from __future__ import annotations

import json
from typing import Any

from journeys.contract.model import FORMAT, KINDS


def json_schema(kind: str) -> dict[str, Any]:
    """Return the JSON Schema (draft 2020-12) of a `journey` or `program` document.

    Raises KeyError for an unknown kind.
    """
    schema = KINDS[kind].model_json_schema(by_alias=True, mode="validation")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"https://journey-workshop.local/schema/{FORMAT}/{kind}.json"
    schema["title"] = f"Journey Workshop {kind} ({FORMAT})"
    return schema


def json_schema_text(kind: str) -> str:
    """Return the schema as stable, indented JSON text."""
    return json.dumps(json_schema(kind), indent=2, ensure_ascii=False, sort_keys=True) + "\n"
