"""``protolab kantech decode|encode`` run as a user runs them: a subprocess, JSON or hex out."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

VECTORS = {v["name"]: v for v in
           json.loads((Path(__file__).parents[1] / "vectors" / "ip_frames.json").read_text())}


def protolab(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "protolab", *args], capture_output=True,
                          text=True, timeout=60)


def test_help_lists_the_subcommands():
    out = protolab("--help").stdout
    assert "kantech" in out
    assert "decode" in protolab("kantech", "--help").stdout


def test_decode_prints_one_json_object_with_the_fields():
    vector = VECTORS["MANUAL_OP"]
    result = protolab("kantech", "decode", "--key", vector["key"], vector["frame"])
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["site_id"] == vector["site_id"]
    assert out["sender_id"] == vector["sender_id"]
    assert out["sequence"] == vector["sequence"]
    assert out["event_id"] == vector["event_id"]
    assert out["command"] == "MANUAL_OP"
    assert out["data"] == vector["data"]
    # the command's own fields: unlock door for a time, doors 1..2, 5 seconds
    assert (out["operation"], out["kind"], out["first_index"], out["count"], out["duration"]) == (
        "UNLOCK_DOOR_TIMED", "DOOR", 1, 2, 5)


def test_decode_with_profile_flags():
    vector = VECTORS["PULSE sum16 ecb"]
    result = protolab("kantech", "decode", "--key", vector["key"], "--checksum", "sum16",
                      "--mode", "ecb", vector["frame"])
    assert json.loads(result.stdout)["events_waiting"] is False


@pytest.mark.parametrize(("mangle", "reason"), [
    (lambda f: f[:-4] + ("0000" if f[-4:] != "0000" else "ffff"), "checksum-mismatch"),
    (lambda f: "98" + f[2:], "bad-sync"),
    (lambda f: f[:10], "truncated"),
])
def test_bad_frames_exit_2_with_one_line_and_no_traceback(mangle, reason):
    vector = VECTORS["STATUS_QUERY"]
    result = protolab("kantech", "decode", "--key", vector["key"], mangle(vector["frame"]))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and reason in lines[0]
    assert "Traceback" not in result.stderr


def test_wrong_key_is_named():
    vector = VECTORS["STATUS_QUERY"]
    result = protolab("kantech", "decode", "--key", "not-the-key", vector["frame"])
    assert result.returncode == 2 and "wrong-key" in result.stderr


def test_encode_reproduces_the_golden_frame():
    v = VECTORS["SET_DATETIME"]
    result = protolab("kantech", "encode", "--key", v["key"], "--site-id", str(v["site_id"]),
                      "--sender", v["sender_id"], "--sequence", str(v["sequence"]),
                      "--event-id", str(v["event_id"]), "--command", v["command"],
                      "--data", v["data"])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == v["frame"]


def test_encode_refuses_data_of_the_wrong_size():
    result = protolab("kantech", "encode", "--key", "k", "--command", "SET_DATETIME",
                      "--data", "0102")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_serial_encode_and_decode():
    # poll of address 5 on the loop: 05 10 00 EB (checksum makes the bytes sum to 0 mod 256)
    result = protolab("kantech", "encode", "--serial", "--address", "5", "--command", "POLL")
    assert result.stdout.strip() == "051000eb"
    out = json.loads(protolab("kantech", "decode", "--serial", "051000eb").stdout)
    assert (out["address"], out["command"], out["data"]) == (5, "POLL", "")
    presence = json.loads(protolab("kantech", "decode", "--serial", "85").stdout)
    assert presence == {"presence": True, "address": 5}
    bad = protolab("kantech", "decode", "--serial", "051000ec")
    assert bad.returncode == 2 and "checksum" in bad.stderr
