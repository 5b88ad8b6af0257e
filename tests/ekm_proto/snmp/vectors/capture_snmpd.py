"""Record what net-snmp's snmpd answers to v1/v2c/v3 requests, good and bad (snmpd_exchanges.json).

Run by hand (needs Debian's snmpd and snmp packages): ``.venv/bin/python -m
tests.ekm_proto.snmp.vectors.capture_snmpd``. Each case keeps every request snmpget/snmpgetnext/
snmpbulkget sent and what snmpd answered (empty when it stayed silent), from the ``-d`` dumps. The
engine tests replay the requests into protolab's engine configured like this snmpd (engine ID,
users, the same five objects) and demand the same bytes back.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

OUT = Path(__file__).with_name("snmpd_exchanges.json")
ENGINE_TEXT = "protolab"  # snmpd.conf "engineID protolab" -> 80001f8804 + "protolab"
OBJECTS = [  # (OID, snmpd override type, value, SnmpType name, python value)
    (".1.3.6.1.4.1.99999.1.0", "integer", "42", "INTEGER", 42),
    (".1.3.6.1.4.1.99999.2.0", "octet_str", '"hello world"', "OCTET_STRING", "hello world"),
    (".1.3.6.1.4.1.99999.3.0", "uinteger", "7", "GAUGE32", 7),
    (".1.3.6.1.4.1.99999.4.0", "counter", "123", "COUNTER32", 123),
    (".1.3.6.1.4.1.99999.5.0", "object_id", ".1.3.6.1.4.1.11", "OBJECT_IDENTIFIER", "1.3.6.1.4.1.11"),
]
USERS = [  # name, auth, auth passphrase, priv, priv passphrase, snmpd rouser level
    ("probe", "SHA", "authpass12", "AES", "privpass12", "priv"),
    ("authonly", "SHA", "authpass12", None, None, "auth"),
    ("noauth", None, None, None, None, "noauth"),
]
O1 = OBJECTS[0][0]
V3_GOOD = ["-v3", "-l", "authPriv", "-u", "probe", "-a", "SHA", "-A", "authpass12", "-x", "AES",
           "-X", "privpass12"]
CASES: list[tuple[str, str, list[str]]] = [
    ("v2c-get", "snmpget", ["-v2c", "-c", "public", "{target}", O1, OBJECTS[1][0]]),
    ("v2c-get-missing", "snmpget", ["-v2c", "-c", "public", "{target}", ".1.3.6.1.4.1.99999.9.0",
                                    ".1.3.6.1.4.1.99999.1.7"]),
    ("v2c-getnext", "snmpgetnext", ["-v2c", "-c", "public", "{target}", ".1.3.6.1.4.1.99999",
                                    OBJECTS[3][0]]),
    ("v2c-bulk", "snmpbulkget", ["-v2c", "-c", "public", "-Cn1", "-Cr3", "{target}",
                                 ".1.3.6.1.4.1.99999", OBJECTS[0][0]]),
    ("v1-get", "snmpget", ["-v1", "-c", "public", "{target}", O1, OBJECTS[4][0]]),
    ("v1-get-missing", "snmpget", ["-v1", "-c", "public", "-Cf", "{target}", O1,
                                   ".1.3.6.1.4.1.99999.9.0"]),
    ("v1-getnext", "snmpgetnext", ["-v1", "-c", "public", "{target}", OBJECTS[2][0]]),
    ("v1-getnext-end", "snmpgetnext", ["-v1", "-c", "public", "{target}", OBJECTS[4][0]]),
    ("v3-discovery", "snmpget", [*V3_GOOD, "{target}", O1]),
    ("v3-authnopriv-get", "snmpget", ["-v3", "-l", "authNoPriv", "-u", "authonly", "-a", "SHA",
                                      "-A", "authpass12", "{target}", O1]),
    ("v3-unknown-user-encrypted", "snmpget", [*V3_GOOD[:4], "nobody", *V3_GOOD[5:], "{target}",
                                              O1]),
    ("v3-unknown-user-plain", "snmpget", ["-v3", "-l", "noAuthNoPriv", "-u", "nobody",
                                          "{target}", O1]),
    ("v3-wrong-digest-encrypted", "snmpget", [*V3_GOOD[:8], "wrongpass12", *V3_GOOD[9:],
                                              "{target}", O1]),
    ("v3-wrong-digest-plain", "snmpget", ["-v3", "-l", "authNoPriv", "-u", "authonly", "-a",
                                          "SHA", "-A", "wrongpass12", "{target}", O1]),
    ("v3-unsupported-level", "snmpget", ["-v3", "-l", "authPriv", "-u", "authonly", "-a", "SHA",
                                         "-A", "authpass12", "-x", "AES", "-X", "privpass12",
                                         "{target}", O1]),
    ("v3-not-in-time-window", "snmpget", [*V3_GOOD, "-e", "{engine_id}", "{target}", O1]),
    ("v3-not-in-time-window-plain", "snmpget", ["-v3", "-l", "authNoPriv", "-u", "authonly",
                                                "-a", "SHA", "-A", "authpass12", "-e",
                                                "{engine_id}", "{target}", O1]),
    ("v3-authorization-error", "snmpget", ["-v3", "-l", "authNoPriv", "-u", "probe", "-a", "SHA",
                                           "-A", "authpass12", "{target}", O1]),
    ("v3-authorization-error-noauth", "snmpget", ["-v3", "-l", "noAuthNoPriv", "-u", "probe",
                                                  "{target}", O1]),
]
_HEX_LINE = re.compile(r"^[0-9]{4}: (.*)$")


def _packets(output: str) -> list[tuple[str, bytes]]:
    """("Sending"|"Received", bytes) for every packet dump in a tool's -d output."""
    packets: list[tuple[str, bytes]] = []
    current: bytearray | None = None
    for line in output.splitlines():
        if line.startswith(("Sending", "Received")):
            current = bytearray()
            packets.append((line.split()[0], b""))
            continue
        match = _HEX_LINE.match(line)
        if match and current is not None:
            hex_area = match.group(1)[:51]
            current.extend(bytes.fromhex("".join(t for t in hex_area.split()
                                                 if re.fullmatch(r"[0-9A-F]{2}", t))))
            packets[-1] = (packets[-1][0], bytes(current))
        elif not line.strip():
            current = None
    return packets


