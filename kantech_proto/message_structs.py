"""The fixed data layouts of ANNOUNCE, MANUAL_OP, FIRMWARE_BLOCK and FIRMWARE_END (WIRE.md
section 3), each field with its meaning; ``messages`` builds the typed messages on them."""

from __future__ import annotations

import struct

import construct as c

FIRMWARE_CHUNK = 128
SERIAL_NUMBER_SIZE = 16

AnnounceStruct = c.Struct(
    "model" / c.Int8ub * "DeviceModel: 1 KT-400, 2 KT-1, 3 IP-Link, 4 KT-100, 5 KT-300",
    "firmware" / c.Array(3, c.Int8ub) * "firmware major, minor, build",
    "serial_number" / c.Bytes(SERIAL_NUMBER_SIZE) * "serial number, ASCII, zero-padded",
    "ip" / c.Bytes(4) * "the device's IPv4 address",
    "netmask" / c.Bytes(4) * "its netmask",
    "gateway" / c.Bytes(4) * "the gateway address it reports to",
)
ManualOpStruct = c.Struct(
    "operation" / c.Int8ub * "ManualOperation",
    "kind" / c.Int8ub * "ComponentKind: which components",
    "first_index" / c.Int8ub * "first component, 1-based (door 1 is the first door)",
    "count" / c.Int8ub * "how many components from first_index, 1..255",
    "duration" / c.Int16ub * "seconds for a timed operation; 0 = until told (or the programmed "
    "time for operations 3 and 6)",
)
FirmwareBlockStruct = c.Struct(
    "block_number" / c.Int16ub * "0 for the first block, +1 per block; a block sent again "
    "replaces the earlier copy",
    "chunk" / c.Bytes(FIRMWARE_CHUNK) * "128 bytes of the image; the last block is zero-padded",
)
FirmwareEndStruct = c.Struct(
    "block_count" / c.Int16ub * "blocks sent (0..count-1 must all have arrived)",
    "crc32" / c.Int32ub * "CRC-32 (zlib) of the whole image as sent, padding included; the "
    "device installs the image and reboots only when it matches",
)


#: AnnounceStruct as one struct format, for encoding at fleet scale
FAST_ANNOUNCE = struct.Struct(">B3B16s4s4s4s")
