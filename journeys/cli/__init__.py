"""The `journeys` command line: typer commands that import what they need when they run."""
