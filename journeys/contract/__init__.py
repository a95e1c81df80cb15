"""The YAML contract (journeys/v1): document models, YAML codec, JSON Schema, editing helpers."""
