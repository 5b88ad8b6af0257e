"""The public surface a user's code is written against: re-exported with ``__all__``, typed
(``py.typed`` shipped, mypy --strict clean on a user's program), and working as documented."""

from __future__ import annotations

import importlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.protolab.public_api import users_program

PROGRAM = Path(users_program.__file__)
ROOT = Path(__file__).parents[2]
PUBLIC = ("protolab", "kantech_proto", "ekm_proto", "emulators.kantech",
          "emulators.kantech_gateway", "emulators.printers")


@pytest.mark.parametrize("package", PUBLIC)
def test_each_package_names_its_public_surface(package: str) -> None:
    module = importlib.import_module(package)
    names = module.__all__
    assert names and sorted(names) == sorted(set(names))
    for name in names:
        assert getattr(module, name) is not None, f"{package}.{name}"
    assert "public surface" in (module.__doc__ or "")


def test_the_packages_ship_py_typed() -> None:
    for package in ("protolab", "kantech_proto", "ekm_proto", "emulators", "tools"):
        root = Path(importlib.import_module(package).__file__ or "").parent
        assert (root / "py.typed").is_file(), package
    pyproject = (Path(__file__).parents[2] / "pyproject.toml").read_text()
    assert '"py.typed"' in pyproject  # package data: wheels carry the marker


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """protolab installed as a user gets it (a built wheel's files, not this source tree), so
    mypy sees it as an installed package and trusts it only through its py.typed markers."""
    source = tmp_path_factory.mktemp("source")  # setuptools builds in the tree it is given
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for package in ("protolab", "kantech_proto", "ekm_proto", "emulators", "tools"):
        shutil.copytree(ROOT / package, source / package,
                        ignore=shutil.ignore_patterns("__pycache__", "corpus"))
    target = tmp_path_factory.mktemp("site-packages")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
                    str(target), str(source)], check=True, capture_output=True, timeout=600)
    return target


def _mypy(user: Path, installed: Path) -> subprocess.CompletedProcess[str]:
    mypy = shutil.which("mypy", path=str(Path(sys.executable).parent))
    assert mypy is not None, "mypy is a test dependency: run `make test`"
    return subprocess.run([mypy, "--strict", "--no-incremental", "--cache-dir",
                           str(user.parent / "cache"), str(user)], cwd=user.parent,
                          capture_output=True, text=True, timeout=300,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(installed)})


def test_a_users_program_is_mypy_strict_clean(tmp_path: Path, installed: Path) -> None:
    user = tmp_path / "users_program.py"
    shutil.copy(PROGRAM, user)
    result = _mypy(user, installed)
    assert result.returncode == 0, result.stdout[-3000:]


def test_a_users_program_finds_its_own_type_errors(tmp_path: Path, installed: Path) -> None:
    """The check above can fail: a wrong use of the public API is reported, and without the
    py.typed markers mypy would not read the package at all."""
    user = tmp_path / "wrong.py"
    user.write_text("from emulators.printers import PrinterFleet\n"
                    "fleet = PrinterFleet(count='fifty')\n")
    result = _mypy(user, installed)
    assert result.returncode == 1 and 'Argument "count"' in result.stdout, result.stdout
    (installed / "emulators" / "py.typed").unlink()
    result = _mypy(user, installed)
    assert "missing library stubs or py.typed marker" in result.stdout, result.stdout


async def test_the_users_program_runs() -> None:
    descriptions = await users_program.read_printers()
    assert len(descriptions) == 3 and all("HP" in d for d in descriptions)
    assert await users_program.kantech_round_trip() == 2


def test_the_users_codec_example() -> None:
    from kantech_proto import IpFrame, IpFrameCodec, Pulse
    codec = IpFrameCodec("site-key")
    wire = codec.encode(IpFrame(3, bytes(6), 1, 0, Pulse(True)))
    assert users_program.decode_or_explain(codec, wire) == "PULSE"
    assert users_program.decode_or_explain(codec, wire[:-1]).startswith("refused: ")
