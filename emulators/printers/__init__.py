"""Emulated network printers for testing print-fleet monitors (EKM Insight and the like) over SNMP.

A monitor reads identity, page counts, supplies, trays and alerts from the standard MIBs (MIB-II,
Host Resources RFC 2790, Printer-MIB v2 RFC 3805) and from vendors' private counters. This package
serves all of them for fleets of up to 100,000 printers in one process:

- ``profiles/*.toml``: the twelve models of the EKM Insight asset table (``profiles.py`` loads and
  checks them); ``recorded.py`` turns a recorded walk (snmpsim ``.snmprec``, ``snmprec.py``) into a
  profile that replays the recording with live counters;
- ``printer_mib.py`` / ``printer_tables.py`` / ``mib_regions.py``: the OID layout of a profile,
  shared by all its printers (``mib_layout.py``), built from the neutral Printer-MIB knowledge in
  ``ekm_proto.printer_mib``; ``model.py`` and ``catalog.py``: a profile compiled for serving;
  ``printer_state.py``: each printer's own compact state; ``alerts.py``: prtAlertTable and the
  status it implies; ``usage_rates.py`` / ``usage_model.py``: jobs and office life over
  simulated time;
- ``fleet.py``: the ``AgentDirectory`` that ekm_proto's SNMP agent server asks per datagram, its
  printers made on first use (``fleet_plan.py``); ``control_api.py``: the HTTP JSON control API;
  ``service.py``: building and serving a fleet (``protolab printers emulate`` in
  protolab/cli/printers.py and the demo lab call it);
- what drivers and print servers ask besides the MIB: ``mib_identity.py`` (IEEE 1284 device ids,
  the Port Monitor MIB), ``mib_engine_objects.py`` (each printer's SNMP engine objects),
  ``mib_writable.py`` (what SET may change); the raw port (``raw_port.py`` over ``job_stream.py``,
  ``pcl_pages.py``, ``ps_pages.py``, ``pjl_replies.py``); the embedded web server
  (``web_server.py``, ``web_data.py``, ``web_pages.py``, ``web_feeds.py``); notifications
  (``trap_events.py``, ``notifier.py``).

Vendor private counter OIDs in the shipped profiles are representative of each vendor's enterprise
arc (HP 11, Samsung 236, Kyocera 1347, Lexmark 641, Epson 1248), not copied from real devices; a
real device's OIDs come in through ``--import-snmprec``.

The public surface (everything above is internal): ``PrinterFleet`` (served_fleet.py, an async
context manager: ``async with PrinterFleet(profiles=[...], count=50) as printers``, with its
``addresses``, ``port`` and control calls), ``PrinterControlError`` and ``ProfileError``.
"""

from emulators.printers.errors import ProfileError
from emulators.printers.served_fleet import PrinterControlError, PrinterFleet

__all__ = ["PrinterControlError", "PrinterFleet", "ProfileError"]
