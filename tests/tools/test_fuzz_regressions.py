"""Every input the fuzzers kept replays cleanly: the corpus ``make fuzz`` grew
(tests/fuzz_corpus/TARGET) and every input that once broke a target (tests/fuzz_crashes/TARGET)
go through the target's parser again, and nothing but our declared decode errors may come out."""

from __future__ import annotations

from pathlib import Path

import pytest

from tools.fuzz.registry import CORPUS, CRASHES
from tools.fuzz.smoke import FuzzFinding, load_target, replay_file, target_names

TARGETS = target_names()


def _inputs(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []


@pytest.mark.parametrize("name", TARGETS)
def test_the_kept_corpus_and_past_crashes_replay_cleanly(name: str) -> None:
    module = load_target(name)
    corpus, crashes = _inputs(CORPUS / name), _inputs(CRASHES / name)
    assert corpus, f"tests/fuzz_corpus/{name} is empty: run `make fuzz` and commit the corpus"
    for path in corpus + crashes:
        replay_file(module, path)


def test_a_saved_input_that_still_breaks_its_target_fails_the_replay(tmp_path: Path) -> None:
    class Broken:
        __name__ = "broken"

        @staticmethod
        def TestOneInput(data: bytes) -> None:
            raise IndexError("escaped")

    saved = tmp_path / "crash-0001"
    saved.write_bytes(b"\x99\x00")
    with pytest.raises(FuzzFinding, match=r"crash-0001.*IndexError.*9900"):
        replay_file(Broken, saved)  # type: ignore[arg-type]
