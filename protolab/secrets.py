"""Secrets (site keys, SNMP passphrases, XMPP passwords) from a file or the environment.

A secret given as a command-line flag is visible to every user of the machine through ``ps``;
a file readable only by its owner, or an environment variable, is not. Every command that takes a
secret accepts all three, and the documentation shows the file form first.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from protolab.errors import ConfigurationError


def read_secret_file(path: str | Path, what: str) -> str:
    """The file's text without its trailing line break; an empty secret is an error."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigurationError(f"{path}: no such file (the {what})", source=str(path)) \
            from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"{path}: cannot read the {what}: {exc}", source=str(path)) \
            from None
    secret = text.rstrip("\r\n")
    if not secret:
        raise ConfigurationError(f"{path}: the {what} file is empty", source=str(path))
    return secret


def resolve_secret(*, value: str | None, file: str | Path | None, env: str | None, what: str,
                   environ: Mapping[str, str] | None = None) -> str | None:
    """The secret from the flag's ``value`` or its ``file`` (not both), else from the ``env``
    variable; None when none is given."""
    if value is not None and file is not None:
        raise ConfigurationError(f"the {what} was given twice (as a value and as a file); "
                                 "expected one of them")
    if file is not None:
        return read_secret_file(file, what)
    if value is not None:
        if not value:
            raise ConfigurationError(f"the {what} is empty")
        return value
    if env is not None:
        found = (environ if environ is not None else os.environ).get(env)
        if found:
            return found
    return None
