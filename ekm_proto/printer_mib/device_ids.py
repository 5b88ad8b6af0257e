"""How printers tell drivers who they are over SNMP: the IEEE 1284 device id and where clients
look for it.

CUPS' snmp backend and HPLIP ask for the id at the PWG Port Monitor MIB (PWG 5107.1,
1.3.6.1.4.1.2699.1.2: ppmPrinterIEEE1284DeviceId, and ppmPortServiceNameOrURI for the URI to
print to) and at vendor OIDs: HP's JetDirect object (also what ``hp-makeuri`` reads, with the
JetDirect ``public.1`` community), Lexmark's product and id, Dell's product (Lexmark-built), Ricoh's
id, Xerox's product. An id is ``KEY:value;`` pairs (IEEE 1284-2000 section 7.6): MFG, MDL, CMD
(the languages), CLS, DES, as a JetDirect answers.
"""

from __future__ import annotations

from ekm_proto.snmp.types import Oid

HP_DEVICE_ID: Oid = (1, 3, 6, 1, 4, 1, 11, 2, 3, 9, 1, 1, 7, 0)
LEXMARK_PRODUCT: Oid = (1, 3, 6, 1, 4, 1, 641, 2, 1, 2, 1, 2, 1)
LEXMARK_DEVICE_ID: Oid = (1, 3, 6, 1, 4, 1, 641, 2, 1, 2, 1, 3, 1)
DELL_PRODUCT: Oid = (1, 3, 6, 1, 4, 1, 674, 10898, 100, 2, 1, 2, 1, 2, 1)
RICOH_DEVICE_ID: Oid = (1, 3, 6, 1, 4, 1, 367, 3, 2, 1, 1, 1, 11, 0)
XEROX_PRODUCT: Oid = (1, 3, 6, 1, 4, 1, 128, 2, 1, 3, 1, 2, 0)

#: vendor name (as profiles list them) -> ((OID, what it holds: "id" or "product"), ...)
VENDOR_ID_OIDS: dict[str, tuple[tuple[Oid, str], ...]] = {
    "hp": ((HP_DEVICE_ID, "id"),),
    "lexmark": ((LEXMARK_PRODUCT, "product"), (LEXMARK_DEVICE_ID, "id")),
    "dell": ((DELL_PRODUCT, "product"),),
    "ricoh": ((RICOH_DEVICE_ID, "id"),),
    "xerox": ((XEROX_PRODUCT, "product"),),
}

# PWG 5107.1 PRINTER-PORT-MONITOR-MIB
PPM_MIB: Oid = (1, 3, 6, 1, 4, 1, 2699, 1, 2)
PPM_GENERAL: Oid = (*PPM_MIB, 1, 1)  # NaturalLanguage 1, NumberOfPrinters 2, NumberOfPorts 3
PPM_PRINTER_ENTRY: Oid = (*PPM_MIB, 1, 2, 1, 1)
PPM_PRINTER_IEEE1284_DEVICE_ID: Oid = (*PPM_PRINTER_ENTRY, 3)
PPM_PORT_ENTRY: Oid = (*PPM_MIB, 1, 3, 1, 1)
PPM_PORT_SERVICE_NAME_OR_URI: Oid = (*PPM_PORT_ENTRY, 4)
# PrtChannelTypeTC values ppmPortProtocolType takes
CH_LPD_SERVER, CH_PORT9100, CH_IPP = 8, 11, 44


def format_device_id(manufacturer: str, model: str, command_set: str, description: str = "",
                     device_class: str = "PRINTER") -> str:
    """The id a JetDirect answers: ``MFG:HP;MDL:...;CMD:PJL,PCL;CLS:PRINTER;DES:...;``."""
    fields = [("MFG", manufacturer), ("MDL", model), ("CMD", command_set),
              ("CLS", device_class), ("DES", description or f"{manufacturer} {model}")]
    return "".join(f"{key}:{value};" for key, value in fields if value)


def parse_device_id(text: str) -> dict[str, str]:
    """``KEY:value;`` pairs by key (upper-cased, as CUPS compares them); pairs without a colon
    are skipped, the long key names (MANUFACTURER, MODEL, COMMAND SET) kept as written."""
    fields: dict[str, str] = {}
    for part in text.replace("\n", ";").split(";"):
        key, colon, value = part.partition(":")
        if colon and key.strip():
            fields.setdefault(key.strip().upper(), value.strip())
    return fields
