"""Counting the pages of a PostScript job, and what it asks for (colour, duplex, paper size).

Sans-IO: ``feed`` bytes, read ``pages``. The stream is tokenized as the language does it, enough
not to be fooled: comments (``%`` to the end of the line) and strings (``(...)`` with nesting and
backslash escapes) are skipped, and a page is each ``showpage`` (or ``copypage``) token (hex
strings hold hex digits only, never an operator name). Colour operators mark the job colour;
``/Duplex true`` and a ``/PageSize`` of A3 or Ledger in a setpagedevice dictionary are what
drivers write for duplex and large paper. A token cut by a chunk boundary is kept until the next
chunk (a bounded tail: a "token" longer than that is data).
"""

from __future__ import annotations

import re

#: PostScript's white space (PLRM 3.2.2): NUL, tab, LF, FF, CR and space; not vertical tab
_SPACE = rb"\x00\t\n\f\r "
_TOKEN = re.compile(rb"[^" + _SPACE + rb"()<>\[\]{}/%]+|/[^" + _SPACE + rb"()<>\[\]{}/%]*"
                    rb"|[\[\]{}]|<<|>>")
_DELIMITERS = b"\x00\t\n\f\r ()<>[]{}/%"
_MAX_TAIL = 256
_COLOUR = frozenset((b"setrgbcolor", b"setcmykcolor", b"sethsbcolor"))
_LARGE = {(842, 1191): "A3", (1191, 842): "A3", (792, 1224): "Ledger", (1224, 792): "Ledger"}


class PostScriptPages:
    """See the module docstring."""

    __slots__ = ("_depth", "_escaped", "_recent", "_state", "_tail", "colour", "duplex", "pages",
                 "paper")

    def __init__(self) -> None:
        self.pages = 0
        self.colour = False
        self.duplex = False
        self.paper: str | None = None
        self._tail = b""
        self._state = 0  # 0 code, 1 comment, 2 string (nesting depth in _depth)
        self._depth = 0
        self._escaped = False  # a string's backslash ended the last chunk: skip the next byte
        self._recent: list[bytes] = []

    def feed(self, data: bytes) -> None:
        data = self._tail + data
        self._tail = b""
        at, end = 0, len(data)
        while at < end:
            if self._state == 1:
                stop = _find_any(data, b"\r\n", at)
                if stop < 0:
                    return
                self._state, at = 0, stop + 1
            elif self._state == 2:
                at = self._string(data, at)
            else:
                at = self._code(data, at, end)

    def finish(self) -> None:
        if self._state == 0 and self._tail:
            self._token(self._tail)
        self._tail = b""

    def _code(self, data: bytes, at: int, end: int) -> int:
        """Tokens up to the next comment or string; a token the chunk cuts waits for the next."""
        stop = _find_any(data, b"%(", at)
        piece = data[at:end if stop < 0 else stop]
        if stop < 0:
            keep = len(piece)
            while keep and piece[keep - 1] not in _DELIMITERS and len(piece) - keep < _MAX_TAIL:
                keep -= 1
            if keep and piece[keep - 1] in b"/<>":  # a name, or half of << or >>
                keep -= 1
            if len(piece) - keep < _MAX_TAIL:
                self._tail, piece = piece[keep:], piece[:keep]
        for token in _TOKEN.findall(piece):
            self._token(token)
        if stop < 0:
            return end
        self._state = 1 if data[stop] == 0x25 else 2
        self._depth = 1
        return stop + 1

    def _string(self, data: bytes, at: int) -> int:
        end = len(data)
        if self._escaped:
            self._escaped = False
            at += 1
        while at < end:
            byte = data[at]
            if byte == 0x5C:  # backslash: the next byte is literal
                if at + 1 == end:
                    self._escaped = True
                at += 2
                continue
            if byte == 0x28:
                self._depth += 1
            elif byte == 0x29:
                self._depth -= 1
                if not self._depth:
                    self._state = 0
                    return at + 1
            at += 1
        return end

    def _token(self, token: bytes) -> None:
        if token in (b"showpage", b"copypage"):
            self.pages += 1
        elif token in _COLOUR:
            self.colour = True
        recent = self._recent
        recent.append(token)
        if len(recent) > 6:
            del recent[0]
        if recent[-2:] == [b"/Duplex", b"true"]:
            self.duplex = True
        if len(recent) >= 5 and recent[-5] == b"/PageSize" and recent[-4] == b"[" \
                and recent[-1] == b"]":
            try:
                size = (round(float(recent[-3])), round(float(recent[-2])))
            except (ValueError, OverflowError):  # not numbers, or 1e999 (infinite)
                return
            self.paper = _LARGE.get(size, "A4")


def _find_any(data: bytes, chars: bytes, at: int) -> int:
    found = [i for i in (data.find(bytes((c,)), at) for c in chars) if i >= 0]
    return min(found) if found else -1
