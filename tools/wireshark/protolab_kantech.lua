-- protolab_kantech.lua: Wireshark dissector for Kantech kt-v1 (WIRE.md), from protolab.
-- GENERATED: do not edit. Change tools/wireshark/engine.lua or kantech_proto, then run
--   python -m tools.wireshark.generate
-- Install: protolab wireshark install (or copy into ~/.local/lib/wireshark/plugins/).
-- Preferences: kantech.key (AES key text), kantech.aes_mode, kantech.checksum, ports.

-- BEGIN GENERATED DATA: python -m tools.wireshark.generate (from kantech_proto)
local GEN = {}
GEN.enums = {
  ["codes.Command"]={[1]="PULSE", [2]="DISCOVER", [3]="ANNOUNCE", [4]="ACK", [5]="NAK", [16]="POLL", [18]="STATUS_QUERY", [19]="STATUS_REPLY", [20]="SET_DATETIME", [32]="MANUAL_OP", [33]="MANUAL_OP_REPLY", [48]="RELOAD_BEGIN", [49]="RELOAD_RECORDS", [50]="RELOAD_END", [64]="EVENT", [80]="FIRMWARE_BLOCK", [81]="FIRMWARE_END", [96]="TUNNEL"},
  ["codes.ComponentKind"]={[1]="DOOR", [2]="RELAY", [3]="INPUT", [4]="OUTPUT"},
  ["codes.DeviceModel"]={[1]="KT_400", [2]="KT_1", [3]="IP_LINK", [4]="KT_100", [5]="KT_300"},
  ["codes.ManualOperation"]={[1]="UNLOCK_DOOR", [2]="LOCK_DOOR", [3]="UNLOCK_DOOR_TIMED", [4]="ACTIVATE_RELAY", [5]="DEACTIVATE_RELAY", [6]="ACTIVATE_RELAY_TIMED", [7]="SHUNT_INPUT", [8]="UNSHUNT_INPUT"},
  ["codes.NakReason"]={[1]="UNKNOWN_COMMAND", [2]="BAD_DATA", [3]="BUSY", [4]="BAD_SEQUENCE", [5]="NOT_ALLOWED"},
  ["codes.RecordType"]={[1]="GLOBAL_SYSTEM", [2]="CONTROLLER", [3]="READER_DRIVER", [4]="FLOOR_ASSIGNATION", [5]="SERIAL_NUMBER", [6]="DSC_MODULE", [7]="SPI_MODULE", [8]="FLOOR_DEFINITION", [9]="DOOR", [10]="RELAY", [11]="INPUT", [12]="OUTPUT", [13]="CARD_KT400", [14]="CARD_KT100", [15]="SCHEDULE_KT400", [16]="SCHEDULE_KT100", [17]="ACCESS_LEVEL", [18]="FLOOR_GROUP", [19]="FLOOR_GROUP_MASK", [20]="HOLIDAYS", [21]="RELAY_GROUP", [22]="INPUT_GROUP", [23]="ACTION_SCHEDULER", [24]="DATE_TIME"},
  ["controller_status.DoorLockState"]={[0]="LOCKED", [1]="UNLOCKED", [2]="UNLOCKED_TIMED", [3]="DISABLED"},
  ["controller_status.OperationResult"]={[0]="DONE", [1]="NO_SUCH_COMPONENT", [2]="NOT_ALLOWED", [3]="BUSY"},
  ["event_types.AccessResult"]={[0]="GRANTED", [1]="GRANTED_DURESS", [2]="UNKNOWN_CARD", [3]="CARD_SUSPENDED", [4]="NOT_YET_VALID", [5]="EXPIRED", [6]="LOST_STOLEN", [7]="BAD_ACCESS_LEVEL", [8]="OUTSIDE_SCHEDULE", [9]="WRONG_PIN", [10]="PIN_TIMEOUT", [11]="DOOR_DISABLED", [12]="PASSBACK", [13]="NO_USES_LEFT", [14]="GRANTED_PASSBACK", [15]="INTERLOCKED"},
  ["event_types.EventType"]={[1]="POWER_UP", [2]="AC_FAIL", [3]="AC_RESTORED", [4]="LOW_BATTERY", [5]="BATTERY_RESTORED", [6]="TAMPER", [7]="TAMPER_RESTORED", [8]="RELOAD_DONE", [9]="BUFFER_OVERFLOW", [10]="GATEWAY_LOST", [11]="GATEWAY_RESTORED", [16]="COMMAND_DONE", [17]="COMMAND_REFUSED", [24]="CARDS_INTERNAL", [25]="CARDS_EXTERNAL", [32]="DOOR_OPENED", [33]="DOOR_CLOSED", [34]="DOOR_FORCED_OPEN", [35]="DOOR_OPEN_TOO_LONG", [36]="DOOR_PRE_ALARM", [37]="DOOR_REX", [40]="DOOR_LOCKED", [41]="DOOR_UNLOCKED", [42]="DOOR_UNLOCKED_TIMED", [43]="DOOR_DISABLED", [48]="INPUT_ALARM", [49]="INPUT_RESTORED", [50]="INPUT_SHUNTED", [51]="INPUT_UNSHUNTED", [52]="INPUT_TEMP_SHUNTED", [53]="INPUT_TEMP_SHUNT_ENDED", [56]="INPUT_TROUBLE_OPEN", [57]="INPUT_TROUBLE_SHORT", [58]="INPUT_TROUBLE_RESTORED", [64]="RELAY_ACTIVATED", [65]="RELAY_DEACTIVATED", [72]="OUTPUT_ACTIVATED", [73]="OUTPUT_DEACTIVATED", [80]="STANDALONE_DOOR_UNLOCKED", [81]="STANDALONE_DOOR_RELOCKED", [82]="STANDALONE_DOOR_DISABLED", [83]="STANDALONE_DOOR_ENABLED", [84]="STANDALONE_RELAY_ACTIVATED", [85]="STANDALONE_RELAY_DEACTIVATED", [128]="ACCESS_GRANTED", [129]="ACCESS_GRANTED_DURESS", [130]="ACCESS_DENIED_UNKNOWN_CARD", [131]="ACCESS_DENIED_CARD_SUSPENDED", [132]="ACCESS_DENIED_NOT_YET_VALID", [133]="ACCESS_DENIED_EXPIRED", [134]="ACCESS_DENIED_LOST_STOLEN", [135]="ACCESS_DENIED_BAD_ACCESS_LEVEL", [136]="ACCESS_DENIED_OUTSIDE_SCHEDULE", [137]="ACCESS_DENIED_WRONG_PIN", [138]="ACCESS_DENIED_PIN_TIMEOUT", [139]="ACCESS_DENIED_DOOR_DISABLED", [140]="ACCESS_DENIED_PASSBACK", [141]="ACCESS_DENIED_NO_USES_LEFT", [142]="ACCESS_GRANTED_PASSBACK", [143]="ACCESS_DENIED_INTERLOCKED", [144]="ACCESS_GRANTED_BCD", [145]="ACCESS_GRANTED_DURESS_BCD", [146]="ACCESS_DENIED_UNKNOWN_CARD_BCD", [147]="ACCESS_DENIED_CARD_SUSPENDED_BCD", [148]="ACCESS_DENIED_NOT_YET_VALID_BCD", [149]="ACCESS_DENIED_EXPIRED_BCD", [150]="ACCESS_DENIED_LOST_STOLEN_BCD", [151]="ACCESS_DENIED_BAD_ACCESS_LEVEL_BCD", [152]="ACCESS_DENIED_OUTSIDE_SCHEDULE_BCD", [153]="ACCESS_DENIED_WRONG_PIN_BCD", [154]="ACCESS_DENIED_PIN_TIMEOUT_BCD", [155]="ACCESS_DENIED_DOOR_DISABLED_BCD", [156]="ACCESS_DENIED_PASSBACK_BCD", [157]="ACCESS_DENIED_NO_USES_LEFT_BCD", [158]="ACCESS_GRANTED_PASSBACK_BCD", [159]="ACCESS_DENIED_INTERLOCKED_BCD", [160]="FLOOR_VALID", [161]="FLOOR_INVALID", [176]="FLOOR_VALID_BCD", [177]="FLOOR_INVALID_BCD"},
  ["event_types.Source"]={[1]="MANUAL", [2]="SCHEDULE", [3]="CARD", [4]="REX", [5]="INPUT", [6]="ACTION", [7]="POWER_UP"},
  ["records_hardware.NormalState"]={[0]="OPEN", [1]="CLOSED"},
  ["records_hardware.ReaderMode"]={[0]="CARD_ONLY", [1]="CARD_AND_PIN", [2]="PIN_ONLY"},
  ["records_hardware.Supervision"]={[0]="NONE", [1]="SINGLE_EOL", [2]="DOUBLE_EOL"},
  ["records_modules.DscPanel"]={[1]="POWER_SERIES", [2]="MAXSYS"},
  ["records_modules.ModuleKind"]={[1]="RELAY_8", [2]="INPUT_16", [3]="OUTPUT_16", [4]="DSC_PANEL", [5]="READER_2"},
  ["records_modules.ZoneType"]={[0]="UNUSED", [1]="INSTANT", [2]="DELAY", [3]="FOLLOWER", [4]="H24", [5]="FIRE"},
  ["records_system.KeypadMode"]={[0]="NONE", [1]="BURST_4BIT", [2]="BURST_8BIT", [3]="OSDP"},
  ["records_system.LedMode"]={[0]="SINGLE_WIRE", [1]="TWO_WIRE", [2]="OSDP"},
  ["records_system.OsdpBaud"]={[0]="NONE", [1]="B9600", [2]="B19200", [3]="B38400", [4]="B57600", [5]="B115200"},
  ["records_system.ReaderInterface"]={[1]="WIEGAND", [2]="CLOCK_AND_DATA", [3]="OSDP"},
  ["wire_schema.ReloadScope"]={[0]="ALL", [1]="GLOBAL_SYSTEM", [2]="CONTROLLER", [3]="READER_DRIVER", [4]="FLOOR_ASSIGNATION", [5]="SERIAL_NUMBER", [6]="DSC_MODULE", [7]="SPI_MODULE", [8]="FLOOR_DEFINITION", [9]="DOOR", [10]="RELAY", [11]="INPUT", [12]="OUTPUT", [13]="CARD_KT400", [14]="CARD_KT100", [15]="SCHEDULE_KT400", [16]="SCHEDULE_KT100", [17]="ACCESS_LEVEL", [18]="FLOOR_GROUP", [19]="FLOOR_GROUP_MASK", [20]="HOLIDAYS", [21]="RELAY_GROUP", [22]="INPUT_GROUP", [23]="ACTION_SCHEDULER", [24]="DATE_TIME"}}
GEN.flags = {
  ["controller_status.DoorFlag"]={{1, "OPEN"}, {2, "FORCED"}, {4, "HELD_OPEN"}, {8, "REX_ACTIVE"}, {16, "PRE_ALARM"}},
  ["controller_status.SystemFlag"]={{1, "EVENTS_PENDING"}, {2, "RELOAD_REQUIRED"}, {4, "TAMPER"}, {8, "AC_FAIL"}, {16, "LOW_BATTERY"}, {32, "FIRMWARE_PENDING"}, {64, "CLOCK_NOT_SET"}},
  ["records_access.CardFlag"]={{1, "VALID"}, {2, "LOST_STOLEN"}, {4, "PIN_REQUIRED"}, {8, "EXTENDED_UNLOCK"}, {16, "SUPERVISOR"}, {32, "PASSBACK_EXEMPT"}, {64, "TRACE"}, {128, "DURESS"}, {256, "DELETE_ON_EXPIRY"}, {512, "ESCORT_REQUIRED"}},
  ["records_access.Day"]={{1, "MON"}, {2, "TUE"}, {4, "WED"}, {8, "THU"}, {16, "FRI"}, {32, "SAT"}, {64, "SUN"}, {128, "HOLIDAY"}},
  ["records_access.ShortCardFlag"]={{1, "VALID"}, {2, "LOST_STOLEN"}, {4, "PIN_REQUIRED"}, {8, "EXTENDED_UNLOCK"}, {16, "SUPERVISOR"}, {32, "PASSBACK_EXEMPT"}, {64, "TRACE"}, {128, "DURESS"}},
  ["records_actions.ActionFlag"]={{1, "REPORT"}, {2, "RUN_MISSED"}, {4, "GROUPS"}, {8, "OUTPUTS"}},
  ["records_elevator.FloorFlag"]={{1, "PIN_REQUIRED"}, {2, "DISABLED"}},
  ["records_hardware.DoorFlag"]={{1, "RELOCK_ON_OPEN"}, {2, "RELOCK_ON_CLOSE"}, {4, "REX_UNLOCKS"}, {8, "FIRST_PERSON_IN"}, {16, "FAIL_SECURE"}, {32, "CONTACT_SUPERVISED"}, {64, "ELEVATOR"}, {128, "DISABLED"}, {256, "PASSBACK"}, {512, "PASSBACK_SOFT"}},
  ["records_hardware.InputFlag"]={{1, "LATCHED"}, {2, "REPORT_RESTORE"}, {4, "SILENT"}, {8, "TAMPER"}},
  ["records_hardware.OutputFlag"]={{1, "INVERTED"}, {2, "LATCHED"}},
  ["records_hardware.OutputTrigger"]={{1, "DOOR_FORCED"}, {2, "DOOR_OPEN_TOO_LONG"}, {4, "DOOR_PRE_ALARM"}, {8, "DOOR_UNLOCKED"}, {16, "ACCESS_GRANTED"}, {32, "ACCESS_DENIED"}, {64, "DURESS"}, {128, "INPUT_ALARM"}, {256, "INPUT_TROUBLE"}, {512, "TAMPER"}, {1024, "AC_FAIL"}, {2048, "LOW_BATTERY"}, {4096, "GATEWAY_LOST"}},
  ["records_hardware.RelayFlag"]={{1, "INVERTED"}, {2, "REPORT"}},
  ["records_modules.DscOption"]={{1, "DISARM_ON_GRANT"}, {2, "ARM_ON_LOCK"}, {4, "REPORT_TROUBLES"}},
  ["records_modules.SpiOption"]={{1, "SUPERVISED"}, {2, "REQUIRED"}},
  ["records_system.ControllerOption"]={{1, "TAMPER_SUPERVISED"}, {2, "AC_SUPERVISED"}, {4, "BATTERY_SUPERVISED"}, {8, "STANDALONE"}, {16, "BUFFER_OFFLINE_EVENTS"}, {32, "KEYPAD_UNLOCK"}},
  ["records_system.Parity"]={{1, "EVEN_LEADING"}, {2, "ODD_TRAILING"}},
  ["records_system.ReaderFlag"]={{1, "BEEP_ON_READ"}, {2, "LED_FOLLOWS_LOCK"}, {4, "TAMPER_SUPERVISED"}, {8, "REVERSE_BITS"}},
  ["records_system.SystemOption"]={{1, "DAYLIGHT_SAVING"}, {2, "GLOBAL_PASSBACK"}, {4, "PASSBACK_RESET_DAILY"}, {8, "TWELVE_HOUR_DISPLAY"}, {16, "REPORT_CARD_DIGITS"}}}
