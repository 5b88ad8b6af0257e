"""The rules of the exchanges, in words, with every number taken from the code that applies it:
acknowledgement of device-initiated messages, the boot ANNOUNCE, DISCOVER, replay protection,
NAKs, TUNNEL, reloads and firmware."""

from __future__ import annotations

import inspect

from emulators.kantech.event_buffer import DEFAULT_BOUND
from emulators.kantech.gateway_tcp_link import FIRST_BACKOFF, MAX_BACKOFF
from kantech_proto.codes import Port
from kantech_proto.device_endpoint import REPLY_CACHE_SIZE, DeviceEndpoint
from kantech_proto.ip_frame import MAX_FRAME
from kantech_proto.message_structs import FIRMWARE_CHUNK
from kantech_proto.reload_records import IP_DATA_BUDGET, SERIAL_DATA_BUDGET
from kantech_proto.replay import WINDOW_SIZE
from kantech_proto.serial_frame import FIRMWARE_BLOCK_DATA


def _default(name: str) -> object:
    return inspect.signature(DeviceEndpoint.__init__).parameters[name].default


def exchanges() -> list[dict[str, str]]:
    retry, attempts, ceiling = (_default("retry_interval"), _default("max_attempts"),
                                _default("max_retry_interval"))
    return [
        {"title": "Ports", "text": (
            f"Devices send PULSE, ANNOUNCE and EVENT to the gateway on UDP "
            f"{int(Port.DEVICE_TO_GATEWAY_UDP)} (or over TCP to {int(Port.DEVICE_TO_GATEWAY_TCP)}, "
            f"frames back to back on the stream); the gateway sends requests to a device's UDP "
            f"{int(Port.GATEWAY_TO_DEVICE_UDP)} and DISCOVER to UDP "
            f"{int(Port.DISCOVERY_BROADCAST_UDP)}; IP-Links serve firmware over TFTP on UDP "
            f"{int(Port.IPLINK_TFTP)}; a device in factory-default mode serves its configuration "
            f"page on HTTP {int(Port.CONFIG_HTTP)}. A device answers a request to the address and "
            "port it came from. Every port can be changed on both ends.")},
        {"title": "Requests and replies", "text": (
            "The gateway gives each request a new non-zero event id; the reply copies it. A retry "
            "is the same request with the same event id in a new frame (new sequence number): a "
            f"device answers a retry from its cache of the last {REPLY_CACHE_SIZE} answers without "
            "acting again. A frame that repeats an earlier one byte for byte is a replay, not a "
            "retry (see Replay protection).")},
        {"title": "Device-initiated messages: event id 0, stop-and-wait", "text": (
            "ANNOUNCE (at boot and after a reboot), EVENT and an IP-Link's polled TUNNEL carry "
            "event id 0. The gateway answers each with ACK (or NAK) carrying event id 0, and the "
            "device sends the next one only after that answer: one outstanding message at a "
            f"time, in order. Unanswered, a message is sent again after {retry} s, "
            f"{attempts} times, then with the interval doubling up to {ceiling} s, and never "
            "dropped. A NAK settles the message like an ACK (the device moves on).")},
        {"title": "Boot ANNOUNCE", "text": (
            "A device's first message after power-up, a reboot or new firmware is ANNOUNCE "
            "(model, firmware, serial number, addresses). Because of stop-and-wait, no EVENT "
            "reaches the gateway until that ANNOUNCE is ACKed: a gateway that ignores it sees "
            "only PULSEs, whose bit 0 then says events are waiting.")},
        {"title": "Events waiting and the buffer", "text": (
            "PULSE bit 0, the status's events_queued and its EVENTS_PENDING flag all count the "
            "events the gateway has not acknowledged, including the one in flight. A controller "
            f"keeps up to {DEFAULT_BOUND:,} (configurable per device); past that the oldest are "
            "dropped and a BUFFER_OVERFLOW system event, whose value is how many were lost, goes "
            "out before those that remain. Below the bound nothing is ever lost.")},
        {"title": "DISCOVER", "text": (
            "A DISCOVER is a frame of the site (its site id in clear, made with the site key) "
            "sent to UDP 18803. Sent to one device's address it is answered by that device only; "
            "sent to 255.255.255.255 or to the broadcast address of the devices' network "
            "(127.255.255.255 for 127.x with netmask 255.0.0.0) by every device of the site on "
            "that network. Each answers with ANNOUNCE from its own address, copying the "
            "DISCOVER's event id (non-zero: an answer, not a boot ANNOUNCE, so no ACK is "
            "needed). A DISCOVER under another key or site id gets no answer.")},
        {"title": "NAK reasons and when each is sent", "text": (
            "A frame that is authentic (checksum, 0x3021 validation under the site key, the "
            "device's site id, and a sequence the replay policy accepts) but cannot be acted on "
            "is answered with NAK and the request's event id: 1 for a command code that is not "
            "in WIRE.md or that the device does not take, 2 for data that does not fit the "
            "command's layout or a field out of range (a component kind 9, a date that does "
            "not exist, a record whose bytes break its field rules, a record type the model "
            "does not hold, a RELOAD_END count that differs from the records received), 5 for "
            "RELOAD_RECORDS or RELOAD_END outside a reload. ACK and NAK are never answered. "
            "Frames that are not authentic (bad checksum, wrong key, another site, garbage) get "
            "no answer at all, so a forger learns nothing; the device counts them by reason.")},
        {"title": "Replay protection and gateway restarts", "text": (
            "Each device keeps a replay window per sender id: strict (only sequences ahead of "
            f"the last accepted, 16-bit wrap) or window (RFC 4303, {WINDOW_SIZE} entries). A "
            "refused frame gets no answer and is counted as replayed (seen before) or too old "
            "(behind the window). The gateway sends with a session id of its own as sender id "
            "and picks a new one each time it starts, so a restarted gateway, whose sequence "
            "starts again at 0, starts a new window and is not locked out. It counts its "
            "sequence per device (each device sees +1 per frame it receives: with one counter "
            "for thousands of devices a device would see jumps past half the 16-bit range, "
            "which read as old frames) and sends DISCOVER under a second session id (its own "
            "with the last byte inverted) with a counter of its own. The policy none "
            "(vulnerable firmware, CVE-2021-27662) accepts every frame: a captured command "
            "replayed byte for byte is executed again (a replayed unlock unlocks again).")},
        {"title": "Reloads", "text": (
            "RELOAD_BEGIN with scope 0 clears every record and starts a full reload; with a "
            "record type it clears that type only. RELOAD_RECORDS carries 1..255 records of one "
            f"type (at most {IP_DATA_BUDGET} data bytes in an IP frame of at most {MAX_FRAME} "
            f"bytes; {SERIAL_DATA_BUDGET} on a serial loop); a record sent again replaces the one "
            "with the same key (card number, door, schedule id ...). RELOAD_END carries the "
            "number of records sent since RELOAD_BEGIN: the device NAKs (2) a mismatch and stays "
            "RELOAD_REQUIRED. A complete full reload clears RELOAD_REQUIRED; every complete "
            "reload queues a RELOAD_DONE event with the number of records held. Records change "
            "only inside a reload (RELOAD_RECORDS or RELOAD_END outside one get NAK 5), so a "
            "modification, one card changed, is a reload of its record type. The controller "
            "acts on what changed (schedules, actions, outputs) at RELOAD_END; a full reload or "
            "one of the card type forgives every card's anti-passback side.")},
        {"title": "TUNNEL and the serial loop", "text": (
            "Between the gateway and an IP-Link, TUNNEL data is one or more whole serial frames "
            "(address, command, length, data, checksum: WIRE.md section 2) and single presence "
            "bytes (0x80 | loop address). The gateway tunnels requests to a loop controller; the "
            "IP-Link answers with the controllers' replies in one TUNNEL (NAK 2 when none "
            "answered, 3 when its loop is unavailable). The IP-Link polls its loop itself (4-byte "
            "POLL, 1-byte presence) and forwards each EVENT frame a controller gives as a "
            "device-initiated TUNNEL (event id 0, ACK it).")},
        {"title": "Firmware", "text": (
            f"FIRMWARE_BLOCK carries a block number and {FIRMWARE_CHUNK} bytes (the last block "
            "zero-padded); FIRMWARE_END the block count and the CRC-32 of the image as sent. On a "
            "match the device ACKs, installs the image and reboots: a new boot ANNOUNCE with the "
            "new firmware, and RELOAD_REQUIRED set. A loop controller gets its firmware through "
            f"its IP-Link as serial FIRMWARE_BLOCK frames of {FIRMWARE_BLOCK_DATA} data bytes, "
            f"{FIRMWARE_BLOCK_DATA + 4} bytes on the wire.")},
        {"title": "TCP", "text": (
            "Over TCP a device connects from its own address to the gateway's port and sends the "
            "same frames back to back; a reader resynchronises on the next 0x99 after a bad "
            "frame. When the connection drops the device keeps its events and reconnects after "
            f"{FIRST_BACKOFF} s, doubling up to {MAX_BACKOFF} s; once connected it sends the "
            "message in flight again at once.")},
    ]
