import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kantech_proto.datetime_record import KantechDateTime
from kantech_proto.errors import BadDataSizeError, BadFieldError, EncodeError


def test_known_answer():
    when = KantechDateTime.from_datetime(datetime.datetime(2026, 11, 21, 18, 34, 5))
    # 2026-11-21 is a Saturday: weekday 5 with Monday = 0
    assert when.encode() == bytes([26, 11, 21, 18, 34, 5, 5])


@given(st.datetimes(min_value=datetime.datetime(2000, 1, 1),
                    max_value=datetime.datetime(2255, 12, 31, 23, 59, 59)))
def test_round_trip(value):
    record = KantechDateTime.from_datetime(value.replace(microsecond=0))
    assert KantechDateTime.decode(record.encode()) == record


def test_impossible_dates_are_bad_fields():
    with pytest.raises(BadFieldError):
        KantechDateTime.decode(bytes([26, 2, 30, 0, 0, 0, 0]))
    with pytest.raises(BadFieldError):
        KantechDateTime.decode(bytes([26, 1, 1, 0, 0, 0, 7]))


def test_wrong_size_and_unencodable_year():
    with pytest.raises(BadDataSizeError):
        KantechDateTime.decode(bytes(6))
    with pytest.raises(EncodeError):
        KantechDateTime(1999, 1, 1, 0, 0, 0, 4).encode()