GEN.fields = {
  {"kantech.announce", "Announce", "none", false, nil},
  {"kantech.datetime", "Datetime", "none", false, nil},
  {"kantech.event", "Event", "none", false, nil},
  {"kantech.event.timestamp", "Timestamp", "none", false, nil},
  {"kantech.firmware_block", "Firmware block", "none", false, nil},
  {"kantech.firmware_end", "Firmware end", "none", false, nil},
  {"kantech.manual_op", "Manual op", "none", false, nil},
  {"kantech.nak", "Nak", "none", false, nil},
  {"kantech.pulse", "Pulse", "none", false, nil},
  {"kantech.rec.access_level", "Access level", "none", false, nil},
  {"kantech.rec.action_scheduler", "Action scheduler", "none", false, nil},
  {"kantech.rec.card_kt100", "Card kt100", "none", false, nil},
  {"kantech.rec.card_kt400", "Card kt400", "none", false, nil},
  {"kantech.rec.controller", "Controller", "none", false, nil},
  {"kantech.rec.date_time", "Date time", "none", false, nil},
  {"kantech.rec.door", "Door", "none", false, nil},
  {"kantech.rec.dsc_module", "Dsc module", "none", false, nil},
  {"kantech.rec.floor_assignation", "Floor assignation", "none", false, nil},
  {"kantech.rec.floor_definition", "Floor definition", "none", false, nil},
  {"kantech.rec.floor_group", "Floor group", "none", false, nil},
  {"kantech.rec.floor_group_mask", "Floor group mask", "none", false, nil},
  {"kantech.rec.global_system", "Global system", "none", false, nil},
  {"kantech.rec.holidays", "Holidays", "none", false, nil},
  {"kantech.rec.input", "Input", "none", false, nil},
  {"kantech.rec.input_group", "Input group", "none", false, nil},
  {"kantech.rec.output", "Output", "none", false, nil},
  {"kantech.rec.reader_driver", "Reader driver", "none", false, nil},
  {"kantech.rec.relay", "Relay", "none", false, nil},
  {"kantech.rec.relay_group", "Relay group", "none", false, nil},
  {"kantech.rec.schedule_kt100", "Schedule kt100", "none", false, nil},
  {"kantech.rec.schedule_kt400", "Schedule kt400", "none", false, nil},
  {"kantech.rec.serial_number", "Serial number", "none", false, nil},
  {"kantech.rec.spi_module", "Spi module", "none", false, nil},
  {"kantech.reload", "Reload", "none", false, nil},
  {"kantech.result", "Result", "none", false, nil},
  {"kantech.serial", "Serial", "none", false, nil},
  {"kantech.status", "Status", "none", false, nil},
  {"kantech.serial.address", "Address", "uint8", false, nil},
  {"kantech.serial.command", "Command", "uint8", false, "codes.Command"},
  {"kantech.serial.length", "Length", "uint8", false, nil},
  {"kantech.serial.data", "Data", "bytes", false, nil},
  {"kantech.serial.checksum", "Checksum", "uint8", true, nil},
  {"kantech.serial.presence", "Presence (nothing to send)", "uint8", false, nil},
  {"kantech.sync", "Sync", "bytes", false, nil},
  {"kantech.length", "Length", "uint16", false, nil},
  {"kantech.site_id", "Site id", "uint32", false, nil},
  {"kantech.validation", "Validation", "bytes", false, nil},
  {"kantech.sender_id", "Sender id", "ether", false, nil},
  {"kantech.sequence", "Sequence", "uint16", false, nil},
  {"kantech.event_id", "Event id", "uint32", false, nil},
  {"kantech.command", "Command", "uint8", false, "codes.Command"},
  {"kantech.pulse.events_waiting", "Events waiting", "uint8", false, nil},
  {"kantech.announce.model", "Model", "uint8", false, "codes.DeviceModel"},
  {"kantech.announce.firmware", "Firmware", "uint8", false, nil},
  {"kantech.announce.serial_number", "Serial number", "text", false, nil},
  {"kantech.announce.ip", "Ip", "ipv4", false, nil},
  {"kantech.announce.netmask", "Netmask", "ipv4", false, nil},
  {"kantech.announce.gateway", "Gateway", "ipv4", false, nil},
  {"kantech.nak.reason", "Reason", "uint8", false, "codes.NakReason"},
  {"kantech.status.model", "Model", "uint8", false, "codes.DeviceModel"},
  {"kantech.status.firmware", "Firmware", "uint8", false, nil},
  {"kantech.status.clock", "Clock", "bytes", false, nil},
  {"kantech.status.system_flags", "System flags", "uint8", true, nil},
  {"kantech.status.events_queued", "Events queued", "uint16", false, nil},
  {"kantech.status.door_count", "Door count", "uint8", false, nil},
  {"kantech.status.doors.lock_state", "Lock state", "uint8", false, "controller_status.DoorLockState"},
  {"kantech.status.doors.flags", "Flags", "uint8", true, nil},
  {"kantech.status.relay_count", "Relay count", "uint8", false, nil},
  {"kantech.status.relays_active", "Relays active", "uint16", true, nil},
  {"kantech.status.relays_timed", "Relays timed", "uint16", true, nil},
  {"kantech.status.input_count", "Input count", "uint8", false, nil},
  {"kantech.status.inputs_active", "Inputs active", "uint16", true, nil},
  {"kantech.status.inputs_alarm", "Inputs alarm", "uint16", true, nil},
  {"kantech.status.inputs_shunted", "Inputs shunted", "uint16", true, nil},
  {"kantech.status.inputs_trouble", "Inputs trouble", "uint16", true, nil},
  {"kantech.status.output_count", "Output count", "uint8", false, nil},
  {"kantech.status.outputs_active", "Outputs active", "uint16", true, nil},
  {"kantech.status.cards_loaded", "Cards loaded", "uint32", false, nil},
  {"kantech.status.schedules_loaded", "Schedules loaded", "uint16", false, nil},
  {"kantech.status.access_levels_loaded", "Access levels loaded", "uint16", false, nil},
  {"kantech.status.records_loaded", "Records loaded", "uint32", false, nil},
  {"kantech.status.uptime_seconds", "Uptime seconds", "uint32", false, nil},
  {"kantech.status.firmware_crc32", "Firmware crc32", "uint32", true, nil},
  {"kantech.status.reserved", "Reserved", "bytes", false, nil},
  {"kantech.datetime.year_since_2000", "Year since 2000", "uint8", false, nil},
  {"kantech.datetime.month", "Month", "uint8", false, nil},
  {"kantech.datetime.day", "Day", "uint8", false, nil},
  {"kantech.datetime.hour", "Hour", "uint8", false, nil},
  {"kantech.datetime.minute", "Minute", "uint8", false, nil},
  {"kantech.datetime.second", "Second", "uint8", false, nil},
  {"kantech.datetime.weekday", "Weekday", "uint8", false, nil},
  {"kantech.manual_op.operation", "Operation", "uint8", false, "codes.ManualOperation"},
  {"kantech.manual_op.kind", "Kind", "uint8", false, "codes.ComponentKind"},
  {"kantech.manual_op.first_index", "First index", "uint8", false, nil},
  {"kantech.manual_op.count", "Count", "uint8", false, nil},
  {"kantech.manual_op.duration", "Duration", "uint16", false, nil},
  {"kantech.reload.scope", "Scope", "uint8", false, "wire_schema.ReloadScope"},
  {"kantech.reload.record_count", "Record count", "uint32", false, nil},
  {"kantech.firmware_block.block_number", "Block number", "uint16", false, nil},
  {"kantech.firmware_block.chunk", "Chunk", "bytes", false, nil},
  {"kantech.firmware_end.block_count", "Block count", "uint16", false, nil},
  {"kantech.firmware_end.crc32", "Crc32", "uint32", true, nil},
  {"kantech.rec.global_system.site_id", "Site id", "uint32", false, nil},
  {"kantech.rec.global_system.site_name", "Site name", "text", false, nil},
  {"kantech.rec.global_system.options", "Options", "uint16", true, nil},
  {"kantech.rec.global_system.utc_offset", "Utc offset", "int16", false, nil},
  {"kantech.rec.global_system.dst_start.month", "Month", "uint8", false, nil},
  {"kantech.rec.global_system.dst_start.week", "Week", "uint8", false, nil},
  {"kantech.rec.global_system.dst_start.weekday", "Weekday", "uint8", false, nil},
  {"kantech.rec.global_system.dst_start.hour", "Hour", "uint8", false, nil},
  {"kantech.rec.global_system.dst_end.month", "Month", "uint8", false, nil},
  {"kantech.rec.global_system.dst_end.week", "Week", "uint8", false, nil},
  {"kantech.rec.global_system.dst_end.weekday", "Weekday", "uint8", false, nil},
  {"kantech.rec.global_system.dst_end.hour", "Hour", "uint8", false, nil},
  {"kantech.rec.global_system.dst_shift", "Dst shift", "uint8", false, nil},
  {"kantech.rec.global_system.pin_length", "Pin length", "uint8", false, nil},
  {"kantech.rec.global_system.pin_attempts", "Pin attempts", "uint8", false, nil},
  {"kantech.rec.global_system.pin_lockout", "Pin lockout", "uint16", false, nil},
  {"kantech.rec.global_system.heartbeat", "Heartbeat", "uint16", false, nil},
  {"kantech.rec.global_system.gateway_timeout", "Gateway timeout", "uint16", false, nil},
  {"kantech.rec.global_system.passback_reset.hour", "Hour", "uint8", false, nil},
  {"kantech.rec.global_system.passback_reset.minute", "Minute", "uint8", false, nil},
  {"kantech.rec.global_system.reserved", "Reserved", "bytes", false, nil},
  {"kantech.rec.controller.address", "Address", "uint8", false, nil},
  {"kantech.rec.controller.model", "Model", "uint8", false, "codes.DeviceModel"},
  {"kantech.rec.controller.first_site_door", "First site door", "uint8", false, nil},
  {"kantech.rec.controller.door_count", "Door count", "uint8", false, nil},
  {"kantech.rec.controller.relay_count", "Relay count", "uint8", false, nil},
  {"kantech.rec.controller.input_count", "Input count", "uint8", false, nil},
  {"kantech.rec.controller.output_count", "Output count", "uint8", false, nil},
  {"kantech.rec.controller.reader_count", "Reader count", "uint8", false, nil},
  {"kantech.rec.controller.options", "Options", "uint16", true, nil},
  {"kantech.rec.controller.tamper_input", "Tamper input", "uint8", false, nil},
  {"kantech.rec.controller.ac_fail_input", "Ac fail input", "uint8", false, nil},
  {"kantech.rec.controller.battery_input", "Battery input", "uint8", false, nil},
  {"kantech.rec.controller.event_buffer", "Event buffer", "uint16", false, nil},
  {"kantech.rec.controller.name", "Name", "text", false, nil},
  {"kantech.rec.controller.reserved", "Reserved", "bytes", false, nil},
  {"kantech.rec.reader_driver.driver_id", "Driver id", "uint8", false, nil},
  {"kantech.rec.reader_driver.interface", "Interface", "uint8", false, "records_system.ReaderInterface"},
  {"kantech.rec.reader_driver.osdp_address", "Osdp address", "uint8", false, nil},
  {"kantech.rec.reader_driver.osdp_baud", "Osdp baud", "uint8", false, "records_system.OsdpBaud"},
  {"kantech.rec.reader_driver.data_bits", "Data bits", "uint8", false, nil},
  {"kantech.rec.reader_driver.facility_start", "Facility start", "uint8", false, nil},
  {"kantech.rec.reader_driver.facility_length", "Facility length", "uint8", false, nil},
  {"kantech.rec.reader_driver.number_start", "Number start", "uint8", false, nil},
  {"kantech.rec.reader_driver.number_length", "Number length", "uint8", false, nil},
  {"kantech.rec.reader_driver.parity", "Parity", "uint8", true, nil},
  {"kantech.rec.reader_driver.keypad", "Keypad", "uint8", false, "records_system.KeypadMode"},
  {"kantech.rec.reader_driver.led", "Led", "uint8", false, "records_system.LedMode"},
  {"kantech.rec.reader_driver.flags", "Flags", "uint8", true, nil},
  {"kantech.rec.reader_driver.osdp_key", "Osdp key", "bytes", false, nil},
  {"kantech.rec.reader_driver.name", "Name", "text", false, nil},
  {"kantech.rec.reader_driver.keypad_map", "Keypad map", "text", false, nil},
  {"kantech.rec.reader_driver.prompt_idle", "Prompt idle", "text", false, nil},
  {"kantech.rec.reader_driver.prompt_pin", "Prompt pin", "text", false, nil},
  {"kantech.rec.reader_driver.prompt_granted", "Prompt granted", "text", false, nil},
  {"kantech.rec.reader_driver.prompt_denied", "Prompt denied", "text", false, nil},
  {"kantech.rec.reader_driver.prompt_unlocked", "Prompt unlocked", "text", false, nil},
  {"kantech.rec.reader_driver.prompt_disabled", "Prompt disabled", "text", false, nil},
  {"kantech.rec.floor_assignation.floors.relay", "Relay", "uint8", false, nil},
  {"kantech.rec.floor_assignation.floors.feedback_input", "Feedback input", "uint8", false, nil},
  {"kantech.rec.serial_number.controller_serial", "Controller serial", "text", false, nil},
  {"kantech.rec.serial_number.hardware_revision", "Hardware revision", "uint8", false, nil},
  {"kantech.rec.serial_number.modules.kind", "Kind", "uint8", false, "records_modules.ModuleKind"},
  {"kantech.rec.serial_number.modules.bus_address", "Bus address", "uint8", false, nil},
  {"kantech.rec.serial_number.modules.serial", "Serial", "text", false, nil},
  {"kantech.rec.dsc_module.panel", "Panel", "uint8", false, "records_modules.DscPanel"},
  {"kantech.rec.dsc_module.bus_address", "Bus address", "uint8", false, nil},
  {"kantech.rec.dsc_module.partitions", "Partitions", "uint8", false, nil},
  {"kantech.rec.dsc_module.options", "Options", "uint8", true, nil},
  {"kantech.rec.dsc_module.exit_delay", "Exit delay", "uint8", false, nil},
  {"kantech.rec.dsc_module.entry_delay", "Entry delay", "uint8", false, nil},
  {"kantech.rec.dsc_module.access_code", "Access code", "text", false, nil},
  {"kantech.rec.dsc_module.zones.input", "Input", "uint8", false, nil},
  {"kantech.rec.dsc_module.zones.partition", "Partition", "uint8", false, nil},
  {"kantech.rec.dsc_module.zones.zone_type", "Zone type", "uint8", false, "records_modules.ZoneType"},
  {"kantech.rec.spi_module.modules.kind", "Kind", "uint8", false, "records_modules.ModuleKind"},
  {"kantech.rec.spi_module.modules.bus_address", "Bus address", "uint8", false, nil},
  {"kantech.rec.spi_module.modules.first_point", "First point", "uint8", false, nil},
  {"kantech.rec.spi_module.modules.point_count", "Point count", "uint8", false, nil},
  {"kantech.rec.spi_module.modules.options", "Options", "uint8", true, nil},
  {"kantech.rec.spi_module.modules.poll_interval", "Poll interval", "uint8", false, nil},
  {"kantech.rec.floor_definition.floor", "Floor", "uint8", false, nil},
  {"kantech.rec.floor_definition.label", "Label", "int8", false, nil},
  {"kantech.rec.floor_definition.free_schedule", "Free schedule", "uint8", false, nil},
  {"kantech.rec.floor_definition.flags", "Flags", "uint8", true, nil},
  {"kantech.rec.floor_definition.name", "Name", "text", false, nil},
  {"kantech.rec.floor_definition.second_name", "Second name", "text", false, nil},
  {"kantech.rec.door.door", "Door", "uint8", false, nil},
  {"kantech.rec.door.flags", "Flags", "uint16", true, nil},
  {"kantech.rec.door.unlock_time", "Unlock time", "uint16", false, nil},
  {"kantech.rec.door.extended_unlock_time", "Extended unlock time", "uint16", false, nil},
  {"kantech.rec.door.open_time", "Open time", "uint16", false, nil},
  {"kantech.rec.door.extended_open_time", "Extended open time", "uint16", false, nil},
  {"kantech.rec.door.pre_alarm_time", "Pre alarm time", "uint16", false, nil},
  {"kantech.rec.door.relock_delay", "Relock delay", "uint16", false, nil},
  {"kantech.rec.door.contact_input", "Contact input", "uint8", false, nil},
  {"kantech.rec.door.rex_input", "Rex input", "uint8", false, nil},
  {"kantech.rec.door.lock_relay", "Lock relay", "uint8", false, nil},
  {"kantech.rec.door.buzzer_output", "Buzzer output", "uint8", false, nil},
  {"kantech.rec.door.entry_reader", "Entry reader", "uint8", false, nil},
  {"kantech.rec.door.exit_reader", "Exit reader", "uint8", false, nil},
  {"kantech.rec.door.unlock_schedule", "Unlock schedule", "uint8", false, nil},
  {"kantech.rec.door.pin_schedule", "Pin schedule", "uint8", false, nil},
  {"kantech.rec.door.disabled_schedule", "Disabled schedule", "uint8", false, nil},
  {"kantech.rec.door.interlock_door", "Interlock door", "uint8", false, nil},
  {"kantech.rec.door.pin_timeout", "Pin timeout", "uint8", false, nil},
  {"kantech.rec.door.reader_mode", "Reader mode", "uint8", false, "records_hardware.ReaderMode"},
  {"kantech.rec.relay.relay", "Relay", "uint8", false, nil},
  {"kantech.rec.relay.flags", "Flags", "uint8", true, nil},
  {"kantech.rec.relay.schedule", "Schedule", "uint8", false, nil},
  {"kantech.rec.relay.pulse_time", "Pulse time", "uint16", false, nil},
  {"kantech.rec.relay.follow_input", "Follow input", "uint8", false, nil},
  {"kantech.rec.input.input", "Input", "uint8", false, nil},
  {"kantech.rec.input.normal_state", "Normal state", "uint8", false, "records_hardware.NormalState"},
  {"kantech.rec.input.supervision", "Supervision", "uint8", false, "records_hardware.Supervision"},
  {"kantech.rec.input.flags", "Flags", "uint8", true, nil},
  {"kantech.rec.input.debounce_ms", "Debounce ms", "uint16", false, nil},
  {"kantech.rec.input.alarm_delay", "Alarm delay", "uint16", false, nil},
  {"kantech.rec.input.shunt_time", "Shunt time", "uint16", false, nil},
  {"kantech.rec.input.alarm_schedule", "Alarm schedule", "uint8", false, nil},
  {"kantech.rec.input.shunt_schedule", "Shunt schedule", "uint8", false, nil},
  {"kantech.rec.input.alarm_relay", "Alarm relay", "uint8", false, nil},
  {"kantech.rec.input.alarm_output", "Alarm output", "uint8", false, nil},
  {"kantech.rec.output.output", "Output", "uint8", false, nil},
  {"kantech.rec.output.flags", "Flags", "uint8", true, nil},
  {"kantech.rec.output.schedule", "Schedule", "uint8", false, nil},
  {"kantech.rec.output.on_time", "On time", "uint16", false, nil},
  {"kantech.rec.output.blink_on", "Blink on", "uint8", false, nil},
  {"kantech.rec.output.blink_off", "Blink off", "uint8", false, nil},
  {"kantech.rec.output.triggers", "Triggers", "uint32", true, nil},
  {"kantech.rec.output.trigger_door", "Trigger door", "uint8", false, nil},
  {"kantech.rec.output.trigger_input", "Trigger input", "uint8", false, nil},
  {"kantech.rec.output.reserved", "Reserved", "bytes", false, nil},
  {"kantech.rec.card_kt400.card_number", "Card number", "uint32", false, nil},
  {"kantech.rec.card_kt400.card_digits", "Card digits", "bcd", false, nil},
  {"kantech.rec.card_kt400.pin", "Pin", "bcd", false, nil},
  {"kantech.rec.card_kt400.flags", "Flags", "uint16", true, nil},
  {"kantech.rec.card_kt400.access_levels", "Access levels", "uint8", false, nil},
  {"kantech.rec.card_kt400.floor_group", "Floor group", "uint8", false, nil},
  {"kantech.rec.card_kt400.valid_from.year_since_2000", "Year since 2000", "uint8", false, nil},
  {"kantech.rec.card_kt400.valid_from.month", "Month", "uint8", false, nil},
  {"kantech.rec.card_kt400.valid_from.day", "Day", "uint8", false, nil},
  {"kantech.rec.card_kt400.valid_until.year_since_2000", "Year since 2000", "uint8", false, nil},
  {"kantech.rec.card_kt400.valid_until.month", "Month", "uint8", false, nil},
  {"kantech.rec.card_kt400.valid_until.day", "Day", "uint8", false, nil},
  {"kantech.rec.card_kt400.uses_left", "Uses left", "uint16", false, nil},
  {"kantech.rec.card_kt400.holder_id", "Holder id", "uint32", false, nil},
  {"kantech.rec.card_kt400.user_name", "User name", "text", false, nil},
  {"kantech.rec.card_kt400.reserved", "Reserved", "bytes", false, nil},
  {"kantech.rec.card_kt100.card_number", "Card number", "uint32", false, nil},
  {"kantech.rec.card_kt100.pin", "Pin", "bcd", false, nil},
  {"kantech.rec.card_kt100.flags", "Flags", "uint8", true, nil},
  {"kantech.rec.card_kt100.access_level", "Access level", "uint8", false, nil},
  {"kantech.rec.card_kt100.valid_from.year_since_2000", "Year since 2000", "uint8", false, nil},
  {"kantech.rec.card_kt100.valid_from.month", "Month", "uint8", false, nil},
  {"kantech.rec.card_kt100.valid_from.day", "Day", "uint8", false, nil},
  {"kantech.rec.card_kt100.valid_until.year_since_2000", "Year since 2000", "uint8", false, nil},
  {"kantech.rec.card_kt100.valid_until.month", "Month", "uint8", false, nil},
  {"kantech.rec.card_kt100.valid_until.day", "Day", "uint8", false, nil},
  {"kantech.rec.card_kt100.uses_left", "Uses left", "uint16", false, nil},
  {"kantech.rec.schedule_kt400.schedule_id", "Schedule id", "uint8", false, nil},
  {"kantech.rec.schedule_kt400.intervals.start.hour", "Hour", "uint8", false, nil},
  {"kantech.rec.schedule_kt400.intervals.start.minute", "Minute", "uint8", false, nil},
  {"kantech.rec.schedule_kt400.intervals.end.hour", "Hour", "uint8", false, nil},
  {"kantech.rec.schedule_kt400.intervals.end.minute", "Minute", "uint8", false, nil},
  {"kantech.rec.schedule_kt400.intervals.days", "Days", "uint8", true, nil},
  {"kantech.rec.schedule_kt400.intervals.holiday_types", "Holiday types", "uint8", false, nil},
  {"kantech.rec.schedule_kt400.reserved", "Reserved", "bytes", false, nil},
  {"kantech.rec.schedule_kt100.schedule_id", "Schedule id", "uint8", false, nil},
  {"kantech.rec.schedule_kt100.intervals.start.hour", "Hour", "uint8", false, nil},
  {"kantech.rec.schedule_kt100.intervals.start.minute", "Minute", "uint8", false, nil},
  {"kantech.rec.schedule_kt100.intervals.end.hour", "Hour", "uint8", false, nil},
  {"kantech.rec.schedule_kt100.intervals.end.minute", "Minute", "uint8", false, nil},
  {"kantech.rec.schedule_kt100.intervals.days", "Days", "uint8", true, nil},
  {"kantech.rec.access_level.level_id", "Level id", "uint8", false, nil},
  {"kantech.rec.access_level.door_schedules", "Door schedules", "uint8", false, nil},
  {"kantech.rec.floor_group.group_id", "Group id", "uint8", false, nil},
  {"kantech.rec.floor_group.floor_schedules", "Floor schedules", "uint8", false, nil},
  {"kantech.rec.floor_group_mask.group_id", "Group id", "uint8", false, nil},
  {"kantech.rec.floor_group_mask.floors", "Floors", "bytes", false, nil},
  {"kantech.rec.holidays.holidays.year", "Year", "uint8", false, nil},
  {"kantech.rec.holidays.holidays.month", "Month", "uint8", false, nil},
  {"kantech.rec.holidays.holidays.day", "Day", "uint8", false, nil},
  {"kantech.rec.holidays.holidays.holiday_type", "Holiday type", "uint8", false, nil},
  {"kantech.rec.relay_group.group_id", "Group id", "uint8", false, nil},
  {"kantech.rec.relay_group.members", "Members", "uint16", true, nil},
  {"kantech.rec.input_group.group_id", "Group id", "uint8", false, nil},
  {"kantech.rec.input_group.members", "Members", "uint16", true, nil},
  {"kantech.rec.action_scheduler.action_id", "Action id", "uint8", false, nil},
  {"kantech.rec.action_scheduler.operation", "Operation", "uint8", false, "codes.ManualOperation"},
  {"kantech.rec.action_scheduler.first_index", "First index", "uint8", false, nil},
  {"kantech.rec.action_scheduler.count", "Count", "uint8", false, nil},
  {"kantech.rec.action_scheduler.duration", "Duration", "uint16", false, nil},
  {"kantech.rec.action_scheduler.at.hour", "Hour", "uint8", false, nil},
  {"kantech.rec.action_scheduler.at.minute", "Minute", "uint8", false, nil},
  {"kantech.rec.action_scheduler.repeat_every", "Repeat every", "uint16", false, nil},
  {"kantech.rec.action_scheduler.repeat_until.hour", "Hour", "uint8", false, nil},
  {"kantech.rec.action_scheduler.repeat_until.minute", "Minute", "uint8", false, nil},
  {"kantech.rec.action_scheduler.days", "Days", "uint8", true, nil},
  {"kantech.rec.action_scheduler.holiday_types", "Holiday types", "uint8", false, nil},
  {"kantech.rec.action_scheduler.valid_from.year_since_2000", "Year since 2000", "uint8", false, nil},
  {"kantech.rec.action_scheduler.valid_from.month", "Month", "uint8", false, nil},
  {"kantech.rec.action_scheduler.valid_from.day", "Day", "uint8", false, nil},
  {"kantech.rec.action_scheduler.valid_until.year_since_2000", "Year since 2000", "uint8", false, nil},
  {"kantech.rec.action_scheduler.valid_until.month", "Month", "uint8", false, nil},
  {"kantech.rec.action_scheduler.valid_until.day", "Day", "uint8", false, nil},
  {"kantech.rec.action_scheduler.condition_schedule", "Condition schedule", "uint8", false, nil},
  {"kantech.rec.action_scheduler.flags", "Flags", "uint8", true, nil},
  {"kantech.rec.date_time.year_since_2000", "Year since 2000", "uint8", false, nil},
  {"kantech.rec.date_time.month", "Month", "uint8", false, nil},
  {"kantech.rec.date_time.day", "Day", "uint8", false, nil},
  {"kantech.rec.date_time.hour", "Hour", "uint8", false, nil},
  {"kantech.rec.date_time.minute", "Minute", "uint8", false, nil},
  {"kantech.rec.date_time.second", "Second", "uint8", false, nil},
  {"kantech.rec.date_time.weekday", "Weekday", "uint8", false, nil},
  {"kantech.result.kind", "Kind", "uint8", false, "codes.ComponentKind"},
  {"kantech.result.index", "Index", "uint8", false, nil},
  {"kantech.result.operation", "Operation", "uint8", false, "codes.ManualOperation"},
  {"kantech.result.result", "Result", "uint8", false, "controller_status.OperationResult"},
  {"kantech.result.state", "State", "uint8", false, nil},
  {"kantech.result.flags", "Flags", "uint8", false, nil},
  {"kantech.result.remaining_seconds", "Remaining seconds", "uint16", false, nil},
  {"kantech.reload.record_type", "Record type", "uint8", false, "codes.RecordType"},
  {"kantech.reload.count", "Count", "uint8", false, nil},
  {"kantech.event.component", "Component", "uint8", false, nil},
  {"kantech.event.timestamp.year_since_2000", "Year since 2000", "uint8", false, nil},
  {"kantech.event.timestamp.month", "Month", "uint8", false, nil},
  {"kantech.event.timestamp.day", "Day", "uint8", false, nil},
  {"kantech.event.timestamp.hour", "Hour", "uint8", false, nil},
  {"kantech.event.timestamp.minute", "Minute", "uint8", false, nil},
  {"kantech.event.timestamp.second", "Second", "uint8", false, nil},
  {"kantech.event.timestamp.weekday", "Weekday", "uint8", false, nil},
  {"kantech.event.event_type", "Event type", "uint8", false, "event_types.EventType"},
  {"kantech.event.value", "Value", "uint24", false, nil},
  {"kantech.event.source", "Source", "uint8", false, "event_types.Source"},
  {"kantech.event.minutes", "Minutes", "uint8", false, nil},
  {"kantech.event.schedule", "Schedule", "uint8", false, nil},
  {"kantech.event.card_number", "Card number", "uint32", false, nil},
  {"kantech.event.card_digits", "Card digits", "bcd", false, nil},
  {"kantech.event.floor", "Floor", "uint8", false, nil}}
