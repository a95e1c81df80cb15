"""YAML text <-> contract models: safe loading with limits, precise messages, canonical output."""

from __future__ import annotations

import codecs
import difflib
import errno
import functools
import os
import reprlib
import secrets
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from journeys.contract.model import (
    KINDS,
    SUPPORTED_FORMATS,
    Journey,
    Problem,
    Program,
    ReferenceProblems,
    format_path,
    reference_problems,
)

M = TypeVar("M", bound=BaseModel)

MAX_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 24
MAX_SHOWN = 80  # characters of a refused value a message quotes
MAX_MESSAGE = 400  # characters of one problem's message, whatever its source

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_BaseDumper: type = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
# Plain `=` and `<<` are text here: PyYAML would read them as the "value" and "merge" tags.
_NOT_RESOLVED = (_TIMESTAMP, "tag:yaml.org,2002:value", "tag:yaml.org,2002:merge")
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")
)


@dataclass(frozen=True)
class LocatedProblem:
    """A problem with where it stands: line and column (1-based) when known, and field path."""

    path: tuple[str | int, ...]
    message: str
    line: int | None = None
    column: int | None = None

    def __post_init__(self) -> None:
        # A message quoting a 100,000-character value would be 100 KB: keep each one short.
        object.__setattr__(self, "message", shorten(self.message, MAX_MESSAGE))

    def describe(self, source: str) -> str:
        where = source
        if self.line is not None:
            where += f":{self.line}:{self.column}" if self.column else f":{self.line}"
        field = f" {shorten(format_path(self.path), 2 * MAX_SHOWN)}:" if self.path else ""
        return f"{where}:{field} {self.message}"


def shorten(text: str, limit: int = MAX_SHOWN) -> str:
    """Return `text`, cut to its first `limit` characters and "…" when it is longer."""
    return text if len(text) <= limit else text[:limit] + "…"


_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = MAX_SHOWN


def shown(value: object) -> str:
    """Return the repr of a (refused) value for a message, cut after ~80 characters."""
    if isinstance(value, str) and len(value) > MAX_SHOWN:
        quoted = repr(value[:MAX_SHOWN])
        return f"{quoted[:-1]}…{quoted[-1]}"
    return shorten(_REPR.repr(value))


class DocumentError(ValueError):
    """A document was refused as a whole; `problems` lists every problem found."""

    def __init__(self, source: str, problems: list[LocatedProblem]):
        self.source = source
        self.problems = problems
        super().__init__(str(self))

    def __str__(self) -> str:
        count = len(self.problems)
        head = f"{self.source}: refused, {count} problem{'s' if count > 1 else ''}"
        return "\n".join([head, *(f"  {p.describe(self.source)}" for p in self.problems)])


