"""``protolab wireshark install``: put the dissector where Wireshark and tshark load it."""

from __future__ import annotations

import shutil
from importlib import resources
from pathlib import Path

from protolab.errors import ConfigurationError

#: Wireshark's personal plugin folder on Linux (``tshark -G folders``: "Personal Lua Plugins")
DEFAULT_PLUGIN_DIR = Path("~/.local/lib/wireshark/plugins")
DISSECTOR_NAME = "protolab_kantech.lua"


def packaged_dissector() -> Path:
    """The dissector shipped with protolab (for ``tshark -X lua_script:PATH``)."""
    return Path(str(resources.files("tools.wireshark").joinpath(DISSECTOR_NAME)))


def install_dissector(plugin_dir: str | Path | None = None) -> Path:
    """Copy the dissector into ``plugin_dir`` (created if needed); returns the installed path."""
    folder = Path(plugin_dir if plugin_dir is not None else DEFAULT_PLUGIN_DIR).expanduser()
    target = folder / DISSECTOR_NAME
    try:
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(packaged_dissector(), target)
    except OSError as exc:
        raise ConfigurationError(f"--plugins {folder}: cannot install the dissector there: "
                                 f"{exc.strerror or exc}") from None
    return target
