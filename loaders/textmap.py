"""Text that remembers where each character came from in the original file.

Every transformation the loaders make (HTML to text, traditional to simplified script) returns a new
:class:`MappedText` whose characters still point into the original decoded file, so spans survive.
"""
from __future__ import annotations

from array import array
from dataclasses import dataclass
from typing import Iterable

from .records import Span


@dataclass(frozen=True)
class MappedText:
    """``text[i]`` came from ``original[starts[i]:ends[i]]``.

    >>> t = MappedText.identity("开发区")
    >>> t.span(1, 3)
    Span(start=1, end=3)
    """

    text: str
    starts: array
    ends: array

    @classmethod
    def identity(cls, text: str) -> "MappedText":
        """Text that is its own original."""
        n = len(text)
        numbers = _numbers(n + 1)
        return cls(text, numbers[:n], numbers[1:n + 1])

    @classmethod
    def from_pieces(cls, pieces: Iterable[tuple[str, int, int]]) -> "MappedText":
        """Join pieces ``(text, start, end)``; each piece's characters share its original range.

        A piece whose text has the same length as its range maps character by character.
        """
        pieces = list(pieces)
        numbers = _numbers(max((end for _, _, end in pieces), default=0) + 1)
        chunks: list[str] = []
        starts, ends = array("l"), array("l")
        for text, start, end in pieces:
            chunks.append(text)
            if len(text) == end - start:
                starts.extend(numbers[start:end])
                ends.extend(numbers[start + 1:end + 1])
            else:
                starts.extend([start] * len(text))
                ends.extend([end] * len(text))
        return cls("".join(chunks), starts, ends)

    def __len__(self) -> int:
        return len(self.text)

    def span(self, start: int, end: int) -> Span:
        """The original span of ``text[start:end]`` (an empty range maps to a point)."""
        if end <= start:
            point = self.starts[start] if start < len(self.starts) else (self.ends[-1] if self.ends else 0)
            return Span(point, point)
        return Span(self.starts[start], self.ends[end - 1])

    def slice(self, start: int, end: int) -> "MappedText":
        """The piece ``text[start:end]``, still mapped to the original."""
        return MappedText(self.text[start:end], self.starts[start:end], self.ends[start:end])

    def compose(self, inner: "MappedText") -> "MappedText":
        """Map ``inner`` (a transformation of ``self.text``) straight to ``self``'s original."""
        n = len(self)
        numbers = _numbers(n + 1)
        if self.starts == numbers[:n] and self.ends == numbers[1:n + 1]:  # self is its own original
            return inner
        starts = array("l", map(self.starts.__getitem__, inner.starts))
        ends_after = [self.starts[0] if self.starts else 0, *self.ends]  # the end of what comes before each character
        return MappedText(inner.text, starts, array("l", map(ends_after.__getitem__, inner.ends)))


_NUMBERS = array("l")


def _numbers(count: int) -> array:
    """The numbers from 0, at least ``count`` of them, kept: an identity map is two slices of it
    (copied at once, where ``array("l", range(n))`` makes each number in turn)."""
    if len(_NUMBERS) < count:
        _NUMBERS.extend(range(len(_NUMBERS), max(count, 2 * len(_NUMBERS))))
    return _NUMBERS
