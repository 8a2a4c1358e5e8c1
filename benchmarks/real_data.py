"""How a model with the default heads does on the real data in ../shared/data (skipped where absent).

- teddycup2020c: real messages to a city government, all ordinary petitions (普通信访): the share the
  litigation head calls ordinary, on the raw sample and on the segmented test split.
- cail2018_small: criminal case facts in a prosecutor's voice: recall of the domain head for facts charged
  交通肇事/危险驾驶 (traffic_accident) and 故意伤害 (personal_injury), and the share called litigation.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


def evaluate_on_real_data(model: Any, shared: Path = SHARED_DATA) -> dict[str, Any]:
    results: dict[str, Any] = {}
    raw = shared / "teddycup2020c" / "messages_sample_raw.csv"
    segmented = shared / "teddycup2020c" / "messages_segmented.csv"
    if raw.is_file() and "litigation" in model.head_names:
        with raw.open(encoding="utf-8") as fh:
            texts = [f"{r['title']} {r['body']}" for r in csv.DictReader(fh)]
        predictions = model.predict(texts, explain=False)
        ordinary = sum(p["litigation"].label == "ordinary" for p in predictions) / len(texts)
        other = sum(p["domain"].label == "other" for p in predictions) / len(texts) if "domain" in model.head_names else None
        figures = {"messages": len(texts), "litigation head says ordinary (accuracy)": f"{ordinary:.3f}"}
        if other is not None:
            figures["domain head says other"] = f"{other:.3f}"
        if segmented.is_file():
            with segmented.open(encoding="utf-8") as fh:
                test = [r["text"] for r in csv.DictReader(fh) if r["split"] == "test"]
            predictions = model.predict(test, explain=False)
            figures["segmented test split: messages"] = len(test)
            figures["segmented test split: litigation head says ordinary"] = \
                f"{sum(p['litigation'].label == 'ordinary' for p in predictions) / len(test):.3f}"
        results["teddycup2020c"] = {
            "description": "real citizen messages to a city government, all ordinary petitions",
            "figures": figures,
        }
    cail = shared / "cail2018_small" / "train.jsonl"
    if cail.is_file() and "domain" in model.head_names:
        rows = [json.loads(line) for line in cail.read_text(encoding="utf-8").splitlines() if line.strip()]
        groups = {
            "traffic_accident": [r["fact"] for r in rows if {"交通肇事", "危险驾驶"} & set(r["accusation"])],
            "personal_injury": [r["fact"] for r in rows if "故意伤害" in r["accusation"]],
        }
        figures = {}
        for domain, facts in groups.items():
            predictions = model.predict(facts, explain=False)
            recall = sum(p["domain"].label == domain for p in predictions) / len(facts)
            figures[f"{domain} recall ({len(facts)} facts)"] = f"{recall:.3f}"
            if "litigation" in model.head_names:
                litigation = sum(p["litigation"].label == "litigation" for p in predictions) / len(facts)
                figures[f"{domain}: litigation head says litigation"] = f"{litigation:.3f}"
        results["cail2018_small"] = {
            "description": "criminal case facts (prosecutor's voice): vocabulary transfer, not petition style",
            "figures": figures,
        }
    return results
