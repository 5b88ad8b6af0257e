"""The receiving end of a discovery port (UDP 18803) that many devices share.

A lab process runs thousands of devices but opens one socket per discovery port. A DISCOVER is
decoded once, with the key of the site its clear-text site id names, and checked and refused the
way an endpoint refuses frames (``FrameRejected`` carrying the DecodeError, the same counters);
what passes goes to that site's devices, each of which runs it through its own endpoint (replay
policy, the answer from its own address). Nothing here touches a socket.
"""

from __future__ import annotations

from collections import Counter, deque
from dataclasses import dataclass

from kantech_proto.endpoint_core import count_rejection
from kantech_proto.endpoint_events import Address, FrameRejected
from kantech_proto.errors import DecodeError, SiteMismatchError, UnexpectedCommandError
from kantech_proto.ip_frame import FAST_OUTER, OUTER_HEADER, SYNC, IpFrame, IpFrameCodec
from kantech_proto.messages import Discover


@dataclass(frozen=True, slots=True)
class DiscoverReceived:
    """A valid DISCOVER for ``frame.site_id``, decoded by ``codec`` (the devices' key)."""

    peer: Address
    frame: IpFrame
    codec: IpFrameCodec


DiscoveryEvent = DiscoverReceived | FrameRejected


def clear_site_id(data: bytes) -> int | None:
    """The site id a frame's clear-text header names, before any key is tried (None when the
    bytes do not even start like a frame)."""
    if len(data) < OUTER_HEADER or data[0] != SYNC:
        return None
    site_id: int = FAST_OUTER.unpack_from(data)[2]
    return site_id


class DiscoveryEndpoint:
    """Sans-IO: datagrams in, ``DiscoverReceived`` and ``FrameRejected`` events out."""

    def __init__(self) -> None:
        self._codecs: dict[int, list[IpFrameCodec]] = {}
        self._events: deque[DiscoveryEvent] = deque()
        self.stats: Counter[str] = Counter()

    def add_site(self, site_id: int, codec: IpFrameCodec) -> None:
        """Accept DISCOVERs for ``site_id`` made with ``codec``'s key (a site normally has one)."""
        codecs = self._codecs.setdefault(site_id, [])
        if all(known is not codec for known in codecs):
            codecs.append(codec)

    @property
    def sites(self) -> list[int]:
        return sorted(self._codecs)

    def receive_datagram(self, data: bytes, peer: Address) -> None:
        self.stats["bytes_in"] += len(data)
        site_id = clear_site_id(data)
        codecs = self._codecs.get(site_id) if site_id is not None else None
        if not codecs:
            self._reject(self._why_not(data, site_id), peer)
            return
        error: DecodeError | None = None
        for codec in codecs:  # one key per site in any sane lab: one decode
            try:
                frame = codec.decode(data)
            except DecodeError as exc:
                error = error or exc
                continue
            if not isinstance(frame.message, Discover):
                self._reject(UnexpectedCommandError(
                    f"{frame.command.name} on the discovery port, expected DISCOVER"), peer)
                return
            self.stats["discovers"] += 1
            self._events.append(DiscoverReceived(peer, frame, codec))
            return
        assert error is not None
        self._reject(error, peer)

    def events(self) -> list[DiscoveryEvent]:
        out = list(self._events)
        self._events.clear()
        return out

    def _why_not(self, data: bytes, site_id: int | None) -> DecodeError:
        if site_id is not None:
            return SiteMismatchError(f"no device of site {site_id} here (sites: "
                                     f"{', '.join(map(str, self.sites)) or 'none'})")
        any_codec = next((c for codecs in self._codecs.values() for c in codecs), None)
        try:  # not even a frame header: the framing checks say what is wrong
            (any_codec or IpFrameCodec(b"")).decode(data)
        except DecodeError as exc:
            return exc
        return SiteMismatchError("a frame for no site of this process")

    def _reject(self, error: DecodeError, peer: Address) -> None:
        count_rejection(self.stats, error)
        self._events.append(FrameRejected(peer, error))
