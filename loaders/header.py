"""A document's header facts: title, 文号, issuers, signing date and jurisdiction."""
from __future__ import annotations

import re
from collections import Counter

from .agencies import looks_like_agency
from .blocks import Block
from .docnumber import CITING_LEAD, parse_doc_number
from .gazetteer import gazetteer
from .outline import parse_marker
from .patterns import DATE_CN, DATE_CN_NUMERALS, DOC_NUMBER, ISSUER_PREFIX, ORDER_NUMBER, TITLE_LINE
from .records import Place

BRACKETED_TITLE = re.compile(r"^[^《》]{0,30}《(?P<title>[^《》]{4,120})》\s*$")
SENTENCE_MARK = re.compile(r"[，。；,;]")
TITLE_BEGINNING = re.compile(r"^[^。；;，,:：]{2,60}$")  # a line a wrapped title may begin with
TITLE_MAX_LINES, TITLE_MAX_CHARS = 3, 100
SIGNATURE = re.compile(rf"^(?P<org>[^。，,；;]{{0,40}}?)\s*(?:{DATE_CN.pattern}|{DATE_CN_NUMERALS.pattern.replace('?P<', '?P<n')})$")
JOINT_ISSUER_BREAK = re.compile(r"(?<=[委府室厅局])\s*(?=中共|[\u4e00-\u9fff]{2,8}?(?:省|市|区|县|自治州)(?:人民政府|委|政府))")
CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
LEVEL_PREFIX = {"省": "province", "市": "city", "区": "county", "县": "county"}
# the level a place's written suffix says: a county-level city is written 市 and acts as one
WRITTEN_LEVEL = {"省": "province", "市": "city", "区": "county", "县": "county"}
LEADING_GROUP = re.compile(r"成立(?P<place>[\u4e00-\u9fff]{2,8}?[省市区县])[^。，,；;]{0,30}?领导小组")
SELF_REFERENCE = re.compile(r"(?:我|全|本)(省|市|区|县)")


def is_title_line(text: str) -> bool:
    """A short line naming a document: ``关于深入推进开发区建设的实施方案``, ``…方案3``, ``《…》``.

    >>> is_title_line("开发区高质量发展实施方案1"), is_title_line("一、保障措施"), is_title_line("武政〔2018〕35号《武汉市人民政府关于加快推进开发区改革和创新发展的意见》")
    (True, False, True)
    """
    if parse_marker(text):
        return False
    return bool(TITLE_LINE.match(text) or BRACKETED_TITLE.match(text))


def parse_title(blocks: list[Block]) -> str:
    """The first title line's text (the inside of 《》 when bracketed), with the lines before it that
    begin it (:func:`title_start`); else the first block's."""
    for index, block in enumerate(blocks[:12]):
        bracketed = BRACKETED_TITLE.match(block.text)
        if bracketed:
            return bracketed.group("title").strip()
        if TITLE_LINE.match(block.text) and not parse_marker(block.text):
            return "".join(b.text.strip() for b in blocks[title_start(blocks, index):index + 1])
    return blocks[0].text[:80] if blocks else ""


def title_start(blocks: list[Block], end: int) -> int:
    """Where the title whose last line is ``blocks[end]`` starts: at lines before it that begin it,
    as where a page or a PDF copied into text wraps a long title, else at ``end``. Lines before are
    its beginning only when the title then says 关于, as a document's does, and each is short, with
    no punctuation of a sentence, and no title or heading of its own.

    >>> lines = ["各县(市、区)人民政府:", "嘉兴市人民政府办公室关于印发嘉兴市开发区(园区)", "整合提升实施方案的通知"]
    >>> blocks = [Block(0, len(line), line) for line in lines]
    >>> title_start(blocks, 2), title_start(blocks[:1] + blocks[2:], 1)
    (1, 1)
    """
    start, written = end, blocks[end].text.strip()
    while "关于" not in written and start > 0 and end - start < TITLE_MAX_LINES - 1:
        line = blocks[start - 1].text.strip()
        if (not TITLE_BEGINNING.match(line) or parse_marker(line) or is_title_line(line)
                or len(line + written) > TITLE_MAX_CHARS):
            break
        start, written = start - 1, line + written
    return start if "关于" in written else end


def parse_header_number(blocks: list[Block]) -> str | None:
    """The document's own 文号: one in the header, not one a sentence cites (为贯彻落实国发〔2019〕11号
    文件精神, or beside a cited 《title》)."""
    for block in _header_blocks(blocks):
        for pattern in (DOC_NUMBER, ORDER_NUMBER):
            for match in pattern.finditer(block.text):
                if not _cited(block.text[:match.start()], match.group("code")):
                    return parse_doc_number(match.group())
    return None


