"""Where a subscriber base is read: a CSV or Parquet file, or a table in a database.

Files are read by DuckDB through Ibis (embedded, nothing to install); a database table by
its SQLAlchemy-style URL through the Ibis backend of that engine. Every expression of
`journeys.data` is an Ibis expression, so the same code runs where the rows live and only
aggregates come back to Python. CSV cells are read as text and parsed by those expressions
(French dates and decimals included), so one odd cell is reported by row instead of failing
the whole read.
"""

from __future__ import annotations

import codecs
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from journeys.visits.agency.preview import CsvError, decode, guess_delimiter

if TYPE_CHECKING:
    import ibis.expr.types as ir

SNIFF_BYTES = 256 * 1024
ROW_NUMBER = "__row"  # the spreadsheet row of a CSV record (header = 1)


class SourceError(ValueError):
    """A source that cannot be read at all (message names the file or URL and why)."""


@dataclass(frozen=True)
class CsvFormat:
    encoding: str
    delimiter: str
    headers: tuple[str, ...]


@dataclass
class Source:
    """An opened source: the Ibis table of its rows (text cells for CSV), and its columns."""

    table: ir.Table
    headers: tuple[str, ...]
    kind: str  # "csv", "parquet" or "database"
    backend: Any
    cleanup: tuple[Path, ...] = ()

    def close(self) -> None:
        for path in self.cleanup:
            path.unlink(missing_ok=True)


def sniff_csv(path: Path) -> CsvFormat:
    """Encoding, delimiter and headers from the first bytes of a CSV file."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as error:
        raise SourceError(f"{path}: cannot be read ({error.strerror or error})") from None
    if len(head) == SNIFF_BYTES:  # cut on a line end so the last record is whole
        head = head[: head.rfind(b"\n") + 1] or head
    try:
        text, encoding = decode(head)
    except CsvError as error:
        raise SourceError(f"{path.name}: {error}") from None
    delimiter = guess_delimiter(text)
    first = text.splitlines()[0] if text.strip() else ""
    import csv

    headers = tuple(h.strip() for h in next(csv.reader([first], delimiter=delimiter), []))
    if not any(headers):
        raise SourceError(f"{path.name}: the file is empty")
    return CsvFormat(encoding, delimiter, headers)


def _utf8_copy(path: Path, encoding: str) -> Path:
    """DuckDB reads UTF-8; a Windows-1252 or UTF-16 file is copied as UTF-8, in chunks."""
    handle, name = tempfile.mkstemp(suffix=".csv", prefix="journeys-base-")
    decoder = codecs.getincrementaldecoder(encoding)()
    with os.fdopen(handle, "wb") as out, path.open("rb") as src:
        while chunk := src.read(1 << 20):
            out.write(decoder.decode(chunk).encode("utf-8"))
        out.write(decoder.decode(b"", final=True).encode("utf-8"))
    return Path(name)


def open_file(path: Path, backend: Any = None) -> Source:
    """Open a CSV or Parquet file on DuckDB (or the given Ibis backend)."""
    import ibis

    con = backend if backend is not None else ibis.duckdb.connect()
    suffix = path.suffix.lower()
    if not path.is_file():
        raise SourceError(f"{path}: no such file")
    if suffix in (".parquet", ".pq"):
        return _open_parquet(con, path)
    fmt = sniff_csv(path)
    cleanup: tuple[Path, ...] = ()
    readable = path
    if fmt.encoding not in ("utf-8", "utf-8-sig"):
        readable = _utf8_copy(path, fmt.encoding)
        cleanup = (readable,)
    try:
        table = con.read_csv(
            str(readable),
            delim=fmt.delimiter,
            header=True,
            all_varchar=True,
            quote='"',
            escape='"',
            null_padding=True,
            strict_mode=False,
        )
    except Exception as error:  # noqa: BLE001
        for extra in cleanup:
            extra.unlink(missing_ok=True)
        raise SourceError(f"{path.name}: cannot be read as CSV ({_first_line(error)})") from None
    # DuckDB may rename blank or duplicate headers; the user sees the file's own names.
    renames = {
        theirs: ours
        for theirs, ours in zip(table.columns, fmt.headers, strict=False)
        if ours and theirs != ours
    }
    if renames:
        table = table.rename({ours: theirs for theirs, ours in renames.items()})
    table = table.mutate(**{ROW_NUMBER: ibis.row_number() + 2})
    return Source(table, tuple(c for c in table.columns if c != ROW_NUMBER), "csv", con, cleanup)


def _open_parquet(con: Any, path: Path) -> Source:
    """A Parquet file, its rows numbered by DuckDB as it reads them (file_row_number): no
    window over the whole table. A file with a column of that name, or another engine, gets
    the window."""
    import ibis

    table = None
    if getattr(con, "name", "") == "duckdb":
        try:
            numbered = con.read_parquet(str(path), file_row_number=True)
        except Exception:  # noqa: BLE001 - not Parquet, or a column named file_row_number
            numbered = None
        if numbered is not None:
            table = numbered.rename({ROW_NUMBER: "file_row_number"})
            table = table.mutate(**{ROW_NUMBER: table[ROW_NUMBER] + 2})
    if table is None:
        try:
            plain = con.read_parquet(str(path))
        except Exception as error:  # noqa: BLE001 - DuckDB's errors are not a public type
            raise SourceError(f"{path.name}: not a Parquet file ({_first_line(error)})") from None
        table = plain.mutate(**{ROW_NUMBER: ibis.row_number() + 2})
    headers = tuple(c for c in table.columns if c != ROW_NUMBER)
    return Source(table, headers, "parquet", con)


def open_table(url: str, table_name: str) -> Source:
    """Open a table of a database by URL (postgresql://…, duckdb://…, and what Ibis supports)."""
    import ibis

    plain = url.replace("postgresql+psycopg://", "postgres://").replace(
        "postgresql://", "postgres://"
    )
    try:
        con = ibis.connect(plain)
        table = con.table(table_name)
    except Exception as error:  # noqa: BLE001
        raise SourceError(f"{_safe_url(url)}: {_first_line(error)}") from None
    table = table.mutate(**{ROW_NUMBER: ibis.row_number() + 1})
    return Source(table, tuple(c for c in table.columns if c != ROW_NUMBER), "database", con)


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    line = text[0] if text else type(error).__name__
    return line[:200]


def _safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        credentials, host = rest.rsplit("@", 1)
        user = credentials.split(":", 1)[0]
        return f"{scheme}://{user}@{host}"
    return url
