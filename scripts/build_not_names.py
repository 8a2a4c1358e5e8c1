"""Write petition_nlp/resources/not_names.txt: common words that start like a surname but name no person.

Masking takes a cued word for a name when it starts with a surname ("信访人王建国"); in pre-segmented or terse
text a cue is also followed by ordinary words ("当事人 应当", "被告公司", "举报人 强行"). This lists jieba's
dictionary words of two or three characters that begin with a surname, are frequent (at least ``MIN_FREQUENCY``)
and are not tagged as person names (nr*), so that masking can leave them alone.

    python scripts/build_not_names.py
"""

from __future__ import annotations

import argparse
from pathlib import Path

from petition_nlp._quiet import import_quietly
from petition_nlp.text.masking import _surnames

RESOURCES = Path(__file__).resolve().parents[1] / "petition_nlp" / "resources"
MIN_FREQUENCY = 500  # below this, a word is as likely to be someone's given name (方圆 285, 李娜 is tagged nr)


def main() -> None:
    # --help prints this usage and writes nothing.
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    jieba = import_quietly("jieba")
    single, compound = _surnames()
    words = []
    with open(Path(jieba.__file__).with_name("dict.txt"), encoding="utf-8") as dictionary:
        for line in dictionary:
            word, frequency, tag = line.split()
            if 2 <= len(word) <= 3 and int(frequency) >= MIN_FREQUENCY and not tag.startswith("nr") \
                    and (word[0] in single or word.startswith(compound)):
                words.append(word)
    header = ("# Frequent words that start like a surname but name no person, from jieba's dictionary (MIT licence).\n"
              "# Written by scripts/build_not_names.py; masking leaves a cued word in this list alone unless a sex follows it.\n")
    (RESOURCES / "not_names.txt").write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"wrote {len(words)} words to {RESOURCES / 'not_names.txt'}")


if __name__ == "__main__":
    main()
