"""Hypothesis strategies the SNMP tests share: any OID SNMP can carry, any value of every type."""

from __future__ import annotations

from hypothesis import strategies as st

from ekm_proto.snmp.types import SnmpType

oids = st.tuples(st.integers(0, 2), st.integers(0, 39)).flatmap(
    lambda head: st.lists(st.integers(0, 2**32 - 1), max_size=20).map(lambda tail: (*head, *tail)))

values = st.one_of(
    st.tuples(st.just(SnmpType.INTEGER), st.integers(-(2**31), 2**31 - 1)),
    st.tuples(st.just(SnmpType.OCTET_STRING), st.binary(max_size=300)),
    st.tuples(st.just(SnmpType.OBJECT_IDENTIFIER), oids),
    st.tuples(st.sampled_from([SnmpType.COUNTER32, SnmpType.GAUGE32, SnmpType.TIMETICKS]),
              st.integers(0, 2**32 - 1)),
    st.tuples(st.just(SnmpType.COUNTER64), st.integers(0, 2**64 - 1)),
    st.tuples(st.just(SnmpType.IP_ADDRESS), st.binary(min_size=4, max_size=4)),
    st.tuples(st.just(SnmpType.OPAQUE), st.binary(max_size=50)),
    st.tuples(st.sampled_from([SnmpType.NULL, SnmpType.NO_SUCH_OBJECT, SnmpType.NO_SUCH_INSTANCE,
                               SnmpType.END_OF_MIB_VIEW]), st.none()),
)
