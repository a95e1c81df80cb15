"""Files out: a journey or program as PDF, SVG, PNG, DOT, CSV or YAML, written safely."""
