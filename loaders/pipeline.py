"""Files to records: read, decode, strip markup, convert script, split, extract.

>>> source = parse_source_text("关于推进开发区建设的实施方案\\n二、主要任务\\n(一)优化布局。(责任单位:区发改局)", "a.txt")
>>> [(m.measure_id, m.heading, [a.name for a in m.agencies]) for m in source[0].measures]
[('二.(一)', '优化布局', ['区发改局'])]
"""
from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from .blocks import Page, parse_page
from .decode import decode_bytes
from .documents import build_documents
from .errors import FileTooLargeError, NoDocumentError, UnreadableFileError
from .html import html_to_text, looks_like_html
from .patterns import ERROR_PAGE, ERROR_PAGE_MAX_CHARS
from .records import Document, SourceFile
from .script import is_traditional, to_simplified
from .textmap import MappedText

SUPPORTED_SUFFIXES = (".txt", ".text", ".htm", ".html", ".xhtml", ".mht", ".mhtml", ".docx", ".pdf", "")
# Unicode's other line breaks, as text copied out of web pages' scripts holds them, read as a newline
LINE_SEPARATORS = {0x2028: "\n", 0x2029: "\n", 0x85: "\n"}
LINE_SEPARATORS_WRITTEN = tuple(map(chr, LINE_SEPARATORS))
MAX_FILE_BYTES = 20_000_000  # a policy document is rarely above 1 MB; a 100 MB "document" is a mistake


def read_source_file(path: Path, name: str | None = None, max_bytes: int = MAX_FILE_BYTES) -> SourceFile:
    """Read one file into its documents; raises a :class:`LoadError` naming the file and the reason."""
    shown = name or path.name
    data = _file_bytes(path, shown, max_bytes)
    decoded = decode_bytes(data, shown)
    documents = parse_source_text(decoded.text, shown)
    return SourceFile(shown, path.name, hashlib.sha256(data).hexdigest(), decoded.encoding, documents,
                      (decoded.warning,) if decoded.warning else ())


def _file_bytes(path: Path, shown: str, max_bytes: int) -> bytes:
    """The bytes of a regular file of at most ``max_bytes``. Anything else is refused before it is
    opened: a named pipe would wait for a writer, and a device (a link to /dev/zero, say) never ends."""
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            raise UnreadableFileError(shown, f"not a regular file but {_kind_of_file(status.st_mode)}: nothing to read")
        if status.st_size > max_bytes:
            raise _too_large(shown, f"{status.st_size / 1e6:.1f} MB", max_bytes)
        with path.open("rb") as file:
            data = file.read(max_bytes + 1)
    except FileNotFoundError as exc:
        reason = f"a link to {os.readlink(path)}, which does not exist" if path.is_symlink() else exc.strerror
        raise UnreadableFileError(shown, reason or str(exc)) from exc
    except OSError as exc:
        raise UnreadableFileError(shown, exc.strerror or str(exc)) from exc
    if len(data) > max_bytes:  # it grew as it was read
        raise _too_large(shown, f"more than {max_bytes / 1e6:.1f} MB", max_bytes)
    return data


def _too_large(shown: str, size: str, max_bytes: int) -> FileTooLargeError:
    return FileTooLargeError(shown, f"the file has {size}, above the limit of {max_bytes / 1e6:.0f} MB for one "
                                    "source file")


def _kind_of_file(mode: int) -> str:
    """What a file that is not a regular one is.

    >>> _kind_of_file(stat.S_IFIFO), _kind_of_file(stat.S_IFCHR)
    ('a named pipe', 'a character device')
    """
    kinds = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
             (stat.S_ISSOCK, "a socket"))
    return next((kind for test, kind in kinds if test(mode)), "not a file")


def parse_source_text(text: str, source_file: str) -> tuple[Document, ...]:
    """The documents in a file's decoded text (plain text or an HTML page)."""
    if any(separator in text for separator in LINE_SEPARATORS_WRITTEN):  # seldom: a search costs less than a translation
        text = text.translate(LINE_SEPARATORS)  # one character for one: every offset stays where it was
    mapped = html_to_text(text) if looks_like_html(text) else MappedText.identity(text)
    traditional = is_traditional(mapped.text)
    if traditional:
        mapped = to_simplified(mapped)
    page = parse_page(mapped.text)
    if not page.blocks:
        raise NoDocumentError(source_file, "no policy text: the file is empty or holds only page furniture")
    error = _error_page(page)
    if error:
        raise NoDocumentError(source_file, f"no policy text: a web server's error page ({error}), saved as the page")
    return build_documents(source_file, page, mapped, traditional)


def _error_page(page: Page) -> str | None:
    """What a short page says went wrong, when it is what a server sends for a page it cannot give
    (404 Not Found, 页面不存在): scraped corpora hold such pages under the policies' names.

    >>> _error_page(parse_page("404 Not Found\\nnginx")), _error_page(parse_page("对不起,您访问的页面不存在!"))
    ('404 Not Found', '页面不存在')
    >>> _error_page(parse_page("关于推进开发区建设的实施方案\\n二、主要任务"))
    """
    if sum(len(block.text) + 1 for block in page.blocks[:ERROR_PAGE_MAX_CHARS]) > ERROR_PAGE_MAX_CHARS + 1:
        return None  # a page longer than that (its text's length, without joining it)
    found = ERROR_PAGE.search("\n".join(block.text for block in page.blocks))
    return found[0] if found else None
