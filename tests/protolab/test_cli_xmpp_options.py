"""The monitor's shipping options (``protolab.cli.xmpp_options``), as the monitor CLI will add
them, and the ``--once`` exit code."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from ekm_proto.shipping.connection import ServerAddress
from protolab.cli.xmpp_options import add_agent_xmpp_options, drained_exit, shipper_settings
from protolab.errors import ConfigurationError


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_agent_xmpp_options(parser)
    return parser.parse_args(argv)


def test_the_options_build_the_shippers_settings(tmp_path: Path) -> None:
    secret, ca = tmp_path / "agent.secret", tmp_path / "ca.pem"
    secret.write_text("s3cret\n")
    ca.write_text("-----BEGIN CERTIFICATE-----\n")
    settings = shipper_settings(parse(
        "--xmpp-jid", "agent@portal.example", "--xmpp-password-file", str(secret),
        "--xmpp-server", "127.0.0.1:5222", "--xmpp-server", "tls:127.0.0.1:443",
        "--ca", str(ca), "--portal-jid", "portal@portal.example",
        "--xmpp-admin", "ops@portal.example"))
    assert settings is not None
    assert settings.xmpp.password == "s3cret" and settings.xmpp.ca == ca
    assert settings.xmpp.servers == (ServerAddress("127.0.0.1", 5222),
                                     ServerAddress("127.0.0.1", 443, direct_tls=True))
    assert settings.admins == ("ops@portal.example",)


def test_without_a_jid_nothing_is_shipped_and_defaults_are_5222_then_443() -> None:
    assert shipper_settings(parse()) is None
    assert parse().drain_timeout == 60.0


@pytest.mark.parametrize(("argv", "message"), [
    (("--xmpp-jid", "agent@x.example"), "needs --portal-jid"),
    (("--portal-jid", "portal@x.example"), "needs --xmpp-jid"),
    (("--xmpp-jid", "agent@x.example", "--portal-jid", "p@x.example"), "password is required"),
    (("--xmpp-jid", "nobody", "--portal-jid", "p@x.example", "--xmpp-password", "x"),
     "expected user@domain"),
])
def test_mistakes_say_what_is_missing(argv: tuple[str, ...], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        shipper_settings(parse(*argv))


def test_a_server_that_is_not_host_port_is_a_usage_error(capsys: pytest.CaptureFixture[str]
                                                         ) -> None:
    with pytest.raises(SystemExit):
        parse("--xmpp-server", "portal.example")
    assert "expected HOST:PORT" in capsys.readouterr().err


def test_the_once_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert drained_exit(0, 60) == 0
    assert drained_exit(3, 60) == 1
    assert "3 messages still waiting for the portal after 60 s" in capsys.readouterr().err
