"""Counting the pages of a PCL 5 stream, and what it asks for (colour, duplex, paper size).

Sans-IO: ``feed`` bytes, read ``pages``. Escape sequences are parsed as PCL defines them (ESC,
parameterized character, group character, then value fields each closed by a parameter character,
the last by a termination character), so binary data that follows a ``...W`` command (raster rows,
fonts, patterns) or transparent print data (``ESC&p#X``) is skipped by its length rather than
searched for form feeds. A page is ejected by a form feed, by ``ESC&l0H``, or by a reset
(``ESC E``) or the end of the job when something was put on it.
"""

from __future__ import annotations

ESC, FF = 0x1B, 0x0C
_MAX_VALUE = 20  # digits of one value field: a longer field is garbage, not a command
_PAPER = {26: "A4", 27: "A3", 25: "A5", 2: "Letter", 3: "Legal", 6: "Ledger"}
# states of the escape parser
_TEXT, _ESC, _GROUP, _VALUE, _SKIP = range(5)


class PclPages:
    """See the module docstring."""

    __slots__ = ("_buffered", "_group", "_skip", "_state", "_value", "colour", "dirty", "duplex",
                 "pages", "paper")

    def __init__(self) -> None:
        self.pages = 0
        self.dirty = False  # marks on the current page
        self.colour = False
        self.duplex = False
        self.paper: str | None = None
        self._state = _TEXT
        self._group = b""
        self._value = bytearray()
        self._skip = 0
        self._buffered = 0

    def feed(self, data: bytes) -> None:
        at, end = 0, len(data)
        while at < end:
            state = self._state
            if state == _TEXT:
                at = self._text(data, at, end)
            elif state == _SKIP:
                take = min(self._skip, end - at)
                self._skip -= take
                at += take
                if not self._skip:
                    self._state = _TEXT
            else:
                self._escape(data[at])
                at += 1

    def finish(self) -> None:
        """The job ended: a page with marks on it comes out."""
        if self.dirty:
            self._eject()

    def _text(self, data: bytes, at: int, end: int) -> int:
        """Plain data up to the next escape; form feeds in it eject pages."""
        stop = data.find(ESC, at, end)
        stop = end if stop < 0 else stop
        chunk = data[at:stop]
        feeds = chunk.count(FF)
        if feeds:
            self.pages += feeds
            self.dirty = bool(chunk.rpartition(b"\x0c")[2].strip())
        elif chunk.strip():
            self.dirty = True
        if stop < end:
            self._state = _ESC
            return stop + 1
        return end

    def _escape(self, byte: int) -> None:
        state = self._state
        if state == _ESC:
            if 0x21 <= byte <= 0x2F:  # parameterized character
                self._group = bytes((byte,))
                self._state = _GROUP
                return
            self._state = _TEXT
            if byte == ord("E") and self.dirty:  # reset
                self._eject()
            return
        if state == _GROUP:
            if 0x60 <= byte <= 0x7E:
                self._group += bytes((byte,))
                self._value.clear()
                self._state = _VALUE
            else:
                self._state = _TEXT
            return
        if byte in b"0123456789+-." and len(self._value) < _MAX_VALUE:
            self._value.append(byte)
            return
        if 0x60 <= byte <= 0x7E or 0x40 <= byte <= 0x5E:  # parameter / termination character
            self._command(bytes((byte,)).upper())
            self._value.clear()
            if self._state == _VALUE and 0x40 <= byte <= 0x5E:
                self._state = _TEXT
            return
        self._state = _TEXT  # not PCL: back to data

    def _command(self, final: bytes) -> None:
        try:
            value = int(float(self._value or b"0"))
        except ValueError:
            value = 0
        command = self._group + final
        if final == b"W" or command == b"&pX":  # binary data of ``value`` bytes follows
            if value > 0:
                self._skip = value
                self._state = _SKIP
            self.dirty = True
        elif command == b"&lH" and value == 0:
            self._eject()
        elif command == b"&lS":
            self.duplex = value in (1, 2)
        elif command == b"&lA":
            self.paper = _PAPER.get(value, self.paper)
        elif command == b"*rU" and abs(value) == 3:
            self.colour = True

    def _eject(self) -> None:
        self.pages += 1
        self.dirty = False
