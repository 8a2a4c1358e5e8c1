"""Text normalisation: control characters, full-width forms, traditional → simplified, punctuation, spaces."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["normalize", "to_halfwidth", "to_simplified", "clean_control"]

# Full-width ASCII (U+FF01..U+FF5E) maps onto ASCII by a fixed offset; U+3000 is the ideographic space.
_HALFWIDTH = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_HALFWIDTH[0x3000] = 0x20

# Punctuation variants that carry the same meaning in petitions; collapsing them keeps features stable.
_PUNCTUATION = str.maketrans(
    {
        "“": '"', "”": '"', "„": '"', "‟": '"', "「": '"', "」": '"', "『": '"', "』": '"',
        "‘": "'", "’": "'", "‚": "'", "‛": "'",
        "—": "-", "–": "-", "‒": "-", "―": "-", "─": "-", "－": "-", "‐": "-", "‑": "-",
        "〔": "(", "〕": ")", "［": "[", "］": "]", "【": "[", "】": "]", "〖": "[", "〗": "]",
        "﹙": "(", "﹚": ")", "︵": "(", "︶": ")",
        "…": "...", "⋯": "...",
        "·": "·", "•": "·", "∙": "·", "‧": "·", "・": "·",
        "～": "~", "〜": "~",
        "﹐": ",", "﹑": "、", "﹒": ".", "﹔": ";", "﹕": ":", "﹖": "?", "﹗": "!",
    }
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060-\u2064\ufeff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_SPACES = re.compile(r"[ \t\r\n\u00a0\u1680\u2000-\u200a\u202f\u205f]+")


def clean_control(text: str) -> str:
    """Remove control and zero-width characters, BOMs and lone surrogates; keep everything else."""
    text = _SURROGATE.sub("", text)
    return _CONTROL.sub("", text)


def to_halfwidth(text: str) -> str:
    """Full-width letters, digits and ASCII punctuation → their half-width forms; CJK is untouched."""
    return text.translate(_HALFWIDTH)


@lru_cache(maxsize=4)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str, config: str = "t2s") -> str:
    """Traditional → simplified Chinese with OpenCC (``config`` is an OpenCC profile such as 't2s' or 'tw2s')."""
    return _converter(config).convert(text)


def normalize(text: str, *, simplified: bool = True, halfwidth: bool = True, punctuation: bool = True) -> str:
    """Return ``text`` cleaned for analysis.

    Steps, in order: control characters, zero-width characters and lone surrogates removed, full-width →
    half-width, punctuation variants unified (and NFC composition), traditional → simplified (OpenCC), runs of
    whitespace collapsed to one space, ends stripped.
    """
    if not isinstance(text, str):
        raise TypeError(f"normalize() expects str, got {type(text).__name__}")
    text = clean_control(text)
    if halfwidth:
        text = to_halfwidth(text)
    if punctuation:
        text = text.translate(_PUNCTUATION)
        text = unicodedata.normalize("NFC", text)
    if simplified:
        text = to_simplified(text)
    return _SPACES.sub(" ", text).strip()
