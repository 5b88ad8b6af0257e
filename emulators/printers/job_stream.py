"""What arrives on a printer's raw port (TCP 9100), without I/O: PJL commands and the jobs between
them, with their pages counted.

``feed`` bytes, get events: ``PjlCommand`` for each ``@PJL`` line (the printer answers INFO,
USTATUS and ECHO), ``JobDone`` when a job ends (PJL ``EOJ``, or the language data between two
Universal Exit Language sequences when no PJL job is open, or the connection closing) with its
pages and what it asked for. Between UELs the stream is PJL; other data is PostScript (``%!`` or
``ENTER LANGUAGE=POSTSCRIPT``) or PCL, counted by ps_pages / pcl_pages. Everything is bounded: a
PJL "line" longer than ``MAX_LINE`` is data, and only a UEL's worth of bytes is ever held back.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field

from emulators.printers.pcl_pages import PclPages
from emulators.printers.ps_pages import PostScriptPages

UEL = b"\x1b%-12345X"
MAX_LINE = 2048
LARGE_PAPER = frozenset({"A3", "LEDGER", "TABLOID", "11X17"})
_PJL, _LANGUAGE = 0, 1


@dataclass(slots=True)
class PjlCommand:
    """One ``@PJL`` line: ``words`` upper-cased (``["INFO", "ID"]``), ``options`` by upper-cased
    name (``NAME="x"`` gives ``{"NAME": "x"}``)."""

    line: str
    words: list[str] = field(default_factory=list)
    options: dict[str, str] = field(default_factory=dict)

    @classmethod
    def parse(cls, line: str) -> PjlCommand:
        body = line[4:].strip()
        try:
            parts = shlex.split(body.replace("=", " = "), posix=True)
        except ValueError:  # an unbalanced quote: read it as plain words
            parts = body.replace("=", " = ").split()
        words, options = [], {}
        at = 0
        while at < len(parts):
            if at + 2 < len(parts) and parts[at + 1] == "=":
                options[parts[at].upper()] = parts[at + 2]
                at += 3
            else:
                words.append(parts[at].upper())
                at += 1
        return cls(line, words, options)

    @property
    def verb(self) -> str:
        return self.words[0] if self.words else ""


@dataclass(slots=True)
class JobDone:
    name: str
    pages: int
    colour: bool
    duplex: bool
    large: bool


Event = PjlCommand | JobDone


class JobStream:
    """See the module docstring."""

    def __init__(self) -> None:
        self._mode = _PJL
        self._buffer = b""
        self._language: PclPages | PostScriptPages | None = None
        self._job: str | None = None  # name of the open PJL job
        self._pages = 0
        self._settings: dict[str, str] = {}
        self._languages: list[PclPages | PostScriptPages] = []
        self.events: list[Event] = []

    def feed(self, data: bytes) -> list[Event]:
        self._buffer += data
        while self._buffer:
            before = (len(self._buffer), self._mode)
            if self._mode == _PJL:
                self._pjl()
            else:
                self._language_data()
            if (len(self._buffer), self._mode) == before:
                break  # waiting for more bytes
        events, self.events = self.events, []
        return events

    def close(self) -> list[Event]:
        """The connection ended: whatever was being printed is a finished job."""
        if self._mode == _LANGUAGE:
            self._feed_language(self._buffer)
            self._end_language()
        self._buffer = b""
        if self._job is not None or self._pages:
            self._done()
        events, self.events = self.events, []
        return events

    # ---- PJL ---------------------------------------------------------------------------------

    def _pjl(self) -> None:
        buffer = self._buffer.lstrip(b" \t\r\n\x00")
        if buffer.startswith(UEL):
            self._buffer = buffer[len(UEL):]
            return
        if UEL.startswith(buffer) or (len(buffer) < 4 and (
                b"@PJL".startswith(buffer.upper()) or b"%!".startswith(buffer))):
            self._buffer = buffer  # a UEL, @PJL or %! still arriving
            return
        if buffer[:4].upper() == b"@PJL":
            end = buffer.find(b"\n")
            if end < 0 and len(buffer) <= MAX_LINE:
                self._buffer = buffer
                return
            if 0 <= end <= MAX_LINE:
                self._buffer = buffer[end + 1:]
                self._command(buffer[:end].decode("latin-1").strip())
                return
        self._buffer = buffer
        self._enter(b"POSTSCRIPT" if buffer.startswith(b"%!") else b"PCL")

    def _command(self, line: str) -> None:
        command = PjlCommand.parse(line)
        verb = command.verb
        if verb == "ENTER":
            self._enter(command.options.get("LANGUAGE", "PCL").upper().encode())
        elif verb == "JOB":
            if self._job is not None or self._pages:
                self._done()
            self._job = command.options.get("NAME", "")
        elif verb == "EOJ":
            self._done(command.options.get("NAME"))
        elif verb in ("SET", "DEFAULT"):
            self._settings.update(command.options)
        self.events.append(command)

    # ---- printer languages -------------------------------------------------------------------

    def _enter(self, language: bytes) -> None:
        self._language = PostScriptPages() if language.startswith(b"POSTSCRIPT") else PclPages()
        self._mode = _LANGUAGE

    def _language_data(self) -> None:
        buffer = self._buffer
        at = buffer.find(UEL)
        if at >= 0:
            self._feed_language(buffer[:at])
            self._buffer = buffer[at + len(UEL):]
            self._end_language()
            self._mode = _PJL
            if self._job is None:
                self._done()
            return
        keep = max((n for n in range(1, len(UEL)) if buffer.endswith(UEL[:n])), default=0)
        self._feed_language(buffer[:len(buffer) - keep])
        self._buffer = buffer[len(buffer) - keep:]

    def _feed_language(self, data: bytes) -> None:
        if data and self._language is not None:
            self._language.feed(data)

    def _end_language(self) -> None:
        language = self._language
        if language is not None:
            language.finish()
            self._pages += language.pages
            self._languages.append(language)
        self._language = None

    def _done(self, name: str | None = None) -> None:
        settings = self._settings
        colour = any(lang.colour for lang in self._languages) or settings.get(
            "RENDERMODE", "").upper() == "COLOR" or settings.get("PLANESINUSE") == "3"
        duplex = any(lang.duplex for lang in self._languages) or settings.get(
            "DUPLEX", "").upper() == "ON"
        paper = next((lang.paper for lang in reversed(self._languages) if lang.paper), None)
        large = (paper or settings.get("PAPER", "")).upper() in LARGE_PAPER
        self.events.append(JobDone(name if name is not None else self._job or "", self._pages,
                                   colour, duplex, large))
        self._job, self._pages, self._languages = None, 0, []
