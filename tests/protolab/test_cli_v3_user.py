"""The SNMPv3 user options every SNMP command shares (``fuzz snmp``, ``monitor run|analyse``,
``printers emulate``): the same flags, the same environment variables, the same mistakes caught."""

from __future__ import annotations

from pathlib import Path

import pytest

from protolab.cli import build_parser
from protolab.cli.support import V3User, v3_user_option
from protolab.errors import ConfigurationError

COMMANDS = [["fuzz", "snmp", "--target", "127.0.0.1"], ["monitor", "run"],
            ["monitor", "analyse", "127.0.0.1"], ["printers", "emulate"]]


@pytest.mark.parametrize("command", COMMANDS)
def test_flags_file_and_environment_make_one_user(command: list[str], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    auth_file = tmp_path / "auth.key"
    auth_file.write_text("file-auth-pass\n")
    monkeypatch.setenv("PROTOLAB_SNMP_PRIV_KEY", "env-priv-pass")
    args = build_parser().parse_args([*command, "--v3-user", "ops", "--auth-key-file",
                                      str(auth_file), "--auth-protocol", "SHA-256"])
    assert v3_user_option(args) == V3User("ops", "file-auth-pass", "env-priv-pass", "SHA-256",
                                          "AES")
    flags = build_parser().parse_args([*command, "--v3-user", "ops", "--auth-key", "a-pass",
                                       "--priv-key", "p-pass", "--priv-protocol", "DES"])
    assert v3_user_option(flags) == V3User("ops", "a-pass", "p-pass", "SHA", "DES")


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("keys", [["--auth-key", "a-pass"], ["--priv-key-file", "/absent"]])
def test_keys_without_a_user_are_refused(command: list[str], keys: list[str]) -> None:
    args = build_parser().parse_args([*command, *keys])
    with pytest.raises(ConfigurationError, match="--auth-key/--priv-key need --v3-user NAME"):
        v3_user_option(args)


@pytest.mark.parametrize("command", COMMANDS)
def test_keys_in_the_environment_alone_are_no_user(command: list[str],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PROTOLAB_SNMP_AUTH_KEY", "env-auth-pass")
    assert v3_user_option(build_parser().parse_args(command)) is None
