"""Where explanation words stand in a petition as it was written, for highlighting."""

from __future__ import annotations

from collections.abc import Iterable

from .normalize import to_halfwidth, to_simplified

__all__ = ["highlight_spans"]


def highlight_spans(text: str, words: Iterable[str]) -> list[tuple[int, int]]:
    """(start, end) character offsets in ``text`` of every occurrence of ``words``, sorted and non-overlapping
    (a longer word wins over one inside it).

    Explanation words are simplified and half-width, as the model reads them; they are looked for in a copy of
    the text converted the same way, which keeps one character per character, so a letter in traditional
    characters or full-width digits is highlighted too. Where a conversion changes the length, the words are
    looked for in the text as written.
    """
    folded = to_simplified(to_halfwidth(text))
    if len(folded) != len(text):
        folded = text
    taken = bytearray(len(text))
    spans = []
    for word in sorted({w for w in words if len(w) > 1}, key=len, reverse=True):
        start = folded.find(word)
        while start >= 0:
            end = start + len(word)
            if not any(taken[start:end]):
                spans.append((start, end))
                taken[start:end] = b"\x01" * len(word)
            start = folded.find(word, end)
    return sorted(spans)
