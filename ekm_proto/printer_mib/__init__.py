"""What the Printer-MIB means, for every program that reads or serves it: OIDs (oids.py), the
textual conventions of RFC 3805, IANA-PRINTER-MIB and RFC 2790 (textual_conventions.py), and the
vendors' private page counters with their wrap points (vendors.py).

Pure data and tiny helpers, importing only ekm_proto.snmp.types and protolab's ground: the printer
emulator builds its MIB from it and the print monitor reads printers with it, so the monitor never
imports the device it is tested against.
"""
