"""Captures of what emulators and the simulated gateway send and receive, for Wireshark.

Sans-IO at the core: ``pcap_format`` makes the bytes of a classic pcap file, ``packet_headers``
the Ethernet, IPv4/IPv6, UDP and TCP headers (checksums computed), ``packet_builder`` turns one
send or receive into link-layer frames (TCP sequence numbers and a handshake per flow), and
``decrypted_twin`` swaps each 0x99 frame's ciphertext for its plaintext. ``capture_tap`` is the
thin edge that writes files; runtimes call it as a ``Tap``, with the time from their Clock.

Encapsulations (documented for the dissector and for anyone reading the files):

- IP frames go as they went: UDP or TCP between the given addresses and ports.
- Serial-loop bytes go as UDP datagrams, source and destination port ``SERIAL_CAPTURE_PORT``
  (18899), between the given addresses (their ports are not used): one datagram per write.
- In the decrypted twin, every 0x99 frame that decrypts with the key becomes a "decrypted
  frame": the same bytes, except the sync byte is 0x9A and the encrypted section holds its
  plaintext (validation 0x3021, sender id, sequence, event id, command, data, zero padding).
  The checksum is left as sent (it covers the encrypted bytes). Frames that do not decrypt
  (garbage, another key, a bad checksum, a partial frame) stay as they were.
"""