GEN.outer = {scope="", size=7, nodes={
    {n="sync", a="kantech.sync", o=0, s=1, t="bytes"},
    {n="length", a="kantech.length", o=1, s=2, t="uint16"},
    {n="site_id", a="kantech.site_id", o=3, s=4, t="uint32"}}}
GEN.plain = {scope="", size=15, nodes={
    {n="validation", a="kantech.validation", o=0, s=2, t="bytes"},
    {n="sender_id", a="kantech.sender_id", o=2, s=6, t="ether"},
    {n="sequence", a="kantech.sequence", o=8, s=2, t="uint16"},
    {n="event_id", a="kantech.event_id", o=10, s=4, t="uint32"},
    {n="command", a="kantech.command", o=14, s=1, t="uint8", e="codes.Command"}}}
GEN.commands = {
  [1]={scope="pulse", size=1, nodes={
    {n="events_waiting", a="kantech.pulse.events_waiting", o=0, s=1, t="uint8"}}},
  [3]={scope="announce", size=32, nodes={
    {n="model", a="kantech.announce.model", o=0, s=1, t="uint8", e="codes.DeviceModel"},
    {n="firmware", a="kantech.announce.firmware", o=1, s=3, t="array", c=3, el={n="firmware", a="kantech.announce.firmware", o=0, s=1, t="uint8"}},
    {n="serial_number", a="kantech.announce.serial_number", o=4, s=16, t="text"},
    {n="ip", a="kantech.announce.ip", o=20, s=4, t="ipv4"},
    {n="netmask", a="kantech.announce.netmask", o=24, s=4, t="ipv4"},
    {n="gateway", a="kantech.announce.gateway", o=28, s=4, t="ipv4"}}},
  [5]={scope="nak", size=1, nodes={
    {n="reason", a="kantech.nak.reason", o=0, s=1, t="uint8", e="codes.NakReason"}}},
  [19]={scope="status", size=63, nodes={
    {n="model", a="kantech.status.model", o=0, s=1, t="uint8", e="codes.DeviceModel"},
    {n="firmware", a="kantech.status.firmware", o=1, s=3, t="array", c=3, el={n="firmware", a="kantech.status.firmware", o=0, s=1, t="uint8"}},
    {n="clock", a="kantech.status.clock", o=4, s=7, t="bytes"},
    {n="system_flags", a="kantech.status.system_flags", o=11, s=1, t="uint8", fl="controller_status.SystemFlag"},
    {n="events_queued", a="kantech.status.events_queued", o=12, s=2, t="uint16"},
    {n="door_count", a="kantech.status.door_count", o=14, s=1, t="uint8"},
    {n="doors", a="kantech.status.doors", o=15, s=8, t="array", c=4, el={n="doors", a="kantech.status.doors", o=0, s=2, t="struct", f={{n="lock_state", a="kantech.status.doors.lock_state", o=0, s=1, t="uint8", e="controller_status.DoorLockState"}, {n="flags", a="kantech.status.doors.flags", o=1, s=1, t="uint8", fl="controller_status.DoorFlag"}}}},
    {n="relay_count", a="kantech.status.relay_count", o=23, s=1, t="uint8"},
    {n="relays_active", a="kantech.status.relays_active", o=24, s=2, t="uint16"},
    {n="relays_timed", a="kantech.status.relays_timed", o=26, s=2, t="uint16"},
    {n="input_count", a="kantech.status.input_count", o=28, s=1, t="uint8"},
    {n="inputs_active", a="kantech.status.inputs_active", o=29, s=2, t="uint16"},
    {n="inputs_alarm", a="kantech.status.inputs_alarm", o=31, s=2, t="uint16"},
    {n="inputs_shunted", a="kantech.status.inputs_shunted", o=33, s=2, t="uint16"},
    {n="inputs_trouble", a="kantech.status.inputs_trouble", o=35, s=2, t="uint16"},
    {n="output_count", a="kantech.status.output_count", o=37, s=1, t="uint8"},
    {n="outputs_active", a="kantech.status.outputs_active", o=38, s=2, t="uint16"},
    {n="cards_loaded", a="kantech.status.cards_loaded", o=40, s=4, t="uint32"},
    {n="schedules_loaded", a="kantech.status.schedules_loaded", o=44, s=2, t="uint16"},
    {n="access_levels_loaded", a="kantech.status.access_levels_loaded", o=46, s=2, t="uint16"},
    {n="records_loaded", a="kantech.status.records_loaded", o=48, s=4, t="uint32"},
    {n="uptime_seconds", a="kantech.status.uptime_seconds", o=52, s=4, t="uint32"},
    {n="firmware_crc32", a="kantech.status.firmware_crc32", o=56, s=4, t="uint32"},
    {n="reserved", a="kantech.status.reserved", o=60, s=3, t="bytes"}}},
  [20]={scope="datetime", size=7, nodes={
    {n="year_since_2000", a="kantech.datetime.year_since_2000", o=0, s=1, t="uint8"},
    {n="month", a="kantech.datetime.month", o=1, s=1, t="uint8"},
    {n="day", a="kantech.datetime.day", o=2, s=1, t="uint8"},
    {n="hour", a="kantech.datetime.hour", o=3, s=1, t="uint8"},
    {n="minute", a="kantech.datetime.minute", o=4, s=1, t="uint8"},
    {n="second", a="kantech.datetime.second", o=5, s=1, t="uint8"},
    {n="weekday", a="kantech.datetime.weekday", o=6, s=1, t="uint8"}}},
  [32]={scope="manual_op", size=6, nodes={
    {n="operation", a="kantech.manual_op.operation", o=0, s=1, t="uint8", e="codes.ManualOperation"},
    {n="kind", a="kantech.manual_op.kind", o=1, s=1, t="uint8", e="codes.ComponentKind"},
    {n="first_index", a="kantech.manual_op.first_index", o=2, s=1, t="uint8"},
    {n="count", a="kantech.manual_op.count", o=3, s=1, t="uint8"},
    {n="duration", a="kantech.manual_op.duration", o=4, s=2, t="uint16"}}},
  [48]={scope="reload", size=1, nodes={
    {n="scope", a="kantech.reload.scope", o=0, s=1, t="uint8", e="wire_schema.ReloadScope"}}},
  [50]={scope="reload", size=4, nodes={
    {n="record_count", a="kantech.reload.record_count", o=0, s=4, t="uint32"}}},
  [80]={scope="firmware_block", size=130, nodes={
    {n="block_number", a="kantech.firmware_block.block_number", o=0, s=2, t="uint16"},
    {n="chunk", a="kantech.firmware_block.chunk", o=2, s=128, t="bytes"}}},
  [81]={scope="firmware_end", size=6, nodes={
    {n="block_count", a="kantech.firmware_end.block_count", o=0, s=2, t="uint16"},
    {n="crc32", a="kantech.firmware_end.crc32", o=2, s=4, t="uint32"}}}}
