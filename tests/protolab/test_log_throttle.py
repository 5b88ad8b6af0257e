from protolab.log_throttle import LogThrottle


def test_one_line_per_interval_with_the_count_passed_over():
    throttle = LogThrottle(5.0)
    assert throttle.allow(100.0) == 0  # the first occurrence always gets its line
    assert [throttle.allow(t) for t in (101.0, 102.0, 104.9)] == [None, None, None]
    assert throttle.allow(105.0) == 3  # next line reports the three passed over
    assert throttle.allow(105.1) is None
    assert throttle.allow(200.0) == 1
