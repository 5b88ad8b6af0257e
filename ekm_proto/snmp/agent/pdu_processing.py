"""Answering one PDU from a MibView: GET, GETNEXT, GETBULK and SET, v1 and v2 semantics.

The result is the response's error-status, error-index and the already-encoded VarBind TLVs, so
the message layer only adds headers. ``budget`` is how many bytes of VarBinds fit in the response
message (the manager's msgMaxSize or our own limit, minus the envelope): GETBULK stops adding
repetitions there (RFC 3416 4.2.3), GET and GETNEXT turn into tooBig (RFC 3416 4.2.1, RFC 1157
4.1.2). A SET is refused as snmpd refuses it (noAccess without write access, notWritable for
what the view does not let be written), or tested varbind by varbind and committed whole.
"""

from __future__ import annotations

from collections.abc import Callable

from ekm_proto.errors import BrokenViewError, EkmError
from ekm_proto.snmp.agent.view import MibView
from ekm_proto.snmp.ber import (
    decode_oid_cached,
    encode_oid,
    encode_value,
    encode_varbind,
    header,
    varbind_tlv,
)
from ekm_proto.snmp.message import ErrorStatus, Pdu, PduType, VarBind
from ekm_proto.snmp.types import Oid, SnmpType, SnmpValue

_GET, _GET_NEXT, _GET_BULK, _SET = (int(PduType.GET), int(PduType.GET_NEXT),
                                    int(PduType.GET_BULK), int(PduType.SET))
_NO_SUCH_OBJECT, _NO_SUCH_INSTANCE = int(SnmpType.NO_SUCH_OBJECT), int(SnmpType.NO_SUCH_INSTANCE)
_COUNTER64 = int(SnmpType.COUNTER64)
_END_TLV = bytes((int(SnmpType.END_OF_MIB_VIEW), 0))
_V1_MISSING = frozenset((_NO_SUCH_OBJECT, _NO_SUCH_INSTANCE, int(SnmpType.END_OF_MIB_VIEW),
                         _COUNTER64))

Outcome = tuple[int, int, list[bytes]]  # error-status, error-index, VarBind TLVs
_NO_ERROR = b"\x02\x01\x00\x02\x01\x00"
_NULL_TLV = b"\x05\x00"
FAST_VARBIND_LIMIT = 1000


def fast_get(view: MibView, data: bytes, start: int, end: int) -> bytes | None:
    """The Response PDU for a GET or GETNEXT of one OID (v2 semantics) whose PDU fills
    ``data[start:end]`` with short lengths, the shape of nearly every poll, built straight from
    the request bytes; None for any other shape or any trouble, which the general path (decoding,
    counting, genErr) then handles."""
    if end - start < 16 or end - start > 0x81:
        return None
    tag = data[start]
    if (tag != 0xA0 and tag != 0xA1) or data[start + 1] != end - start - 2 \
            or data[start + 2] != 0x02:
        return None
    id_end = start + 4 + data[start + 3]
    oid_start = id_end + 12
    if not start + 5 <= id_end <= start + 8 or oid_start > end \
            or data[id_end:id_end + 6] != _NO_ERROR or data[id_end + 6] != 0x30 \
            or data[id_end + 7] != end - id_end - 8 or data[id_end + 8] != 0x30 \
            or data[id_end + 9] != end - id_end - 10 or data[id_end + 10] != 0x06 \
            or oid_start + data[id_end + 11] + 2 != end or data[end - 2:end] != _NULL_TLV:
        return None
    try:
        oid = decode_oid_cached(data, oid_start, end - 2)
        if tag == _GET:
            kind, value = view.get(oid)
            varbind = varbind_tlv(oid, kind, value)
        else:
            found = view.get_next(oid)
            if found is None:
                varbind = encode_varbind(encode_oid(oid), _END_TLV)
            else:
                name, (kind, value) = found
                varbind = varbind_tlv(name, kind, value)
    except Exception:  # the general path calls the view again and reports the failure
        return None
    if len(varbind) > FAST_VARBIND_LIMIT:  # the general path applies the size limits
        return None
    body = data[start + 2:id_end] + _NO_ERROR + header(0x30, len(varbind)) + varbind
    return header(0xA2, len(body)) + body


class ViewFailure(EkmError):
    """A MibView call raised (or returned something unencodable) at varbind ``index`` (1-based)."""

    def __init__(self, index: int, cause: BaseException) -> None:
        super().__init__(f"varbind {index}: {type(cause).__name__}: {cause}")
        self.index = index
        self.cause = cause


def echo(varbinds: list[VarBind]) -> list[bytes]:
    """The request's VarBinds, re-encoded for an error response (decoding was strict, so this
    reproduces what the manager sent)."""
    return [encode_varbind(encode_oid(oid), encode_value(value[0], value[1]))
            for oid, value in varbinds]