def _cited(before: str, code: str) -> bool:
    """Whether a 文号 whose issuer code matched as ``code`` after ``before`` in its paragraph is cited."""
    return bool(re.search(r"》\s*[(（]?\s*$", before) or SENTENCE_MARK.search(before) or CITING_LEAD.match(code))


def parse_signature(blocks: list[Block]) -> tuple[str | None, str | None]:
    """``(issuing body, date)`` from the signature block: 嘉兴市人民政府 2018年6月8日."""
    for index, block in enumerate(blocks):
        match = SIGNATURE.match(block.text)
        if not match:
            continue
        org = match.group("org").strip()
        if not org and index > 0 and looks_like_agency(blocks[index - 1].text):
            org = blocks[index - 1].text.strip()
        return (org if looks_like_agency(org) else None), _iso_date(match)
    return None, None


def parse_issuers(title: str, signer: str | None) -> tuple[str, ...]:
    """Issuers from the title's prefix (武汉市人民政府关于…) when it names a place, else the signer.

    >>> parse_issuers("中共嘉兴市委嘉兴市人民政府关于高质量外资集聚地建设的实施意见", None)
    ('中共嘉兴市委', '嘉兴市人民政府')
    """
    prefix = ISSUER_PREFIX.match(title)
    if prefix:
        names = tuple(n for n in JOINT_ISSUER_BREAK.split(prefix.group("issuers")) if n)
        if gazetteer().resolve_prefix(names[0].removeprefix("中共")) or not signer:
            return names
    return (signer,) if signer else ()


def infer_jurisdiction(issuers: tuple[str, ...], site_owner: str | None, body: str,
                       owner_names: list[str], zone_names: list[str]) -> Place | None:
    """The issuing government's place: from the issuers, the site's owner, else the text itself."""
    for name in (*issuers, site_owner or ""):
        place = gazetteer().resolve_prefix(name.removeprefix("中共"))
        if place:
            return place
    return _jurisdiction_from_text(body, owner_names, zone_names)


def _jurisdiction_from_text(body: str, owner_names: list[str], zone_names: list[str]) -> Place | None:
    """The government that forms the leading group (成立黔西市…领导小组); else the level from the owners'
    prefixes (市发改委 → city) and 我市/全省, and the place of that level the text names most."""
    group = LEADING_GROUP.search(body)
    if group:
        mentioned = gazetteer().mentions(group.group("place"))
        if mentioned:
            adcode, written = mentioned.most_common(1)[0][0]
            return gazetteer().place(gazetteer().by_code[adcode], written)
    levels = Counter(LEVEL_PREFIX[name[0]] for name in owner_names if name[:1] in LEVEL_PREFIX)
    levels.update(LEVEL_PREFIX[m.group(1)] for m in SELF_REFERENCE.finditer(body))
    if not levels:
        return None
    level = levels.most_common(1)[0][0]
    g = gazetteer()
    mentions: Counter[tuple[str, str]] = Counter()
    for (adcode, written), count in g.mentions(body).items():
        if WRITTEN_LEVEL.get(written[-1], g.place(g.by_code[adcode]).level) == level:
            mentions[(adcode, written if written[-1] in WRITTEN_LEVEL else g.by_code[adcode].name)] += count
    if mentions:
        adcode, written = mentions.most_common(1)[0][0]
        return g.place(g.by_code[adcode], written)
    if zone_names:
        return Place(Counter(zone_names).most_common(1)[0][0], None, "zone")
    return None


def _header_blocks(blocks: list[Block]) -> list[Block]:
    header = []
    for block in blocks:
        if parse_marker(block.text):
            break
        header.append(block)
    return header[:12]


def _iso_date(match: re.Match[str]) -> str:
    groups = match.groupdict()
    if groups.get("y"):
        y, m, d = int(groups["y"]), int(groups["m"]), int(groups["d"])
    else:
        y = int("".join(str(CN_DIGITS[c]) for c in groups["ny"]))
        m, d = _cn_number(groups["nm"]), _cn_number(groups["nd"])
    return f"{y:04d}-{m:02d}-{d:02d}"


def _cn_number(text: str) -> int:
    """一 → 1, 十 → 10, 十二 → 12, 二十一 → 21."""
    if "十" not in text:
        return CN_DIGITS[text]
    tens, _, ones = text.partition("十")
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)
