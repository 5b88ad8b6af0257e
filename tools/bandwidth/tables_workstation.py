"""Tables 4, 5 and 6 and the figures the paper gives beside them: traffic between workstations,
the server and the gateway when people use EntraPass (display, status queries, manual
operations, saving data)."""

from __future__ import annotations

from tools.bandwidth.paper_table import PaperTable, Row, byte_rows

TABLE_4 = PaperTable(
    "4", "Data transmission between workstation and server",
    ("Component types", "One language", "Two languages"),
    (
        Row("Per message", ("662", "990"), 662),
        Row("Per picture: information", ("100", "100"), 100),
        Row("Per picture: image", ("+-60K (once) **", "+-60K (once) **")),
        Row("Per alarm", ("662", "990"), 662),
        Row("Instruction", ("4574 (once)", "4574 (once)"), 4574),
        Row("Comment", ("XML", "XML")),
        Row("Per graphic: information", ("207 (once)", "207 (once)"), 207),
        Row("Per graphic: item", ("119 (once)", "119 (once)"), 119),
        Row("Per graphic: image", ("100k to 3mb (once)", "100k to 3mb (once)")),
    ),
    notes=("Pictures and graphics go to a workstation once, unless modified.",
           "** Add +/- 60K per image and per signature assigned to each card.",
           "Byte figures are the one-language column."),
)

TABLE_5 = PaperTable(
    "5", "Component status query", ("Query type", "Number of bytes"),
    byte_rows((("Component status query", 47), ("Component text status reply by item", 1314),
               ("Component image status reply by item", 21), ("List query", 4277),
               ("List reply by item", 322))),
)

#: manual operations: workstation to server per component, controller reply per component
MANUAL_OPERATION_REQUEST = 68
MANUAL_OPERATION_REPLY = 8
#: "It also adds 39 bytes for each backup query to the server"
BACKUP_QUERY = 39
#: access level backup for 20 doors: workstation->server, server->gateway, gateway->controllers
ACCESS_LEVEL_BACKUP = (500, 528, 60)
#: door group backup: bytes for the group, and per door in it
DOOR_GROUP_BACKUP = 141
DOOR_GROUP_BACKUP_PER_DOOR = 8
#: each application queries the server, and the server each application, every 2 minutes
APPLICATION_POLL_SECONDS = 120
VIDEO_VAULT_POLL_SECONDS = 5

_BACKUP = (
    ("Modification query", 56, "-"), ("access level", 484, "19 + XML"),
    ("group of access level", 483, "19"), ("alarm system", 693, "XML*"), ("area", 531, "XML*"),
    ("area group", 483, "-"), ("badging", 506, "119 + XML* + Front image** + Back image**"),
    ("card", 5070, "119 + XML* + Photo** + Signature**"), ("group of cards", 481, "119"),
    ("action scheduler", 723, "-"), ("group of access cards", 139, "104"),
    ("card type", 482, "-"), ("controller", 14541, "19"), ("group of controller", 483, "19"),
    ("door", 4297, "XML*"), ("group of doors", 483, "819"), ("event parameter", 103, "-"),
    ("event relay", 83, "-"), ("floor", 478, "-"), ("group of floors", 483, "19"),
    ("graphic", 1197, "119 + background plan** + backgroup video**"),
    ("gateway", 15792, "XML*"), ("guard tour", 1497, "19 + XML*"), ("holiday", 492, "19"),
    ("input", 606, "XML*"), ("input group", 483, "19"), ("instruction", 4574, "-"),
    ("trigger", 1440, "19 + XML*"), ("roll call report", 1903, "-"), ("card filter", 477, "-"),
    ("trigger group", 485, "19"), ("reader template", 514, "XML*"),
    ("device association", 482, "19 + XML*"), ("video record", 511, "XML*"),
    ("integration panel", 1352, "XML*"), ("integration panel component", 527, "XML*"),
    ("site", 2560, "XML*"), ("muster report", 1907, "-"), ("active directory", 25204, "XML*"),
    ("tenant", 700, "-"), ("camera", 3651, "XML"), ("messages filter", 3564, "19"),
    ("EntraPass application", 8333, "XML"), ("operator", 4292, "11 + XML* + Photo**"),
    ("security level", 1777, "19"), ("auxiliary output", 563, "XML*"),
    ("video trigger", 875, "-"), ("relay", 530, "XML*"), ("group of relays", 483, "19"),
    ("report", 14527, "19"), ("schedule", 601, "-"), ("connection", 3588, "XML*"),
    ("time and attendance report", 14527, "19"), ("tenant group", 12492, "-"),
    ("Master account", 2656, "XML*"), ("account", 73149, "XML*"), ("filter", 901, "19"),
    ("macro maker", 4575, "-"), ("DVR", 1456, "-"), ("view", 858, "-"),
)

TABLE_6 = PaperTable(
    "6", "Data backup", ("Type of components", "Number of bytes", "Per sub-item"),
    tuple(Row(label if label == "Modification query" else f"Information for 1 {label}",
              (str(value), sub), value) for label, value, sub in _BACKUP),
    notes=("* Text value, size from 1kb to 3mb.", "** Image value, size from 20kb to 3mb.",
           f"Each backup query to the server adds {BACKUP_QUERY} bytes."),
)

MANUAL_OPERATIONS = PaperTable(
    "manual-operations", "Manual operations (figure 2)", ("Leg", "Bytes per component"),
    byte_rows((("workstation to server", MANUAL_OPERATION_REQUEST),
               ("controller reply", MANUAL_OPERATION_REPLY))),
)

BACKUPS = PaperTable(
    "backups", "Update between components (figure 4)", ("Transfer", "Bytes"),
    byte_rows((("access level backup for 20 doors: workstation to server", ACCESS_LEVEL_BACKUP[0]),
               ("access level backup for 20 doors: server to gateway", ACCESS_LEVEL_BACKUP[1]),
               ("access level backup for 20 doors: gateway to controllers",
                ACCESS_LEVEL_BACKUP[2]),
               ("modification query", BACKUP_QUERY), ("door group", DOOR_GROUP_BACKUP),
               ("per door of the group", DOOR_GROUP_BACKUP_PER_DOOR))),
    notes=("The paper's example: a group of 40 doors is 39 + 141 + 8 x 40 = 500 bytes.",),
)

TABLES = (TABLE_4, TABLE_5, TABLE_6, MANUAL_OPERATIONS, BACKUPS)
