"""A planning site (totals) as the reload records of each emulated controller, for ``--measure``.

Each controller gets its own share of doors, relays, inputs and outputs (the first controllers
the larger share, so controller 0 is the one the plan's per-controller lines describe) and every
schedule, access level, holiday and card, as the paper's controller reload does. Records are
built through the simulated gateway's own site parser, with neutral contents: office-hours
schedules, access levels granting door 1, cards with access level 1.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from emulators.kantech.model_specs import spec_for
from emulators.kantech_gateway.site_description import SiteDescription, parse_site
from kantech_proto.codes import DeviceModel, RecordType
from protolab.errors import ConfigurationError
from tools.bandwidth.site import SHARED_OUT, Site

#: controller models that sit on the network themselves (KT-100/KT-300 are loop controllers)
MEASURABLE = {"KT-400": DeviceModel.KT_400, "KT-1": DeviceModel.KT_1}
#: the plan's component names for the record types a reload sends
COMPONENTS = {
    RecordType.GLOBAL_SYSTEM: "Global system information", RecordType.CONTROLLER: "Controller",
    RecordType.DATE_TIME: "Date/Time", RecordType.DOOR: "Doors", RecordType.RELAY: "Relays",
    RecordType.INPUT: "Inputs", RecordType.OUTPUT: "Outputs",
    RecordType.SCHEDULE_KT400: "Schedules", RecordType.SCHEDULE_KT100: "Schedules",
    RecordType.ACCESS_LEVEL: "Access levels", RecordType.HOLIDAYS: "Holidays",
    RecordType.CARD_KT400: "Cards", RecordType.CARD_KT100: "Cards",
}
_POINT = {"doors": "door", "relays": "relay", "inputs": "input", "outputs": "output"}
_OFFICE_HOURS = [{"start": "08:00", "end": "18:00", "days": "weekdays"}]


def controller_model(site: Site) -> DeviceModel:
    model = MEASURABLE.get(site.controller_model)
    if model is None:
        raise ConfigurationError(
            f"--measure runs IP controllers: controller_model {site.controller_model!r} is "
            f"not one (expected {' or '.join(MEASURABLE)}; KT-100/KT-300 sit on serial loops)")
    return model


def share(total: int, controllers: int, index: int) -> int:
    """Controller ``index``'s share of ``total``: the first ``total % controllers`` get one more."""
    return total // controllers + (1 if index < total % controllers else 0)


def controller_site(site: Site, index: int) -> SiteDescription:
    """What controller ``index`` of the site is reloaded with."""
    model = controller_model(site)
    spec = spec_for(model)
    limits = {"doors": spec.doors, "relays": spec.relays, "inputs": spec.inputs,
              "outputs": spec.outputs}
    doc: dict[str, Any] = {"controller": {"model": model.name.lower().replace("_", "")}}
    for name in SHARED_OUT:
        count = share(site.count(name), site.controllers, index)
        if count > limits[name]:
            raise ConfigurationError(
                f"--measure: {site.count(name)} {name} over {site.controllers} controllers puts "
                f"{count} on one, and a {site.controller_model} has {limits[name]}: expected "
                "more controllers (or fewer points) for a site the emulators can run")
        doc[name] = [{_POINT[name]: n + 1} for n in range(count)]
    doc["schedules"] = [{"id": n + 1, "intervals": _OFFICE_HOURS}
                        for n in range(site.schedules)]
    doc["access_levels"] = [{"id": n + 1, "doors": {"1": 1 if site.schedules else 0}}
                            for n in range(site.access_levels)]
    first = _dt.date(2025, 1, 1)
    doc["holidays"] = [{"date": first + _dt.timedelta(days=n), "type": 1}
                       for n in range(site.holidays)]
    doc["cards"] = [{"number": 100_000 + n, "levels": [1 if site.access_levels else 0]}
                    for n in range(site.cards)]
    return parse_site(doc, f"{site.name or 'site'} controller {index + 1}")
