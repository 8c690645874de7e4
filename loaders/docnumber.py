"""文号 (document numbers): parse and normalise.

Normal form: issuer code, 〔year〕, serial, 号, no spaces, ASCII digits (pages set in full-width
ones: 〔２０１７〕７号); a placeholder year (20xx) is kept as written.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .patterns import DOC_NUMBER, ORDER_NUMBER

# the words a sentence leads into a cited 文号 with, which its issuer code's match takes in: 贯彻落实国发〔2019〕11号
CITING_LEAD = re.compile(r"^.*(?:贯彻落实|贯彻|落实|根据|按照|依据|参照|对照|执行|转发|印发|结合|和|及|与|的|为)")


@dataclass(frozen=True)
class DocNumber:
    """The parts of a 文号; ``year`` is ``None`` for a placeholder such as 20xx."""

    code: str
    year: str | None
    serial: int
    text: str


def parse_doc_number(text: str) -> str | None:
    """The normalised 文号 in ``text``, or ``None``.

    >>> parse_doc_number("武政[2018]35号"), parse_doc_number("闽政文〔20XX〕15 号"), parse_doc_number("国土资源部令第 53 号")
    ('武政〔2018〕35号', '闽政文〔20xx〕15号', '国土资源部令第53号')
    >>> parse_doc_number("国办发〔２０１７〕７号")
    '国办发〔2017〕7号'
    >>> parse_doc_number("20xx版") is None
    True
    """
    parts = split_doc_number(text)
    return parts.text if parts else None


def split_doc_number(text: str) -> DocNumber | None:
    """The parts of the first 文号 in ``text``.

    >>> split_doc_number("国发〔20xx〕7号")
    DocNumber(code='国发', year=None, serial=7, text='国发〔20xx〕7号')
    >>> split_doc_number("为深入贯彻落实国发〔2019〕11号文件精神").text
    '国发〔2019〕11号'
    """
    match = DOC_NUMBER.search(text)
    if match and (code := CITING_LEAD.sub("", match.group("code"))):
        year = unicodedata.normalize("NFKC", match.group("year")).lower().replace("×", "x")
        return DocNumber(code, None if "x" in year else year, int(match.group("serial")),
                         f"{code}〔{year}〕{int(match.group('serial'))}号")
    match = ORDER_NUMBER.search(text)
    if match:
        code, serial = match.group("code"), int(match.group("serial"))
        return DocNumber(code, None, serial, f"{code}第{serial}号")
    return None
