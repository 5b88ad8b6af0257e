"""What a controller does with each reload record type, beyond the meaning of each field.

The documented place for it: every ``controller_behaviour(record type, topic, text)`` call here
(or in any kantech_proto module ``reload_records`` imports) lands in
``records_base.CONTROLLER_BEHAVIOUR``, which the protocol reference for gateway authors
(docs/kantech-protocol.md, ``protolab kantech spec``) prints under each record. Describe what
the emulated controllers really do; a test checks the reference is regenerated.
"""

from __future__ import annotations

from kantech_proto.codes import RecordType
from kantech_proto.records_base import controller_behaviour

controller_behaviour(RecordType.CARD_KT400, "access decision", """
    A card read at door d is granted when the card exists, is VALID and not LOST_STOLEN, today
    is inside valid_from..valid_until, uses_left is not 0, its access level for the door names
    an ACCESS_LEVEL whose schedule for the door's site number is active now (on a holiday the
    holiday's type replaces the weekday), and the PIN is right when PIN_REQUIRED (or the door's
    pin_schedule is active). The controller then unlocks the door for unlock_time
    (extended_unlock_time for EXTENDED_UNLOCK cards), counts one use off uses_left, and queues an
    ACCESS_GRANTED event; a refusal queues the ACCESS_DENIED_* event naming the first rule broken.
    Without a clock (no SET_DATETIME yet) every card is refused.""")
controller_behaviour(RecordType.CARD_KT400, "access level slots", """
    access_levels[d - 1] is the card's access level at the controller's door d (1..4): 0 means
    no access at that door whatever the schedules, any other value names an ACCESS_LEVEL record.
    A card is found by card_number, or by its BCD digits when card_number is 0; a card sent again
    replaces the one held.""")
controller_behaviour(RecordType.CARD_KT100, "access decision", """
    As for CARD_KT400, with one access_level for every door of the controller and the flags a
    byte holds.""")
controller_behaviour(RecordType.SCHEDULE_KT400, "when a schedule is active", """
    Active at a minute when one of its intervals covers it: on a normal day an interval whose
    days include today's weekday, on a holiday (HOLIDAYS record) an interval whose holiday_types
    include the holiday's type. An interval whose end is at or before its start runs past
    midnight. Schedule 0 means never wherever a record names a schedule.""")
controller_behaviour(RecordType.SCHEDULE_KT100, "when a schedule is active", """
    As for SCHEDULE_KT400, with four intervals and the Day.HOLIDAY bit standing for every
    holiday type.""")
controller_behaviour(RecordType.ACCESS_LEVEL, "site doors", """
    door_schedules[n - 1] is the schedule for site door n (1..248). A controller's door d is
    site door first_site_door + d - 1 (CONTROLLER record), so the same levels go to every
    controller of the site. A level sent again replaces the one with the same level_id.""")
controller_behaviour(RecordType.HOLIDAYS, "holidays", """
    One record holds every holiday; a new one replaces the whole list. On a listed date the
    holiday's type replaces the weekday in every schedule (the first entry for a date wins).""")

controller_behaviour(RecordType.DOOR, "timers", """
    A grant releases the lock for unlock_time seconds (extended_unlock_time for EXTENDED_UNLOCK
    cards); the door may then stay open open_time seconds (extended_open_time) before
    DOOR_OPEN_TOO_LONG, with DOOR_PRE_ALARM pre_alarm_time seconds before that. Opening the
    contact without a grant or REX is DOOR_FORCED_OPEN. KT-100/KT-300 firmware keeps each
    timer in one byte: values over 255 s run as 255 s.""")
controller_behaviour(RecordType.DOOR, "wiring", """
    contact_input, rex_input and lock_relay name the points wired to the door; 0 keeps the
    model's default (door d: contact on input 2d-1, REX on input 2d, lock on relay d). Changes
    on a door's contact and REX inputs are door reports, never input alarms, and its lock relay
    reads active in the status while the door is released. Without a DOOR record a door runs
    with this record's defaults.""")
controller_behaviour(RecordType.RELAY, "timed activations", """
    pulse_time is the length of ACTIVATE_RELAY_TIMED with duration 0. Changes are reported as
    RELAY_ACTIVATED / RELAY_DEACTIVATED with their source.""")
controller_behaviour(RecordType.OUTPUT, "timed activations", """
    on_time is the length of a timed activation with duration 0 (0: on until told).""")

controller_behaviour(RecordType.GLOBAL_SYSTEM, "site", """
    site_id is the site's own id, the one every IP frame of the site carries in clear (the
    simulated gateway fills it in from the site id it runs). The controller keeps the last one
    received.""")
controller_behaviour(RecordType.CONTROLLER, "site door numbers", """
    first_site_door numbers the controller's doors in the site (door d is site door
    first_site_door + d - 1): ACCESS_LEVEL records are indexed by site door.""")

controller_behaviour(RecordType.DATE_TIME, "clock", """
    Sets the controller's clock, as SET_DATETIME does; it then runs on by itself. The weekday
    sent is kept in step with the date.""")
