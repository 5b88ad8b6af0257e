"""SNMP for both roles over one codec: BER (ber.py), value types (types.py), messages
(message.py), the User-based Security Model (usm.py); the agent engine and its asyncio server
(agent/), the sans-IO manager (manager/) and its asyncio client (client.py)."""
