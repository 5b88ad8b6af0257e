"""What makes a controller send each table-12 event, as plain data for the protocol reference.

``EVENT_CAUSES`` has one sentence per ``EventType``; the access request results share their
row's wording and add the result's own (``ACCESS_RESULT_CAUSES``). The records' side of the same
story (what each field makes the controller do) is on the record classes (``BEHAVIOUR`` and
``FIELD_BEHAVIOUR``, ``records_base``). Types no emulated controller sends say so.
"""

from __future__ import annotations

from kantech_proto.event_types import AccessResult, EventType, access_event_type

E, R = EventType, AccessResult
NOT_EMULATED = "not sent by the emulated controllers (no such hardware is modelled)"

#: why an access request ends with each result (the low nibble of the access event's type)
ACCESS_RESULT_CAUSES: dict[AccessResult, str] = {
    R.GRANTED: "the card passed every check; the lock is released for unlock_time",
    R.GRANTED_DURESS: "granted, and the holder typed the duress PIN (the PIN + 1) of a DURESS card",
    R.UNKNOWN_CARD: "no card record has this number",
    R.CARD_SUSPENDED: "the card's VALID flag is cleared",
    R.NOT_YET_VALID: "today is before the card's valid_from",
    R.EXPIRED: "today is after the card's valid_until",
    R.LOST_STOLEN: "the card is flagged LOST_STOLEN",
    R.BAD_ACCESS_LEVEL: "the card has no access level for this door, or the level names no "
                        "schedule for it",
    R.OUTSIDE_SCHEDULE: "the level's schedule for this door is not in force (or the clock "
                        "was never set)",
    R.WRONG_PIN: "the PIN typed is not the card's, the card is locked out after too many "
                 "wrong PINs, or (PIN only, card number 0) the PIN is nobody's",
    R.PIN_TIMEOUT: "the reader mode, pin_schedule or PIN_REQUIRED asked for a PIN and none came",
    R.DOOR_DISABLED: "the door is DISABLED or its disabled_schedule is in force",
    R.PASSBACK: "hard anti-passback: the card is already on the side it is going to",
    R.NO_USES_LEFT: "the card's uses_left is 0",
    R.GRANTED_PASSBACK: "soft anti-passback (PASSBACK_SOFT): granted, the violation logged",
    R.INTERLOCKED: "the door's interlock_door is open or released",
}

EVENT_CAUSES: dict[EventType, str] = {
    E.POWER_UP: "the controller started (power-up, reboot, new firmware); value = firmware "
                "major << 16 | minor << 8 | build",
    E.AC_FAIL: NOT_EMULATED, E.AC_RESTORED: NOT_EMULATED,
    E.LOW_BATTERY: NOT_EMULATED, E.BATTERY_RESTORED: NOT_EMULATED,
    E.TAMPER: NOT_EMULATED, E.TAMPER_RESTORED: NOT_EMULATED,
    E.RELOAD_DONE: "RELOAD_END matched the records received; value = records held",
    E.BUFFER_OVERFLOW: "events were dropped from a full event buffer; value = how many",
    E.GATEWAY_LOST: NOT_EMULATED, E.GATEWAY_RESTORED: NOT_EMULATED,
    E.COMMAND_DONE: "an action with ActionFlag.REPORT ran and some component took it; "
                    "component = action_id",
    E.COMMAND_REFUSED: "an action with ActionFlag.REPORT ran and no component took it; "
                       "component = action_id",
    E.CARDS_INTERNAL: NOT_EMULATED, E.CARDS_EXTERNAL: NOT_EMULATED,
    E.DOOR_OPENED: "the door contact opened while the lock was released or in a REX window",
    E.DOOR_CLOSED: "the door contact closed (also the end of a forced or held-open door)",
    E.DOOR_FORCED_OPEN: "the door contact opened while locked, outside a REX window",
    E.DOOR_OPEN_TOO_LONG: "the door stayed open past open_time (extended_open_time)",
    E.DOOR_PRE_ALARM: "pre_alarm_time before open_time runs out",
    E.DOOR_REX: "the request-to-exit input was pressed",
    E.DOOR_LOCKED: "the lock closed: a timed release ended, or a manual or action lock; "
                   "source says which",
    E.DOOR_UNLOCKED: "the lock was released until told (manual or action unlock)",
    E.DOOR_UNLOCKED_TIMED: "the lock was released for a time (card, REX, manual or action)",
    E.DOOR_DISABLED: NOT_EMULATED + "; a disabled schedule reports STANDALONE_DOOR_DISABLED",
    E.INPUT_ALARM: "an input's contact went abnormal while not shunted",
    E.INPUT_RESTORED: "an input in alarm returned to normal",
    E.INPUT_SHUNTED: "an input was shunted until told (manual, action, shunt_schedule)",
    E.INPUT_UNSHUNTED: "a shunt until told ended",
    E.INPUT_TEMP_SHUNTED: "an input was shunted for a time; minutes = its length, rounded up",
    E.INPUT_TEMP_SHUNT_ENDED: "a temporary shunt ran out or was ended; minutes = what was left "
                              "of it (0 when it ran out)",
    E.INPUT_TROUBLE_OPEN: "a supervised input's wiring is cut (open circuit)",
    E.INPUT_TROUBLE_SHORT: "a DOUBLE_EOL input's wiring is bridged (short circuit)",
    E.INPUT_TROUBLE_RESTORED: "a supervised input's wiring is normal again",
    E.RELAY_ACTIVATED: "a relay with RelayFlag.REPORT turned on; source = MANUAL, ACTION, "
                       "INPUT (follow_input, alarm_relay) or CARD (an elevator floor button)",
    E.RELAY_DEACTIVATED: "a relay with RelayFlag.REPORT turned off; source as for activation",
    E.OUTPUT_ACTIVATED: "an auxiliary output turned on (its triggers, its schedule, an "
                        "input's alarm_output, a manual operation or an action)",
    E.OUTPUT_DEACTIVATED: "an auxiliary output turned off",
    E.STANDALONE_DOOR_UNLOCKED: "the door's unlock_schedule started (or, FIRST_PERSON_IN, its "
                                "first card was granted); schedule = its id",
    E.STANDALONE_DOOR_RELOCKED: "the door's unlock_schedule ended and relocked the door; "
                                "schedule = its id",
    E.STANDALONE_DOOR_DISABLED: "the door's disabled_schedule started",
    E.STANDALONE_DOOR_ENABLED: "the door's disabled_schedule ended",
    E.STANDALONE_RELAY_ACTIVATED: "the relay's schedule started; schedule = its id",
    E.STANDALONE_RELAY_DEACTIVATED: "the relay's schedule ended; schedule = its id",
    E.FLOOR_VALID: "a card accepted at a cab reader selected a floor it may select",
    E.FLOOR_INVALID: "a card accepted at a cab reader selected a floor it may not select",
    E.FLOOR_VALID_BCD: "as FLOOR_VALID, for a card known by BCD digits (the last 16)",
    E.FLOOR_INVALID_BCD: "as FLOOR_INVALID, for a card known by BCD digits (the last 16)",
}
for _result, _why in ACCESS_RESULT_CAUSES.items():
    for _bcd in (False, True):
        EVENT_CAUSES[access_event_type(_result, bcd=_bcd)] = (
            "a card (or a PIN alone) read at door <component>: " + _why)
