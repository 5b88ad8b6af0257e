"""The agent's settings: where to look, how to get in, when each loop runs, how patient to be.

They come from a TOML file (``--config``) and the command line (flags win); every value is
checked here, so the agent never starts half-configured. Times in the file are minutes, as the
EKM overview gives its loop intervals; in memory they are seconds of agent time.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ekm_proto.monitor.credentials import Credential, community, v3_user
from ekm_proto.monitor.schedule import (
    DAY_NAMES,
    DEFAULT_INTERVALS,
    LOOPS,
    LoopSchedule,
    WorkingHours,
    parse_clock_time,
    zone,
)
from ekm_proto.snmp.manager.targets import RetryPolicy
from protolab.config_file import ConfigTable, load_toml
from protolab.errors import ConfigurationError
from protolab.secrets import resolve_secret

MINUTE = 60.0


@dataclass(frozen=True, slots=True)
class MonitorSettings:
    """Everything the agent needs besides its clock and its SNMP client."""

    db: Path
    credentials: tuple[Credential, ...]
    ranges: tuple[str, ...] = ()
    points: tuple[str, ...] = ()
    asset_list: Path | None = None
    port: int = 161
    schedule: LoopSchedule = field(default_factory=LoopSchedule)
    time_scale: float = 1.0
    max_in_flight: int = 256
    retry: RetryPolicy = RetryPolicy(timeout=1.0, retries=1)  # 1 + 2 s; patient when failing
    discovery_retry: RetryPolicy = RetryPolicy(timeout=1.0, retries=1)
    slow_retry: RetryPolicy | None = None  # for a device that failed last time (None: derived)
    unavailable_after: float = 24 * 60 * MINUTE
    rediscovery_interval: float = 24 * 60 * MINUTE
    power_save_retry: float = 60 * MINUTE
    backoff_limit: float = 60 * MINUTE
    gone_after: float = 30 * 24 * 60 * MINUTE
    trap_listen: tuple[str, int] | None = None  # where notifications are received (None: not)
    web_port: int = 80  # the TCP port of devices' embedded web servers (web-only counters)

    def __post_init__(self) -> None:
        if not self.credentials:
            raise ConfigurationError("no SNMP credentials: expected --community or --v3-user "
                                     "(or [[credentials]] in the configuration file)")
        if not 0 < self.port <= 65535:
            raise ConfigurationError(f"--port {self.port}: expected 1..65535")
        if not 0 < self.web_port <= 65535:
            raise ConfigurationError(f"--web-port {self.web_port}: expected 1..65535")
        if self.time_scale <= 0:
            raise ConfigurationError(f"--time-scale {self.time_scale}: expected a positive number")
        if self.max_in_flight < 1:
            raise ConfigurationError(f"max_in_flight {self.max_in_flight}: expected at least 1")
        for name in ("unavailable_after", "rediscovery_interval", "power_save_retry",
                     "backoff_limit", "gone_after"):
            if getattr(self, name) <= 0:
                raise ConfigurationError(f"{name}: expected a positive number of minutes")


def _credentials(table: ConfigTable) -> list[Credential]:
    found: list[Credential] = []
    for position, entry in enumerate(table.tables("credentials"), start=1):
        if "community" in entry:
            found.append(community(entry.string("community"), position,
                                   entry.choice("version", ("v1", "v2c"), "v2c")))
        else:
            auth = resolve_secret(value=entry.optional_string("auth_key"),
                                  file=entry.optional_string("auth_key_file"), env=None,
                                  what=f"{entry.where} auth_key")
            priv = resolve_secret(value=entry.optional_string("priv_key"),
                                  file=entry.optional_string("priv_key_file"), env=None,
                                  what=f"{entry.where} priv_key")
            found.append(v3_user(entry.string("user"), auth_key=auth, priv_key=priv,
                                 auth_protocol=entry.string("auth_protocol", "SHA"),
                                 priv_protocol=entry.string("priv_protocol", "AES")))
        entry.check_unknown()
    return found


def _schedule(table: ConfigTable) -> LoopSchedule:
    hours_table = table.sub("working_hours")
    days = hours_table.string_list("days", list(DAY_NAMES[:5]))
    unknown = [d for d in days if d not in DAY_NAMES]
    if unknown:
        raise hours_table.error("days", "a list of " + ", ".join(DAY_NAMES))
    hours = WorkingHours(
        parse_clock_time(hours_table.string("start", "08:00"), f"{hours_table.where}: start"),
        parse_clock_time(hours_table.string("end", "18:00"), f"{hours_table.where}: end"),
        frozenset(DAY_NAMES.index(d) for d in days), zone(table.string("time_zone", "UTC")))
    hours_table.check_unknown()
    intervals_table = table.sub("intervals")
    intervals = {}
    for loop in LOOPS:
        value = intervals_table.get(loop, list(DEFAULT_INTERVALS[loop]))
        if not (isinstance(value, list) and len(value) == 2 and all(
                isinstance(v, int | float) and not isinstance(v, bool) and v > 0 for v in value)):
            raise intervals_table.error(loop, "[minutes in working hours, minutes out of them]")
        intervals[loop] = (value[0] * MINUTE, value[1] * MINUTE)
    intervals_table.check_unknown()
    return LoopSchedule(hours, intervals)


def load_settings(path: Path | None, **flags: Any) -> MonitorSettings:
    """Settings from the TOML file at ``path`` (or defaults), then the command line's
    ``flags`` (None means "not given"; lists add to the file's)."""
    table = load_toml(path, "monitor configuration") if path is not None else ConfigTable({}, "")
    discovery = table.sub("discovery")
    snmp = table.sub("snmp")
    agent = table.sub("agent")
    credentials = [*flags.get("credentials", ()), *_credentials(table)]
    asset_list = flags.get("asset_list") or discovery.optional_string("asset_list")
    db = flags.get("db") or agent.optional_string("db")
    if db is None:
        raise ConfigurationError("no database: expected --db FILE (or db in [agent])")
    def minutes(key: str, default: float) -> float:
        return agent.number(key, default, 0.001) * MINUTE

    retry = RetryPolicy(timeout=snmp.number("timeout", 1.0, 0.01, 60),
                        retries=snmp.integer("retries", 1, 0, 10))
    values: dict[str, Any] = dict(
        db=Path(db), credentials=tuple(credentials),
        ranges=(*discovery.string_list("ranges"), *flags.get("ranges", ())),
        points=(*discovery.string_list("points"), *flags.get("points", ())),
        asset_list=Path(asset_list) if asset_list else None,
        port=flags.get("port") or snmp.integer("port", 161, 1, 65535),
        schedule=_schedule(agent),
        time_scale=flags.get("time_scale") or agent.number("time_scale", 1.0, 1e-6),
        max_in_flight=flags.get("max_in_flight") or snmp.integer("max_in_flight", 256, 1,
                                                                 100000),
        retry=retry, discovery_retry=RetryPolicy(timeout=retry.timeout, retries=min(
            retry.retries, snmp.integer("discovery_retries", 1, 0, 10))),
        unavailable_after=minutes("unavailable_after", 1440),
        rediscovery_interval=minutes("rediscovery_interval", 1440),
        power_save_retry=minutes("power_save_retry", 60),
        backoff_limit=minutes("backoff_limit", 60), gone_after=minutes("gone_after", 43200),
        trap_listen=flags.get("trap_listen"),
        web_port=flags.get("web_port") or agent.integer("web_port", 80, 1, 65535))
    for part in (discovery, snmp, agent):
        part.check_unknown()
    table.check_unknown()
    return MonitorSettings(**values)