GEN.no_data = {[2]=true, [4]=true, [16]=true, [18]=true}
GEN.variable = {MANUAL_OP_REPLY=33, RELOAD_RECORDS=49, EVENT=64, TUNNEL=96}
GEN.records = {
  [1]={scope="rec.global_system", size=83, nodes={
    {n="site_id", a="kantech.rec.global_system.site_id", o=0, s=4, t="uint32"},
    {n="site_name", a="kantech.rec.global_system.site_name", o=4, s=40, t="text"},
    {n="options", a="kantech.rec.global_system.options", o=44, s=2, t="uint16", fl="records_system.SystemOption"},
    {n="utc_offset", a="kantech.rec.global_system.utc_offset", o=46, s=2, t="int16"},
    {n="dst_start", a="kantech.rec.global_system.dst_start", o=48, s=4, t="struct", f={{n="month", a="kantech.rec.global_system.dst_start.month", o=0, s=1, t="uint8"}, {n="week", a="kantech.rec.global_system.dst_start.week", o=1, s=1, t="uint8"}, {n="weekday", a="kantech.rec.global_system.dst_start.weekday", o=2, s=1, t="uint8"}, {n="hour", a="kantech.rec.global_system.dst_start.hour", o=3, s=1, t="uint8"}}},
    {n="dst_end", a="kantech.rec.global_system.dst_end", o=52, s=4, t="struct", f={{n="month", a="kantech.rec.global_system.dst_end.month", o=0, s=1, t="uint8"}, {n="week", a="kantech.rec.global_system.dst_end.week", o=1, s=1, t="uint8"}, {n="weekday", a="kantech.rec.global_system.dst_end.weekday", o=2, s=1, t="uint8"}, {n="hour", a="kantech.rec.global_system.dst_end.hour", o=3, s=1, t="uint8"}}},
    {n="dst_shift", a="kantech.rec.global_system.dst_shift", o=56, s=1, t="uint8"},
    {n="pin_length", a="kantech.rec.global_system.pin_length", o=57, s=1, t="uint8"},
    {n="pin_attempts", a="kantech.rec.global_system.pin_attempts", o=58, s=1, t="uint8"},
    {n="pin_lockout", a="kantech.rec.global_system.pin_lockout", o=59, s=2, t="uint16"},
    {n="heartbeat", a="kantech.rec.global_system.heartbeat", o=61, s=2, t="uint16"},
    {n="gateway_timeout", a="kantech.rec.global_system.gateway_timeout", o=63, s=2, t="uint16"},
    {n="passback_reset", a="kantech.rec.global_system.passback_reset", o=65, s=2, t="struct", f={{n="hour", a="kantech.rec.global_system.passback_reset.hour", o=0, s=1, t="uint8"}, {n="minute", a="kantech.rec.global_system.passback_reset.minute", o=1, s=1, t="uint8"}}},
    {n="reserved", a="kantech.rec.global_system.reserved", o=67, s=16, t="bytes"}}},
  [2]={scope="rec.controller", size=40, nodes={
    {n="address", a="kantech.rec.controller.address", o=0, s=1, t="uint8"},
    {n="model", a="kantech.rec.controller.model", o=1, s=1, t="uint8", e="codes.DeviceModel"},
    {n="first_site_door", a="kantech.rec.controller.first_site_door", o=2, s=1, t="uint8"},
    {n="door_count", a="kantech.rec.controller.door_count", o=3, s=1, t="uint8"},
    {n="relay_count", a="kantech.rec.controller.relay_count", o=4, s=1, t="uint8"},
    {n="input_count", a="kantech.rec.controller.input_count", o=5, s=1, t="uint8"},
    {n="output_count", a="kantech.rec.controller.output_count", o=6, s=1, t="uint8"},
    {n="reader_count", a="kantech.rec.controller.reader_count", o=7, s=1, t="uint8"},
    {n="options", a="kantech.rec.controller.options", o=8, s=2, t="uint16", fl="records_system.ControllerOption"},
    {n="tamper_input", a="kantech.rec.controller.tamper_input", o=10, s=1, t="uint8"},
    {n="ac_fail_input", a="kantech.rec.controller.ac_fail_input", o=11, s=1, t="uint8"},
    {n="battery_input", a="kantech.rec.controller.battery_input", o=12, s=1, t="uint8"},
    {n="event_buffer", a="kantech.rec.controller.event_buffer", o=13, s=2, t="uint16"},
    {n="name", a="kantech.rec.controller.name", o=15, s=24, t="text"},
    {n="reserved", a="kantech.rec.controller.reserved", o=39, s=1, t="bytes"}}},
  [3]={scope="rec.reader_driver", size=253, nodes={
    {n="driver_id", a="kantech.rec.reader_driver.driver_id", o=0, s=1, t="uint8"},
    {n="interface", a="kantech.rec.reader_driver.interface", o=1, s=1, t="uint8", e="records_system.ReaderInterface"},
    {n="osdp_address", a="kantech.rec.reader_driver.osdp_address", o=2, s=1, t="uint8"},
    {n="osdp_baud", a="kantech.rec.reader_driver.osdp_baud", o=3, s=1, t="uint8", e="records_system.OsdpBaud"},
    {n="data_bits", a="kantech.rec.reader_driver.data_bits", o=4, s=1, t="uint8"},
    {n="facility_start", a="kantech.rec.reader_driver.facility_start", o=5, s=1, t="uint8"},
    {n="facility_length", a="kantech.rec.reader_driver.facility_length", o=6, s=1, t="uint8"},
    {n="number_start", a="kantech.rec.reader_driver.number_start", o=7, s=1, t="uint8"},
    {n="number_length", a="kantech.rec.reader_driver.number_length", o=8, s=1, t="uint8"},
    {n="parity", a="kantech.rec.reader_driver.parity", o=9, s=1, t="uint8", fl="records_system.Parity"},
    {n="keypad", a="kantech.rec.reader_driver.keypad", o=10, s=1, t="uint8", e="records_system.KeypadMode"},
    {n="led", a="kantech.rec.reader_driver.led", o=11, s=1, t="uint8", e="records_system.LedMode"},
    {n="flags", a="kantech.rec.reader_driver.flags", o=12, s=1, t="uint8", fl="records_system.ReaderFlag"},
    {n="osdp_key", a="kantech.rec.reader_driver.osdp_key", o=13, s=16, t="bytes"},
    {n="name", a="kantech.rec.reader_driver.name", o=29, s=16, t="text"},
    {n="keypad_map", a="kantech.rec.reader_driver.keypad_map", o=45, s=16, t="text"},
    {n="prompt_idle", a="kantech.rec.reader_driver.prompt_idle", o=61, s=32, t="text"},
    {n="prompt_pin", a="kantech.rec.reader_driver.prompt_pin", o=93, s=32, t="text"},
    {n="prompt_granted", a="kantech.rec.reader_driver.prompt_granted", o=125, s=32, t="text"},
    {n="prompt_denied", a="kantech.rec.reader_driver.prompt_denied", o=157, s=32, t="text"},
    {n="prompt_unlocked", a="kantech.rec.reader_driver.prompt_unlocked", o=189, s=32, t="text"},
    {n="prompt_disabled", a="kantech.rec.reader_driver.prompt_disabled", o=221, s=32, t="text"}}},
  [4]={scope="rec.floor_assignation", size=512, nodes={
    {n="floors", a="kantech.rec.floor_assignation.floors", o=0, s=512, t="array", c=256, el={n="floors", a="kantech.rec.floor_assignation.floors", o=0, s=2, t="struct", f={{n="relay", a="kantech.rec.floor_assignation.floors.relay", o=0, s=1, t="uint8"}, {n="feedback_input", a="kantech.rec.floor_assignation.floors.feedback_input", o=1, s=1, t="uint8"}}}}}},
  [5]={scope="rec.serial_number", size=115, nodes={
    {n="controller_serial", a="kantech.rec.serial_number.controller_serial", o=0, s=16, t="text"},
    {n="hardware_revision", a="kantech.rec.serial_number.hardware_revision", o=16, s=1, t="uint8"},
    {n="modules", a="kantech.rec.serial_number.modules", o=17, s=98, t="array", c=7, el={n="modules", a="kantech.rec.serial_number.modules", o=0, s=14, t="struct", f={{n="kind", a="kantech.rec.serial_number.modules.kind", o=0, s=1, t="uint8", e="records_modules.ModuleKind"}, {n="bus_address", a="kantech.rec.serial_number.modules.bus_address", o=1, s=1, t="uint8"}, {n="serial", a="kantech.rec.serial_number.modules.serial", o=2, s=12, t="text"}}}}}},
  [6]={scope="rec.dsc_module", size=204, nodes={
    {n="panel", a="kantech.rec.dsc_module.panel", o=0, s=1, t="uint8", e="records_modules.DscPanel"},
    {n="bus_address", a="kantech.rec.dsc_module.bus_address", o=1, s=1, t="uint8"},
    {n="partitions", a="kantech.rec.dsc_module.partitions", o=2, s=1, t="uint8"},
    {n="options", a="kantech.rec.dsc_module.options", o=3, s=1, t="uint8", fl="records_modules.DscOption"},
    {n="exit_delay", a="kantech.rec.dsc_module.exit_delay", o=4, s=1, t="uint8"},
    {n="entry_delay", a="kantech.rec.dsc_module.entry_delay", o=5, s=1, t="uint8"},
    {n="access_code", a="kantech.rec.dsc_module.access_code", o=6, s=6, t="text"},
    {n="zones", a="kantech.rec.dsc_module.zones", o=12, s=192, t="array", c=64, el={n="zones", a="kantech.rec.dsc_module.zones", o=0, s=3, t="struct", f={{n="input", a="kantech.rec.dsc_module.zones.input", o=0, s=1, t="uint8"}, {n="partition", a="kantech.rec.dsc_module.zones.partition", o=1, s=1, t="uint8"}, {n="zone_type", a="kantech.rec.dsc_module.zones.zone_type", o=2, s=1, t="uint8", e="records_modules.ZoneType"}}}}}},
  [7]={scope="rec.spi_module", size=90, nodes={
    {n="modules", a="kantech.rec.spi_module.modules", o=0, s=90, t="array", c=15, el={n="modules", a="kantech.rec.spi_module.modules", o=0, s=6, t="struct", f={{n="kind", a="kantech.rec.spi_module.modules.kind", o=0, s=1, t="uint8", e="records_modules.ModuleKind"}, {n="bus_address", a="kantech.rec.spi_module.modules.bus_address", o=1, s=1, t="uint8"}, {n="first_point", a="kantech.rec.spi_module.modules.first_point", o=2, s=1, t="uint8"}, {n="point_count", a="kantech.rec.spi_module.modules.point_count", o=3, s=1, t="uint8"}, {n="options", a="kantech.rec.spi_module.modules.options", o=4, s=1, t="uint8", fl="records_modules.SpiOption"}, {n="poll_interval", a="kantech.rec.spi_module.modules.poll_interval", o=5, s=1, t="uint8"}}}}}},
  [8]={scope="rec.floor_definition", size=64, nodes={
    {n="floor", a="kantech.rec.floor_definition.floor", o=0, s=1, t="uint8"},
    {n="label", a="kantech.rec.floor_definition.label", o=1, s=1, t="int8"},
    {n="free_schedule", a="kantech.rec.floor_definition.free_schedule", o=2, s=1, t="uint8"},
    {n="flags", a="kantech.rec.floor_definition.flags", o=3, s=1, t="uint8", fl="records_elevator.FloorFlag"},
    {n="name", a="kantech.rec.floor_definition.name", o=4, s=30, t="text"},
    {n="second_name", a="kantech.rec.floor_definition.second_name", o=34, s=30, t="text"}}},
  [9]={scope="rec.door", size=27, nodes={
    {n="door", a="kantech.rec.door.door", o=0, s=1, t="uint8"},
    {n="flags", a="kantech.rec.door.flags", o=1, s=2, t="uint16", fl="records_hardware.DoorFlag"},
    {n="unlock_time", a="kantech.rec.door.unlock_time", o=3, s=2, t="uint16"},
    {n="extended_unlock_time", a="kantech.rec.door.extended_unlock_time", o=5, s=2, t="uint16"},
    {n="open_time", a="kantech.rec.door.open_time", o=7, s=2, t="uint16"},
    {n="extended_open_time", a="kantech.rec.door.extended_open_time", o=9, s=2, t="uint16"},
    {n="pre_alarm_time", a="kantech.rec.door.pre_alarm_time", o=11, s=2, t="uint16"},
    {n="relock_delay", a="kantech.rec.door.relock_delay", o=13, s=2, t="uint16"},
    {n="contact_input", a="kantech.rec.door.contact_input", o=15, s=1, t="uint8"},
    {n="rex_input", a="kantech.rec.door.rex_input", o=16, s=1, t="uint8"},
    {n="lock_relay", a="kantech.rec.door.lock_relay", o=17, s=1, t="uint8"},
    {n="buzzer_output", a="kantech.rec.door.buzzer_output", o=18, s=1, t="uint8"},
    {n="entry_reader", a="kantech.rec.door.entry_reader", o=19, s=1, t="uint8"},
    {n="exit_reader", a="kantech.rec.door.exit_reader", o=20, s=1, t="uint8"},
    {n="unlock_schedule", a="kantech.rec.door.unlock_schedule", o=21, s=1, t="uint8"},
    {n="pin_schedule", a="kantech.rec.door.pin_schedule", o=22, s=1, t="uint8"},
    {n="disabled_schedule", a="kantech.rec.door.disabled_schedule", o=23, s=1, t="uint8"},
    {n="interlock_door", a="kantech.rec.door.interlock_door", o=24, s=1, t="uint8"},
    {n="pin_timeout", a="kantech.rec.door.pin_timeout", o=25, s=1, t="uint8"},
    {n="reader_mode", a="kantech.rec.door.reader_mode", o=26, s=1, t="uint8", e="records_hardware.ReaderMode"}}},
  [10]={scope="rec.relay", size=6, nodes={
    {n="relay", a="kantech.rec.relay.relay", o=0, s=1, t="uint8"},
    {n="flags", a="kantech.rec.relay.flags", o=1, s=1, t="uint8", fl="records_hardware.RelayFlag"},
    {n="schedule", a="kantech.rec.relay.schedule", o=2, s=1, t="uint8"},
    {n="pulse_time", a="kantech.rec.relay.pulse_time", o=3, s=2, t="uint16"},
    {n="follow_input", a="kantech.rec.relay.follow_input", o=5, s=1, t="uint8"}}},
  [11]={scope="rec.input", size=14, nodes={
    {n="input", a="kantech.rec.input.input", o=0, s=1, t="uint8"},
    {n="normal_state", a="kantech.rec.input.normal_state", o=1, s=1, t="uint8", e="records_hardware.NormalState"},
    {n="supervision", a="kantech.rec.input.supervision", o=2, s=1, t="uint8", e="records_hardware.Supervision"},
    {n="flags", a="kantech.rec.input.flags", o=3, s=1, t="uint8", fl="records_hardware.InputFlag"},
    {n="debounce_ms", a="kantech.rec.input.debounce_ms", o=4, s=2, t="uint16"},
    {n="alarm_delay", a="kantech.rec.input.alarm_delay", o=6, s=2, t="uint16"},
    {n="shunt_time", a="kantech.rec.input.shunt_time", o=8, s=2, t="uint16"},
    {n="alarm_schedule", a="kantech.rec.input.alarm_schedule", o=10, s=1, t="uint8"},
    {n="shunt_schedule", a="kantech.rec.input.shunt_schedule", o=11, s=1, t="uint8"},
    {n="alarm_relay", a="kantech.rec.input.alarm_relay", o=12, s=1, t="uint8"},
    {n="alarm_output", a="kantech.rec.input.alarm_output", o=13, s=1, t="uint8"}}},
  [12]={scope="rec.output", size=15, nodes={
    {n="output", a="kantech.rec.output.output", o=0, s=1, t="uint8"},
    {n="flags", a="kantech.rec.output.flags", o=1, s=1, t="uint8", fl="records_hardware.OutputFlag"},
    {n="schedule", a="kantech.rec.output.schedule", o=2, s=1, t="uint8"},
    {n="on_time", a="kantech.rec.output.on_time", o=3, s=2, t="uint16"},
    {n="blink_on", a="kantech.rec.output.blink_on", o=5, s=1, t="uint8"},
    {n="blink_off", a="kantech.rec.output.blink_off", o=6, s=1, t="uint8"},
    {n="triggers", a="kantech.rec.output.triggers", o=7, s=4, t="uint32", fl="records_hardware.OutputTrigger"},
    {n="trigger_door", a="kantech.rec.output.trigger_door", o=11, s=1, t="uint8"},
    {n="trigger_input", a="kantech.rec.output.trigger_input", o=12, s=1, t="uint8"},
    {n="reserved", a="kantech.rec.output.reserved", o=13, s=2, t="bytes"}}},
  [13]={scope="rec.card_kt400", size=78, nodes={
    {n="card_number", a="kantech.rec.card_kt400.card_number", o=0, s=4, t="uint32"},
    {n="card_digits", a="kantech.rec.card_kt400.card_digits", o=4, s=10, t="bcd"},
    {n="pin", a="kantech.rec.card_kt400.pin", o=14, s=3, t="bcd"},
    {n="flags", a="kantech.rec.card_kt400.flags", o=17, s=2, t="uint16", fl="records_access.CardFlag"},
    {n="access_levels", a="kantech.rec.card_kt400.access_levels", o=19, s=4, t="array", c=4, el={n="access_levels", a="kantech.rec.card_kt400.access_levels", o=0, s=1, t="uint8"}},
    {n="floor_group", a="kantech.rec.card_kt400.floor_group", o=23, s=1, t="uint8"},
    {n="valid_from", a="kantech.rec.card_kt400.valid_from", o=24, s=3, t="struct", f={{n="year_since_2000", a="kantech.rec.card_kt400.valid_from.year_since_2000", o=0, s=1, t="uint8"}, {n="month", a="kantech.rec.card_kt400.valid_from.month", o=1, s=1, t="uint8"}, {n="day", a="kantech.rec.card_kt400.valid_from.day", o=2, s=1, t="uint8"}}},
    {n="valid_until", a="kantech.rec.card_kt400.valid_until", o=27, s=3, t="struct", f={{n="year_since_2000", a="kantech.rec.card_kt400.valid_until.year_since_2000", o=0, s=1, t="uint8"}, {n="month", a="kantech.rec.card_kt400.valid_until.month", o=1, s=1, t="uint8"}, {n="day", a="kantech.rec.card_kt400.valid_until.day", o=2, s=1, t="uint8"}}},
    {n="uses_left", a="kantech.rec.card_kt400.uses_left", o=30, s=2, t="uint16"},
    {n="holder_id", a="kantech.rec.card_kt400.holder_id", o=32, s=4, t="uint32"},
    {n="user_name", a="kantech.rec.card_kt400.user_name", o=36, s=40, t="text"},
    {n="reserved", a="kantech.rec.card_kt400.reserved", o=76, s=2, t="bytes"}}},
  [14]={scope="rec.card_kt100", size=17, nodes={
    {n="card_number", a="kantech.rec.card_kt100.card_number", o=0, s=4, t="uint32"},
    {n="pin", a="kantech.rec.card_kt100.pin", o=4, s=3, t="bcd"},
    {n="flags", a="kantech.rec.card_kt100.flags", o=7, s=1, t="uint8", fl="records_access.ShortCardFlag"},
    {n="access_level", a="kantech.rec.card_kt100.access_level", o=8, s=1, t="uint8"},
    {n="valid_from", a="kantech.rec.card_kt100.valid_from", o=9, s=3, t="struct", f={{n="year_since_2000", a="kantech.rec.card_kt100.valid_from.year_since_2000", o=0, s=1, t="uint8"}, {n="month", a="kantech.rec.card_kt100.valid_from.month", o=1, s=1, t="uint8"}, {n="day", a="kantech.rec.card_kt100.valid_from.day", o=2, s=1, t="uint8"}}},
    {n="valid_until", a="kantech.rec.card_kt100.valid_until", o=12, s=3, t="struct", f={{n="year_since_2000", a="kantech.rec.card_kt100.valid_until.year_since_2000", o=0, s=1, t="uint8"}, {n="month", a="kantech.rec.card_kt100.valid_until.month", o=1, s=1, t="uint8"}, {n="day", a="kantech.rec.card_kt100.valid_until.day", o=2, s=1, t="uint8"}}},
    {n="uses_left", a="kantech.rec.card_kt100.uses_left", o=15, s=2, t="uint16"}}},
  [15]={scope="rec.schedule_kt400", size=41, nodes={
    {n="schedule_id", a="kantech.rec.schedule_kt400.schedule_id", o=0, s=1, t="uint8"},
    {n="intervals", a="kantech.rec.schedule_kt400.intervals", o=1, s=36, t="array", c=6, el={n="intervals", a="kantech.rec.schedule_kt400.intervals", o=0, s=6, t="struct", f={{n="start", a="kantech.rec.schedule_kt400.intervals.start", o=0, s=2, t="struct", f={{n="hour", a="kantech.rec.schedule_kt400.intervals.start.hour", o=0, s=1, t="uint8"}, {n="minute", a="kantech.rec.schedule_kt400.intervals.start.minute", o=1, s=1, t="uint8"}}}, {n="end", a="kantech.rec.schedule_kt400.intervals.end", o=2, s=2, t="struct", f={{n="hour", a="kantech.rec.schedule_kt400.intervals.end.hour", o=0, s=1, t="uint8"}, {n="minute", a="kantech.rec.schedule_kt400.intervals.end.minute", o=1, s=1, t="uint8"}}}, {n="days", a="kantech.rec.schedule_kt400.intervals.days", o=4, s=1, t="uint8", fl="records_access.Day"}, {n="holiday_types", a="kantech.rec.schedule_kt400.intervals.holiday_types", o=5, s=1, t="uint8"}}}},
    {n="reserved", a="kantech.rec.schedule_kt400.reserved", o=37, s=4, t="bytes"}}},
  [16]={scope="rec.schedule_kt100", size=21, nodes={
    {n="schedule_id", a="kantech.rec.schedule_kt100.schedule_id", o=0, s=1, t="uint8"},
    {n="intervals", a="kantech.rec.schedule_kt100.intervals", o=1, s=20, t="array", c=4, el={n="intervals", a="kantech.rec.schedule_kt100.intervals", o=0, s=5, t="struct", f={{n="start", a="kantech.rec.schedule_kt100.intervals.start", o=0, s=2, t="struct", f={{n="hour", a="kantech.rec.schedule_kt100.intervals.start.hour", o=0, s=1, t="uint8"}, {n="minute", a="kantech.rec.schedule_kt100.intervals.start.minute", o=1, s=1, t="uint8"}}}, {n="end", a="kantech.rec.schedule_kt100.intervals.end", o=2, s=2, t="struct", f={{n="hour", a="kantech.rec.schedule_kt100.intervals.end.hour", o=0, s=1, t="uint8"}, {n="minute", a="kantech.rec.schedule_kt100.intervals.end.minute", o=1, s=1, t="uint8"}}}, {n="days", a="kantech.rec.schedule_kt100.intervals.days", o=4, s=1, t="uint8", fl="records_access.Day"}}}}}},
  [17]={scope="rec.access_level", size=249, nodes={
    {n="level_id", a="kantech.rec.access_level.level_id", o=0, s=1, t="uint8"},
    {n="door_schedules", a="kantech.rec.access_level.door_schedules", o=1, s=248, t="array", c=248, el={n="door_schedules", a="kantech.rec.access_level.door_schedules", o=0, s=1, t="uint8"}}}},
  [18]={scope="rec.floor_group", size=249, nodes={
    {n="group_id", a="kantech.rec.floor_group.group_id", o=0, s=1, t="uint8"},
    {n="floor_schedules", a="kantech.rec.floor_group.floor_schedules", o=1, s=248, t="array", c=248, el={n="floor_schedules", a="kantech.rec.floor_group.floor_schedules", o=0, s=1, t="uint8"}}}},
  [19]={scope="rec.floor_group_mask", size=33, nodes={
    {n="group_id", a="kantech.rec.floor_group_mask.group_id", o=0, s=1, t="uint8"},
    {n="floors", a="kantech.rec.floor_group_mask.floors", o=1, s=32, t="bytes"}}},
  [20]={scope="rec.holidays", size=200, nodes={
    {n="holidays", a="kantech.rec.holidays.holidays", o=0, s=200, t="array", c=50, el={n="holidays", a="kantech.rec.holidays.holidays", o=0, s=4, t="struct", f={{n="year", a="kantech.rec.holidays.holidays.year", o=0, s=1, t="uint8"}, {n="month", a="kantech.rec.holidays.holidays.month", o=1, s=1, t="uint8"}, {n="day", a="kantech.rec.holidays.holidays.day", o=2, s=1, t="uint8"}, {n="holiday_type", a="kantech.rec.holidays.holidays.holiday_type", o=3, s=1, t="uint8"}}}}}},
  [21]={scope="rec.relay_group", size=3, nodes={
    {n="group_id", a="kantech.rec.relay_group.group_id", o=0, s=1, t="uint8"},
    {n="members", a="kantech.rec.relay_group.members", o=1, s=2, t="uint16"}}},
  [22]={scope="rec.input_group", size=3, nodes={
    {n="group_id", a="kantech.rec.input_group.group_id", o=0, s=1, t="uint8"},
    {n="members", a="kantech.rec.input_group.members", o=1, s=2, t="uint16"}}},
  [23]={scope="rec.action_scheduler", size=22, nodes={
    {n="action_id", a="kantech.rec.action_scheduler.action_id", o=0, s=1, t="uint8"},
    {n="operation", a="kantech.rec.action_scheduler.operation", o=1, s=1, t="uint8", e="codes.ManualOperation"},
    {n="first_index", a="kantech.rec.action_scheduler.first_index", o=2, s=1, t="uint8"},
    {n="count", a="kantech.rec.action_scheduler.count", o=3, s=1, t="uint8"},
    {n="duration", a="kantech.rec.action_scheduler.duration", o=4, s=2, t="uint16"},
    {n="at", a="kantech.rec.action_scheduler.at", o=6, s=2, t="struct", f={{n="hour", a="kantech.rec.action_scheduler.at.hour", o=0, s=1, t="uint8"}, {n="minute", a="kantech.rec.action_scheduler.at.minute", o=1, s=1, t="uint8"}}},
    {n="repeat_every", a="kantech.rec.action_scheduler.repeat_every", o=8, s=2, t="uint16"},
    {n="repeat_until", a="kantech.rec.action_scheduler.repeat_until", o=10, s=2, t="struct", f={{n="hour", a="kantech.rec.action_scheduler.repeat_until.hour", o=0, s=1, t="uint8"}, {n="minute", a="kantech.rec.action_scheduler.repeat_until.minute", o=1, s=1, t="uint8"}}},
    {n="days", a="kantech.rec.action_scheduler.days", o=12, s=1, t="uint8", fl="records_access.Day"},
    {n="holiday_types", a="kantech.rec.action_scheduler.holiday_types", o=13, s=1, t="uint8"},
    {n="valid_from", a="kantech.rec.action_scheduler.valid_from", o=14, s=3, t="struct", f={{n="year_since_2000", a="kantech.rec.action_scheduler.valid_from.year_since_2000", o=0, s=1, t="uint8"}, {n="month", a="kantech.rec.action_scheduler.valid_from.month", o=1, s=1, t="uint8"}, {n="day", a="kantech.rec.action_scheduler.valid_from.day", o=2, s=1, t="uint8"}}},
    {n="valid_until", a="kantech.rec.action_scheduler.valid_until", o=17, s=3, t="struct", f={{n="year_since_2000", a="kantech.rec.action_scheduler.valid_until.year_since_2000", o=0, s=1, t="uint8"}, {n="month", a="kantech.rec.action_scheduler.valid_until.month", o=1, s=1, t="uint8"}, {n="day", a="kantech.rec.action_scheduler.valid_until.day", o=2, s=1, t="uint8"}}},
    {n="condition_schedule", a="kantech.rec.action_scheduler.condition_schedule", o=20, s=1, t="uint8"},
    {n="flags", a="kantech.rec.action_scheduler.flags", o=21, s=1, t="uint8", fl="records_actions.ActionFlag"}}},
  [24]={scope="rec.date_time", size=7, nodes={
    {n="year_since_2000", a="kantech.rec.date_time.year_since_2000", o=0, s=1, t="uint8"},
    {n="month", a="kantech.rec.date_time.month", o=1, s=1, t="uint8"},
    {n="day", a="kantech.rec.date_time.day", o=2, s=1, t="uint8"},
    {n="hour", a="kantech.rec.date_time.hour", o=3, s=1, t="uint8"},
    {n="minute", a="kantech.rec.date_time.minute", o=4, s=1, t="uint8"},
    {n="second", a="kantech.rec.date_time.second", o=5, s=1, t="uint8"},
    {n="weekday", a="kantech.rec.date_time.weekday", o=6, s=1, t="uint8"}}}}
