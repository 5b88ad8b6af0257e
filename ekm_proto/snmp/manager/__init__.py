"""The SNMP manager role without I/O: targets and retry schedules as data (targets.py), request
encoding and response verification (encoding.py), engine discovery and time synchronisation per
target (engine_cache.py), the request state machine (session.py) with its results (events.py)
and the Reports it understands (reports.py), and walks (walk.py). The asyncio adapter that moves
its datagrams is ekm_proto.snmp.client."""
