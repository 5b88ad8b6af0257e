"""Splitting a TCP byte stream (port 18802) into IP frames, resynchronising after bad bytes.

A bad frame costs only its first byte: the decoder drops the 0x99 it started on and rescans, so a
garbage length field can delay but never swallow the valid frames behind it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kantech_proto.errors import BadLengthError, DecodeError, FrameTooLongError
from kantech_proto.ip_frame import MAX_FRAME, MIN_FRAME, SYNC, IpFrame, IpFrameCodec

_SYNC_BYTE = bytes((SYNC,))


@dataclass(slots=True)
class StreamStats:
    frames: int = 0
    bad_frames: int = 0
    dropped_bytes: int = 0
    last_error: DecodeError | None = field(default=None, repr=False)


class IpStreamDecoder:
    """Feed it bytes as they arrive; it returns whole decoded frames and the errors it skipped."""

    __slots__ = ("_buffer", "_codec", "stats")

    def __init__(self, codec: IpFrameCodec) -> None:
        self._codec = codec
        self._buffer = bytearray()
        self.stats = StreamStats()

    @property
    def pending(self) -> int:
        """Bytes held while waiting for the rest of a frame."""
        return len(self._buffer)

    def feed(self, data: bytes) -> list[IpFrame | DecodeError]:
        self._buffer += data
        out: list[IpFrame | DecodeError] = []
        buf = self._buffer
        while buf:
            start = buf.find(_SYNC_BYTE)
            if start < 0:
                self.stats.dropped_bytes += len(buf)
                buf.clear()
                break
            if start:
                self.stats.dropped_bytes += start
                del buf[:start]
            if len(buf) < 3:
                break
            total = int.from_bytes(buf[1:3], "big") + 3
            if total < MIN_FRAME or total > MAX_FRAME or (total - MIN_FRAME) % 16:
                self._reject(out, FrameTooLongError(f"length field gives {total} bytes")
                             if total > MAX_FRAME else
                             BadLengthError(f"length field gives {total} bytes, not 7 + 16k + 2"))
                continue
            if len(buf) < total:
                break
            candidate = bytes(buf[:total])
            try:
                frame = self._codec.decode(candidate)
            except DecodeError as exc:
                if exc.header is not None:  # authentic (checksum good): its bounds are sure
                    del buf[:total]
                    self.stats.bad_frames += 1
                    self.stats.last_error = exc
                    out.append(exc)
                else:
                    self._reject(out, exc)
                continue
            del buf[:total]
            self.stats.frames += 1
            out.append(frame)
        return out

    def _reject(self, out: list[IpFrame | DecodeError], error: DecodeError) -> None:
        del self._buffer[:1]
        self.stats.bad_frames += 1
        self.stats.dropped_bytes += 1
        self.stats.last_error = error
        out.append(error)