GEN.result = {scope="result", size=8, nodes={
    {n="kind", a="kantech.result.kind", o=0, s=1, t="uint8", e="codes.ComponentKind"},
    {n="index", a="kantech.result.index", o=1, s=1, t="uint8"},
    {n="operation", a="kantech.result.operation", o=2, s=1, t="uint8", e="codes.ManualOperation"},
    {n="result", a="kantech.result.result", o=3, s=1, t="uint8", e="controller_status.OperationResult"},
    {n="state", a="kantech.result.state", o=4, s=1, t="uint8"},
    {n="flags", a="kantech.result.flags", o=5, s=1, t="uint8"},
    {n="remaining_seconds", a="kantech.result.remaining_seconds", o=6, s=2, t="uint16"}}}
GEN.reload_header = {scope="reload", size=2, nodes={
    {n="record_type", a="kantech.reload.record_type", o=0, s=1, t="uint8", e="codes.RecordType"},
    {n="count", a="kantech.reload.count", o=1, s=1, t="uint8"}}}
GEN.event_header = {scope="event", size=1, nodes={
    {n="component", a="kantech.event.component", o=0, s=1, t="uint8"}}}
GEN.event_timestamp = {scope="event.timestamp", size=7, nodes={
    {n="year_since_2000", a="kantech.event.timestamp.year_since_2000", o=0, s=1, t="uint8"},
    {n="month", a="kantech.event.timestamp.month", o=1, s=1, t="uint8"},
    {n="day", a="kantech.event.timestamp.day", o=2, s=1, t="uint8"},
    {n="hour", a="kantech.event.timestamp.hour", o=3, s=1, t="uint8"},
    {n="minute", a="kantech.event.timestamp.minute", o=4, s=1, t="uint8"},
    {n="second", a="kantech.event.timestamp.second", o=5, s=1, t="uint8"},
    {n="weekday", a="kantech.event.timestamp.weekday", o=6, s=1, t="uint8"}}}
