"""A printer's side of PJL on its raw port, without I/O: answers to INFO and ECHO, and the
unsolicited status USTATUS asks for (device status when it changes or on a timer, job start and
end with the pages printed).

Status codes are HP's PJL codes (10001 ready, 10023 printing, 40021 cover open, 41xyy paper out,
42xyy jam...), derived from the printer's alerts and state, so PJL, SNMP and the web pages always
tell the same story. Replies are framed as PJL frames them: the echoed command line, the answer
lines (CR LF), a form feed.
"""

from __future__ import annotations

from emulators.printers.alerts import CRITICAL, describe, kind_of
from emulators.printers.job_stream import JobDone, PjlCommand
from emulators.printers.printer_state import F_UNREACHABLE, PrinterState

_CODES = {"jam": 42000, "cover_open": 40021, "media_empty": 41000, "toner_empty": 40038,
          "ink_empty": 40038, "cartridge_missing": 40010, "output_full": 40019,
          "fuser_fault": 50000, "service": 50000, "offline": 10002, "toner_low": 10006,
          "ink_low": 10006}
READY, OFFLINE, WARMING_UP, PRINTING, POWER_SAVE = 10001, 10002, 10003, 10023, 35078


def status(state: PrinterState, now: float) -> tuple[int, str, bool]:
    """(PJL status code, display text, online) of the printer now."""
    alerts = sorted(state.alerts or (), key=lambda a: (kind_of(a).severity != CRITICAL, a.index))
    for alert in alerts:
        code = _CODES.get(alert.kind)
        if code is not None:
            if alert.kind == "media_empty":
                code += alert.group_index
            blocked = kind_of(alert).blocks
            return code, describe(alert, state.model.profile), not blocked
    if state.flags & F_UNREACHABLE:
        return OFFLINE, "Offline", False
    if now < state.busy_until:
        warming = now - state.boot_time < state.model.warmup_s
        return (WARMING_UP, "Warming up", True) if warming else (PRINTING, "Printing", True)
    if state.sleeping(now):
        return POWER_SAVE, "Sleep mode", True
    return READY, "Ready", True


def _frame(head: str, lines: list[str]) -> bytes:
    return ("\r\n".join([head, *lines]) + "\r\n\x0c").encode("latin-1", "replace")


class PjlSession:
    """One connection's PJL conversation: replies to commands, unsolicited status by request."""

    def __init__(self) -> None:
        self.device = False  # USTATUS DEVICE=ON|VERBOSE
        self.jobs = False  # USTATUS JOB=ON
        self.timed = 0.0  # USTATUS TIMED=seconds
        self._last: int | None = None
        self._next_timed = 0.0

    def answer(self, command: PjlCommand, state: PrinterState, now: float) -> bytes:
        verb, words = command.verb, command.words
        if verb == "INFO" and len(words) > 1:
            return self._info(words[1], state, now)
        if verb == "ECHO":
            return _frame(command.line, [])
        if verb == "USTATUSOFF":
            self.device = self.jobs = False
            self.timed = 0.0
        elif verb == "USTATUS":
            return self._ustatus(command, state, now)
        elif verb == "JOB" and self.jobs:
            name = command.options.get("NAME", "")
            return _frame("@PJL USTATUS JOB", ["START", f'NAME="{name}"'])
        return b""

    def job_done(self, job: JobDone, printed: int) -> bytes:
        if not self.jobs:
            return b""
        return _frame("@PJL USTATUS JOB", ["END", f'NAME="{job.name}"', f"PAGES={printed}"])

    def tick(self, state: PrinterState, now: float) -> bytes:
        """Unsolicited device status due now: a change (DEVICE=ON) or the timer (TIMED)."""
        if not (self.device or self.timed):
            return b""
        code = status(state, now)[0]
        changed = self.device and code != self._last
        timed = self.timed and now >= self._next_timed
        if not (changed or timed):
            return b""
        if timed:
            self._next_timed = now + self.timed
        return self._device(state, now)

    def _device(self, state: PrinterState, now: float) -> bytes:
        code, display, online = status(state, now)
        self._last = code
        return _frame("@PJL USTATUS DEVICE", [f"CODE={code}", f'DISPLAY="{display}"',
                                              f"ONLINE={'TRUE' if online else 'FALSE'}"])

    def _ustatus(self, command: PjlCommand, state: PrinterState, now: float) -> bytes:
        options = {k: v.upper() for k, v in command.options.items()}
        if "JOB" in options:
            self.jobs = options["JOB"] == "ON"
        if "TIMED" in options:
            try:
                self.timed = max(0.0, min(float(options["TIMED"]), 300.0))
            except ValueError:
                self.timed = 0.0
            self._next_timed = now + self.timed
        if "DEVICE" in options:
            self.device = options["DEVICE"] in ("ON", "VERBOSE")
            if self.device:
                return self._device(state, now)  # the status now, then every change
        return b""

    def _info(self, category: str, state: PrinterState, now: float) -> bytes:
        head = f"@PJL INFO {category}"
        profile = state.model.profile
        if category == "ID":
            return _frame(head, [f'"{profile.printer_name}"'])
        if category == "STATUS":
            code, display, online = status(state, now)
            return _frame(head, [f"CODE={code}", f'DISPLAY="{display}"',
                                 f"ONLINE={'TRUE' if online else 'FALSE'}"])
        if category == "PAGECOUNT":
            return _frame(head, [f"PAGECOUNT={state.total}"])
        if category == "CONFIG":
            trays = [f"\tINTRAY{t.index} {t.name.upper().replace(' ', '')}" for t in profile.trays]
            languages = [f"\t{name}" for name in profile.identity.command_set.split(",")]
            return _frame(head, [f"IN TRAYS [{len(trays)} ENUMERATED]", *trays,
                                 *(["DUPLEX"] if profile.duplex else []),
                                 f"LANGUAGES [{len(languages)} ENUMERATED]", *languages,
                                 f"MEMORY={profile.memory_kib * 1024}",
                                 f"RESOLUTION={profile.identity.resolution}"])
        if category == "MEMORY":
            total = profile.memory_kib * 1024
            return _frame(head, [f"TOTAL={total}", f"LARGEST={total // 2}"])
        return _frame(head, ["?"])
