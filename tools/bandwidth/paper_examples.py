"""Every worked example of the white paper, recomputed from the tables and kantech_proto.

Each example keeps the paper's lines as printed beside what the tables give, and says in plain
words where the paper's own arithmetic does not add up, instead of copying its totals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kantech_proto.controller_events import event_wire_size
from kantech_proto.event_types import EVENT_BODY_SIZES, EventType
from kantech_proto.serial_frame import OVERHEAD as SERIAL_FRAME_OVERHEAD
from tools.bandwidth.command_line import command_line_cost
from tools.bandwidth.firmware import firmware_transfer
from tools.bandwidth.planner import Plan, plan_site
from tools.bandwidth.site import Site
from tools.bandwidth.tables_firmware import (
    PACKET,
    PAPER_EXAMPLE_CONTROLLERS,
    PAPER_EXAMPLE_RESULT,
    PAPER_PACKETS,
    PAPER_TCPIP_PACKET,
)
from tools.bandwidth.tables_protocols import PACKET_OVERHEAD
from tools.bandwidth.tables_reload import PAPER_MINIMUM_RELOAD, TABLE_7
from tools.bandwidth.tables_smartlink import PAPER_EXAMPLE, PAPER_EXAMPLE_BYTES
from tools.bandwidth.tables_workstation import (
    BACKUP_QUERY,
    DOOR_GROUP_BACKUP,
    DOOR_GROUP_BACKUP_PER_DOOR,
)
from tools.bandwidth.wire_sizes import POLL_BYTES, PRESENCE_BYTES


@dataclass(frozen=True, slots=True)
class ExampleLine:
    label: str
    paper: str  # the line as the paper prints it
    paper_value: int  # the figure it gives
    value: int  # recomputed
    note: str = ""

    @property
    def agrees(self) -> bool:
        return self.paper_value == self.value


@dataclass(frozen=True, slots=True)
class WorkedExample:
    name: str
    title: str
    unit: str
    lines: tuple[ExampleLine, ...]
    paper_total: int
    total: int
    notes: tuple[str, ...] = ()
    #: whether the lines add up to the total (not so for packet sizes and counts)
    additive: bool = True

    @property
    def paper_lines_sum(self) -> int | None:
        """What the paper's own lines add up to, for the examples whose lines are a sum."""
        return sum(line.paper_value for line in self.lines) if self.additive else None

    @property
    def agrees(self) -> bool:
        return self.paper_total == self.total and all(line.agrees for line in self.lines)

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "unit": self.unit,
                "paper_total": self.paper_total, "paper_lines_sum": self.paper_lines_sum,
                "total": self.total, "agrees": self.agrees, "notes": list(self.notes),
                "lines": [{"label": x.label, "paper": x.paper, "paper_value": x.paper_value,
                           "value": x.value, "agrees": x.agrees, "note": x.note}
                          for x in self.lines]}


#: the reload example's system; relays, inputs and outputs as its gateway lines count them
GATEWAY_EXAMPLE = Site("paper gateway example", "multi-site", "KT-400", sites=2, tcpip_sites=2,
                       controllers=20, doors=40, relays=2, inputs=8, outputs=2, cards=200,
                       schedules=12, access_levels=20)
#: ... and as its controller lines count them: 2 doors, 2 relays, 8 inputs, 2 outputs each
CONTROLLER_EXAMPLE = Site("paper controller example", "multi-site", "KT-400", sites=2,
                          tcpip_sites=2, controllers=20, doors=40, relays=40, inputs=160,
                          outputs=40, cards=200, schedules=12, access_levels=20)


def _bytes(plan: Plan, section: str, component: str) -> int:
    return next(x.bytes for x in plan.section(section) if x.component == component)


def gateway_reload() -> WorkedExample:
    plan = plan_site(GATEWAY_EXAMPLE)
    other = plan_site(CONTROLLER_EXAMPLE).total("gateway_reload")
    rows = [("General information", "General information = 14, 342 bytes", 14342),
            ("Sites", "Sites = 2 x 392 = 784 bytes", 784),
            ("Controllers", "Controllers = 20 x 9040 = 180,800 bytes", 180800),
            ("Doors", "Doors = 40 x 342 = 13,680 bytes", 13680),
            ("Relays", "Relays = 2 x 22 = 44 bytes", 44),
            ("Inputs", "Inputs = 8 x 66 = 528 bytes", 528),
            ("Outputs", "Outputs = 2 x 52 = 104 bytes", 104),
            ("Access levels", "Access level = 20 x 780 = 15,600 bytes", 15600),
            ("Schedules", "Schedules = 12 x 133 = 1,596 bytes", 1596)]
    lines = [ExampleLine(c, text, value, _bytes(plan, "gateway_reload", c))
             for c, text, value in rows]
    lines.append(ExampleLine("Schedules (again)", "Schedules = 12 x 133 = 1,596 bytes", 1596, 0,
                             "the same line printed twice; the paper's total counts it once"))
    lines.append(ExampleLine(
        "Cards", "Cards = 35 + (34 x 2) = 200 cards x 103 bytes = 20,600 bytes", 20600,
        _bytes(plan, "gateway_reload", "Cards"),
        "garbled: it means 200 cards x (35 + 34 x 2 sites) = 200 x 103"))
    return WorkedExample(
        "gateway-reload", "Reload of a multi-site gateway: 2 sites of 10 controllers, 200 cards, "
        "12 schedules, 20 access levels", "bytes", tuple(lines), 248078, plan.total(
            "gateway_reload"),
        (f"The printed lines add up to {sum(x.paper_value for x in lines):,} with the repeated "
         "Schedules line; the total 248,078 counts it once and is right.",
         "Relays 2, inputs 8 and outputs 2 for 20 controllers, while the controller example "
         "gives each controller 2 relays, 8 inputs and 2 outputs; with those 40, 160 and 40 "
         f"the gateway reload is {other:,} bytes."))