GEN.event_rows = {
  {scope="event", size=4, title="system report", controller_wide=true, nodes={
    {n="event_type", a="kantech.event.event_type", o=0, s=1, t="uint8", e="event_types.EventType"},
    {n="value", a="kantech.event.value", o=1, s=3, t="uint24"}}},
  {scope="event", size=1, title="report following a command on the network", controller_wide=true, nodes={
    {n="event_type", a="kantech.event.event_type", o=0, s=1, t="uint8", e="event_types.EventType"}}},
  {scope="event", size=4, title="internal/external card number status", controller_wide=true, nodes={
    {n="event_type", a="kantech.event.event_type", o=0, s=1, t="uint8", e="event_types.EventType"},
    {n="value", a="kantech.event.value", o=1, s=3, t="uint24"}}},
  {scope="event", size=1, title="door report", controller_wide=false, nodes={
    {n="event_type", a="kantech.event.event_type", o=0, s=1, t="uint8", e="event_types.EventType"}}},
  {scope="event", size=2, title="door status", controller_wide=false, nodes={
    {n="event_type", a="kantech.event.event_type", o=0, s=1, t="uint8", e="event_types.EventType"},
    {n="source", a="kantech.event.source", o=1, s=1, t="uint8", e="event_types.Source"}}},
  {scope="event", size=1, title="inputs in alarm report", controller_wide=false, nodes={
    {n="event_type", a="kantech.event.event_type", o=0, s=1, t="uint8", e="event_types.EventType"}}},
  {scope="event", size=2, title="shunt inputs report", controller_wide=false, nodes={
    {n="event_type", a="kantech.event.event_type", o=0, s=1, t="uint8", e="event_types.EventType"},
    {n="source", a="kantech.event.source", o=1, s=1, t="uint8", e="event_types.Source"}}},
  {scope="event", size=2, title="temporarily shunt inputs report", controller_wide=false, nodes={
    {n="event_type", a="kantech.event.event_type", o=0, s=1, t="uint8", e="event_types.EventType"},
    {n="minutes", a="kantech.event.minutes", o=1, s=1, t="uint8"}}},
  {scope="event", size=1, title="supervised inputs report", controller_wide=false, nodes={
    {n="event_type", a="kantech.event.event_type", o=0, s=1, t="uint8", e="event_types.EventType"}}},
  {scope="event", size=2, title="relay activation status", controller_wide=false, nodes={
    {n="event_type", a="kantech.event.event_type", o=0, s=1, t="uint8", e="event_types.EventType"},
    {n="source", a="kantech.event.source", o=1, s=1, t="uint8", e="event_types.Source"}}},
  {scope="event", size=1, title="output by event activation status", controller_wide=false, nodes={
    {n="event_type", a="kantech.event.event_type", o=0, s=1, t="uint8", e="event_types.EventType"}}},
  {scope="event", size=2, title="status on unlocking door in stand-alone mode", controller_wide=false, nodes={
    {n="event_type", a="kantech.event.event_type", o=0, s=1, t="uint8", e="event_types.EventType"},
    {n="schedule", a="kantech.event.schedule", o=1, s=1, t="uint8"}}},
  {scope="event", size=1, title="status on disabling door in stand-alone mode", controller_wide=false, nodes={
    {n="event_type", a="kantech.event.event_type", o=0, s=1, t="uint8", e="event_types.EventType"}}},
  {scope="event", size=2, title="status on activating relay in stand-alone mode", controller_wide=false, nodes={
    {n="event_type", a="kantech.event.event_type", o=0, s=1, t="uint8", e="event_types.EventType"},
    {n="schedule", a="kantech.event.schedule", o=1, s=1, t="uint8"}}},
  {scope="event", size=5, title="access request results, 32-bit card", controller_wide=false, nodes={
    {n="event_type", a="kantech.event.event_type", o=0, s=1, t="uint8", e="event_types.EventType"},
    {n="card_number", a="kantech.event.card_number", o=1, s=4, t="uint32"}}},
  {scope="event", size=11, title="access request results, BCD card", controller_wide=false, nodes={
    {n="event_type", a="kantech.event.event_type", o=0, s=1, t="uint8", e="event_types.EventType"},
    {n="card_digits", a="kantech.event.card_digits", o=1, s=10, t="bcd"}}},
  {scope="event", size=6, title="valid or invalid floor selection results, 32-bit card", controller_wide=false, nodes={
    {n="event_type", a="kantech.event.event_type", o=0, s=1, t="uint8", e="event_types.EventType"},
    {n="card_number", a="kantech.event.card_number", o=1, s=4, t="uint32"},
    {n="floor", a="kantech.event.floor", o=5, s=1, t="uint8"}}},
  {scope="event", size=10, title="valid or invalid floor selection results, BCD card", controller_wide=false, nodes={
    {n="event_type", a="kantech.event.event_type", o=0, s=1, t="uint8", e="event_types.EventType"},
    {n="card_digits", a="kantech.event.card_digits", o=1, s=8, t="bcd"},
    {n="floor", a="kantech.event.floor", o=9, s=1, t="uint8"}}}}