def process(view: MibView, pdu: Pdu, v1: bool, budget: int, max_bulk: int,
            writable: bool = False) -> Outcome | None:
    """The answer to ``pdu`` (GET, GETNEXT, GETBULK or SET; the caller filters other types), or
    None when not even an error response fits ``budget``. ``writable``: the request came with
    write access (a write community or user). Raises ViewFailure for a broken view."""
    kind = pdu.type
    varbinds = pdu.varbinds
    if kind == _GET:
        outcome = _get_v1(view, varbinds) if v1 else _get(view, varbinds)
    elif kind == _GET_NEXT:
        outcome = _get_next_v1(view, varbinds) if v1 else _get_next(view, varbinds)
    elif kind == _GET_BULK:
        return _get_bulk(view, varbinds, pdu.error_status, pdu.error_index, budget, max_bulk)
    else:
        outcome = _set(view, varbinds, v1, writable)
    if sum(map(len, outcome[2])) <= budget:
        return outcome
    if not v1:
        return int(ErrorStatus.TOO_BIG), 0, []
    vbs = echo(varbinds)
    return (int(ErrorStatus.TOO_BIG), 0, vbs) if sum(map(len, vbs)) <= budget else None


_NO_SUCH_NAME_ERRORS = frozenset(int(e) for e in (
    ErrorStatus.NO_ACCESS, ErrorStatus.NOT_WRITABLE, ErrorStatus.NO_CREATION,
    ErrorStatus.INCONSISTENT_NAME, ErrorStatus.AUTHORIZATION_ERROR))
_GEN_ERRORS = frozenset(int(e) for e in (
    ErrorStatus.RESOURCE_UNAVAILABLE, ErrorStatus.COMMIT_FAILED, ErrorStatus.UNDO_FAILED))


def v1_status(status: int) -> int:
    """The SNMPv1 error-status an SNMPv2 one becomes (RFC 3584 section 4.4)."""
    if status in _NO_SUCH_NAME_ERRORS:
        return int(ErrorStatus.NO_SUCH_NAME)
    if status in _GEN_ERRORS:
        return int(ErrorStatus.GEN_ERR)
    if status >= int(ErrorStatus.WRONG_TYPE):
        return int(ErrorStatus.BAD_VALUE)
    return status


def _set(view: MibView, varbinds: list[VarBind], v1: bool, writable: bool) -> Outcome:
    """RFC 3416 4.2.5: every varbind tested, in order, before anything is written; the first
    refusal answers with its status and index (1-based), as snmpd does."""
    if not varbinds:
        return 0, 0, []
    test = getattr(view, "test_set", None) if writable else None
    for index, (oid, value) in enumerate(varbinds, 1):
        if not writable:
            status = int(ErrorStatus.NO_ACCESS)
        elif test is None:
            status = int(ErrorStatus.NOT_WRITABLE)
        else:
            try:
                status = int(test(oid, value))
            except Exception as exc:
                raise ViewFailure(index, exc) from exc
        if status:
            return (v1_status(status) if v1 else status), index, echo(varbinds)
    try:
        view.commit_set(varbinds)  # type: ignore[attr-defined]
    except Exception as exc:
        raise ViewFailure(1, exc) from exc
    return 0, 0, echo(varbinds)


def _get(view: MibView, varbinds: list[VarBind]) -> Outcome:
    out = []
    get = view.get
    for index, (oid, _) in enumerate(varbinds, 1):
        try:
            kind, value = get(oid)
            out.append(varbind_tlv(oid, kind, value))
        except Exception as exc:
            raise ViewFailure(index, exc) from exc
    return 0, 0, out


def _get_v1(view: MibView, varbinds: list[VarBind]) -> Outcome:
    out = []
    for index, (oid, _) in enumerate(varbinds, 1):
        try:
            kind, value = view.get(oid)
            if kind in _V1_MISSING:  # RFC 3584 4.2.2.1: no exceptions and no Counter64 in v1
                return int(ErrorStatus.NO_SUCH_NAME), index, echo(varbinds)
            out.append(encode_varbind(encode_oid(oid), encode_value(kind, value)))
        except Exception as exc:
            raise ViewFailure(index, exc) from exc
    return 0, 0, out


def _get_next(view: MibView, varbinds: list[VarBind]) -> Outcome:
    out = []
    get_next = view.get_next
    for index, (oid, _) in enumerate(varbinds, 1):
        try:
            found = get_next(oid)
            if found is None:
                out.append(encode_varbind(encode_oid(oid), _END_TLV))
            else:
                name, (kind, value) = found
                out.append(varbind_tlv(name, kind, value))
        except Exception as exc:
            raise ViewFailure(index, exc) from exc
    return 0, 0, out


