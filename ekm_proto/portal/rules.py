"""The portal's rules file (TOML): triage step three (routing), destinations, SMTP, consumables.

Routing: the first ``[[rules]]`` entry whose categories (and optional severities, customers and
events) match an alert decides its destinations; no match means "record" only. Every alert is
recorded whatever the rules say; "record" alone means nothing more is done. The format is in
README.md ("Portal").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ekm_proto.portal.triage import CATEGORIES, NOT_SET, SEVERITY_TEXT, STANDARD_CODES, VendorCode
from ekm_proto.portal.triage import vendor_code as make_vendor_code
from protolab.config_file import ConfigTable, load_toml
from protolab.errors import ConfigurationError
from protolab.secrets import resolve_secret

RECORD = "record"
DESTINATION_KINDS = ("email", "webhook", "file")
EVENTS = ("opened", "cleared")
SEVERITIES = (*SEVERITY_TEXT.values(), NOT_SET)


@dataclass(frozen=True, slots=True)
class Destination:
    name: str
    kind: str  # email, webhook or file
    to: tuple[str, ...] = ()  # e-mail addresses
    url: str | None = None
    folder: Path | None = None


@dataclass(frozen=True, slots=True)
class Rule:
    categories: frozenset[str]  # "*" matches any
    destinations: tuple[str, ...]
    severities: frozenset[str] = frozenset()
    customers: frozenset[str] = frozenset()
    events: frozenset[str] = frozenset({"opened"})

    def matches(self, category: str, severity: str, customer: str | None, event: str) -> bool:
        return ((("*" in self.categories) or category in self.categories)
                and (not self.severities or severity in self.severities)
                and (not self.customers or (customer or "") in self.customers)
                and event in self.events)


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    host: str
    port: int = 25
    starttls: bool = False
    username: str | None = None
    password: str | None = None
    sender: str = "portal@localhost"
    timeout: float = 10.0
    ca: Path | None = None


@dataclass(frozen=True, slots=True)
class ConsumableSettings:
    lead_days: float = 7.0
    threshold_percent: float = 5.0
    destinations: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PortalRules:
    rules: tuple[Rule, ...] = ()
    destinations: dict[str, Destination] = field(default_factory=dict)
    smtp: SmtpSettings | None = None
    consumables: ConsumableSettings = ConsumableSettings()
    vendor_codes: tuple[VendorCode, ...] = ()

    def route(self, category: str, severity: str, customer: str | None, event: str
              ) -> tuple[str, ...]:
        """The destinations (names, "record" included) an alert goes to."""
        for rule in self.rules:
            if rule.matches(category, severity, customer, event):
                return rule.destinations
        return (RECORD,)


def load_rules(path: str | Path | None) -> PortalRules:
    """The rules in ``path`` (None: record every alert, default consumable settings)."""
    if path is None:
        return PortalRules()
    top = load_toml(path, "portal rules file")
    named = top.sub("destinations")
    base = Path(path).parent
    destinations = {name: _destination(name, named.sub(name), base) for name in named.keys()}
    known = {RECORD, *destinations}
    rules = tuple(_rule(t, known) for t in top.tables("rules"))
    smtp = _smtp(top.sub("smtp"), base) if "smtp" in top else None
    if smtp is None and any(d.kind == "email" for d in destinations.values()):
        raise ConfigurationError(f"{path}: an email destination needs an [smtp] table",
                                 source=str(path), table="smtp")
    consumables = _consumables(top.sub("consumables"), known)
    codes = tuple(_code(t) for t in top.tables("codes"))
    top.check_unknown()
    return PortalRules(rules, destinations, smtp, consumables, codes)


def _table(table: ConfigTable) -> ConfigTable:
    return ConfigTable(table.data, table.source, table.table, dashes=True)


def _destination(name: str, raw: ConfigTable, base: Path) -> Destination:
    """``base``: the rules file's folder, which a relative ``folder`` is taken from (as the
    SMTP ``password_file`` is), whatever folder the portal was started in."""
    table = _table(raw)
    kind = table.choice("kind", DESTINATION_KINDS)
    if kind == "email":
        to = tuple(table.string_list("to"))
        if not to or not all("@" in a for a in to):
            raise table.error("to", "a list of e-mail addresses")
        destination = Destination(name, kind, to=to)
    elif kind == "webhook":
        url = table.string("url")
        if not url.startswith(("http://", "https://")):
            raise table.error("url", "an http:// or https:// URL")
        destination = Destination(name, kind, url=url)
    else:
        destination = Destination(name, kind, folder=base / table.string("folder"))
    table.check_unknown()
    return destination


def _names(table: ConfigTable, key: str, allowed: tuple[str, ...] | set[str], default: list[str]
           ) -> tuple[str, ...]:
    values = table.string_list(key, default)
    strangers = [v for v in values if v not in allowed]
    if strangers:
        raise table.error(key, "names from: " + ", ".join(sorted(allowed)))
    return tuple(values)


def _rule(raw: ConfigTable, known: set[str]) -> Rule:
    table = _table(raw)
    categories = _names(table, "categories", {*CATEGORIES, "*"}, [])
    if not categories:
        raise table.error("categories", "at least one category (or \"*\")")
    destinations = _names(table, "destinations", known, [])
    if not destinations:
        raise table.error("destinations", "at least one destination (\"record\" for none)")
    rule = Rule(frozenset(categories), destinations,
                frozenset(_names(table, "severities", set(SEVERITIES), [])),
                frozenset(table.string_list("customers", [])),
                frozenset(_names(table, "events", set(EVENTS), ["opened"])))
    table.check_unknown()
    return rule


def _smtp(raw: ConfigTable, base: Path) -> SmtpSettings:
    table = _table(raw)
    password_file = table.optional_string("password_file")
    password = resolve_secret(value=table.optional_string("password"),
                              file=(base / password_file) if password_file else None,
                              env=None, what="SMTP password")
    ca = table.optional_string("ca")
    settings = SmtpSettings(table.string("host"), table.integer("port", 25, lo=1, hi=65535),
                            table.flag("starttls", False), table.optional_string("username"),
                            password, table.string("sender", "portal@localhost"),
                            table.number("timeout", 10.0, lo=0.1, hi=300.0),
                            (base / ca) if ca else None)
    if (settings.username is None) != (settings.password is None):
        raise table.error("username", "username and password (or password-file) together")
    table.check_unknown()
    return settings


def _consumables(raw: ConfigTable, known: set[str]) -> ConsumableSettings:
    table = _table(raw)
    settings = ConsumableSettings(table.number("lead_days", 7.0, lo=0.0, hi=365.0),
                                  table.number("threshold_percent", 5.0, lo=0.0, hi=100.0),
                                  _names(table, "destinations", known, []))
    table.check_unknown()
    return settings


def _code(raw: ConfigTable) -> VendorCode:
    table = _table(raw)
    standard = table.choice("standard", tuple(STANDARD_CODES))
    try:
        code = make_vendor_code(table.string("vendor", "*"), table.string("match"), standard)
    except re.error as exc:
        raise table.error("match", f"a regular expression ({exc})") from None
    table.check_unknown()
    return code
