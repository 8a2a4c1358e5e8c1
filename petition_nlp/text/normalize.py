"""Text normalisation: control characters, full-width forms, traditional → simplified, punctuation, spaces."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import numpy as np

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
_CONTROL_OR_SURROGATE = re.compile(_CONTROL.pattern[:-1] + r"\ud800-\udfff]")
_SPACES = re.compile(r"[ \t\r\n\u00a0\u1680\u2000-\u200a\u202f\u205f]+")


def clean_control(text: str) -> str:
    """Remove control and zero-width characters, BOMs and lone surrogates; keep everything else."""
    return _CONTROL_OR_SURROGATE.sub("", text)


def to_halfwidth(text: str) -> str:
    """Full-width letters, digits and ASCII punctuation → their half-width forms; CJK is untouched."""
    return text.translate(_HALFWIDTH_TABLE)


@lru_cache(maxsize=4)
def _converter(config: str):
    import opencc

    return opencc.OpenCC(config)


def to_simplified(text: str, config: str = "t2s") -> str:
    """Traditional → simplified Chinese with OpenCC (``config`` is an OpenCC profile such as 't2s' or 'tw2s')."""
    return _converter(config).convert(text)


_HALFWIDTH_TABLE = str.maketrans(_HALFWIDTH)
_BOTH_TABLE = str.maketrans({**{chr(k): chr(v) for k, v in _HALFWIDTH.items()}, **{chr(k): v for k, v in _PUNCTUATION.items()}})
# Only these characters need the (slower) translation and NFC passes; most petitions contain some, many not all.
_NEEDS_TRANSLATION = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(set(_HALFWIDTH) | set(_PUNCTUATION))) + "]")
_BOTH_MAP = {chr(k): v if isinstance(v, str) else chr(v) for k, v in _BOTH_TABLE.items()}



def _replace_one(match: re.Match[str]) -> str:
    return _BOTH_MAP[match.group()]


# One-to-one replacements as a code-point table: long texts are translated with one NumPy lookup instead of
# one Python callback per full-width comma. The few one-to-many replacements ("…" → "...") go through str.replace.
_ONE_TO_MANY = {k: v for k, v in _BOTH_MAP.items() if len(v) != 1}
_CODE_TABLE = np.arange(0x10000, dtype=np.uint32)
for _k, _v in _BOTH_MAP.items():
    if len(_v) == 1:
        _CODE_TABLE[ord(_k)] = ord(_v)
_TABLE_MIN_LENGTH = 2000  # below this the regex substitution is cheaper than the encode/decode round trip


def _translate_long(text: str) -> str:
    for old, new in _ONE_TO_MANY.items():
        text = text.replace(old, new)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    low = codes < 0x10000
    mapped = np.where(low, _CODE_TABLE[np.where(low, codes, 0)], codes)
    return mapped.tobytes().decode("utf-32-le")


_NEEDS_NFC = re.compile(r"[\u0300-\u036f\u3099\u309a]")


def normalize(text: str, *, simplified: bool = True, halfwidth: bool = True, punctuation: bool = True) -> str:
    """Return ``text`` cleaned for analysis.

    Steps, in order: control characters, zero-width characters and lone surrogates removed, full-width →
    half-width, punctuation variants unified (and NFC composition), traditional → simplified (OpenCC), runs of
    whitespace collapsed to one space, ends stripped.
    """
    if not isinstance(text, str):
        raise TypeError(f"normalize() expects str, got {type(text).__name__}")
    text = clean_control(text)
    if (halfwidth or punctuation) and _NEEDS_TRANSLATION.search(text):
        if halfwidth and punctuation:
            # A substitution touching only the few characters that change beats translating every character.
            text = _translate_long(text) if len(text) >= _TABLE_MIN_LENGTH else _NEEDS_TRANSLATION.sub(_replace_one, text)
        else:
            text = text.translate(_HALFWIDTH_TABLE if halfwidth else _PUNCTUATION)
    if punctuation and _NEEDS_NFC.search(text):
        text = unicodedata.normalize("NFC", text)
    if simplified:
        text = to_simplified(text)
    return _SPACES.sub(" ", text).strip()