def _next_v1(view: MibView, oid: Oid) -> tuple[Oid, int, object] | None:
    """The successor SNMPv1 can carry: Counter64 objects are skipped (RFC 3584 4.2.2.1)."""
    while True:
        found = view.get_next(oid)
        if found is None:
            return None
        name, (kind, value) = found
        if name <= oid:  # a view that does not advance would loop forever
            raise BrokenViewError(f"get_next({oid}) returned {name}, not a successor")
        if kind != _COUNTER64:
            return name, kind, value
        oid = name


def _get_next_v1(view: MibView, varbinds: list[VarBind]) -> Outcome:
    out = []
    for index, (oid, _) in enumerate(varbinds, 1):
        try:
            found = _next_v1(view, oid)
            if found is None:
                return int(ErrorStatus.NO_SUCH_NAME), index, echo(varbinds)
            name, kind, value = found
            if kind in _V1_MISSING:
                return int(ErrorStatus.NO_SUCH_NAME), index, echo(varbinds)
            out.append(encode_varbind(encode_oid(name), encode_value(kind, value)))
        except Exception as exc:
            raise ViewFailure(index, exc) from exc
    return 0, 0, out


def _get_bulk(view: MibView, varbinds: list[VarBind], non_repeaters: int, max_repetitions: int,
              budget: int, max_bulk: int) -> Outcome:
    """RFC 3416 4.2.3. Stops at the byte budget, at ``max_bulk`` VarBinds, or after a repetition
    in which every column has reached endOfMibView (as snmpd does)."""
    count = len(varbinds)
    n = min(max(non_repeaters, 0), count)
    get_next = view.get_next
    out: list[bytes] = []
    size = 0
    room = max_bulk
    for index in range(n):
        oid = varbinds[index][0]
        try:
            found = get_next(oid)
            if found is None:
                vb = encode_varbind(encode_oid(oid), _END_TLV)
            else:
                name, (kind, value) = found
                vb = varbind_tlv(name, kind, value)
        except Exception as exc:
            raise ViewFailure(index + 1, exc) from exc
        size += len(vb)
        if size > budget or not room:
            return 0, 0, out
        out.append(vb)
        room -= 1
    columns = [vb[0] for vb in varbinds[n:]]
    repetitions = min(max(max_repetitions, 0), room // len(columns) + 1) if columns else 0
    if len(columns) == 1:
        walk = getattr(view, "walk_encoded", None)
        if walk is not None:
            _walk_batch(walk, columns[0], repetitions, budget - size, room, out, n + 1)
        else:
            _walk_one(get_next, columns[0], repetitions, budget - size, room, out, n + 1)
        return 0, 0, out
    ended = [False] * len(columns)
    append = out.append
    for _ in range(repetitions):
        all_ended = True
        for column, oid in enumerate(columns):
            if ended[column]:
                vb = encode_varbind(encode_oid(oid), _END_TLV)
            else:
                try:
                    found = get_next(oid)
                    if found is None:
                        ended[column] = True
                        vb = encode_varbind(encode_oid(oid), _END_TLV)
                    else:
                        name, (kind, value) = found
                        vb = varbind_tlv(name, kind, value)
                        columns[column] = name
                        all_ended = False
                except Exception as exc:
                    raise ViewFailure(n + column + 1, exc) from exc
            size += len(vb)
            if size > budget or not room:
                return 0, 0, out
            append(vb)
            room -= 1
        if all_ended:
            break
    return 0, 0, out


def _walk_one(get_next: Callable[[Oid], tuple[Oid, SnmpValue] | None], oid: Oid,
              repetitions: int, budget: int, room: int, out: list[bytes], index: int) -> None:
    """GETBULK with a single repeater, the shape of every table walk: the tight loop."""
    append = out.append
    try:
        for _ in range(min(repetitions, room)):
            found = get_next(oid)
            if found is None:
                vb = encode_varbind(encode_oid(oid), _END_TLV)
                if len(vb) <= budget:
                    append(vb)
                return
            oid, (kind, value) = found
            vb = varbind_tlv(oid, kind, value)
            budget -= len(vb)
            if budget < 0:
                return
            append(vb)
    except Exception as exc:
        raise ViewFailure(index, exc) from exc


def _walk_batch(walk: Callable[[Oid, int], tuple[list[bytes], Oid]], oid: Oid,
                repetitions: int, budget: int, room: int, out: list[bytes], index: int) -> None:
    """_walk_one for a view that hands out the encoded successors of an OID in one call
    (MibView.walk_encoded): one call per request instead of one per varbind, and the varbinds
    of constant objects encoded once for all requests."""
    limit = min(repetitions, room)
    try:
        found, last = walk(oid, limit)
        if found and last <= oid:
            raise BrokenViewError(f"walk after {oid} ended at {last}, not a successor")
    except Exception as exc:
        raise ViewFailure(index, exc) from exc
    append = out.append
    for vb in found:
        budget -= len(vb)
        if budget < 0:
            return
        append(vb)
    if len(found) < limit:  # the end of the view
        vb = encode_varbind(encode_oid(last), _END_TLV)
        if len(vb) <= budget:
            append(vb)
