"""Administrative level of a document, from its jurisdiction, its title, or its 文号's issuer code.

>>> document_level("国务院关于促进国家高新技术产业开发区高质量发展的若干意见", "国发〔2020〕7号", None)
'national'
>>> document_level("省人民政府关于印发若干措施的通知", "鄂政发〔2020〕28号", None)
'provincial'
>>> document_level("开发区高质量发展实施方案1", None, "city")
'municipal'
"""
from __future__ import annotations

import re

from policykg.loaders.docnumber import split_doc_number
from policykg.loaders.gazetteer import gazetteer

LEVELS = ("national", "provincial", "municipal", "district")
RANK = {level: rank for rank, level in enumerate(LEVELS)}
PLACE_LEVEL = {"province": "provincial", "city": "municipal", "county": "district", "zone": "district"}
NATIONAL_TITLE = re.compile(r"^(国务院|国家|中共中央|全国|国办|[^省市县区]{1,8}部(?:关于|令|印发|办公厅))")
PREFIX_LEVEL = (
    (re.compile(r"^(中共)?省"), "provincial"),
    (re.compile(r"^(中共)?市(?!场)"), "municipal"),  # 市…, but not 市场…
    (re.compile(r"^(中共)?[区县](?!域)"), "district"),
)
# one-character abbreviations of the provinces as used in 文号 (鄂政发, 闽政文, 黔府办发 …)
PROVINCE_ABBREVIATIONS = "京津沪渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤琼川黔滇陕甘青宁新藏桂蒙"


def document_level(title: str, number: str | None, jurisdiction_level: str | None,
                   code_levels: dict[str, str] | None = None) -> str | None:
    """``national``, ``provincial``, ``municipal`` or ``district``; ``None`` when nothing tells.

    ``code_levels`` maps 文号 issuer codes to the level other documents of the same issuer showed
    (宁委办发 is 南京市委办公厅, not 宁夏): it decides before the province abbreviations do.
    """
    if jurisdiction_level in PLACE_LEVEL:
        return PLACE_LEVEL[jurisdiction_level]
    from_title = _level_from_title(title)
    if from_title:
        return from_title
    parts = split_doc_number(number) if number else None
    if parts:
        if code_levels and parts.code in code_levels:
            return code_levels[parts.code]
        if parts.code.startswith("国"):
            return "national"
        if parts.code[0] in PROVINCE_ABBREVIATIONS:
            return "provincial"
    return None


def issuer_code(number: str | None) -> str | None:
    """The issuing body's code in a 文号: 宁委办发〔20xx〕27号 → 宁委办发."""
    parts = split_doc_number(number) if number else None
    return parts.code if parts else None


def _level_from_title(title: str) -> str | None:
    if NATIONAL_TITLE.match(title):
        return "national"
    for prefix, level in PREFIX_LEVEL:
        if prefix.match(title):
            return level
    place = gazetteer().resolve_prefix(title.removeprefix("中共"))
    return PLACE_LEVEL[place.level] if place else None
