"""The rules file as the web interface shows and changes it: an administrator's new text is
checked exactly as ``--rules`` is at start-up, written in place atomically, then handed to the
running portal, so a mistake never replaces working rules."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from ekm_proto.portal.rules import PortalRules, load_rules
from protolab.errors import ConfigurationError
from protolab.logs import get_logger

log = get_logger("ekm_proto.portal.web.rules")


class RulesEditor:
    def __init__(self, path: Path | None, rules: PortalRules | None = None,
                 apply: Callable[[PortalRules], None] | None = None) -> None:
        self.path, self._apply = path, apply
        self.rules = rules if rules is not None else load_rules(path)

    @property
    def editable(self) -> bool:
        """Only a portal started with ``--rules FILE`` has a file to change."""
        return self.path is not None

    def text(self) -> str:
        if self.path is None:
            return ""
        try:
            return self.path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ConfigurationError(f"{self.path}: cannot read the rules file: "
                                     f"{exc.strerror or exc}", source=str(self.path)) from None

    def save(self, text: str, operator: str) -> PortalRules:
        """Check, write and apply ``text``; ConfigurationError (naming the rules file) when
        the text is not valid rules, and then nothing changes."""
        if self.path is None:
            raise ConfigurationError("the portal was started without --rules FILE: there is no "
                                     "rules file to change")
        folder = self.path.parent
        handle, temporary = tempfile.mkstemp(prefix=".rules-", suffix=".toml", dir=folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text.replace("\r\n", "\n"))
            try:
                rules = load_rules(temporary)
            except ConfigurationError as exc:
                raise ConfigurationError(str(exc).replace(temporary, str(self.path)),
                                         source=str(self.path)) from None
            os.replace(temporary, self.path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
        self.rules = rules
        if self._apply is not None:
            self._apply(rules)
        log.info("rules changed from the web interface", operator=operator, file=str(self.path),
                 rules=len(rules.rules), destinations=len(rules.destinations))
        return rules
