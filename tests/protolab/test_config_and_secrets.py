"""Configuration files and secrets: every error names the file, the table, the key and what was
expected; secrets come from a file, the environment or a flag, never two at once."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest

from protolab.addresses import parse_host_port
from protolab.config_file import ConfigTable, load_toml
from protolab.errors import ConfigurationError, bind_failure
from protolab.secrets import resolve_secret


def test_errors_name_file_table_key_value_and_expectation(tmp_path: Path) -> None:
    path = tmp_path / "fleet.toml"
    path.write_text('[defaults]\npulse = "fast"\n\n[[devices]]\nmodel = "kt400"\ncolour = 3\n')
    top = load_toml(path, "fleet file")
    with pytest.raises(ConfigurationError) as info:
        top.sub("defaults").number("pulse", lo=0.1)
    assert str(info.value).startswith(f"{path}: [defaults]: pulse = 'fast': expected a number")
    assert (info.value.source, info.value.table, info.value.key) == (str(path), "defaults",
                                                                     "pulse")
    device = top.tables("devices")[0]
    assert device.string("model") == "kt400"
    with pytest.raises(ConfigurationError, match=r"\[devices #1\]: unknown key colour"):
        device.check_unknown()


def test_missing_and_broken_files_are_configuration_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="no such site file"):
        load_toml(tmp_path / "absent.toml", "site file")
    bad = tmp_path / "bad.toml"
    bad.write_text("[defaults\n")
    with pytest.raises(ConfigurationError, match="not valid TOML"):
        load_toml(bad)


def test_typed_accessors() -> None:
    table = ConfigTable({"site-id": 7, "gateway": "127.0.0.1", "on": True, "kind": "b"}, "f.toml",
                        dashes=True)
    assert table.integer("site_id", lo=0) == 7
    assert table.host_port("gateway", 18801) == ("127.0.0.1", 18801)
    assert table.flag("on") is True and table.lookup("kind", {"a": 1, "b": 2}) == 2
    assert table.integer("absent", 5) == 5
    with pytest.raises(ConfigurationError, match="absent2 is missing: expected a string"):
        table.string("absent2")
    with pytest.raises(ConfigurationError, match="expected one of: a"):
        table.lookup("kind", {"a": 1})


def test_host_port_parsing() -> None:
    assert parse_host_port("127.0.0.1:8811") == ("127.0.0.1", 8811)
    assert parse_host_port("[::1]:161") == ("::1", 161)
    assert parse_host_port("127.0.0.2", 161) == ("127.0.0.2", 161)
    for bad in ("localhost:80", "127.0.0.1:99999", "127.0.0.1", "1.2.3.4:x"):
        with pytest.raises(ConfigurationError, match="HOST:PORT"):
            parse_host_port(bad)


def test_bind_failures_say_what_to_do() -> None:
    in_use = bind_failure(OSError(errno.EADDRINUSE, "in use"), "127.0.0.1", 8811,
                          flag="--control")
    assert str(in_use).startswith("127.0.0.1:8811 is in use (another lab running?): "
                                  "pass --control 127.0.0.1:0")
    privileged = bind_failure(OSError(errno.EACCES, "denied"), "0.0.0.0", 161, flag="--port",
                              port_only=True, what="SNMP port")
    assert "ports below 1024 need root; pass --port 1161" in str(privileged)


def test_secrets_from_file_environment_or_flag(tmp_path: Path) -> None:
    secret = tmp_path / "key"
    secret.write_text("s3cret-key\n")
    assert resolve_secret(value=None, file=secret, env="K", what="site key",
                          environ={"K": "env"}) == "s3cret-key"
    assert resolve_secret(value=None, file=None, env="K", what="site key",
                          environ={"K": "env"}) == "env"
    assert resolve_secret(value="flag", file=None, env="K", what="site key", environ={}) == "flag"
    assert resolve_secret(value=None, file=None, env="K", what="site key", environ={}) is None
    with pytest.raises(ConfigurationError, match="given twice"):
        resolve_secret(value="flag", file=secret, env=None, what="site key")
    empty = tmp_path / "empty"
    empty.write_text("\n")
    with pytest.raises(ConfigurationError, match="is empty"):
        resolve_secret(value=None, file=empty, env=None, what="site key")
    with pytest.raises(ConfigurationError, match="no such file"):
        resolve_secret(value=None, file=tmp_path / "nope", env=None, what="site key")
