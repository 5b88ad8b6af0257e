"""Typed, checked access to one table of a parsed TOML profile.

Profile errors are what a person editing a file sees first, so every one names the file, the table
and the key, the value found and what would have been accepted; keys nobody reads are errors too,
so a misspelt key does not silently fall back to a default.
"""

from __future__ import annotations

from typing import Any

from emulators.printers import textual_conventions as tc
from emulators.printers.errors import ProfileError


class Table:
    """Typed access to one TOML table that names the file and key in every error."""

    def __init__(self, data: dict[str, Any], where: str) -> None:
        self.data = data
        self.where = where
        self.used: set[str] = set()

    def _fail(self, key: str, expected: str) -> ProfileError:
        return ProfileError(f"{self.where}: {key} = {self.data.get(key)!r}: expected {expected}")

    def get(self, key: str, default: Any = None) -> Any:
        self.used.add(key)
        return self.data.get(key, default)

    def string(self, key: str, default: str | None = None) -> str:
        value = self.get(key, default)
        if not isinstance(value, str):
            raise self._fail(key, "a string" if key in self.data else "a string (it is required)")
        return value

    def number(self, key: str, default: float | None = None, lo: float = 0.0,
            hi: float = float("inf")) -> float:
        value = self.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int | float) or not lo <= value <= hi:
            raise self._fail(key, f"a number from {lo} to {hi}")
        return float(value)

    def integer(self, key: str, default: int | None = None, lo: int = 0, hi: int = 2**31 - 1) -> int:
        value = self.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise self._fail(key, f"an integer from {lo} to {hi}")
        return value

    def flag(self, key: str, default: bool | None = None) -> bool:
        value = self.get(key, default)
        if not isinstance(value, bool):
            raise self._fail(key, "true or false")
        return value

    def choice(self, key: str, choices: tuple[str, ...], default: str | None = None) -> str:
        value = self.get(key, default)
        if value not in choices:
            raise self._fail(key, "one of " + ", ".join(choices))
        return str(value)

    def enum(self, key: str, table: dict[str, int], default: str | None = None) -> int:
        return tc.lookup(table, self.get(key, default), f"{self.where}: {key}", ProfileError)

    def tables(self, key: str) -> list[Table]:
        value = self.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self._fail(key, f"an array of tables ([[{key}]])")
        return [Table(v, f"{self.where} [[{key}]] #{i + 1}") for i, v in enumerate(value)]

    def sub(self, key: str) -> Table:
        value = self.get(key, {})
        if not isinstance(value, dict):
            raise self._fail(key, f"a table ([{key}])")
        return Table(value, f"{self.where} [{key}]")

    def check_unknown(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            raise ProfileError(f"{self.where}: unknown key(s) {', '.join(unknown)}")