def controller_reload() -> WorkedExample:
    plan = plan_site(CONTROLLER_EXAMPLE)
    section = "controller_reload_per_controller"
    per = plan.total(section)
    rows = [("Global system information", "Global system information = 83 bytes", 83, ""),
            ("Date/Time", "Date/Time = 7 bytes", 7, ""),
            ("Controller", "Controller = 40 bytes", 40, ""),
            ("Doors", "Door = 2 x 27 = 54 bytes", 54, ""),
            ("Inputs", "Input = 8 x 14 = 112 bytes", 112, ""),
            ("Relays", "Relays = 2 x 6 = 12 bytes", 12, ""),
            ("Outputs", "Output = 2 x 15 = 30 bytes", 30, ""),
            ("Cards", "Card = 200 x 78 = 1600 bytes", 1600, "200 x 78 is 15,600"),
            ("Schedules", "Schedule = 12 x 81 = 252 bytes", 252,
             "table 7 has no 81; 252 is 12 x 21, the KT-100 schedule; a KT-400 (78-byte cards) "
             "takes 12 x 41"),
            ("Access levels", "Access level = 248 bytes", 248,
             "one level at 248; table 7 says 249 per level and the system has 20")]
    lines = tuple(ExampleLine(c, text, value, _bytes(plan, section, c), note)
                  for c, text, value, note in rows)
    paper_sum = sum(x.paper_value for x in lines)
    return WorkedExample(
        "controller-reload", "Reload of each of the 20 controllers (KT-400: 78-byte cards)",
        "bytes per controller", lines, 2355, per,
        (f"The paper: 2,355 bytes per controller x 20 = 47,100; its own lines add up to "
         f"{paper_sum:,} (x 20 = {paper_sum * 20:,}).",
         f"Recomputed from table 7: {per:,} bytes per controller, "
         f"{plan.total('controller_reload_total'):,} for 20."))


def controller_minimum() -> WorkedExample:
    rows = ("Global system information", "Controller", "Date/Time")
    lines = tuple(ExampleLine(r, f"{r} = {TABLE_7.bytes_of(r)} bytes", TABLE_7.bytes_of(r),
                              TABLE_7.bytes_of(r)) for r in rows)
    total = sum(x.value for x in lines)
    return WorkedExample(
        "controller-minimum", "Data every controller reload carries ('minimum of 106 bytes')",
        "bytes", lines, PAPER_MINIMUM_RELOAD, total,
        (f"System, controller and date/time information are {total} bytes in table 7, not "
         f"{PAPER_MINIMUM_RELOAD}.",))


def firmware() -> WorkedExample:
    paper = firmware_transfer("KT-100", PAPER_EXAMPLE_CONTROLLERS, kilobyte=1000)
    kib = firmware_transfer("KT-100", PAPER_EXAMPLE_CONTROLLERS, kilobyte=1024)
    lines = (
        ExampleLine("Packet", "134 bytes (130 for reload and 4 for the protocol)", PACKET,
                    paper.packet),
        ExampleLine("TCP/IP packet", "packets of 188 bytes", PAPER_TCPIP_PACKET,
                    paper.packet + PACKET_OVERHEAD, "134 + 54"),
        ExampleLine("Packets", "500 packets", PAPER_PACKETS, kib.blocks,
                    "64 kb / 128 image bytes per block is 500 only for 64,000 bytes; a 64 KiB "
                    "image (65,536 bytes) takes 512 blocks"),
    )
    total_1000 = paper.figures()["tcpip_bytes_total"]
    return WorkedExample(
        "firmware", "Firmware reload of a KT-100 site with 16 controllers", "bytes", lines,
        PAPER_PACKETS * PAPER_TCPIP_PACKET * PAPER_EXAMPLE_CONTROLLERS,
        kib.figures()["tcpip_bytes_total"],
        (f"500 x 188 x 16 = {total_1000:,} bytes, about 1.5 MB (12.0 Mbit); the paper's "
         f"'{PAPER_EXAMPLE_RESULT}' is neither.",
         f"With a 64 KiB image: 512 x 188 x 16 = {kib.figures()['tcpip_bytes_total']:,} bytes."),
        additive=False)


