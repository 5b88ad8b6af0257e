"""TOML configuration files read one way everywhere: typed access, and errors a person can act on.

A configuration error is what someone editing a file sees first, so every one names the file, the
table (and entry), the key, the value found and what would have been accepted. Keys nobody reads
are errors too (``check_unknown``), so a misspelt key never silently falls back to a default.
Fleet files, site files, printer profiles and lab files all go through ``ConfigTable``.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TypeVar

from protolab.addresses import parse_host_port
from protolab.errors import ConfigurationError

V = TypeVar("V")
_MISSING: Any = object()


def load_toml(path: str | Path, what: str = "configuration file") -> ConfigTable:
    """The file's top-level table; ConfigurationError naming the file when it cannot be read."""
    source = str(path)
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigurationError(f"{source}: no such {what}", source=source) from None
    except OSError as exc:
        raise ConfigurationError(f"{source}: cannot read the {what}: {exc.strerror}",
                                 source=source) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"{source}: not valid TOML: {exc}", source=source) from None
    return ConfigTable(data, source)


class ConfigTable:
    """Typed access to one table of a parsed TOML document.

    ``source`` names the file, ``table`` the path inside it (``""`` for the top level,
    ``"devices #2"`` for the second ``[[devices]]`` entry). With ``dashes=True`` a key may be
    spelt with dashes or underscores (``site-id`` = ``site_id``), as command-line flags are.
    """

    def __init__(self, data: Mapping[str, Any], source: str, table: str = "", *,
                 dashes: bool = False) -> None:
        self.source, self.table, self.dashes = source, table, dashes
        self.data: dict[str, Any] = (
            {str(k).replace("-", "_"): v for k, v in data.items()} if dashes else dict(data))
        self.used: set[str] = set()

    @property
    def where(self) -> str:
        return f"{self.source}: [{self.table}]" if self.table else self.source

    def error(self, key: str, expected: str) -> ConfigurationError:
        """The error for ``key``'s value, naming file, table, key, value and what was wanted."""
        if key in self.data:
            found = f"{key} = {self.data[key]!r}"
        else:
            found = f"{key} is missing"
        return ConfigurationError(f"{self.where}: {found}: expected {expected}",
                                  source=self.source, table=self.table or None, key=key)

    def __contains__(self, key: str) -> bool:
        return key in self.data

    def keys(self) -> list[str]:
        return list(self.data)

    def get(self, key: str, default: Any = None) -> Any:
        self.used.add(key)
        return self.data.get(key, default)

    def string(self, key: str, default: str | None = _MISSING, *, max_length: int | None = None,
               ascii_only: bool = False) -> str:
        value = self.get(key, None if default is _MISSING else default)
        expected = "a string" + (f" of at most {max_length} characters" if max_length else "") \
            + (" (ASCII)" if ascii_only else "")
        if not isinstance(value, str) or (max_length is not None and len(value) > max_length) \
                or (ascii_only and not value.isascii()):
            raise self.error(key, expected + ("" if key in self.data or default is not _MISSING
                                              else " (it is required)"))
        return value

    def optional_string(self, key: str) -> str | None:
        return None if self.get(key) is None else self.string(key)

    def number(self, key: str, default: float | None = _MISSING, lo: float = float("-inf"),
               hi: float = float("inf")) -> float:
        value = self.get(key, None if default is _MISSING else default)
        if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
            raise self.error(key, f"a number from {lo} to {hi}")
        return float(value)

    def integer(self, key: str, default: int | None = _MISSING, lo: int = 0,
                hi: int = 2**31 - 1) -> int:
        value = self.get(key, None if default is _MISSING else default)
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise self.error(key, f"an integer from {lo} to {hi}")
        return value

    def flag(self, key: str, default: bool | None = _MISSING) -> bool:
        value = self.get(key, None if default is _MISSING else default)
        if not isinstance(value, bool):
            raise self.error(key, "true or false")
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: str | None = _MISSING) -> str:
        value = self.get(key, None if default is _MISSING else default)
        if value not in choices:
            raise self.error(key, "one of " + ", ".join(choices))
        return str(value)

    def lookup(self, key: str, table: Mapping[str, V], default: Any = _MISSING, *,
               numbers: bool = False) -> V | int:
        """A name from ``table`` (its value returned), or a plain number when ``numbers``."""
        value = self.get(key, None if default is _MISSING else default)
        if numbers and isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, str) and value in table:
            return table[value]
        return _raise(self.error(key, ("a number or " if numbers else "") + "one of: "
                                 + ", ".join(table)))

    def host_port(self, key: str, default_port: int | None = None,
                  default: str | None = _MISSING) -> tuple[str, int]:
        """``HOST:PORT`` (or a bare host when ``default_port`` is given) as (host, port)."""
        value = self.get(key, None if default is _MISSING else default)
        try:
            return parse_host_port(str(value), default_port, what=key)
        except ConfigurationError:
            raise self.error(key, "HOST:PORT with an IP address, such as 127.0.0.1:18801 "
                             "(no host names in a lab)") from None

    def string_list(self, key: str, default: list[str] | None = None) -> list[str]:
        value = self.get(key, [] if default is None else default)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(key, "a list of strings")
        return list(value)

    def tables(self, key: str) -> list[ConfigTable]:
        """The entries of an array of tables (``[[key]]``), each naming its position."""
        value = self.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.error(key, f"an array of tables ([[{key}]])")
        prefix = f"{self.table}." if self.table else ""
        return [ConfigTable(v, self.source, f"{prefix}{key} #{i + 1}", dashes=self.dashes)
                for i, v in enumerate(value)]

    def sub(self, key: str) -> ConfigTable:
        """A sub-table (``[key]``); an empty one when absent."""
        value = self.get(key, {})
        if not isinstance(value, dict):
            raise self.error(key, f"a table ([{key}])")
        prefix = f"{self.table}." if self.table else ""
        return ConfigTable(value, self.source, prefix + key, dashes=self.dashes)

    def check_unknown(self, known: tuple[str, ...] | None = None) -> None:
        """Every key must have been read (or be in ``known``); else name the strangers."""
        allowed = self.used | set(known or ())
        unknown = sorted(set(self.data) - allowed)
        if unknown:
            expected = ", ".join(sorted(allowed)) or "no keys"
            raise ConfigurationError(
                f"{self.where}: unknown key{'s' if len(unknown) > 1 else ''} "
                f"{', '.join(unknown)}; expected: {expected}",
                source=self.source, table=self.table or None, key=unknown[0])


def _raise(error: ConfigurationError) -> Any:
    raise error