def main() -> int:
    if not shutil.which("snmpd"):
        print("snmpd is not installed", file=sys.stderr)
        return 1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    work = Path(tempfile.mkdtemp(prefix="snmpd-capture-"))
    config = [f"agentAddress udp:127.0.0.1:{port}", f"engineID {ENGINE_TEXT}",
              "view pv included .1.3.6.1.4.1.99999", "rocommunity public default -V pv"]
    for name, auth, auth_key, priv, priv_key, level in USERS:
        config.append(" ".join(x for x in ("createUser", name, auth, auth_key, priv, priv_key) if x))
        config.append(f"rouser {name} {level} -V pv")
    config += [f"override {oid} {kind} {value}" for oid, kind, value, _t, _v in OBJECTS]
    (work / "snmpd.conf").write_text("\n".join(config) + "\n")
    env = dict(os.environ, MIBS="", MIBDIRS=str(work / "none"), SNMP_PERSISTENT_DIR=str(work),
               SNMPCONFPATH=str(work), HOME=str(work))
    daemon = subprocess.Popen(["snmpd", "-f", "-Ln", "-C", "-c", str(work / "snmpd.conf"),
                               "-M", str(work / "none")], env=env)
    try:
        time.sleep(1.0)
        engine_id = "80001f8804" + ENGINE_TEXT.encode().hex()
        cases = {}
        for name, tool, args in CASES:
            argv = [tool, "-d", "-r0", "-t1", *(a.format(target=f"127.0.0.1:{port}",
                                                          engine_id=engine_id) for a in args)]
            run = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)
            packets = _packets(run.stdout + run.stderr)
            sent = [p for kind, p in packets if kind == "Sending"]
            received = [p for kind, p in packets if kind == "Received"]
            exchange = {"command": " ".join(argv[:1] + argv[2:]),
                        "exchanges": [{"request": request.hex(),
                                       "response": received[i].hex() if i < len(received) else ""}
                                      for i, request in enumerate(sent)]}
            cases[name] = exchange
        document = {
            "snmpd": subprocess.run(["snmpd", "-v"], capture_output=True, text=True,
                                    check=False).stdout.split("\n")[1].strip(),
            "engine_id": engine_id,
            "objects": [(oid, kind, value) for oid, _k, _v, kind, value in OBJECTS],
            "users": [u[:5] for u in USERS],
            "cases": cases,
        }
        OUT.write_text(json.dumps(document, indent=1) + "\n")
        print(f"wrote {OUT} ({len(cases)} cases)")
    finally:
        daemon.terminate()
        daemon.wait(5)
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