class _Refused(Exception):
    def __init__(self, message: str, mark: Any = None):
        super().__init__(message)
        self.message = message
        self.mark = mark


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader that refuses aliases and leaves dates as text (the contract has no dates)."""

    yaml_implicit_resolvers = {
        first: [r for r in resolvers if r[0] not in _NOT_RESOLVED]
        for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()  # type: ignore[attr-defined]
    }

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        if node in self.constructed_objects or node in self.recursive_objects:
            raise _Refused("anchors and aliases (&name / *name) are not allowed", node.start_mark)
        try:
            return super().construct_object(node, deep=deep)
        except ValueError:  # Python reads no integer of more than 4,300 digits
            if node.tag != "tag:yaml.org,2002:int":
                raise
            message = f"number too long ({len(node.value):,} digits): put it in quotes if text"
            raise _Refused(message, node.start_mark) from None


class _Dumper(_BaseDumper):  # type: ignore[misc,valid-type]
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: Any, value: str) -> Any:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


# --- reading -----------------------------------------------------------------------------


def decode(data: bytes | str, source: str) -> str:
    """Return the text of a UTF-8 document (a BOM is allowed); raise DocumentError otherwise."""
    if isinstance(data, str):
        text = data
    else:
        if len(data) > MAX_BYTES:
            raise _error(source, f"file too large ({len(data):,} bytes; limit {MAX_BYTES:,})")
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise _error(source, "the file is UTF-16; save it as UTF-8")
        if b"\x00" in data:  # before decoding: an image or a zip is not "Windows-1252 text"
            raise _error(source, "this is a binary file, not a YAML text document")
        data = data.removeprefix(codecs.BOM_UTF8)
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
            problem = LocatedProblem((), _not_utf8(data, exc), line, column)
            raise DocumentError(source, [problem]) from None
    if len(text) > MAX_BYTES:
        raise _error(source, f"document too large ({len(text):,} characters; limit {MAX_BYTES:,})")
    if "\x00" in text:
        raise _error(source, "this is a binary file, not a YAML text document")
    return text


def _not_utf8(data: bytes, exc: UnicodeDecodeError) -> str:
    byte = data[exc.start]
    try:
        data.decode("cp1252")
    except UnicodeDecodeError:
        return f"not UTF-8 text (byte 0x{byte:02X}); save the file as UTF-8"
    return (
        f"not UTF-8 text (byte 0x{byte:02X}); it looks like Windows-1252 (Excel, Notepad): "
        "save it again as UTF-8"
    )


def _error(source: str, message: str) -> DocumentError:
    return DocumentError(source, [LocatedProblem((), message)])


def parse_yaml(text: str, source: str) -> tuple[Any, Any]:
    """Parse YAML safely; return (data, root node). Raise DocumentError on any YAML problem."""
    loader = _Loader(text)
    try:
        _check_depth(text)
        node = loader.get_single_node()
        if node is None:
            raise _Refused("the document is empty")
        _check_structure(node)
        data = loader.construct_document(node)
    except _Refused as exc:
        raise _located(source, exc.message, exc.mark) from None
    except yaml.MarkedYAMLError as exc:
        raise _located(source, _yaml_message(exc), exc.problem_mark or exc.context_mark) from None
    except yaml.reader.ReaderError as exc:
        message = f"not valid YAML: character #x{exc.character:04X} is not allowed ({exc.reason})"
        raise _located(source, message, _reader_mark(text, exc.position)) from None
    except yaml.YAMLError as exc:
        raise _error(source, f"not valid YAML: {exc}") from None
    except RecursionError:
        raise _error(source, f"nesting deeper than {MAX_DEPTH} levels") from None
    finally:
        loader.dispose()
    return data, node


def load_yaml(data: bytes | str, *, source: str = "<string>") -> Any:
    """Return the plain data (mappings, lists, text, numbers) of any YAML or JSON file the
    product reads, with the document's limits (size, depth, no aliases, no tags).

    Raises DocumentError, with line and column, for anything else.
    """
    return parse_yaml(decode(data, source), source)[0]


def _yaml_message(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or "not valid YAML"
    if "could not determine a constructor" in problem or "tag" in (exc.problem or ""):
        return f"tags such as '!!python/...' or '!custom' are not allowed ({problem})"
    context = f" {exc.context}" if exc.context else ""
    return f"not valid YAML:{context} {problem}".replace("  ", " ")


def _located(source: str, message: str, mark: Any) -> DocumentError:
    line = mark.line + 1 if mark is not None else None
    column = mark.column + 1 if mark is not None else None
    return DocumentError(source, [LocatedProblem((), message, line, column)])


def _reader_mark(text: str, position: int) -> yaml.Mark:
    """The line and column of a reader error; libyaml counts its position in UTF-8 bytes."""
    if _BaseLoader is not yaml.SafeLoader:
        text = text.encode("utf-8")[:position].decode("utf-8", "replace")
        position = len(text)
    line = text.count("\n", 0, position)
    column = position - (text.rfind("\n", 0, position) + 1)
    return yaml.Mark("", position, line, column, None, 0)


def _check_depth(text: str) -> None:
    """Refuse deep nesting from the parser's events, before composing any node.

    libyaml's composer recurses once per level (30,000 '[' crash the process) and its
    scanner slows down with the square of the flow depth; events stop both at the limit.
    """
    depth = 0
    for event in yaml.parse(text, Loader=_BaseLoader):
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                raise _Refused(f"nesting deeper than {MAX_DEPTH} levels", event.start_mark)
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1


def _check_structure(root: Any) -> None:
    """Refuse aliases (a node reached twice), deep nesting, tags beyond plain data and
    repeated keys (PyYAML would keep the last one silently), walking each node once."""
    seen: set[int] = set()
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if id(node) in seen:
            raise _Refused("anchors and aliases (&name / *name) are not allowed", node.start_mark)
        seen.add(id(node))
        if depth > MAX_DEPTH:
            raise _Refused(f"nesting deeper than {MAX_DEPTH} levels", node.start_mark)
        if node.tag not in _PLAIN_TAGS:
            raise _Refused(
                f"tags such as '!!python/...' or '!custom' are not allowed (found '{node.tag}')",
                node.start_mark,
            )
        if isinstance(node, yaml.ScalarNode) and "\x00" in node.value:
            raise _Refused("text may not hold the NUL character (\\0)", node.start_mark)
        if isinstance(node, yaml.MappingNode):
            keys: dict[tuple[str, str], int] = {}
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    if (key.tag, key.value) in keys:
                        raise _Refused(
                            f"key '{shorten(key.value)}' appears twice in this mapping "
                            f"(first on line {keys[key.tag, key.value]})",
                            key.start_mark,
                        )
                    keys[key.tag, key.value] = key.start_mark.line + 1
                stack.append((key, depth + 1))
                stack.append((value, depth + 1))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, depth + 1) for item in node.value)


def load_document(data: bytes | str, *, source: str = "<string>") -> Journey | Program:
    """Return the journey or program a YAML document holds.

    Raises DocumentError listing every problem (with line, column and field path) when the
    text is not safe UTF-8 YAML within the limits or breaks the journeys/v1 contract.
    """
    text = decode(data, source)
    raw, node = parse_yaml(text, source)
    return validate_data(raw, node=node, source=source)


def load_model(data: bytes | str, model: type[M], *, source: str = "<string>") -> M:
    """Return the `model` (a strict pydantic model) that a YAML file of another kind holds,
    read with the document's limits.

    Raises DocumentError listing every problem with its line, column and field path.
    """
    raw, node = parse_yaml(decode(data, source), source)
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            path = tuple(err["loc"])
            problems.append(LocatedProblem(path, _describe(err), *_position(node, path)))
        problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        raise DocumentError(source, problems) from None


def validate_data(raw: Any, *, node: Any = None, source: str = "<data>") -> Journey | Program:
    """Return the model for already-parsed data; raise DocumentError with every problem."""
    cls = _document_class(raw, node, source)
    problems = [
        LocatedProblem(p.path, _cut_value(p.message, raw, p.path), *_position(node, p.path))
        for p in reference_problems(raw, raw["kind"])
    ]
    try:
        document = cls.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors(include_url=False):
            if isinstance(err.get("ctx", {}).get("error"), ReferenceProblems):
                continue  # already listed, one by one, from the raw data
            path = tuple(err["loc"])
            if err["type"] == "invalid_key":  # the last part is the key as text ('None')
                where, path = _key_position(node, path), path[:-1]
            else:
                where = _position(node, path)
            problems.append(LocatedProblem(path, _describe(err), *where))
    if problems:
        problems.sort(key=lambda p: (p.line or 0, p.column or 0))
        raise DocumentError(source, problems)
    return document


def _cut_value(message: str, raw: Any, path: Iterable[str | int]) -> str:
    """`message` quoting the text at `path` of `raw` only by its first ~80 characters."""
    value = raw
    for part in path:
        try:
            value = value[part]
        except (LookupError, TypeError):
            return message
    if isinstance(value, str) and len(value) > MAX_SHOWN:
        return message.replace(value, shorten(value))
    return message


def _document_class(raw: Any, node: Any, source: str) -> type[Journey] | type[Program]:
    if not isinstance(raw, dict):
        raise _located(source, "a document must be a mapping (field: value)", _mark(node))
    fmt = raw.get("format")
    if fmt is None:
        raise _error(source, f"'format' is missing; expected format: {SUPPORTED_FORMATS[0]}")
    if fmt not in SUPPORTED_FORMATS:
        supported = ", ".join(SUPPORTED_FORMATS)
        raise DocumentError(
            source,
            [
                LocatedProblem(
                    ("format",),
                    f"unsupported format {shown(fmt)}; this version reads: {supported}",
                    *_position(node, ("format",)),
                )
            ],
        )
    kind = raw.get("kind")
    if kind not in KINDS:
        raise DocumentError(
            source,
            [
                LocatedProblem(
                    ("kind",),
                    f"unknown kind {shown(kind)}; expected one of: {', '.join(KINDS)}",
                    *_position(node, ("kind",)),
                )
            ],
        )
    return KINDS[kind]


def _mark(node: Any) -> Any:
    return getattr(node, "start_mark", None)


def _position(node: Any, path: Iterable[str | int]) -> tuple[int | None, int | None]:
    """Line and column of the value at `path` (the closest existing parent when missing).

    A field holding a list or mapping is pointed at by its key, where the eye looks for it.
    """
    if node is None:
        return None, None
    current, mark = node, node.start_mark
    for part in path:
        found = _child(current, part)
        if found is None:
            break
        key, current = found
        mark = (key or current).start_mark if not isinstance(current, yaml.ScalarNode) else None
        mark = mark or current.start_mark
    return mark.line + 1, mark.column + 1


def _key_position(node: Any, path: tuple[str | int, ...]) -> tuple[int | None, int | None]:
    """Line and column of a key that is not text (`null:`, `3:`) named by pydantic's `path`."""
    parent = node
    for part in path[:-1]:
        found = _child(parent, part)
        if found is None:
            return _position(node, path[:-1])
        parent = found[1]
    if isinstance(parent, yaml.MappingNode):
        constructor = yaml.constructor.SafeConstructor()
        for key, _value in parent.value:
            if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:str":
                value = constructor.construct_object(key)
                if value == path[-1] or str(value) == str(path[-1]):
                    return key.start_mark.line + 1, key.start_mark.column + 1
    return _position(node, path[:-1])


def _child(node: Any, part: str | int) -> tuple[Any, Any] | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == part:
                return key, value
        return None
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return None, node.value[part]
    return None


@functools.cache
def _contract_fields() -> list[str]:
    names: set[str] = set()
    pending: list[type[BaseModel]] = [Journey, Program]
    seen: set[type[BaseModel]] = set()
    while pending:
        model = pending.pop()
        if model in seen:
            continue
        seen.add(model)
        for name, info in model.model_fields.items():
            names.add(info.alias or name)
            for arg in _model_args(info.annotation):
                pending.append(arg)
    return sorted(names)


def _model_args(annotation: Any) -> list[type[BaseModel]]:
    found = []
    stack = [annotation]
    while stack:
        item = stack.pop()
        if isinstance(item, type) and issubclass(item, BaseModel):
            found.append(item)
        stack.extend(getattr(item, "__args__", ()))
    return found


def _describe(err: Mapping[str, Any]) -> str:
    kind, value = err["type"], err.get("input")
    if kind == "extra_forbidden":
        name = str(err["loc"][-1])
        close = difflib.get_close_matches(name, _contract_fields(), n=1)
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return f"unknown field '{shorten(name)}'{hint}"
    if kind == "missing":
        return "required field is missing"
    if kind == "invalid_key":
        word = "null" if value is None else str(value).lower() if isinstance(value, bool) else None
        return f"the key {word or shown(value)} is not a field name (keys are text)"
    if kind == "string_pattern_mismatch":
        return (
            f"{shown(value)} is not a valid id: use lowercase letters, digits and single dashes "
            "(for example 'email-bienvenue')"
        )
    if kind == "string_type" and value is not None:
        return f"expected text, got {type(value).__name__} {shown(value)} (put it in quotes)"
    message = err["msg"].removeprefix("Value error, ")
    if isinstance(value, str | int | float | bool) and not isinstance(value, bool | None):
        return f"{message} (got {shown(value)})"
    return message


# --- writing -----------------------------------------------------------------------------


def document_data(document: Journey | Program) -> dict[str, Any]:
    """Return the plain data of a document, in contract key order, without empty optionals."""
    return document.model_dump(mode="json", by_alias=True, exclude_none=True)


def dump_document(document: Journey | Program) -> str:
    """Return the canonical YAML of a document: the same document always gives the same text."""
    return dump_data(document_data(document))


def dump_data(data: Any) -> str:
    """Return plain data (mappings in their order, lists, text, numbers) as canonical YAML,
    written as documents are: block style, Unicode kept, no aliases."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=4096,
        indent=2,
    )


def load_file(path: str | os.PathLike[str]) -> Journey | Program:
    """Return the document in a YAML file; raise DocumentError (named after the file)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise _error(str(path), f"file too large ({size:,} bytes; the limit is {MAX_BYTES:,})")
        data = path.read_bytes()
    except OSError as exc:
        raise _error(str(path), f"cannot read the file: {exc.strerror}") from None
    return load_document(data, source=str(path))


def write_atomically(path: str | os.PathLike[str], data: bytes, *, replace: bool = True) -> Path:
    """Write bytes to `path` through a temporary file and a rename: never a half-written file.

    The file gets the permissions a plain write gives: those of the file it replaces, else
    0666 less the umask. With `replace=False` an existing `path` is left as it is and
    FileExistsError raised (checked atomically, by a hard link, where the system has them).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = _create_temporary(path)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            _keep_mode(path, tmp)
            os.replace(tmp, path)
        else:
            _link_new(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return path


def _create_temporary(path: Path) -> tuple[int, Path]:
    """Create an empty file beside `path` as open() would (mode 0666 less the umask), not
    mkstemp's 0600 that would hide every export from the rest of the team."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(100):
        tmp = path.with_name(f".{path.name[:200]}.{secrets.token_hex(4)}.tmp")
        try:
            return os.open(tmp, flags, 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(path.parent))


def _keep_mode(path: Path, tmp: Path) -> None:
    try:
        old = path.stat()
    except OSError:
        return
    if stat.S_ISREG(old.st_mode):
        os.chmod(tmp, stat.S_IMODE(old.st_mode))


def _link_new(tmp: Path, path: Path) -> None:
    """Give `tmp` the name `path` unless something has it already; then drop `tmp`."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links: check, then rename
        if os.path.lexists(path):
            raise FileExistsError(errno.EEXIST, "File exists", str(path)) from None
        os.replace(tmp, path)
        return
    tmp.unlink()


def dump_file(document: Journey | Program, path: str | os.PathLike[str]) -> Path:
    """Write the canonical YAML of a document to a file, atomically."""
    return write_atomically(path, dump_document(document).encode("utf-8"))


__all__ = [
    "DocumentError",
    "LocatedProblem",
    "Problem",
    "decode",
    "document_data",
    "dump_data",
    "dump_document",
    "dump_file",
    "load_document",
    "load_file",
    "load_model",
    "load_yaml",
    "parse_yaml",
    "shorten",
    "shown",
    "validate_data",
    "write_atomically",
]
