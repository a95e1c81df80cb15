"""Relationship programs: checks on their step graph, DOT text and styles, their use cases."""
