"""HTML to plain text, keeping each character's offset in the original markup."""
from __future__ import annotations

import html
from html.parser import HTMLParser

from .textmap import MappedText

BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section table tbody td th thead tr ul".split()
)
SKIPPED_TAGS = frozenset({"script", "style", "noscript", "template", "head", "svg", "iframe", "select", "button"})


def looks_like_html(text: str) -> bool:
    """True when text is an HTML page rather than plain text that mentions a tag.

    >>> looks_like_html("<!DOCTYPE html><html><body>开发区</body></html>")
    True
    >>> looks_like_html("开发区 <b>")
    False
    """
    head = text.lstrip()[:2048].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or ("<body" in head and "</" in text)


def html_to_text(markup: str) -> MappedText:
    """Visible text of an HTML page, one line per block element, mapped to the markup.

    >>> t = html_to_text("<p>开发区&amp;园区</p>")
    >>> t.text.strip(), t.span(4, 5)
    ('开发区&园区', Span(start=6, end=11))
    """
    parser = _TextCollector(markup)
    parser.feed(markup)
    parser.close()
    return MappedText.from_pieces(parser.pieces)


class _TextCollector(HTMLParser):
    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=False)
        self.markup = markup
        self.line_starts = [0] + [i + 1 for i, ch in enumerate(markup) if ch == "\n"]
        self.pieces: list[tuple[str, int, int]] = []
        self.skip_depth = 0

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _newline(self) -> None:
        at = self._offset()
        self.pieces.append(("\n", at, at))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self.skip_depth += 1
        elif tag in BLOCK_TAGS:
            self._newline()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_TAGS:
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag in BLOCK_TAGS:
            self._newline()

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        start = self._offset()
        self.pieces.append((data, start, start + len(data)))

    def _reference(self, raw: str) -> None:
        if self.skip_depth:
            return
        start = self._offset()
        length = len(raw) + (1 if self.markup.startswith(";", start + len(raw)) else 0)
        self.pieces.append((html.unescape(self.markup[start:start + length]), start, start + length))

    def handle_entityref(self, name: str) -> None:
        self._reference("&" + name)

    def handle_charref(self, name: str) -> None:
        self._reference("&#" + name)

