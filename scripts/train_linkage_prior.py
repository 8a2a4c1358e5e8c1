"""Train the shipped prior linkage model (petition_nlp/resources/linkage_prior.json) on a synthetic register.

Registers too small to train on (fewer than LinkageConfig.min_training_records usable rows) are linked with
this model, and it supplies any parameter a training step on a user's register cannot estimate. The register is
generated from the authored corpus (scripts/build_corpus.py) with fake identities.

    python scripts/train_linkage_prior.py [--records 30000]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pandas as pd

from petition_nlp.repeats.linkage import PRIOR_MODEL, LinkageConfig, PersonLinkage
from petition_nlp.repeats.prepare import identity_table
from petition_nlp.synthetic.register import generate_register

REPO = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=30_000)
    args = parser.parse_args()
    corpus = pd.read_json(REPO / "data" / "corpus" / "petitions.jsonl", lines=True, dtype=False)
    register = generate_register(args.records, list(zip(corpus["text"], corpus["domain"])), seed=2026)
    # Train from scratch: the prior must not feed itself.
    linkage = PersonLinkage(LinkageConfig(min_training_records=0))
    import petition_nlp.repeats.linkage as linkage_module

    linkage_module.prior_model = lambda: None
    linkage.fit_predict(identity_table(register))
    out = REPO / "petition_nlp" / "resources" / PRIOR_MODEL
    out.write_text(json.dumps(linkage.model_json_, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
