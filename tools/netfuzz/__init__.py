"""Network fuzzing of live targets (``protolab fuzz kantech|snmp``).

Sans-IO at the core: ``kantech_inputs`` and ``snmp_inputs`` make the datagrams (field-aware
mutations re-encoded, re-encrypted and re-checksummed, plus raw byte mutations) and the liveness
probes' requests, and judge the answers; ``campaign`` keeps the batches and writes the
reproducer; ``sender`` is the thin asyncio edge that moves the bytes.
"""
