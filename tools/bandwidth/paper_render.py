"""Text for people: the paper's tables, its worked examples against the recomputation, and the
firmware and command-line figures."""

from __future__ import annotations

from collections.abc import Iterable

from tools.bandwidth.command_line import CommandLineCost
from tools.bandwidth.firmware import FirmwareTransfer
from tools.bandwidth.paper_examples import WorkedExample
from tools.bandwidth.paper_table import PaperTable
from tools.bandwidth.text_table import format_table, thousands


def table_text(table: PaperTable) -> str:
    title = f"Table {table.number}" if table.number.isdigit() else table.number.capitalize()
    rows = [[row.label, *row.cells, row.note] for row in table.rows]
    numeric = [False] * (len(table.columns) + 1)
    out = [f"{title}: {table.title}",
           *format_table((*table.columns, "note"), rows, numeric)]
    out += [f"  * {note}" for note in table.notes]
    return "\n".join(out) + "\n"


def tables_text(tables: Iterable[PaperTable]) -> str:
    return "\n".join(table_text(table) for table in tables)


def example_text(example: WorkedExample) -> str:
    verdict = "adds up" if example.agrees else "does NOT add up"
    rows = [[line.label, line.paper, thousands(line.paper_value), thousands(line.value),
             "" if line.agrees else "differs", line.note] for line in example.lines]
    out = [f"{example.title} [{example.name}]: the paper {verdict}",
           *format_table(("line", "the paper prints", "paper", "recomputed", "", "note"), rows,
                         (False, False, True, True, False, False))]
    out.append(f"  total ({example.unit}): paper {thousands(example.paper_total)}, recomputed "
               f"{thousands(example.total)}"
               + ("" if example.paper_lines_sum is None else
                  f"; the paper's lines add up to {thousands(example.paper_lines_sum)}"))
    out += [f"  * {note}" for note in example.notes]
    return "\n".join(out) + "\n"


def examples_text(examples: Iterable[WorkedExample]) -> str:
    return "\n".join(example_text(example) for example in examples)


def firmware_text(transfer: FirmwareTransfer) -> str:
    image, figures = transfer.image, transfer.figures()
    rows = [
        ["blocks (128 image bytes each)", thousands(transfer.blocks), ""],
        ["packet data (block number + image)", thousands(transfer.packet_data), "bytes"],
        [f"packet with the {image.link} protocol", thousands(transfer.packet), "bytes"],
        ["packet with TCP/IP (+54)", thousands(transfer.packet + 54), "bytes"],
    ]
    for key, label in (("payload_bytes", "data"), ("protocol_bytes", "with protocol overhead"),
                       ("tcpip_bytes", "with TCP/IP overhead")):
        rows.append([f"{label}, per controller", thousands(figures[f"{key}_per_controller"]),
                     "bytes"])
        rows.append([f"{label}, {transfer.controllers} controllers",
                     thousands(figures[f"{key}_total"]), "bytes"])
    out = [f"{image.label}: {image.text} = {thousands(transfer.image_bytes)} bytes "
           f"(1 kb = {transfer.kilobyte} bytes), {image.link} link",
           *format_table(("figure", "value", "unit"), rows, (False, True, False))]
    out += [f"  * {note}" for note in transfer.notes()]
    return "\n".join(out) + "\n"


def command_line_text(cost: CommandLineCost) -> str:
    data = cost.as_json()
    rows = [["bytes on the wire (STX, FS, ETX one byte each)", str(data["wire_bytes"])],
            ["characters of the notation (the paper's count)", str(data["notation_bytes"])],
            ["with TCP/IP (+54)", str(data["tcpip_bytes"])]]
    out = [f"{data['notation']}", *format_table(("figure", "bytes"), rows, (False, True)),
           f"  hex: {data['hex']}"]
    return "\n".join(out) + "\n"
