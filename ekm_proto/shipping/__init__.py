"""Shipping what the monitoring agent collects to its portal over XMPP, without loss.

records (the six kinds of message as data) -> xml_codec / envelope (the versioned XML format of
``ekm-1.xsd``, base64-wrapped) -> delivery (the sans-IO store-and-forward book: XEP-0198 acks,
bounces and the portal's receipts against outbox rows) -> agent_client (the slixmpp edge), with
the outbox contract in outbox and the remote commands in commands.
"""

NAMESPACE = "urn:protolab:ekm:1"
FORMAT_VERSION = "1"
