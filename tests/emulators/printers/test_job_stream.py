"""The raw port's stream without sockets: PJL commands, job boundaries, PCL and PostScript pages
counted the same however the bytes are cut, and garbage that never breaks it."""

from __future__ import annotations

import random

import pytest

from emulators.printers.job_stream import UEL, JobDone, JobStream, PjlCommand
from emulators.printers.pcl_pages import PclPages
from emulators.printers.ps_pages import PostScriptPages

HP_JOB = (UEL + b'@PJL JOB NAME="quarterly report"\r\n@PJL SET DUPLEX=ON\r\n'
          b"@PJL SET RENDERMODE=COLOR\r\n@PJL ENTER LANGUAGE=PCL\r\n"
          b"\x1bE\x1b&l26A page one\x0cpage two\x0c\x1b*b6Wab\x0c\x0ccdpage three\x1bE"
          + UEL + b'@PJL EOJ NAME="quarterly report"\r\n' + UEL)
PS_JOB = (b"%!PS-Adobe-3.0\n%%Pages: 4\n<< /PageSize [842 1191] >> setpagedevice\n"
          b"(showpage (nested) \\) still a string) pop % showpage in a comment\n"
          + b"0 0 1 setrgbcolor 72 72 moveto (x) show showpage\n" * 4)


def _events(data: bytes, size: int) -> list[PjlCommand | JobDone]:
    stream = JobStream()
    events: list[PjlCommand | JobDone] = []
    for at in range(0, len(data), size):
        events += stream.feed(data[at:at + size])
    return events + stream.close()


@pytest.mark.parametrize("size", [1, 2, 3, 7, 64, 1 << 16])
def test_a_pjl_wrapped_pcl_job_whatever_the_chunks(size: int) -> None:
    events = _events(HP_JOB, size)
    assert [e.verb for e in events if isinstance(e, PjlCommand)] == ["JOB", "SET", "SET",
                                                                      "ENTER", "EOJ"]
    jobs = [e for e in events if isinstance(e, JobDone)]
    # two form feeds, the raster's binary bytes (0x0c 0x0c) skipped, the reset ejects page three
    assert jobs == [JobDone("quarterly report", 3, True, True, False)]


@pytest.mark.parametrize("size", [1, 2, 5, 100, 1 << 16])
def test_a_bare_postscript_job(size: int) -> None:
    assert [e for e in _events(PS_JOB, size) if isinstance(e, JobDone)] == [
        JobDone("", 4, True, False, True)]


def test_language_data_between_uels_is_a_job_and_pjl_is_parsed_around_it() -> None:
    data = (UEL + b"@PJL ENTER LANGUAGE=POSTSCRIPT\n%!\nshowpage\n" + UEL
            + b"@PJL INFO PAGECOUNT\n" + UEL + b"plain text page\x0c" + UEL
            + b"@PJL ECHO done 1\r\n")
    events = _events(data, 5)
    kinds = [(type(e).__name__, getattr(e, "pages", None), getattr(e, "words", None))
             for e in events]
    assert kinds == [("PjlCommand", None, ["ENTER"]), ("JobDone", 1, None),
                     ("PjlCommand", None, ["INFO", "PAGECOUNT"]), ("JobDone", 1, None),
                     ("PjlCommand", None, ["ECHO", "DONE", "1"])]


def test_pjl_options_and_quotes() -> None:
    command = PjlCommand.parse('@PJL JOB NAME = "a b;c" START=2 DISPLAY="Printing"')
    assert command.words == ["JOB"]
    assert command.options == {"NAME": "a b;c", "START": "2", "DISPLAY": "Printing"}
    assert PjlCommand.parse('@PJL ECHO "unbalanced').verb == "ECHO"


def test_pcl_page_eject_commands() -> None:
    pcl = PclPages()
    pcl.feed(b"\x1b&l0H")  # eject an empty page: still a sheet
    pcl.feed(b"text\x1bE\x1bE")  # reset ejects only a marked page
    pcl.feed(b"\x1b&l27a2S\x1b&p5Xx\x0c\x0cyz")  # A3, short-edge duplex, transparent data
    pcl.finish()
    assert (pcl.pages, pcl.paper, pcl.duplex) == (3, "A3", True)


def test_postscript_tokens_cut_anywhere() -> None:
    job = b"/Duplex true showpage copypage (a\\(b) pop"
    for cut in range(1, len(job)):
        ps = PostScriptPages()
        ps.feed(job[:cut])
        ps.feed(job[cut:])
        ps.finish()
        assert (ps.pages, ps.duplex) == (2, True), cut


def test_garbage_never_breaks_the_stream() -> None:
    rng = random.Random(9)
    for _ in range(300):
        stream = JobStream()
        pieces = [UEL, b"@PJL ", b"INFO ID\r\n", b"\x1b", b"&l0H", b"\x0c", b"%!", b"showpage ",
                  b"(", b")", b"\n", bytes(rng.randrange(256) for _ in range(rng.randrange(40)))]
        data = b"".join(rng.choice(pieces) for _ in range(rng.randrange(60)))
        events = _events(data, rng.randrange(1, 20))
        assert all(e.pages >= 0 for e in events if isinstance(e, JobDone))
        assert stream.close() == []


def test_a_line_too_long_for_pjl_is_data() -> None:
    events = _events(b"@PJL " + b"X" * 5000 + b"\x0c", 512)
    assert [type(e) for e in events] == [JobDone] and events[0].pages == 1  # type: ignore[union-attr]


@pytest.mark.parametrize(("text", "pages"), [
    (b"W\x00\x00copypage\n", 1),    # NUL is PostScript white space (found by the fuzzer)
    (b"1 0 0\x00setrgbcolor\x0cshowpage\r", 1),
    (b"a\x0bshowpage\n", 0),         # a vertical tab is not: one token "a\vshowpage"
])
def test_postscript_white_space_is_the_languages_wherever_a_chunk_ends(text: bytes,
                                                                      pages: int) -> None:
    for cut in range(len(text) + 1):
        counter = PostScriptPages()
        counter.feed(text[:cut])
        counter.feed(text[cut:])
        counter.finish()
        assert counter.pages == pages, (text, cut)


@pytest.mark.parametrize("size", [b"[1e999 842]", b"[595 -1e400]", b"[nan 842]", b"[inf inf]"])
def test_a_page_size_no_paper_has_is_read_as_a4(size: bytes) -> None:
    # found by the raw_jobs fuzz target: 1e999 reads as an infinite float, and rounding it
    # raised OverflowError out of the stream (into the raw port's connection)
    job = b"%!PS\n<< /PageSize " + size + b" >> setpagedevice\nshowpage\n"
    [done] = _events(job, 7)
    assert isinstance(done, JobDone) and (done.pages, done.large) == (1, False)
