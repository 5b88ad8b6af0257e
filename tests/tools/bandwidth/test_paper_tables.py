"""The paper's tables as data, checked against what kantech_proto actually encodes: where
WIRE.md says a size is the paper's, the table row and the codec must agree."""

from __future__ import annotations

import pytest

from kantech_proto.codes import RecordType
from kantech_proto.controller_status import STATUS_SIZE
from kantech_proto.datetime_record import DATETIME_SIZE
from kantech_proto.event_types import EVENT_ROWS
from kantech_proto.reload_records import RECORD_SIZES
from kantech_proto.serial_frame import OVERHEAD, Presence, poll_frame
from protolab.errors import ConfigurationError, UsageError
from tools.bandwidth.registry import ALL_TABLES, find_table
from tools.bandwidth.tables_controller import TABLE_12
from tools.bandwidth.tables_polling import TABLE_11
from tools.bandwidth.tables_protocols import TABLE_2
from tools.bandwidth.tables_reload import TABLE_7, TABLE_8, TABLE_9

TABLE_7_RECORDS = {
    "Global system information": RecordType.GLOBAL_SYSTEM, "Controller": RecordType.CONTROLLER,
    "Floor assignation (when elevator)": RecordType.FLOOR_ASSIGNATION,
    "Serial number (KT-300)": RecordType.SERIAL_NUMBER,
    "DSC module (KT-300)": RecordType.DSC_MODULE, "SPI module (KT-400)": RecordType.SPI_MODULE,
    "Per floor definition": RecordType.FLOOR_DEFINITION, "Per door": RecordType.DOOR,
    "Per relay": RecordType.RELAY, "Per input": RecordType.INPUT, "Per output": RecordType.OUTPUT,
    "Per card - KT-100/KT-200/KT-300": RecordType.CARD_KT100,
    "Per card - KT-400/KT-1": RecordType.CARD_KT400,
    "Per schedule - KT-100/KT-200/KT-300": RecordType.SCHEDULE_KT100,
    "Per schedule - KT-400/KT-1/KTES": RecordType.SCHEDULE_KT400,
    "Access level (reload)": RecordType.ACCESS_LEVEL,
    "Per floor group (reload)": RecordType.FLOOR_GROUP,
    "Per floor group mask": RecordType.FLOOR_GROUP_MASK, "All holiday": RecordType.HOLIDAYS,
    "Per relay group": RecordType.RELAY_GROUP, "Per input group": RecordType.INPUT_GROUP,
    "Per action scheduler": RecordType.ACTION_SCHEDULER, "Date/Time": RecordType.DATE_TIME,
    "Per reader driver": RecordType.READER_DRIVER,
}


@pytest.mark.parametrize("label", sorted(TABLE_7_RECORDS))
def test_table_7_rows_are_the_sizes_of_the_reload_records(label: str) -> None:
    assert TABLE_7.bytes_of(label) == RECORD_SIZES[TABLE_7_RECORDS[label]]


def test_table_7_covers_every_record_type() -> None:
    assert set(TABLE_7_RECORDS.values()) == set(RecordType)


def test_table_7_keeps_the_paper_s_second_reader_driver_row_with_a_note() -> None:
    drivers = [row for row in TABLE_7.rows if row.label == "Per reader driver"]
    assert [row.bytes for row in drivers] == [253, 203]
    assert "253" in drivers[1].note


def test_table_12_rows_are_the_event_body_sizes() -> None:
    by_title = {row.title.lower(): row.size for row in EVENT_ROWS.values()}
    checked = 0
    for row in TABLE_12.rows:
        title = row.label.lower()
        if title in by_title:
            assert row.bytes == by_title[title], row.label
            checked += 1
    assert checked == len(by_title)  # every row kind of the codec is a row of the table
    assert TABLE_12.bytes_of("Controller's complete status") == STATUS_SIZE
    assert TABLE_12.bytes_of("Date and times") == DATETIME_SIZE
    assert TABLE_12.bytes_of("Communication protocol") == OVERHEAD


def test_serial_overhead_and_idle_query_are_what_the_serial_codec_sends() -> None:
    assert TABLE_2.rows[0].bytes == OVERHEAD
    assert TABLE_11.bytes_of("Gateway query") == len(poll_frame(5))
    assert TABLE_11.bytes_of("Controller reply") == len(Presence(5).encode())


def test_tables_with_duplicated_labels_say_which_the_planner_uses() -> None:
    floors = [row for row in TABLE_9.rows if row.label == "Information for 1 floor"]
    levels = [row for row in TABLE_9.rows if row.label == "Information for 1 access level"]
    assert [r.bytes for r in floors] == [12, 10] and [r.bytes for r in levels] == [16396, 262153]
    assert TABLE_9.bytes_of("Information for 1 floor") == 12
    assert "12" in floors[1].note and "16396" in levels[1].note


def test_the_multi_site_card_row_is_a_formula() -> None:
    row = TABLE_8.row("Information for 1 card")
    assert row.cells == ("35 + 34 * Number of sites",)


def test_every_table_of_the_paper_is_there_once() -> None:
    numbers = [table.number for table in ALL_TABLES]
    assert len(numbers) == len(set(numbers))
    assert {str(n) for n in range(1, 14)} - {"3"} <= set(numbers)  # table 3 is a field list
    assert {"idle", "firmware", "command-lines", "manual-operations", "backups"} <= set(numbers)


def test_find_table_names_the_tables_it_has() -> None:
    assert find_table("8") is TABLE_8
    with pytest.raises(ConfigurationError, match="expected one of: 1, 2, 4"):
        find_table("99")


def test_a_row_that_is_not_a_number_is_refused_as_a_byte_count() -> None:
    table = find_table("4")
    with pytest.raises(UsageError, match="not a byte count"):
        table.bytes_of("Comment")
    with pytest.raises(UsageError, match="no row"):
        table.row("nothing")
