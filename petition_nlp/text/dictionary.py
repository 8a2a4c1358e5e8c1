"""Reading jieba-format dictionaries (``word [freq] [tag]``) and word lists, with errors naming file and line."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

__all__ = ["DictionaryEntry", "DictionaryError", "read_dictionary", "read_word_list", "default_lexicon_path", "default_stopwords_path"]


class DictionaryError(ValueError):
    """A user dictionary or word list could not be read; the message names the file and line."""


@dataclass(frozen=True)
class DictionaryEntry:
    word: str
    freq: int | None = None
    tag: str | None = None


def default_lexicon_path() -> Path:
    """The legal/petition lexicon shipped with the library (jieba ``word freq tag`` format)."""
    return Path(str(resources.files("petition_nlp") / "resources" / "lexicon.txt"))


def default_stopwords_path() -> Path:
    """The stop-word list shipped with the library (one word per line)."""
    return Path(str(resources.files("petition_nlp") / "resources" / "stopwords.txt"))


def _read_lines(path: str | Path) -> list[str]:
    p = Path(path)
    if not p.is_file():
        raise DictionaryError(f"dictionary file not found: {p}")
    raw = p.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding).splitlines()
        except UnicodeDecodeError:
            continue
    raise DictionaryError(f"{p}: not UTF-8 or GB18030 text")


def read_dictionary(path: str | Path) -> list[DictionaryEntry]:
    """Parse a jieba user dictionary: one ``word [freq] [tag]`` entry per line; blank and ``#`` lines skipped."""
    entries = []
    for lineno, line in enumerate(_read_lines(path), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        parts = stripped.split()
        if len(parts) > 3:
            raise DictionaryError(f"{path}:{lineno}: expected 'word [freq] [tag]', got {len(parts)} fields: {stripped!r}")
        word, freq, tag = parts[0], None, None
        if len(parts) >= 2:
            if parts[1].isdigit():
                freq = int(parts[1])
            elif len(parts) == 2:
                tag = parts[1]
            else:
                raise DictionaryError(f"{path}:{lineno}: frequency must be a non-negative integer, got {parts[1]!r}")
        if len(parts) == 3:
            tag = parts[2]
        entries.append(DictionaryEntry(word, freq, tag))
    return entries


def read_word_list(path: str | Path) -> frozenset[str]:
    """Read a word list (stop words): one word per line, blank lines skipped."""
    return frozenset(line.strip() for line in _read_lines(path) if line.strip() and not line.startswith("#"))
