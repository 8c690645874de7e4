"""Comparison keys for Chinese text: one script and vocabulary, NFKC, no white space or punctuation.

Traditional and simplified forms, and Taiwan and mainland vocabulary, meet on one key
(最佳化 / 优化, 資訊 / 信息), so keys identify titles and names across documents.

The key is the text written in Taiwan's script and phrasing (OpenCC ``s2twp``), then in the mainland's
(``tw2sp``): mainland text passes through the phrasing a Taiwan copy of it writes, so the two meet.
Script alone first (``s2t``) would leave mainland words that name something else in Taiwan to
``tw2sp``, which rewrites them again: 程序 would become 进程 while its Taiwan copy 程式 became 程序,
and 哈萨克斯坦 would become 哈萨克斯坦斯坦.
"""
from __future__ import annotations

import functools
import re
import unicodedata

from .script import opencc_converter

PUNCTUATION = re.compile(r"[\s\u3000,，、;；:：.。!！?？'\"“”‘’《》〈〉<>()（）\[\]【】〔〕{}·\-—_/\\|｜]+")


@functools.lru_cache(maxsize=65536)
def compare_key(text: str | None) -> str:
    """The key two spellings of the same text share.

    >>> compare_key("最佳化營商環境") == compare_key("优化营商环境")
    True
    >>> compare_key("依照法定程式") == compare_key("依照法定程序"), compare_key("哈薩克") == compare_key("哈萨克斯坦")
    (True, True)
    """
    if not text:
        return ""
    converted = opencc_converter("tw2sp").convert(opencc_converter("s2twp").convert(text))
    return PUNCTUATION.sub("", unicodedata.normalize("NFKC", converted))


def number_key(text: str | None) -> str:
    """Key of a 文号: brackets and spaces dropped.

    >>> number_key("武政〔2018〕35号") == number_key("武政[2018] 35号")
    True
    """
    return compare_key(text).replace("號", "号")
