"""Compile petition_nlp/resources/lexicon_src.txt into jieba's ``word freq tag`` dictionary format."""

from __future__ import annotations

import argparse
from pathlib import Path

RESOURCES = Path(__file__).resolve().parents[1] / "petition_nlp" / "resources"
# High enough that jieba keeps each term whole, low enough not to swallow neighbouring characters.
FREQUENCY = 2000


def main() -> None:
    # --help prints this usage and writes nothing.
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    terms: dict[str, str] = {}
    for line in (RESOURCES / "lexicon_src.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        tag, words = line.split("|", 1)
        for word in words.split():
            terms.setdefault(word, tag.split("_")[0])
    lines = [f"{word} {FREQUENCY} {tag}" for word, tag in terms.items()]
    (RESOURCES / "lexicon.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} terms to {RESOURCES / 'lexicon.txt'}")


if __name__ == "__main__":
    main()