GEN.event_types = {[1]=1, [2]=1, [3]=1, [4]=1, [5]=1, [6]=1, [7]=1, [8]=1, [9]=1, [10]=1, [11]=1, [16]=2, [17]=2, [24]=3, [25]=3, [32]=4, [33]=4, [34]=4, [35]=4, [36]=4, [37]=4, [40]=5, [41]=5, [42]=5, [43]=5, [48]=6, [49]=6, [50]=7, [51]=7, [52]=8, [53]=8, [56]=9, [57]=9, [58]=9, [64]=10, [65]=10, [72]=11, [73]=11, [80]=12, [81]=12, [82]=13, [83]=13, [84]=14, [85]=14, [128]=15, [129]=15, [130]=15, [131]=15, [132]=15, [133]=15, [134]=15, [135]=15, [136]=15, [137]=15, [138]=15, [139]=15, [140]=15, [141]=15, [142]=15, [143]=15, [144]=16, [145]=16, [146]=16, [147]=16, [148]=16, [149]=16, [150]=16, [151]=16, [152]=16, [153]=16, [154]=16, [155]=16, [156]=16, [157]=16, [158]=16, [159]=16, [160]=17, [161]=17, [176]=18, [177]=18}
GEN.constants = {sync=153, decrypted_sync=154, validation=12321, outer_header=7, plain_header=15, checksum_size=2, max_frame=4096, serial_overhead=4, presence_flag=128, serial_port=18899, tcp_port=18802, tunnel=96, udp_ports="18801,18803,18810"}
GEN.names = {command="codes.Command", record="codes.RecordType", event="event_types.EventType"}
-- END GENERATED DATA

-- ENGINE (hand-written; tools/wireshark/engine.lua). It reads only GEN, the generated data above.
--
-- Decodes the 0x99 IP frame (clear fields, checksum marked when bad), its plaintext section
-- (decrypted here with the kantech.key preference, or carried by a protolab decrypted twin as a
-- 0x9A frame), every command's data, reload record and event, and the serial loop's frames
-- (protolab captures carry them on UDP port 18899). AES-128 is implemented below in plain Lua
-- (FIPS-197), because Wireshark 4.0's Lua API has no cipher.

local bit = bit32

local kantech = Proto("kantech", "Kantech kt-v1 (protolab)")
local kantech_serial = Proto("kantech_serial", "Kantech serial loop (protolab capture)")
local C = GEN.constants
local V = GEN.variable
local COMMANDS = GEN.enums[GEN.names.command]

-- Fields -------------------------------------------------------------------------------------

local F = {}
local UINTS = {uint8 = ProtoField.uint8, uint16 = ProtoField.uint16, uint24 = ProtoField.uint24,
               uint32 = ProtoField.uint32}
local INTS = {int8 = ProtoField.int8, int16 = ProtoField.int16}

local function make_field(abbrev, label, kind, hex, enum_name)
    local values = enum_name and GEN.enums[enum_name] or nil
    if UINTS[kind] then return UINTS[kind](abbrev, label, hex and base.HEX or base.DEC, values) end
    if INTS[kind] then return INTS[kind](abbrev, label, base.DEC) end
    if kind == "none" then return ProtoField.none(abbrev, label) end
    if kind == "text" or kind == "bcd" then return ProtoField.string(abbrev, label) end
    if kind == "ipv4" then return ProtoField.ipv4(abbrev, label) end
    if kind == "ether" then return ProtoField.ether(abbrev, label) end
    return ProtoField.bytes(abbrev, label)
end

for _, d in ipairs(GEN.fields) do F[d[1]] = make_field(d[1], d[2], d[3], d[4], d[5]) end
local STATUS = {[0] = "Bad", [1] = "Good", [2] = "Unverified"}
F["kantech.checksum"] = ProtoField.uint16("kantech.checksum", "Checksum", base.HEX)
F["kantech.checksum.status"] = ProtoField.uint8("kantech.checksum.status", "Checksum status",
                                                base.DEC, STATUS)
F["kantech.checksum.computed"] = ProtoField.uint16("kantech.checksum.computed",
                                                   "Computed checksum", base.HEX)
F["kantech.ciphertext"] = ProtoField.bytes("kantech.ciphertext", "Encrypted section")
F["kantech.plaintext"] = ProtoField.none("kantech.plaintext", "Plaintext section")
F["kantech.padding"] = ProtoField.bytes("kantech.padding", "Padding")
F["kantech.undecoded"] = ProtoField.bytes("kantech.undecoded", "Undecoded bytes")
F["kantech.serial.checksum.status"] = ProtoField.uint8("kantech.serial.checksum.status",
                                                       "Checksum status", base.DEC, STATUS)

