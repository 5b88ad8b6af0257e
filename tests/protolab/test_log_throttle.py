from protolab.log_throttle import LogThrottle


def test_one_line_per_interval_with_the_count_passed_over() -> None:
    throttle = LogThrottle(5.0)
    assert throttle.allow(100.0) == 0  # the first occurrence always gets its line
    assert [throttle.allow(t) for t in (101.0, 102.0, 104.9)] == [None, None, None]
    assert throttle.allow(105.0) == 3  # next line reports the three passed over
    assert throttle.allow(105.1) is None
    assert throttle.allow(200.0) == 1


def test_a_flood_of_one_reason_never_hides_another() -> None:
    throttle = LogThrottle(5.0)
    assert throttle.allow(0.0, "wrong-key") == 0
    assert all(throttle.allow(0.1 * n, "wrong-key") is None for n in range(1, 40))
    assert throttle.allow(2.0, "replay") == 0  # its own budget
    assert throttle.allow(5.0, "wrong-key") == 39
