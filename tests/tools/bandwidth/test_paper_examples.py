"""Every worked example of the paper, pinned: the paper's figures as it prints them, the
recomputation from its own tables, and the places the two part."""

from __future__ import annotations

from tools.bandwidth.paper_examples import (
    ExampleLine,
    WorkedExample,
    access_event,
    all_examples,
    command_line,
    controller_minimum,
    controller_reload,
    door_group_backup,
    firmware,
    gateway_reload,
    idle_mode,
    idle_site_query,
    polling,
)


def _line(example: WorkedExample, label: str) -> ExampleLine:
    return next(line for line in example.lines if line.label == label)


def test_gateway_reload_total_is_right_but_prints_schedules_twice() -> None:
    example = gateway_reload()
    assert example.paper_total == example.total == 248078
    assert example.paper_lines_sum == 248078 + 12 * 133  # the repeated Schedules line
    assert [x.label for x in example.lines if not x.agrees] == ["Schedules (again)"]
    assert _line(example, "Cards").value == 200 * (35 + 34 * 2)
    # with the controller example's 2 relays, 8 inputs, 2 outputs per controller
    assert f"{248078 - (2 * 22 + 8 * 66 + 2 * 52) + 40 * 22 + 160 * 66 + 40 * 52:,}" in \
        example.notes[1]


def test_controller_reload_lines_do_not_add_up_to_the_paper_s_total() -> None:
    example = controller_reload()
    assert example.paper_total == 2355
    assert example.paper_lines_sum == 83 + 7 + 40 + 54 + 112 + 12 + 30 + 1600 + 252 + 248 == 2438
    assert example.total == 83 + 7 + 40 + 2 * 27 + 8 * 14 + 2 * 6 + 2 * 15 + 200 * 78 + 12 * 41 \
        + 20 * 249 == 21410
    assert {x.label for x in example.lines if not x.agrees} == {
        "Cards", "Schedules", "Access levels"}
    assert _line(example, "Cards").value == 15600
    assert "12 x 21" in _line(example, "Schedules").note
    assert "249" in _line(example, "Access levels").note
    assert "47,100" in example.notes[0] and f"{21410 * 20:,}" in example.notes[1]


def test_the_controller_minimum_is_130_not_106() -> None:
    example = controller_minimum()
    assert (example.paper_total, example.total) == (106, 83 + 40 + 7)


def test_firmware_arithmetic_is_right_its_unit_and_packet_count_are_not() -> None:
    example = firmware()
    assert example.paper_total == 500 * 188 * 16 == 1504000
    assert example.total == 512 * (130 + 4 + 54) * 16
    assert _line(example, "Packets").value == 64 * 1024 // 128
    assert "1.5 MB" in example.notes[0] and "1,504 Mb" in example.notes[0]
    assert example.paper_lines_sum is None


def test_idle_and_polling_examples_add_up() -> None:
    assert (idle_mode().paper_total, idle_mode().total) == (4078, 4 * 1000 + 26 + 2 * 26)
    assert idle_mode().agrees and polling().agrees and polling().total == 3 * 1000


def test_idle_site_query_tcpip_packets() -> None:
    example = idle_site_query()
    assert _line(example, "Gateway query on TCP/IP").value == 54 + 4
    assert not _line(example, "Gateway query on TCP/IP").agrees
    assert _line(example, "Controller reply on TCP/IP").agrees


def test_command_line_is_50_notation_characters_and_40_bytes() -> None:
    example = command_line()
    assert _line(example, "Notation characters").value == 50
    assert _line(example, "Bytes on the wire").value == 40  # 1 + 23 + 1 + 13 + 1 + 1


def test_access_event_and_door_group_backup_add_up() -> None:
    assert access_event().agrees and access_event().total == 7 + 1 + 5 + 4
    assert door_group_backup().agrees and door_group_backup().total == 39 + 141 + 8 * 40


def test_every_example_has_a_unique_name_and_json() -> None:
    examples = all_examples()
    assert len({e.name for e in examples}) == len(examples) == 10
    for example in examples:
        data = example.as_json()
        assert data["agrees"] == (data["paper_total"] == data["total"] and
                                  all(line["agrees"] for line in data["lines"]))
