import json
import subprocess
import sys

import pytest

from ekm_proto.errors import EkmError
from kantech_proto.errors import DecodeError, KantechError
from protolab.clock import ManualClock
from protolab.errors import ProtolabError, UsageError


def test_every_package_roots_its_errors_in_protolab_error():
    assert issubclass(KantechError, ProtolabError)
    assert issubclass(DecodeError, ProtolabError)
    assert issubclass(EkmError, ProtolabError)


def test_manual_clock_moves_only_forward():
    clock = ManualClock(10.0)
    assert clock.advance(2.5) == 12.5 == clock.now()
    with pytest.raises(UsageError):
        clock.advance(-1)


def test_logs_are_json_lines_when_not_on_a_terminal():
    code = ("from protolab.logs import configure_logging, get_logger; "
            "log = get_logger('t', device='kt400-1'); configure_logging(); "
            "log.warning('dropped', address='127.20.0.1')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=30)
    record = json.loads(result.stderr.strip().splitlines()[-1])
    assert record["event"] == "dropped" and record["device"] == "kt400-1"
    assert record["address"] == "127.20.0.1" and record["level"] == "warning"


def test_importing_and_running_protolab_leaves_the_host_programs_logging_alone():
    code = ("import structlog; structlog.configure(processors=[lambda l, m, e: 'HOST ' + e['event']]);"
            "from ekm_proto.snmp.agent.engine import SnmpEngine; "
            "from ekm_proto.snmp.agent.static_view import StaticDirectory; "
            "SnmpEngine(StaticDirectory({})).handle(b'garbage', '127.0.0.1', 0.0);"
            "from protolab.logs import get_logger; get_logger('x').warning('still mine')")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "HOST still mine"


def test_console_script_lists_subcommands():
    result = subprocess.run([sys.executable, "-m", "protolab", "--help"], capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 0 and "kantech" in result.stdout
