"""The rules file: destinations, routing, SMTP, consumables; errors name file, table and key."""

from __future__ import annotations

from pathlib import Path

import pytest

from ekm_proto.portal.rules import load_rules
from protolab.errors import ConfigurationError

RULES = """
[smtp]
host = "127.0.0.1"
port = 2525
starttls = true
username = "portal"
password-file = "smtp.secret"
sender = "portal@provider.example"

[destinations.customer-helpdesk]
kind = "email"
to = ["helpdesk@customer.example"]

[destinations.provider]
kind = "webhook"
url = "http://127.0.0.1:9/alerts"

[destinations.erp-drop]
kind = "file"
folder = "drop"

[[rules]]
categories = ["jam", "system fail"]
severities = ["Critical"]
destinations = ["record", "customer-helpdesk", "provider"]

[[rules]]
categories = ["availability"]
events = ["opened", "cleared"]
destinations = ["erp-drop"]

[[rules]]
categories = ["*"]
customers = ["Big Bank"]
destinations = ["provider"]

[consumables]
lead-days = 5
threshold-percent = 10
destinations = ["erp-drop"]

[[codes]]
vendor = "Sharp"
match = "^EE-"
standard = "SERVICE_REQUIRED"
"""


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "smtp.secret").write_text("s3cret\n")
    path = tmp_path / "rules.toml"
    path.write_text(text)
    return path


def test_a_full_rules_file(tmp_path: Path) -> None:
    rules = load_rules(write(tmp_path, RULES))
    assert rules.smtp is not None and (rules.smtp.password, rules.smtp.port) == ("s3cret", 2525)
    assert rules.destinations["customer-helpdesk"].to == ("helpdesk@customer.example",)
    assert rules.consumables.lead_days == 5 and rules.consumables.destinations == ("erp-drop",)
    assert rules.route("jam", "Critical", "Local Test2", "opened") == (
        "record", "customer-helpdesk", "provider")
    assert rules.route("jam", "Warning (State)", "Local Test2", "opened") == ("record",)
    assert rules.route("jam", "Critical", "Local Test2", "cleared") == ("record",)
    assert rules.route("availability", "[Not set]", None, "cleared") == ("erp-drop",)
    assert rules.route("media out", "Warning (State)", "Big Bank", "opened") == ("provider",)
    assert rules.vendor_codes[0].standard == "SERVICE_REQUIRED"


def test_a_relative_folder_is_the_rules_files_own_not_the_working_directorys(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    rules = load_rules(write(tmp_path, RULES))
    assert rules.destinations["erp-drop"].folder == tmp_path / "drop"
    absolute = load_rules(write(tmp_path, RULES.replace('folder = "drop"',
                                                        'folder = "/var/spool/portal"')))
    assert absolute.destinations["erp-drop"].folder == Path("/var/spool/portal")


def test_no_rules_file_records_everything() -> None:
    rules = load_rules(None)
    assert rules.route("jam", "Critical", None, "opened") == ("record",)
    assert (rules.consumables.lead_days, rules.consumables.threshold_percent) == (7.0, 5.0)


@pytest.mark.parametrize(("change", "message"), [
    (('destinations = ["record", "customer-helpdesk", "provider"]',
      'destinations = ["record", "nobody"]'), r"rules #1\]: destinations = .*expected names"),
    (('categories = ["jam", "system fail"]', 'categories = ["jams"]'), "categories"),
    (('kind = "webhook"', 'kind = "pigeon"'), r"destinations.provider\]: kind = 'pigeon'"),
    (('url = "http://127.0.0.1:9/alerts"', 'url = "ftp://x"'), "an http:// or https:// URL"),
    (('match = "^EE-"', 'match = "(("'), "a regular expression"),
    (('lead-days = 5', 'lead-days = -1'), "lead_days = -1"),
    (('starttls = true', 'starttls = true\nspeed = 9'), "unknown key speed"),
])
def test_mistakes_name_the_file_table_and_key(tmp_path: Path, change: tuple[str, str],
                                              message: str) -> None:
    path = write(tmp_path, RULES.replace(*change))
    with pytest.raises(ConfigurationError, match=message) as caught:
        load_rules(path)
    assert str(path) in str(caught.value)


def test_an_email_destination_needs_smtp(tmp_path: Path) -> None:
    text = RULES.split("[destinations.customer-helpdesk]")[1].split("[destinations.provider]")[0]
    with pytest.raises(ConfigurationError, match="needs an \\[smtp\\] table"):
        load_rules(write(tmp_path, "[destinations.customer-helpdesk]" + text))
