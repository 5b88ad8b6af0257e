"""Fuzz target: the raw port's job stream (PJL lines, PCL escapes, PostScript tokens) and the PJL
answers a printer gives.

The input is fed in two pieces cut where its first byte says; nothing may raise, every job
finished must have a page count of zero or more, the same bytes in one piece must give the same
events, and every PJL command must get an answer a printer can frame (bytes, PJL frames ending in
a form feed).
"""

from __future__ import annotations

from emulators.printers.catalog import compile_profile
from emulators.printers.job_stream import MAX_LINE, UEL, JobDone, JobStream, PjlCommand
from emulators.printers.pjl_replies import PjlSession
from emulators.printers.printer_state import PrinterState
from emulators.printers.profiles import load_profiles

NOW = 1_772_442_000.0
#: room for a PJL "line" past the stream's limit (it is data then) and what follows it; longer
#: inputs only repeat the scan (at 4,096 bytes the rate fell from 1,300 to 520 inputs a second)
MAX_LEN = MAX_LINE + 256
STATE = PrinterState(compile_profile(load_profiles()["hp-color-laserjet-m577"]), 0,
                     "127.30.0.1", NOW)


def _run(pieces: list[bytes]) -> list[PjlCommand | JobDone]:
    stream = JobStream()
    events: list[PjlCommand | JobDone] = []
    for piece in pieces:
        events += stream.feed(piece)
    return events + stream.close()


def TestOneInput(data: bytes) -> None:
    cut = data[0] % (len(data) + 1) if data else 0
    split = _run([data[:cut], data[cut:]])
    whole = _run([data])
    assert [type(e) for e in split] == [type(e) for e in whole], "events depend on the cut"
    session = PjlSession()
    for event in whole:
        if isinstance(event, JobDone):
            assert event.pages >= 0, "negative page count"
        else:
            answer = session.answer(event, STATE, NOW)
            assert not answer or answer.endswith(b"\x0c"), "an unframed PJL answer"
    tick = session.tick(STATE, NOW)
    assert not tick or tick.startswith(b"@PJL USTATUS DEVICE")


def seeds() -> list[bytes]:
    return [
        UEL + b'@PJL JOB NAME="x"\r\n@PJL SET DUPLEX=ON\r\n@PJL ENTER LANGUAGE=PCL\r\n'
        + b"\x1bE\x1b&l26a1S\x1b*r-3U text\x0c\x1b*b3Wabc\x1b&l0H\x1bE" + UEL
        + b'@PJL EOJ NAME="x"\r\n' + UEL,
        b"%!PS-Adobe-3.0\n<< /Duplex true /PageSize [842 1191] >> setpagedevice\n"
        b"(a \\) string) pop % comment\n1 0 0 setrgbcolor showpage\ncopypage\n",
        UEL + b"@PJL INFO ID\r\n@PJL INFO STATUS\r\n@PJL INFO PAGECOUNT\r\n@PJL INFO CONFIG\r\n"
        b"@PJL USTATUS DEVICE=ON\r\n@PJL USTATUS JOB=ON TIMED=5\r\n@PJL ECHO hi\r\n" + UEL,
        b"plain text\x0cmore text\x0c",
    ]
