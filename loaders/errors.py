"""The project's errors: one base class, narrow subclasses.

The library raises these and never prints or exits; the CLI turns them into messages and exit codes,
and a batch build records them per file in its load report.
"""
from __future__ import annotations

from pathlib import Path


class PolicyKGError(Exception):
    """Base class of every error policykg raises on purpose."""


class LoadError(PolicyKGError):
    """A source file could not be turned into documents. Names the file and the reason."""

    def __init__(self, path: str | Path, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class UnreadableFileError(LoadError):
    """The file cannot be opened or read (missing, a folder, no permission)."""


class UnsupportedFormatError(LoadError):
    """The file is not a text, HTML, web archive, Word or PDF document (an image, an archive ...), or
    one that cannot be read (damaged, encrypted, a PDF without text)."""


class FileTooLargeError(LoadError):
    """The file is larger than the limit set for one source file."""


class DecodeError(LoadError):
    """The bytes are not valid UTF-8, UTF-16 (with BOM) or GB18030."""


class NoDocumentError(LoadError):
    """The file decodes but holds no policy text (empty, boilerplate only)."""
