"""Web archives (MHTML: the .mht and .mhtml files browsers and Word save a page into, whole) to
the page's HTML.

An archive is a MIME message whose parts are the page and what it shows (images, styles): the page
is its first ``text/html`` part, unpacked from quoted-printable or base64 and decoded as any HTML
file is. Offsets of facts found in it point into that HTML, as they point into a Word document's
text.

>>> import base64
>>> page = "<html><body><p>开发区</p></body></html>".encode("gb18030")
>>> archive = (b"MIME-Version: 1.0\\r\\nContent-Type: multipart/related; boundary=\\"b\\"\\r\\n\\r\\n--b\\r\\n"
...            b"Content-Type: text/html; charset=\\"gb2312\\"\\r\\nContent-Transfer-Encoding: base64\\r\\n\\r\\n"
...            + base64.encodebytes(page) + b"\\r\\n--b--\\r\\n")
>>> is_mhtml(archive), mhtml_page(archive, "a.mht")
(True, b'<html><body><p>\\xbf\\xaa\\xb7\\xa2\\xc7\\xf8</p></body></html>')
"""
from __future__ import annotations

import email
import email.policy
import re

from .errors import UnsupportedFormatError

# an archive's headers as the first lines of a file, and among them its type
HEADERS = re.compile(rb"(?:[!-9;-~]+:[^\n]*\n(?:[ \t][^\n]*\n)*)+\r?\n")
MULTIPART_RELATED = re.compile(rb"^content-type:\s*multipart/related", re.IGNORECASE | re.MULTILINE)
HEADERS_MAX_BYTES = 8192  # where an archive's headers end, at the latest


def is_mhtml(data: bytes) -> bool:
    """True when ``data`` starts with the headers of a MIME message of related parts."""
    headers = HEADERS.match(data[:HEADERS_MAX_BYTES].replace(b"\r\n", b"\n"))
    return bool(headers and MULTIPART_RELATED.search(headers.group()))


def mhtml_page(data: bytes, path: str) -> bytes:
    """The bytes of an archive's page; an :class:`UnsupportedFormatError` naming the file when it holds
    none."""
    message = email.message_from_bytes(data, policy=email.policy.compat32)
    for part in message.walk():
        if part.get_content_type() == "text/html":
            payload = part.get_payload(decode=True)
            if isinstance(payload, bytes) and payload.strip():
                return payload
    raise UnsupportedFormatError(path, "the web archive (MHTML) holds no HTML page")