def idle_mode() -> WorkedExample:
    plan = plan_site(Site(gateway="multi-site", workstations=2, tcpip_sites=4))
    rows = (("TCP/IP sites", "Sites = 4 x 1000 = 4000 bytes/sec.", 4000),
            ("Gateway", "Gateway = 26 bytes/sec.", 26),
            ("Workstations", "Workstation = 2 x 26 = 52 bytes", 52))
    return WorkedExample(
        "idle", "Idle mode: 2 workstations, 1 multi-site gateway, 4 TCP/IP sites",
        "bytes per second", tuple(ExampleLine(c, t, v, _bytes(plan, "idle", c))
                                  for c, t, v in rows), 4078, plan.total("idle"))


def polling() -> WorkedExample:
    plan = plan_site(Site(gateway="multi-site", tcpip_sites=3))
    return WorkedExample(
        "polling", "Polling a multi-site gateway's 3 TCP/IP sites (table 10 default)",
        "bytes per second", (ExampleLine("TCP/IP sites", "1000 bytes per second x 3 sites", 3000,
                                         plan.total("polling")),), 3000, plan.total("polling"))


def idle_site_query() -> WorkedExample:
    lines = (
        ExampleLine("Gateway query", "4 (table 11)", 4, POLL_BYTES),
        ExampleLine("Controller reply", "1 (table 11)", 1, PRESENCE_BYTES),
        ExampleLine("Gateway query on TCP/IP", "54 + 5 bytes", 59, PACKET_OVERHEAD + POLL_BYTES,
                    "table 11's query is 4 bytes: 54 + 4"),
        ExampleLine("Controller reply on TCP/IP", "54 + 1 bytes", 55,
                    PACKET_OVERHEAD + PRESENCE_BYTES),
    )
    return WorkedExample(
        "idle-site-query", "Idle site query (table 11) and its TCP/IP packets", "bytes", lines,
        59 + 55, lines[2].value + lines[3].value,
        ("The paper then speaks of alternating packets of 59 and '55 or 60' bytes; nothing in "
         "the tables gives 60.",), additive=False)


def command_line() -> WorkedExample:
    cost = command_line_cost(PAPER_EXAMPLE)
    lines = (ExampleLine("Notation characters", PAPER_EXAMPLE, PAPER_EXAMPLE_BYTES,
                         cost.notation_bytes),
             ExampleLine("Bytes on the wire", f"{PAPER_EXAMPLE_BYTES} bytes", PAPER_EXAMPLE_BYTES,
                         cost.wire_bytes, "<2>, <28> and <3> are one byte each (WIRE.md)"))
    return WorkedExample(
        "command-line", "SmartLink command line", "bytes", lines, PAPER_EXAMPLE_BYTES,
        cost.wire_bytes, ("The paper's 50 counts the characters of its notation; the line is "
                          f"{cost.wire_bytes} bytes on the wire.",), additive=False)


def access_event() -> WorkedExample:
    body = EVENT_BODY_SIZES[EventType.ACCESS_GRANTED]
    lines = (ExampleLine("Access request", "Access request = 5 bytes", 5, body),
             ExampleLine("Door", "Door = 1 bytes", 1, 1),
             ExampleLine("Date/Time", "Date/Time = 7 bytes", 7, 7),
             ExampleLine("Packet transmission", "Packet transmission = 4 bytes", 4,
                         SERIAL_FRAME_OVERHEAD))
    return WorkedExample("access-event", "One access with a 32-bit card", "bytes", lines, 17,
                         event_wire_size(EventType.ACCESS_GRANTED))


def door_group_backup() -> WorkedExample:
    lines = (ExampleLine("Modification query", "39 bytes per modification query", 39,
                         BACKUP_QUERY),
             ExampleLine("Door group", "141 bytes per door group", 141, DOOR_GROUP_BACKUP),
             ExampleLine("Doors", "8 bytes per door * 40 = 320 bytes", 320,
                         DOOR_GROUP_BACKUP_PER_DOOR * 40))
    return WorkedExample("door-group-backup", "Backup of a group of 40 doors", "bytes", lines,
                         500, sum(x.value for x in lines))


def all_examples() -> list[WorkedExample]:
    return [gateway_reload(), controller_reload(), controller_minimum(), firmware(),
            idle_mode(), polling(), idle_site_query(), command_line(), access_event(),
            door_group_backup()]
