"""Compiled regular expressions of Chinese policy language, each with a real match in its comment.

They run on simplified text; brackets and colons accept both half- and full-width forms.
"""
from __future__ import annotations

import re
from typing import Iterator

CN_NUM = "一二三四五六七八九十百零〇"
OPEN = "(（〔［\\[【<〈"
CLOSE = ")）〕］\\]】>〉"
COLON = "[:：]"

# --- outline markers at the start of a paragraph; each style is one level of the numbering tree
OUTLINE_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("chapter", re.compile(rf"^第[{CN_NUM}]+章\s*")),            # 第一章 总则
    ("article", re.compile(rf"^第[{CN_NUM}]+条\s*")),            # 第十二条 ...
    ("cn", re.compile(rf"^[{CN_NUM}]+\s*[、.．]\s*")),            # 一、优化开发区功能布局
    ("paren_cn", re.compile(rf"^[(（][{CN_NUM}]+[)）]\s*[、.．]?\s*")),  # (一)准确把握功能定位
    ("arabic", re.compile(r"^(?:\d{1,3}\s*[、.．](?![\d%])|[⒈-⒛])\s*")),  # 1、构建高水平创新平台体系 / 1.规范职能定位 / ⒈
    ("paren_arabic", re.compile(r"^(?:[(（]\d{1,3}[)）]|[⑴-⒇])\s*[、.．]?\s*")),  # (1)推行公司化招商 / ⑴
    ("circled", re.compile(r"^[①-⑳]\s*")),                        # ①加快...
)

# a section whose numbered items are measures by definition: 二、主要任务 / 二、工作措施 / 二、重点任务
TASK_SECTION = re.compile(r"(主要|重点|工作|具体|专项|重大)(任务|措施|举措|工作)|任务(分工|措施)|责任分工|行动措施")
NOT_TASK_SECTION = re.compile(r"保障措施|组织保障|目标任务|工作目标|发展目标|总体要求")

# --- responsibility labels: 责任单位：… / 区直牵头单位：… / 实施主体：… / 支持单位：…
OWNER_LABEL = (r"(?:区直|市直|省直|县直|其他|主要)?"
               r"(?:牵头单位|牵头部门|主责单位|主责部门|配合单位|配合部门|协办单位|协同单位|参与单位|支持单位|协助单位"
               r"|实施主体|责任主体|实施单位|责任单位|责任部门|负责单位|承办单位|落实单位|牵头领导|责任领导|分管领导|联系领导)")
ROLE_LABEL = re.compile(rf"(?P<label>{OWNER_LABEL})\s*{COLON}\s*")
# inline phrase naming owners inside a bracket: (市发改委牵头,市财政局配合) / (市科技局负责)
ROLE_VERB_TAIL = re.compile(r"(?:按职责分工|按职责|分别|共同|具体)?(牵头负责|牵头|配合|协助|负责落实|负责|落实)$")
# a sentence naming the body that carries the work: 各县(市、区)是平台优化提升工作的责任主体
IMPLEMENTER_SENTENCE = re.compile(r"(?P<who>[^，。；,;：:\s]{2,30}?)(?:是|为|作为)[^，。；,;]{0,30}?(?:的)?(?P<what>责任主体|实施主体)")

# --- 文号: 武政〔2018〕35号 / 国办发[2017]7号 / 宁委办发〔20xx〕23号 / 闽政文〔20xx〕15 号
PLACEHOLDER_DIGIT = "[xXｘＸ×]"  # 〔20xx〕, in half- or full-width letters
DOC_NUMBER = re.compile(
    rf"(?P<code>[\u4e00-\u9fffA-Za-z]{{1,10}}?)\s*[{OPEN}]\s*"
    rf"(?P<year>\d{{4}}|\d{{2}}{PLACEHOLDER_DIGIT}{{2}}|{PLACEHOLDER_DIGIT}{{4}})\s*[{CLOSE}]"
    r"\s*第?\s*(?P<serial>\d{1,5})\s*号"
)
# 国土资源部令第 53 号
ORDER_NUMBER = re.compile(r"(?P<code>[\u4e00-\u9fff]{1,12}令)\s*第\s*(?P<serial>\d{1,5})\s*号")

