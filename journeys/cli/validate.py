"""`journeys validate`: check YAML documents against the contract, one line per file."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path


def validate_files(files: Sequence[str | Path], *, echo: Callable[..., None]) -> int:
    """Check each file; say what it holds or why it is refused. Return the exit code (1 if any
    file is refused)."""
    from journeys.contract.yaml_io import DocumentError, load_file

    refused = 0
    for name in files:
        path = Path(name)
        try:
            document = load_file(path)
        except DocumentError as error:
            refused += 1
            echo(str(error), err=True)
        else:
            echo(f"{path}: valid {document.kind} '{document.id}'")
    if refused:
        echo(f"{refused} of {len(files)} document(s) refused", err=True)
        return 1
    return 0
