"""HTML to plain text, keeping each character's offset in the original markup."""
from __future__ import annotations

import html
from dataclasses import dataclass, field
from html.parser import HTMLParser

from .blocks import holds_data
from .textmap import MappedText

BLOCK_TAGS = frozenset(
    "address article aside blockquote br dd div dl dt fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6 "
    "header hr li main nav ol p pre section tbody thead ul".split()
)
CELL_TAGS = frozenset({"td", "th"})
MAX_ROWSPAN = 1000  # a cell said to span more rows is taken to span this many
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
    """Visible text of an HTML page, one line per block element, mapped to the markup; a table's
    row of two cells or more is one line, its cells apart by a tab (:mod:`.task_tables`).

    >>> t = html_to_text("<p>开发区&amp;园区</p>")
    >>> t.text.strip(), t.span(4, 5)
    ('开发区&园区', Span(start=6, end=11))
    >>> row = html_to_text("<table><tr><td><p>1</p></td><td><p>建设</p><p>园区</p></td></tr></table>").text
    >>> [cell.strip() for cell in row.strip().split("\\t")]
    ['1', '建设  园区']
    """
    parser = _TextCollector(markup)
    parser.feed(markup)
    parser.close()
    return MappedText.from_pieces(parser.pieces)


Piece = tuple[str, int, int]  # text, and the range of the markup it stands for


@dataclass
class _Row:
    """A table row being read: its pieces are held until it ends, to be written as one line."""

    table: int  # how deep in tables it is
    pieces: list[Piece] = field(default_factory=list)
    cells: int = 0
    holds_table: bool = False  # a table that lays out a page, with tables in its cells
    cell_starts: list[int] = field(default_factory=list)  # where each cell's pieces start
    rowspans: list[int] = field(default_factory=list)  # how many rows each cell spans

    def cell_pieces(self) -> list[list[Piece]]:
        """Each cell's pieces (a tab stands before each cell but the first)."""
        ends = [start - 1 for start in self.cell_starts[1:]] + [len(self.pieces)]
        return [self.pieces[start:end] for start, end in zip(self.cell_starts, ends)]

    def spanning(self) -> dict[int, tuple[int, list[Piece]]]:
        """The cells that span rows below this one: column → (rows below, the cell's pieces)."""
        return {column: (span - 1, pieces)
                for column, (pieces, span) in enumerate(zip(self.cell_pieces(), self.rowspans)) if span > 1}

    def as_line(self) -> list[Piece]:
        """The row's pieces, on one line when it is a row of data (:func:`~.blocks.holds_data`):
        their line breaks and tabs as spaces (one character for one), the tabs between cells kept."""
        paragraphs = [[line for line in "".join(text for text, _, _ in pieces).split("\n") if line.strip()]
                      for pieces in self.cell_pieces()]
        if self.holds_table or not holds_data(paragraphs):
            return self.pieces
        return [piece if piece[0] == "\t" and piece[1] == piece[2] else
                (piece[0].replace("\n", " ").replace("\r", " ").replace("\t", " "), piece[1], piece[2])
                for piece in self.pieces]


class _TextCollector(HTMLParser):
    def __init__(self, markup: str) -> None:
        super().__init__(convert_charrefs=False)
        self.markup = markup
        self.line_starts = [0] + [i + 1 for i, ch in enumerate(markup) if ch == "\n"]
        self.pieces: list[Piece] = []
        self.skip_depth = 0
        self.tables = 0  # how deep in tables the parser is
        self.rows: list[_Row] = []  # the rows being read, outermost first
        # of each table the parser is in, the cells of rows above that span down into rows to come
        self.spanned: list[dict[int, tuple[int, list[Piece]]]] = []

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def _out(self) -> list[Piece]:
        return self.rows[-1].pieces if self.rows else self.pieces

    def _mark(self, text: str) -> None:
        at = self._offset()
        self._out().append((text, at, at))

    def _newline(self) -> None:
        self._mark("\n")

    def _end_rows(self, table: int) -> None:
        """End the rows open in the table ``table`` deep (and in tables inside it): each goes out."""
        while self.rows and self.rows[-1].table >= table:
            self._take_spanned(self.rows[-1])  # at its end
            row = self.rows.pop()
            if row.table <= len(self.spanned):
                self.spanned[row.table - 1].update(row.spanning())
            self._newline()
            self._out().extend(row.as_line())
            self._newline()

    def _begin_cell(self, row: _Row, rowspan: int) -> None:
        """A cell of ``row`` begins, after the cells of rows above that span down into it before it."""
        self._take_spanned(row)
        self._add_cell(row, [], rowspan)

    def _add_cell(self, row: _Row, pieces: list[Piece], rowspan: int) -> None:
        if row.cells:
            self._mark("\t")
        row.cell_starts.append(len(row.pieces))
        row.rowspans.append(rowspan)
        row.pieces.extend(pieces)
        row.cells += 1

    def _take_spanned(self, row: _Row) -> None:
        """The cells of rows above that span down into ``row`` at its next columns, read again here:
        as a page shows a merged cell beside each row it spans, mapped to where it is written."""
        pending = self.spanned[row.table - 1] if 0 < row.table <= len(self.spanned) else {}
        while row.cells in pending:
            left, pieces = pending.pop(row.cells)
            if left > 1:
                pending[row.cells] = (left - 1, pieces)
            self._add_cell(row, pieces, 1)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in SKIPPED_TAGS:
            self.skip_depth += 1
        elif tag == "table":
            if self.rows:
                self.rows[-1].holds_table = True
            self.tables += 1
            self.spanned.append({})
            self._newline()
        elif tag == "tr":
            self._end_rows(self.tables)  # a row whose end tag was left out
            self.rows.append(_Row(self.tables))
        elif tag in CELL_TAGS and self.rows and self.rows[-1].table == self.tables:
            self._begin_cell(self.rows[-1], _rowspan(attrs))
        elif tag in BLOCK_TAGS or tag in CELL_TAGS:
            self._newline()

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_TAGS:
            self._newline()

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self.skip_depth = max(0, self.skip_depth - 1)
        elif tag == "tr":
            self._end_rows(self.tables)
        elif tag == "table":
            self._end_rows(self.tables)
            self.tables = max(0, self.tables - 1)
            del self.spanned[self.tables:]
            self._newline()
        elif tag in BLOCK_TAGS:
            self._newline()

    def close(self) -> None:
        super().close()
        self._end_rows(0)

    def handle_data(self, data: str) -> None:
        if self.skip_depth:
            return
        start = self._offset()
        self._out().append((data, start, start + len(data)))

    def _reference(self, raw: str) -> None:
        if self.skip_depth:
            return
        start = self._offset()
        length = len(raw) + (1 if self.markup.startswith(";", start + len(raw)) else 0)
        self._out().append((html.unescape(self.markup[start:start + length]), start, start + length))

    def handle_entityref(self, name: str) -> None:
        self._reference("&" + name)

    def handle_charref(self, name: str) -> None:
        self._reference("&#" + name)


def _rowspan(attrs: list[tuple[str, str | None]]) -> int:
    """How many rows a cell spans (``rowspan``), 1 where it does not say; at most :data:`MAX_ROWSPAN`."""
    written = dict(attrs).get("rowspan") or ""
    return min(int(written), MAX_ROWSPAN) if written.strip().isdigit() and int(written) > 0 else 1
