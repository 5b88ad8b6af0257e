"""One received batch into the store, in one transaction: each message once, alerts triaged and
routed, consumables predicted and requested, invalid messages kept aside with their reason.

What rules route is written as pending deliveries in the same transaction, so a portal killed
after the commit still sends them (``dispatcher``); the receipt goes to the agent only after
the commit, so a message is never acknowledged before it is stored.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from ekm_proto.durations import format_duration
from ekm_proto.portal.consumables import (
    is_colour_supply,
    pages_of,
    predict,
    request_reason,
)
from ekm_proto.portal.rules import RECORD, PortalRules
from ekm_proto.portal.store import PortalStore
from ekm_proto.portal.triage import (
    NOT_SET,
    native_vendor_code,
    severity_text,
    training_text,
    triage,
)
from ekm_proto.shipping.envelope import Batch
from ekm_proto.shipping.records import (
    AlertEvent,
    Asset,
    Availability,
    Change,
    Message,
    MeterReading,
    SupplyLevels,
)


@dataclass(slots=True)
class IntakeResult:
    stored: int = 0
    duplicates: int = 0
    rejected: dict[str, str] = field(default_factory=dict)
    routed: int = 0
    requests: int = 0


def iso(seconds: float | None) -> str | None:
    if seconds is None:
        return None
    return datetime.datetime.fromtimestamp(seconds, datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _seen_at(record: Asset | MeterReading | SupplyLevels | Change | Availability | AlertEvent
             ) -> float:
    """When the agent last heard of the device, as this record tells."""
    if isinstance(record, AlertEvent):
        return record.cleared_at or record.opened_at
    if isinstance(record, MeterReading | SupplyLevels):
        return record.read_at
    return record.at


class Intake:
    def __init__(self, store: PortalStore, rules: PortalRules) -> None:
        self.store, self.rules = store, rules

    def refuse(self, agent: str, batch_id: str, reason: str, payload: str | None,
               now: float) -> None:
        """A payload that is no batch at all: kept aside whole."""
        with self.store.transaction():
            self.store.add_rejected(agent, batch_id, None, reason, payload, now)

    def take(self, agent: str, batch_id: str, batch: Batch, now: float) -> IntakeResult:
        result = IntakeResult(rejected=dict(batch.invalid))
        with self.store.transaction():
            self.store.touch_agent(agent, batch.agent, batch.customer, now)
            for ident, reason in batch.invalid.items():
                self.store.add_rejected(agent, batch_id, ident, reason, None, now)
            new = self.store.remember_messages(
                agent, [(m.message_id, m.kind) for m in batch.messages], now)
            fresh: list[Message] = []
            for message in batch.messages:
                if message.message_id in new:
                    new.discard(message.message_id)  # a second copy in the batch is a duplicate
                    fresh.append(message)
                else:
                    result.duplicates += 1
            seen: dict[str, float] = {}
            for message in fresh:
                at = _seen_at(message.record)
                seen[message.record.serial] = max(at, seen.get(message.record.serial, at))
            self.store.touch_devices(agent, batch.agent, batch.customer, seen)
            requests: list[dict[str, Any]] = []
            for message in fresh:
                result.stored += 1
                result.routed += self._apply(agent, message, requests, now)
            result.requests = len(requests)
            result.routed += self._route_requests(requests, now)
        return result

    # -- records ------------------------------------------------------------------------------
    def _apply(self, agent: str, message: Message, requests: list[dict[str, Any]],
               now: float) -> int:
        record, ident, store = message.record, message.message_id, self.store
        if isinstance(record, Asset):
            store.update_asset(record, agent)
        elif isinstance(record, MeterReading):
            store.add_meter_reading(record, agent, ident)
        elif isinstance(record, SupplyLevels):
            cartridges = store.add_supply_levels(record, agent, ident)
            requests.extend(self._consumables(record, agent, cartridges, now))
        elif isinstance(record, AlertEvent):
            return self._alert(record, agent, ident, now)
        elif isinstance(record, Change):
            store.add_change(record, agent, ident)
            notice = {"type": "change", "serial": record.serial, "kind": record.kind,
                      "old": record.old, "new": record.new, "at": iso(record.at),
                      **self._device_fields(record.serial, agent)}
            return self._route("change", NOT_SET, "opened", f"change:{ident}", notice, now)
        else:
            return self._availability(record, agent, ident, now)
        return 0

    def _alert(self, alert: AlertEvent, agent: str, ident: str, now: float) -> int:
        device = self.store.device(alert.serial, agent) or {}
        found = triage(manufacturer=device.get("manufacturer"), code=alert.code,
                       group=alert.group, vendor=alert.vendor_code,
                       description=alert.description, extra=self.rules.vendor_codes)
        alert_id, changed = self.store.record_alert(
            alert, agent, ident, (found.standard_code, found.category, found.step))
        if not changed:
            return 0
        native = native_vendor_code(alert.vendor_code, alert.description)
        reason = alert.description
        if native and not reason.startswith(native):
            reason = f"{native} {reason}"
        notice = {"type": "alert", "event": alert.event, "serial": alert.serial,
                  "date": iso(alert.opened_at), "engine_cycles": alert.engine_cycles,
                  "alert_class": found.category.title(), "standard_code": found.standard_code,
                  "severity": severity_text(alert.severity),
                  "training": training_text(alert.training), "reason": reason,
                  "cleared": iso(alert.cleared_at),
                  "duration": (format_duration(alert.cleared_at - alert.opened_at)
                               if alert.cleared_at is not None else None),
                  **self._device_fields(alert.serial, agent)}
        return self._route(found.category, notice["severity"], alert.event,
                           f"alert:{alert_id}:{alert.event}", notice, now)

    def _availability(self, record: Availability, agent: str, ident: str, now: float) -> int:
        self.store.set_available(record.serial, agent, record.available)
        since = record.since if record.since is not None else record.at
        if not record.available:
            alert_id, changed = self.store.open_availability_alert(record.serial, agent, since,
                                                                   record.reason, ident)
            event, cleared = "opened", None
        else:
            found = self.store.clear_availability_alert(record.serial, agent, record.at)
            if found is None:
                return 0
            (alert_id, since), changed, event, cleared = found, True, "cleared", record.at
        if not changed:
            return 0
        notice = {"type": "alert", "event": event, "serial": record.serial, "date": iso(since),
                  "alert_class": "Availability", "standard_code": "UNAVAILABLE",
                  "severity": NOT_SET, "training": NOT_SET, "reason": record.reason,
                  "cleared": iso(cleared),
                  "duration": format_duration(cleared - since) if cleared is not None else None,
                  **self._device_fields(record.serial, agent)}
        return self._route("availability", NOT_SET, event, f"alert:{alert_id}:{event}", notice,
                           now)

    def _device_fields(self, serial: str, agent: str) -> dict[str, Any]:
        device = self.store.device(serial, agent) or {}
        return {k: device.get(k) for k in ("customer", "manufacturer", "model", "address",
                                            "location", "zone", "asset_number")}

    def _route(self, category: str, severity: str, event: str, subject: str,
               notice: dict[str, Any], now: float) -> int:
        customer = notice.get("customer")
        routed = 0
        for destination in self.rules.route(category, severity, customer, event):
            if destination != RECORD:
                self.store.add_delivery(destination, subject, notice, now)
                routed += 1
        return routed

    # -- consumables --------------------------------------------------------------------------
    def _consumables(self, levels: SupplyLevels, agent: str, cartridges: list[int], now: float
                     ) -> list[dict[str, Any]]:
        device = self.store.device(levels.serial, agent) or {}
        raised = []
        after = self.store.rollup_at(levels.serial, levels.read_at, agent)
        for supply, cartridge in zip(levels.supplies, cartridges, strict=True):
            history = self.store.supply_history(levels.serial, supply.index, cartridge, agent)
            colour = is_colour_supply(supply.colour, supply.description)
            before = (self.store.rollup_at(levels.serial, history[0][0], agent)
                      if len(history) > 1 and after is not None else None)
            prediction = predict(history, None if before is None else pages_of(before, colour),
                                 None if after is None else pages_of(after, colour))
            reason = request_reason(supply.percent, prediction, self.rules.consumables)
            if reason is None:
                continue
            customer = device.get("customer") or device.get("agent_name") or "(no customer)"
            site = device.get("zone") or device.get("location") or "(no site)"
            request_id = self.store.add_request(
                customer=customer, site=site, serial=levels.serial, supply_index=supply.index,
                cartridge=cartridge, description=supply.description, sku=supply.sku,
                reason=reason, percent=supply.percent, days_left=prediction.days_left,
                pages_left=prediction.pages_left, now=now, agent=agent)
            if request_id is not None:
                raised.append({"request": request_id, "customer": customer, "site": site,
                               "serial": levels.serial, "model": device.get("model"),
                               "address": device.get("address"), "supply": supply.description,
                               "sku": supply.sku, "percent": supply.percent, "reason": reason,
                               "days_left": prediction.days_left,
                               "pages_left": prediction.pages_left})
        return raised

    def _route_requests(self, requests: list[dict[str, Any]], now: float) -> int:
        """One consolidated notice per customer and site for each destination."""
        groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
        for request in requests:
            groups.setdefault((request["customer"], request["site"]), []).append(request)
        routed = 0
        for (customer, site), items in groups.items():
            notice = {"type": "consumables", "customer": customer, "site": site,
                      "requests": items}
            subject = "requests:" + ",".join(str(i["request"]) for i in items)
            for destination in self.rules.consumables.destinations:
                if destination != RECORD:
                    self.store.add_delivery(destination, subject, notice, now)
                    routed += 1
        return routed