# --- dates: 2018年8月4日 / 二〇一八年八月四日 / 2017-11-07
DATE_CN = re.compile(r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日")
DATE_CN_NUMERALS = re.compile(r"(?P<y>[〇零一二三四五六七八九]{4})年(?P<m>[一二三四五六七八九十]{1,2})月(?P<d>[一二三四五六七八九十]{1,3})日")
DATE_ISO = re.compile(r"(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})")

# --- page furniture: 发布日期:2017-11-07 / 主办:凉州区发展和改革局
PUBLISHED = re.compile(rf"(?:发布日期|发布时间|发文日期|成文日期|印发日期){COLON}\s*(?P<date>\d{{4}}[-/.年]\d{{1,2}}[-/.月]\d{{1,2}})")
SITE_OWNER = re.compile(rf"^(?:主办|主办单位|网站主办){COLON}\s*(?P<owner>[^\s|，,]+)")
BOILERPLATE_LINE = re.compile(
    r"浏览量|浏览次数|阅读次数|访问量|点击数|点击率|本文链接|本文关键词|原文链接|技术支持|版权所有|ICP备|网站标识码|"
    r"主办单位|^主办[:：]|承办[:：]|联系我们|^关于我们$|网站地图|您现在的位置|当前位置|扫描二维码|微信公众号|关注我们|分享到|"
    r"打印本页|关闭窗口|【打印】|【关闭】|字号|^发布日期|^发布时间|^信息来源|^来源[:：]|^作者[:：]|^时间[:：]|"
    r"点击下载|下载附件|小编|仅供参考|^附件[:：].*\.(?:pdf|docx?|wps|xlsx?)$|文库\s*[-—>]|[>»]\s*\S+\s*[>»]|^首页"
)

# --- what a web server sends instead of the page asked for, saved as if it were the page
ERROR_PAGE = re.compile(
    r"\b(?:40[034]|50[0234])\b\s*[-:]?\s*(?:Not Found|Forbidden|Bad Request|Internal Server Error|Bad Gateway|"
    r"Service (?:Temporarily )?Unavailable|Gateway Time-?out)|[页网]面不存在|网页不存在|页面已被?删除|[页网]面无法访问|"
    r"网页无法访问|页面找不到|找不到页面|访问出错|系统繁忙[，,]请稍后",
    re.IGNORECASE,
)
ERROR_PAGE_MAX_CHARS = 600  # a page's text above this long is taken for a page, whatever it says

# --- citations: 《国务院办公厅关于促进开发区改革和创新发展的若干意见》(国办发〔2017〕7号)
BASIS_CUE = re.compile(r"贯彻落实|贯彻|落实|根据|按照|依据|遵照|依照|为深入实施|为推动落实")
TITLE_OPEN, TITLE_CLOSE = "《", "》"

# --- document titles: a short line ending in a kind of document, maybe numbered inside a compilation
DOC_KIND = (
    r"(?:意见|通知|方案|办法|规划|计划|措施|细则|决定|规定|条例|纲要|要点|公告|通告|批复|报告|指南|指引|政策|决议)"
)
TITLE_LINE = re.compile(rf"^[^。；;，,:：]{{4,80}}?{DOC_KIND}(?:\s*[（(]?(?:试行|暂行|修订|征求意见稿)[)）]?)?\s*\d{{0,3}}$")
ISSUER_PREFIX = re.compile(r"^(?P<issuers>.{2,40}?(?:人民政府|政府办公厅|政府办公室|办公厅|办公室|委员会|管委会|党委|市委|省委|区委|县委|厅|局|委|部))关于")

# --- zones: 武汉东湖新技术开发区 / 黄羊工业园区 / 中国(湖北)自由贸易试验区武汉片区 / 遵义综合保税区
ZONE_SUFFIX = (
    r"(?:高新技术产业开发区|经济技术开发区|新技术开发区|经济开发区|技术开发区|高新区|经开区|开发区|工业园区|产业园区|化工园区|"
    r"综合保税区|综保区|保税区|保税物流中心|自由贸易试验区[\u4e00-\u9fff]{2,4}片区|自贸试验区[\u4e00-\u9fff]{2,4}片区|"
    r"台商投资区|产业园|工业园|物流园|科技园|软件园|科技城|生物城|中心城|产业合作示范园区|合作示范园区|临港产业区|经济区|港区|"
    r"新区|特区|物流基地|自主创新示范区)"
)
# not 国家中心城市; the look-ahead (a suffix ends with 区/心/园/城/地 within 28 characters) changes no
# match but skips the 16 name lengths where no suffix can end (zones twice as fast)
ZONE_NAME = re.compile(rf"(?=[\u4e00-\u9fff（）()]{{1,28}}?[区心园城地])"
                       rf"(?P<name>[\u4e00-\u9fff（）()]{{1,16}}?{ZONE_SUFFIX})(?![市镇])")
# each place a suffix begins (overlapping: 经济技术开发区, 技术开发区, 开发区), and where it ends
SUFFIX_AHEAD = re.compile(rf"(?=({ZONE_SUFFIX})(?![市镇]))")
NAME_CHARS_TO_END = re.compile(r"[\u4e00-\u9fff（）()]+\Z")
NAME_BEFORE_SUFFIX = 16  # at most, as ZONE_NAME allows
ZONE_INDUSTRIES = re.compile(r"重点发展(?P<list>[^。；;]{2,120}?)等(?:产业|领域)")


def zone_name_spans(text: str) -> Iterator[tuple[int, int]]:
    """Where ``ZONE_NAME.finditer(text)`` matches, found from the suffixes: the earliest start from
    which name characters run on to a suffix within reach, up to the first such suffix, and so on
    from its end. Twice as fast: the suffixes are found by one scan, where ZONE_NAME tries each
    position with each of 16 lengths.

    >>> text = "支持武汉东湖新技术开发区、，经济技术开发区和黄羊工业园区市场"
    >>> [text[start:end] for start, end in zone_name_spans(text)]
    ['支持武汉东湖新技术开发区', '经济技术开发区', '和黄羊工业园']
    """
    position = 0  # where the text not yet matched begins
    for suffix in SUFFIX_AHEAD.finditer(text):
        if suffix.start() <= position:  # a name has one character before its suffix at least
            continue
        name = NAME_CHARS_TO_END.search(text, max(position, suffix.start() - NAME_BEFORE_SUFFIX), suffix.start())
        if name:
            yield name.start(), suffix.end(1)
            position = suffix.end(1)

# how far back a search for the start of the sentence or clause around a match may go: keeps every
# look-back local, so a page collapsed onto one 5 MB line is read in linear time
LOOK_BACK = 400


def start_after(text: str, at: int, marks: str) -> int:
    """Where the sentence or clause holding ``at`` begins: just after the last of ``marks`` before
    it, looking back :data:`LOOK_BACK` characters at most.

    >>> start_after("甲。乙，丙", 4, "。"), start_after("甲。乙，丙", 4, "。，")
    (2, 4)
    """
    window = max(0, at - LOOK_BACK)
    return max(max(text.rfind(mark, window, at) for mark in marks) + 1, window)


# separators of a list of names (not inside brackets): 市发展改革委、市经济和信息化委,各区人民政府
LIST_SEPARATORS = "、，,;；"
