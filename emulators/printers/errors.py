"""The printer emulator's own error: a profile or recording that cannot become a printer."""

from __future__ import annotations

from protolab.errors import ConfigurationError, ProtolabError


class ProfileError(ConfigurationError):
    """A printer profile or ``.snmprec`` file that cannot be loaded; the message names the file,
    the table and key (or the line) and what was expected."""


class UnknownAlertCode(ProtolabError, ValueError):
    """An alert code that is neither a modelled kind, a PrtAlertCodeTC name nor a number."""
