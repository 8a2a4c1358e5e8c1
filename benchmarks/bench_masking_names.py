"""How well name masking does on the authored corpus, whose rows carry the (fake) petitioner's name.

Of the petitions whose text contains the petitioner's name: how many still show it after masking, and how many
masked name spans are not that name (ordinary words lost to the model). The rules were tuned on this corpus, so
these are development figures, not held-out ones.

    python benchmarks/bench_masking_names.py
"""

from __future__ import annotations

from common import load_corpus

from petition_nlp import mask_personal_data


def main() -> None:
    rows = [r for r in load_corpus() if isinstance(r.get("name"), str) and len(r["name"]) >= 2 and r["name"] in r["text"]]
    left = wrong = spans = 0
    examples = []
    for row in rows:
        result = mask_personal_data(row["text"])
        left += row["name"] in result.text
        for span in result.spans:
            if span.kind == "name":
                spans += 1
                if span.text != row["name"]:
                    wrong += 1
                    examples.append(span.text)
    print(f"petitions whose text names their petitioner: {len(rows)}")
    print(f"  name still visible after masking: {left} ({left / len(rows):.1%})")
    print(f"  masked name spans: {spans}, of which not the petitioner's name: {wrong}  {examples[:10]}")


if __name__ == "__main__":
    main()
