"""The YAML contract (journeys/v1): document models, the YAML codec, JSON Schema, editing helpers."""
