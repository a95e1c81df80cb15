"""app.py keeps the pages' layer: no journeys.store, no SQL (lint-imports sees packages only)."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

# The same as the pages' contract in pyproject.toml ([tool.importlinter]).
FORBIDDEN = ("journeys.store", "sqlalchemy", "sqlmodel", "psycopg", "alembic")


def imported(tree: ast.Module) -> list[tuple[int, str]]:
    """Every module `tree` imports, with its line (`from a import b` counts a and a.b)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.append((node.lineno, node.module))
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def main(path: Path) -> int:
    broken: dict[int, str] = {}  # line -> the first forbidden module it imports
    for line, name in imported(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if any(name == f or name.startswith(f + ".") for f in FORBIDDEN):
            broken.setdefault(line, name)
    for line, name in sorted(broken.items()):
        print(f"{path}:{line}: imports {name}; it goes through journeys.services, as pages do")
    print(f"{path}: {'BROKEN' if broken else 'KEPT'} (no journeys.store, no SQL)")
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "app.py")))
