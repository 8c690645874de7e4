"""Files to records: read, decode, strip markup, convert script, split, extract.

>>> source = parse_source_text("关于推进开发区建设的实施方案\\n二、主要任务\\n(一)优化布局。(责任单位:区发改局)", "a.txt")
>>> [(m.measure_id, m.heading, [a.name for a in m.agencies]) for m in source[0].measures]
[('二.(一)', '优化布局', ['区发改局'])]
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from .blocks import parse_page
from .decode import decode_bytes
from .documents import build_documents
from .errors import FileTooLargeError, NoDocumentError, UnreadableFileError
from .html import html_to_text, looks_like_html
from .records import Document, SourceFile
from .script import is_traditional, to_simplified
from .textmap import MappedText

SUPPORTED_SUFFIXES = (".txt", ".text", ".htm", ".html", ".xhtml", ".docx", ".pdf", "")
MAX_FILE_BYTES = 20_000_000  # a policy document is rarely above 1 MB; a 100 MB "document" is a mistake


def read_source_file(path: Path, name: str | None = None, max_bytes: int = MAX_FILE_BYTES) -> SourceFile:
    """Read one file into its documents; raises a :class:`LoadError` naming the file and the reason."""
    shown = name or path.name
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise FileTooLargeError(shown, f"the file has {size / 1e6:.1f} MB, above the limit of "
                                           f"{max_bytes / 1e6:.0f} MB for one source file")
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableFileError(shown, exc.strerror or str(exc)) from exc
    decoded = decode_bytes(data, shown)
    documents = parse_source_text(decoded.text, shown)
    return SourceFile(shown, path.name, hashlib.sha256(data).hexdigest(), decoded.encoding, documents,
                      (decoded.warning,) if decoded.warning else ())


def parse_source_text(text: str, source_file: str) -> tuple[Document, ...]:
    """The documents in a file's decoded text (plain text or an HTML page)."""
    mapped = html_to_text(text) if looks_like_html(text) else MappedText.identity(text)
    traditional = is_traditional(mapped.text)
    if traditional:
        mapped = to_simplified(mapped)
    page = parse_page(mapped.text)
    if not page.blocks:
        raise NoDocumentError(source_file, "no policy text: the file is empty or holds only page furniture")
    return build_documents(source_file, page, mapped, traditional)
