"""The SNMP agent role: a sans-IO engine answering for every agent of a directory (engine.py),
and the one-socket asyncio server in front of it (server.py)."""
