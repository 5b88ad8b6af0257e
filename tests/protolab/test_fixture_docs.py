"""Every page of docs/fixtures is run as a user runs it: its example code block becomes a test file
in a fresh folder with no conftest, and must pass with only the installed plugin behind it, so the
docs cannot rot."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).parents[2] / "docs" / "fixtures"
CODE = re.compile(r"^```python\n(.*?)^```", re.S | re.M)
PLUGIN_FIXTURES = ("kantech_fleet", "kantech_gateway", "printer_fleet", "monitor", "portal",
                   "prosody", "manual_clock", "lab")


def example(page: Path) -> str:
    """The page's one example: exactly one python block, or the page is malformed."""
    blocks = CODE.findall(page.read_text())
    assert len(blocks) == 1, f"{page.name}: expected one python example, found {len(blocks)}"
    return str(blocks[0])


def test_every_fixture_has_its_page() -> None:
    assert sorted(p.stem for p in DOCS.glob("*.md")) == sorted(PLUGIN_FIXTURES)


@pytest.mark.parametrize("fixture", PLUGIN_FIXTURES)
def test_the_pages_example_passes_in_a_users_suite(pytester: pytest.Pytester,
                                                   fixture: str) -> None:
    code = example(DOCS / f"{fixture}.md")
    assert re.search(rf"\b{fixture}\b", code), f"{fixture}.md: the example never uses {fixture}"
    pytester.makepyfile(**{f"test_{fixture}_example": code})
    pytester.makeini("[pytest]\nasyncio_default_fixture_loop_scope = function\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", timeout=240)
    result.assert_outcomes(passed=len(re.findall(r"^(?:async )?def test_", code, re.M)))
