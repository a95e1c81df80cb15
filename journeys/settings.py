"""Configuration from the environment (JOURNEYS_*), read through get_settings(), never at import."""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict, SettingsError

from journeys.access import LocalAccess, Network, parse_networks

DEFAULT_DATABASE_FILE = Path("workspace") / "journeys.db"


def default_database_url() -> str:
    """`sqlite:///./workspace/journeys.db`: a file under the current directory."""
    return f"sqlite:///{DEFAULT_DATABASE_FILE.as_posix()}"


class Settings(BaseSettings):
    """What can be configured; each field is read from `JOURNEYS_<NAME>` (or a `.env` file).

    - database_url: any SQLAlchemy URL; default `sqlite:///workspace/journeys.db`, relative to
      the current directory, the folder created on first use. A team server:
      `postgresql+psycopg://user:password@host:5432/journeys`.
    - language: language of the interface, `fr` or `en`.
    - export_dir: where generated files (PDF, SVG, YAML, CSV…) are written.
    - auth: `none` (a laptop: whoever uses it on this machine is the facilitator; anyone
      reaching it from the network only gets the participants' capture page), `password`
      (editing needs the password whose hash is `editor_password_hash`, made with
      `journeys hash-password`), or `oidc` (Streamlit's `st.login`, configured in
      `.streamlit/secrets.toml`; roles from `roles`, e.g. `{"anne@cabinet.fr": "facilitator",
      "*@client.fr": "contributor"}`, others get `default_role`).
    - trusted_proxies: the reverse proxies whose `X-Forwarded-For` (or `X-Real-IP`) header names
      the browser, as addresses and CIDR blocks separated by commas (`127.0.0.1, 10.0.0.0/8`);
      default none. A request from one of them that names no browser comes from nowhere known.
    - local_access: whether someone on this computer gets the local user's rights without
      signing in (`auth` none: the facilitator; `password`: reading): `on`, `off`, or `auto`
      (the default): on, unless `auth` is on and the server listens beyond this computer.
    """

    model_config = SettingsConfigDict(
        env_prefix="JOURNEYS_",
        env_file=".env",
        env_file_encoding="utf-8",
        extra="ignore",
        frozen=True,  # one object is shared by every call until the environment changes
    )

    database_url: str = Field(default_factory=default_database_url)
    language: str = Field("fr", pattern=r"^(fr|en)$")
    export_dir: Path = Path("exports")
    auth: Literal["none", "password", "oidc"] = "none"
    editor_password_hash: str | None = None
    roles: dict[str, Literal["facilitator", "editor", "contributor", "viewer"]] = {}
    default_role: Literal["facilitator", "editor", "contributor", "viewer"] = "viewer"
    trusted_proxies: Annotated[tuple[Network, ...], NoDecode] = ()
    local_access: LocalAccess = "auto"

    @field_validator("trusted_proxies", mode="before")
    @classmethod
    def _split_proxies(cls, value: Any) -> Any:
        return parse_networks(value) if isinstance(value, str) else value


class SettingsRefused(ValueError):
    """A `JOURNEYS_*` variable holds a value the settings refuse; the message is one line that
    names the variable and its value (cut)."""


_VALUE_MAX = 60


def _refusal(error: ValidationError) -> str:
    problems = []
    for found in error.errors():
        name, *path = found["loc"] or ("?",)
        variable = f"JOURNEYS_{str(name).upper()}" + "".join(f"[{p!r}]" for p in path)
        value = str(found["input"])
        value = value if len(value) <= _VALUE_MAX else value[:_VALUE_MAX] + "…"
        message = found["msg"].removeprefix("Value error, ")
        problems.append(f"{variable}={value!r}: {message}")
    return "refused setting: " + "; ".join(problems)


def get_settings() -> Settings:
    """Return the settings as the environment holds them now.

    Every page run asks several times; the settings are built again only when a `JOURNEYS_*`
    variable, the current directory or its `.env` file has changed since the last call.
    Raises SettingsRefused when a variable holds a refused value.
    """
    return _settings_for(_environment_key())


def _environment_key() -> tuple[object, ...]:
    # Names are matched whatever their case, as pydantic-settings reads them. Read from the
    # bytes environment where there is one: decoding every variable, on each of a page run's
    # dozen calls, showed in the board's bench.
    if os.supports_bytes_environ:
        variables: tuple[object, ...] = tuple(
            (k, v) for k, v in os.environb.items() if k[:9].upper() == b"JOURNEYS_"
        )
    else:
        variables = tuple((k, v) for k, v in os.environ.items() if k[:9].upper() == "JOURNEYS_")
    cwd = os.getcwd()
    try:
        found = os.stat(os.path.join(cwd, ".env"))
        env_file: tuple[int, int, int] | None = (found.st_mtime_ns, found.st_size, found.st_ino)
    except OSError:
        env_file = None
    return variables, cwd, env_file


@lru_cache(maxsize=8)
def _settings_for(key: tuple[object, ...]) -> Settings:
    try:
        return Settings()
    except ValidationError as error:
        raise SettingsRefused(_refusal(error)) from None
    except SettingsError as error:  # a JOURNEYS_ROLES that is not JSON
        field = re.search(r'field "(\w+)"', str(error))
        name = f"JOURNEYS_{field[1].upper()}" if field else "a JOURNEYS_* variable"
        raise SettingsRefused(f"refused setting: {name} is not valid JSON") from None