local all_fields = {}
for _, field in pairs(F) do all_fields[#all_fields + 1] = field end
kantech.fields = all_fields

local E = {
    bad_checksum = ProtoExpert.new("kantech.checksum.bad", "Bad checksum",
                                   expert.group.CHECKSUM, expert.severity.ERROR),
    bad_length = ProtoExpert.new("kantech.length.bad",
                                 "Length field does not give 4 + 16k + 2 bytes (k >= 1)",
                                 expert.group.MALFORMED, expert.severity.ERROR),
    too_long = ProtoExpert.new("kantech.length.too_long", "Frame longer than 4096 bytes",
                               expert.group.MALFORMED, expert.severity.ERROR),
    truncated = ProtoExpert.new("kantech.truncated", "Frame cut short",
                                expert.group.MALFORMED, expert.severity.ERROR),
    no_key = ProtoExpert.new("kantech.no_key",
                             "Encrypted: set the kantech.key preference to decrypt",
                             expert.group.DECRYPTION, expert.severity.NOTE),
    bad_key = ProtoExpert.new("kantech.key.bad",
                              "The kantech.key preference is over 16 characters or not ASCII",
                              expert.group.DECRYPTION, expert.severity.WARN),
    wrong_key = ProtoExpert.new("kantech.wrong_key",
                                "Validation field is not 0x3021: made with another key",
                                expert.group.DECRYPTION, expert.severity.WARN),
    unknown_command = ProtoExpert.new("kantech.command.unknown",
                                      "Command code not in WIRE.md section 3",
                                      expert.group.MALFORMED, expert.severity.WARN),
    malformed = ProtoExpert.new("kantech.malformed", "Data does not fit the command's layout",
                                expert.group.MALFORMED, expert.severity.ERROR),
    bad_padding = ProtoExpert.new("kantech.padding.bad",
                                  "Padding is not fewer than 16 zero bytes",
                                  expert.group.MALFORMED, expert.severity.ERROR),
    serial_checksum = ProtoExpert.new("kantech.serial.checksum.bad", "Bad serial checksum",
                                      expert.group.CHECKSUM, expert.severity.ERROR),
    serial_bad = ProtoExpert.new("kantech.serial.malformed", "Not a serial frame",
                                 expert.group.MALFORMED, expert.severity.ERROR),
    undecoded = ProtoExpert.new("kantech.undecoded.expert", "Bytes that start no frame",
                                expert.group.UNDECODED, expert.severity.WARN),
}
local all_experts = {}
for _, e in pairs(E) do all_experts[#all_experts + 1] = e end
kantech.experts = all_experts

-- Preferences ---------------------------------------------------------------------------------

kantech.prefs.key = Pref.string("AES key", "",
    "The site's key text (at most 16 ASCII characters, right-padded with zeros): frames are "
    .. "decrypted when it is set")
kantech.prefs.aes_mode = Pref.enum("AES mode", 1, "WIRE.md profile: AES-128 mode",
    {{1, "cbc-zero-iv", 1}, {2, "ecb", 2}}, false)
kantech.prefs.checksum = Pref.enum("Checksum", 1, "WIRE.md profile: frame checksum",
    {{1, "crc16-ccitt-false", 1}, {2, "sum16", 2}}, false)
kantech.prefs.udp_ports = Pref.range("UDP ports", C.udp_ports, "UDP ports of 0x99 frames", 65535)
kantech.prefs.tcp_port = Pref.uint("TCP port", C.tcp_port, "TCP port of 0x99 frame streams")
kantech.prefs.serial_port = Pref.uint("Serial capture UDP port", C.serial_port,
    "UDP port protolab captures carry serial-loop bytes on")

-- Checksums and AES-128 -------------------------------------------------------------------------

local function checksum_of(bytes, count)
    if kantech.prefs.checksum == 2 then
        local sum = 0
        for i = 0, count - 1 do sum = sum + bytes:get_index(i) end
        return sum % 65536
    end
    local crc = 0xFFFF
    for i = 0, count - 1 do
        crc = bit.bxor(crc, bit.lshift(bytes:get_index(i), 8))
        for _ = 1, 8 do
            if bit.band(crc, 0x8000) ~= 0 then
                crc = bit.band(bit.bxor(bit.lshift(crc, 1), 0x1021), 0xFFFF)
            else
                crc = bit.band(bit.lshift(crc, 1), 0xFFFF)
            end
        end
    end
    return crc
end

local function xtime(a)
    a = bit.lshift(a, 1)
    if a > 255 then a = bit.bxor(a, 0x11B) end
    return a
end

local function gmul(a, b)
    local p = 0
    while b > 0 do
        if bit.band(b, 1) ~= 0 then p = bit.bxor(p, a) end
        a, b = xtime(a), bit.rshift(b, 1)
    end
    return p
end

-- the S-box from its definition: multiplicative inverse in GF(2^8), then the affine map
local SBOX, INV_SBOX, M9, M11, M13, M14 = {}, {}, {}, {}, {}, {}
do
    local exp, log, x = {}, {}, 1
    for i = 0, 254 do
        exp[i], log[x] = x, i
        x = bit.bxor(x, xtime(x))
    end
    for a = 0, 255 do
        local inverse = (a == 0) and 0 or exp[(255 - log[a]) % 255]
        local s, r = inverse, inverse
        for _ = 1, 4 do
            r = bit.band(bit.bor(bit.lshift(r, 1), bit.rshift(r, 7)), 0xFF)
            s = bit.bxor(s, r)
        end
        s = bit.bxor(s, 0x63)
        SBOX[a], INV_SBOX[s] = s, a
        M9[a], M11[a], M13[a], M14[a] = gmul(a, 9), gmul(a, 11), gmul(a, 13), gmul(a, 14)
    end
end

local function expand_key(key)
    local rk, rcon = {}, 1
    for i = 0, 15 do rk[i] = key[i] end
    for i = 16, 175, 4 do
        local t0, t1, t2, t3 = rk[i - 4], rk[i - 3], rk[i - 2], rk[i - 1]
        if i % 16 == 0 then
            t0, t1, t2, t3 = bit.bxor(SBOX[t1], rcon), SBOX[t2], SBOX[t3], SBOX[t0]
            rcon = xtime(rcon)
        end
        rk[i], rk[i + 1] = bit.bxor(rk[i - 16], t0), bit.bxor(rk[i - 15], t1)
        rk[i + 2], rk[i + 3] = bit.bxor(rk[i - 14], t2), bit.bxor(rk[i - 13], t3)
    end
    return rk
end

local function decrypt_block(rk, s)
    for i = 0, 15 do s[i] = bit.bxor(s[i], rk[160 + i]) end
    local t = {}
    for round = 9, 0, -1 do
        for c = 0, 3 do
            for r = 0, 3 do t[r + 4 * c] = s[r + 4 * ((c - r) % 4)] end
        end
        for i = 0, 15 do s[i] = bit.bxor(INV_SBOX[t[i]], rk[16 * round + i]) end
        if round > 0 then
            for c = 0, 12, 4 do
                local a0, a1, a2, a3 = s[c], s[c + 1], s[c + 2], s[c + 3]
                s[c] = bit.bxor(M14[a0], M11[a1], M13[a2], M9[a3])
                s[c + 1] = bit.bxor(M9[a0], M14[a1], M11[a2], M13[a3])
                s[c + 2] = bit.bxor(M13[a0], M9[a1], M14[a2], M11[a3])
                s[c + 3] = bit.bxor(M11[a0], M13[a1], M9[a2], M14[a3])
            end
        end
    end
end

local key_cache = {text = nil, rk = nil}

local function round_keys()
    local text = kantech.prefs.key
    if text == nil or text == "" then return nil end
    if key_cache.text ~= text then
        if #text > 16 or text:find("[\128-\255]") then return false end
        local key = {}
        for i = 0, 15 do key[i] = (i < #text) and text:byte(i + 1) or 0 end
        key_cache.text, key_cache.rk = text, expand_key(key)
    end
    return key_cache.rk
end

-- the plaintext of a whole-block section, as a ByteArray
local function decrypt(rk, section)
    local out, previous, state = ByteArray.new(), {}, {}
    out:set_size(section:len())
    local cbc = kantech.prefs.aes_mode ~= 2
    for i = 0, 15 do previous[i] = 0 end
    for block = 0, section:len() - 16, 16 do
        local cipher = {}
        for i = 0, 15 do
            cipher[i] = section:get_index(block + i)
            state[i] = cipher[i]
        end
        decrypt_block(rk, state)
        for i = 0, 15 do
            out:set_index(block + i, cbc and bit.bxor(state[i], previous[i]) or state[i])
        end
        previous = cipher
    end
    return out
end

-- Layout walker ---------------------------------------------------------------------------------

local function label(name) return (name:gsub("_", " "):gsub("^%l", string.upper)) end

local function text_of(range)
    local raw = range:string()
    local stop = raw:find("\0", 1, true)
    return stop and raw:sub(1, stop - 1) or raw
end

local function add_leaf(tree, tvb, off, node)
    local range = tvb(off, node.s)
    local item
    if node.t == "text" then
        item = tree:add(F[node.a], range, text_of(range))
    elseif node.t == "bcd" then
        item = tree:add(F[node.a], range, (range:bytes():tohex(true):gsub("f+$", "")))
    else
        item = tree:add(F[node.a], range)
    end
    if node.fl then
        local value, names = range:uint(), {}
        for _, flag in ipairs(GEN.flags[node.fl]) do
            if bit.band(value, flag[1]) == flag[1] then names[#names + 1] = flag[2] end
        end
        item:append_text(" (" .. (#names > 0 and table.concat(names, ", ") or "none") .. ")")
    end
end

local function add_node(tree, tvb, base_off, node)
    local off = base_off + node.o
    if node.t == "struct" then
        local sub = tree:add(tvb(off, node.s), label(node.n))
        for _, child in ipairs(node.f) do add_node(sub, tvb, off, child) end
    elseif node.t == "array" then
        local sub = tree:add(tvb(off, node.s), label(node.n) .. " [" .. node.c .. "]")
        local size = node.s / node.c
        for i = 0, node.c - 1 do
            local element = node.el
            if element.t == "struct" then
                local entry = sub:add(tvb(off + i * size, size), label(node.n) .. " " .. (i + 1))
                for _, child in ipairs(element.f) do add_node(entry, tvb, off + i * size, child) end
            else
                add_node(sub, tvb, off + i * size, element)
            end
        end
    else
        add_leaf(tree, tvb, off, node)
    end
end

-- nodes of a layout under its scope's item (kantech.<scope>), or straight into tree
local function add_layout(tree, tvb, off, layout, text)
    local root = tree
    if layout.scope ~= "" then
        root = tree:add(F["kantech." .. layout.scope], tvb(off, layout.size))
        if text then root:append_text(": " .. text) end
    end
    for _, node in ipairs(layout.nodes) do add_node(root, tvb, off, node) end
    return root
end

local function enum_name(enum, value)
    return GEN.enums[enum][value] or string.format("0x%02x", value)
end

-- Command data ------------------------------------------------------------------------------------

-- bytes of a command's data at off (the plaintext says no length: the layout does), or nil
local function measure(cmd, tvb, off, avail)
    if GEN.no_data[cmd] then return 0 end
    if GEN.commands[cmd] then return GEN.commands[cmd].size end
    if cmd == V.RELOAD_RECORDS then
        if avail < 2 then return nil end
        local record = GEN.records[tvb(off, 1):uint()]
        return record and 2 + tvb(off + 1, 1):uint() * record.size or nil
    elseif cmd == V.MANUAL_OP_REPLY then
        local n = 0
        while n + GEN.result.size <= avail and tvb(off + n, 1):uint() ~= 0 do
            n = n + GEN.result.size
        end
        return n
    elseif cmd == V.EVENT then
        local header = GEN.event_timestamp.size + GEN.event_header.size
        if avail <= header then return nil end
        local row = GEN.event_types[tvb(off + header, 1):uint()]
        return row and header + GEN.event_rows[row].size or nil
    elseif cmd == V.TUNNEL then
        local n = 0
        while n < avail and tvb(off + n, 1):uint() ~= 0 do
            if tvb(off + n, 1):uint() >= C.presence_flag then
                n = n + 1
            elseif n + 3 <= avail then
                n = n + C.serial_overhead + tvb(off + n + 2, 1):uint()
            else
                break
            end
        end
        return n
    end
    return nil
end

local dissect_serial_items

-- the data of cmd (size bytes at off) into tree; returns a short text for the Info column
local function dissect_data(tree, tvb, off, size, cmd, pinfo)
    local fixed = GEN.commands[cmd]
    if fixed then
        add_layout(tree, tvb, off, fixed)
        return ""
    elseif cmd == V.RELOAD_RECORDS then
        local record_type = tvb(off, 1):uint()
        local record = GEN.records[record_type]
        add_layout(tree, tvb, off, GEN.reload_header)
        local count = tvb(off + 1, 1):uint()
        for i = 0, count - 1 do
            add_layout(tree, tvb, off + 2 + i * record.size, record,
                       enum_name(GEN.names.record, record_type) .. " " .. (i + 1))
        end
        return " " .. count .. " x " .. enum_name(GEN.names.record, record_type)
    elseif cmd == V.MANUAL_OP_REPLY then
        for i = 0, size / GEN.result.size - 1 do
            add_layout(tree, tvb, off + i * GEN.result.size, GEN.result)
        end
        return ""
    elseif cmd == V.EVENT then
        local header = GEN.event_timestamp.size + GEN.event_header.size
        local code = tvb(off + header, 1):uint()
        local root = tree:add(F["kantech.event"], tvb(off, size))
        root:append_text(": " .. enum_name(GEN.names.event, code))
        add_layout(root, tvb, off, GEN.event_timestamp)
        for _, node in ipairs(GEN.event_header.nodes) do
            add_node(root, tvb, off + GEN.event_timestamp.size, node)
        end
        for _, node in ipairs(GEN.event_rows[GEN.event_types[code]].nodes) do
            add_node(root, tvb, off + header, node)
        end
        return " " .. enum_name(GEN.names.event, code)
    elseif cmd == V.TUNNEL then
        local infos = dissect_serial_items(tvb, pinfo, tree, off, size)
        return " [" .. table.concat(infos, ", ") .. "]"
    end
    return ""
end

-- Serial frames -------------------------------------------------------------------------------------

dissect_serial_items = function(tvb, pinfo, tree, off, len)
    local stop, infos = off + len, {}
    while off < stop do
        local first = tvb(off, 1):uint()
        if first > C.presence_flag then
            local item = tree:add(F["kantech.serial.presence"], tvb(off, 1),
                                  first - C.presence_flag)
            item:append_text(" (controller " .. (first - C.presence_flag)
                             .. " has nothing to send)")
            infos[#infos + 1] = "PRESENCE " .. (first - C.presence_flag)
            off = off + 1
        elseif first == 0 or first == C.presence_flag or stop - off < C.serial_overhead
                or off + C.serial_overhead + tvb(off + 2, 1):uint() > stop then
            local item = tree:add(F["kantech.undecoded"], tvb(off, stop - off))
            item:add_proto_expert_info(E.serial_bad)
            break
        else
            local length = tvb(off + 2, 1):uint()
            local total = C.serial_overhead + length
            local cmd = tvb(off + 1, 1):uint()
            local frame = tree:add(F["kantech.serial"], tvb(off, total))
            frame:append_text(": " .. enum_name(GEN.names.command, cmd) .. " to/from " .. first)
            frame:add(F["kantech.serial.address"], tvb(off, 1))
            local command_item = frame:add(F["kantech.serial.command"], tvb(off + 1, 1))
            frame:add(F["kantech.serial.length"], tvb(off + 2, 1))
            local info = enum_name(GEN.names.command, cmd) .. " " .. first
            if length > 0 then frame:add(F["kantech.serial.data"], tvb(off + 3, length)) end
            if not COMMANDS[cmd] then
                command_item:add_proto_expert_info(E.unknown_command)
            elseif measure(cmd, tvb, off + 3, length) ~= length then
                frame:add_proto_expert_info(E.malformed)
            elseif length > 0 then
                info = info .. dissect_data(frame, tvb, off + 3, length, cmd, pinfo)
            end
            local sum = 0
            for i = off, off + total - 1 do sum = sum + tvb(i, 1):uint() end
            local check = frame:add(F["kantech.serial.checksum"], tvb(off + total - 1, 1))
            local good = sum % 256 == 0
            frame:add(F["kantech.serial.checksum.status"], tvb(off + total - 1, 1),
                      good and 1 or 0):set_generated()
            if not good then check:add_proto_expert_info(E.serial_checksum) end
            infos[#infos + 1] = info
            off = off + total
        end
    end
    return infos
end

-- IP frames --------------------------------------------------------------------------------------------

-- the plaintext section (tvb from its first byte) into tree; returns the Info text
local function dissect_plain(tvb, pinfo, tree)
    for _, node in ipairs(GEN.plain.nodes) do add_node(tree, tvb, 0, node) end
    if tvb(0, 2):uint() ~= C.validation then
        tree:add_proto_expert_info(E.wrong_key)
        return "wrong key"
    end
    local cmd = tvb(C.plain_header - 1, 1):uint()
    local info = string.format("%s seq=%d event=%d", enum_name(GEN.names.command, cmd),
                               tvb(8, 2):uint(), tvb(10, 4):uint())
    local avail = tvb:len() - C.plain_header
    if not COMMANDS[cmd] then
        tree:add_proto_expert_info(E.unknown_command)
        return info
    end
    local size = measure(cmd, tvb, C.plain_header, avail)
    if size == nil or size > avail or avail - size >= 16 then
        tree:add_proto_expert_info(E.malformed)
        return info
    end
    info = info .. dissect_data(tree, tvb, C.plain_header, size, cmd, pinfo)
    if avail > size then
        local padding = tvb(C.plain_header + size, avail - size)
        local item = tree:add(F["kantech.padding"], padding)
        for i = 0, avail - size - 1 do
            if padding:bytes():get_index(i) ~= 0 then
                item:add_proto_expert_info(E.bad_padding)
                break
            end
        end
    end
    return info
end

-- one frame at off: returns bytes used and the Info text, or nil and the bytes still missing
local function dissect_frame(tvb, pinfo, tree, off)
    local avail = tvb:len() - off
    if avail < C.outer_header then return nil, C.outer_header - avail end
    local sync, total = tvb(off, 1):uint(), tvb(off + 1, 2):uint() + 3
    local cipher_len = total - C.outer_header - C.checksum_size
    if total > C.max_frame or cipher_len < 16 or cipher_len % 16 ~= 0 then
        local item = tree:add(kantech, tvb(off, avail))
        add_layout(item, tvb, off, GEN.outer)
        item:add_proto_expert_info(total > C.max_frame and E.too_long or E.bad_length)
        return avail, "bad length"
    end
    if avail < total then return nil, total - avail end
    local item = tree:add(kantech, tvb(off, total))
    add_layout(item, tvb, off, GEN.outer)
    local section = tvb(off + C.outer_header, cipher_len)
    local check_range = tvb(off + total - C.checksum_size, C.checksum_size)
    local check_item = item:add(F["kantech.checksum"], check_range)
    local info
    if sync == C.decrypted_sync then
        item:add(F["kantech.checksum.status"], check_range, 2):set_generated()
        local plain = item:add(F["kantech.plaintext"], section)
        plain:append_text(" (decrypted capture: checksum covers the encrypted bytes)")
        info = dissect_plain(section:tvb(), pinfo, plain)
    else
        local computed = checksum_of(tvb(off, total - C.checksum_size):bytes(),
                                     total - C.checksum_size)
        local good = computed == check_range:uint()
        item:add(F["kantech.checksum.status"], check_range, good and 1 or 0):set_generated()
        if not good then
            item:add(F["kantech.checksum.computed"], check_range, computed):set_generated()
            check_item:add_proto_expert_info(E.bad_checksum)
        end
        local rk = round_keys()
        if rk then
            local plain_bytes = decrypt(rk, section:bytes())
            local plain = item:add(F["kantech.plaintext"], section)
            plain:append_text(" (decrypted with the kantech.key preference)")
            info = dissect_plain(plain_bytes:tvb("Decrypted Kantech frame"), pinfo, plain)
        else
            item:add(F["kantech.ciphertext"], section)
            item:add_proto_expert_info(rk == false and E.bad_key or E.no_key)
            info = "encrypted"
        end
        if not good then info = info .. " [bad checksum]" end
    end
    item:append_text(", site " .. tvb(off + 3, 4):uint() .. ": " .. info)
    return total, info
end

function kantech.dissector(tvb, pinfo, tree)
    pinfo.cols.protocol = "Kantech"
    local off, infos = 0, {}
    while off < tvb:len() do
        local first = tvb(off, 1):uint()
        if first ~= C.sync and first ~= C.decrypted_sync then
            local item = tree:add(F["kantech.undecoded"], tvb(off))
            item:add_proto_expert_info(E.undecoded)
            break
        end
        local used, info = dissect_frame(tvb, pinfo, tree, off)
        if used == nil then
            if pinfo.can_desegment > 0 then
                pinfo.desegment_offset, pinfo.desegment_len = off, info
                return
            end
            tree:add(F["kantech.undecoded"], tvb(off)):add_proto_expert_info(E.truncated)
            break
        end
        infos[#infos + 1] = info
        off = off + used
    end
    pinfo.cols.info = table.concat(infos, ", ")
    return tvb:len()
end

function kantech_serial.dissector(tvb, pinfo, tree)
    pinfo.cols.protocol = "Kantech serial"
    local root = tree:add(kantech_serial, tvb())
    pinfo.cols.info = table.concat(dissect_serial_items(tvb, pinfo, root, 0, tvb:len()), ", ")
    return tvb:len()
end

-- Ports --------------------------------------------------------------------------------------------

local registered = {}

local function register_ports()
    local udp, tcp = DissectorTable.get("udp.port"), DissectorTable.get("tcp.port")
    if registered.udp then
        udp:remove(registered.udp, kantech)
        tcp:remove(registered.tcp, kantech)
        udp:remove(registered.serial, kantech_serial)
    end
    registered = {udp = tostring(kantech.prefs.udp_ports), tcp = kantech.prefs.tcp_port,
                  serial = kantech.prefs.serial_port}
    udp:add(registered.udp, kantech)
    tcp:add(registered.tcp, kantech)
    udp:add(registered.serial, kantech_serial)
end

function kantech.prefs_changed() register_ports() end

register_ports()
