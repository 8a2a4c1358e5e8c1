"""Build data/corpus/petitions.jsonl from the hand-written batches in data/corpus/handwritten/.

Validates every label against the taxonomy, fills the petitioner placeholders ({name}, {id_number}, {phone},
{address}) with fake, checksum-valid identities, adds `received_at`, `source` and a fixed stratified held-out
split. Deterministic: the same batches give the same file.

    python scripts/build_corpus.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import sys
from collections import Counter
from pathlib import Path

from sklearn.model_selection import train_test_split

from petition_nlp.synthetic import IdentityFactory
from petition_nlp.taxonomy import DOMAIN_IDS, LITIGATION_IDS, STAGE_IDS

CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus"
CHANNELS = ("letter", "visit", "hotline", "online")
PLACEHOLDERS = ("{name}", "{id_number}", "{phone}", "{address}")
HELDOUT_SHARE = 0.2
SEED = 20261126


def validate(record: dict, where: str) -> list[str]:
    problems = []
    for key in ("id", "text", "domain", "litigation", "stage", "channel"):
        if not record.get(key):
            problems.append(f"{where}: field {key!r} is empty")
    if record.get("domain") not in DOMAIN_IDS:
        problems.append(f"{where}: domain {record.get('domain')!r} not in {DOMAIN_IDS}")
    for extra in record.get("also", []):
        if extra not in DOMAIN_IDS or extra == record.get("domain"):
            problems.append(f"{where}: also contains {extra!r}")
    if record.get("litigation") not in LITIGATION_IDS:
        problems.append(f"{where}: litigation {record.get('litigation')!r} not in {LITIGATION_IDS}")
    if record.get("stage") not in STAGE_IDS:
        problems.append(f"{where}: stage {record.get('stage')!r} not in {STAGE_IDS}")
    if (record.get("litigation") == "ordinary") != (record.get("stage") == "none"):
        problems.append(f"{where}: litigation {record.get('litigation')!r} with stage {record.get('stage')!r}")
    if record.get("channel") not in CHANNELS:
        problems.append(f"{where}: channel {record.get('channel')!r} not in {CHANNELS}")
    leftover = record.get("text", "")
    for placeholder in PLACEHOLDERS:
        leftover = leftover.replace(placeholder, "")
    if "{" in leftover or "}" in leftover:
        problems.append(f"{where}: stray brace in text")
    return problems


def fill_identity(record: dict) -> dict:
    # Seeded by the record id, so editing one petition never changes another's fake identity.
    seed = int(hashlib.sha256(record["id"].encode()).hexdigest()[:12], 16)
    factory = IdentityFactory(seed)
    rng = random.Random(seed)
    person = factory.identity(record.get("gender"))
    text = record["text"]
    uses_placeholder = any(p in text for p in PLACEHOLDERS)
    for field in ("name", "id_number", "phone", "address"):
        text = text.replace("{" + field + "}", getattr(person, field))
    out = {k: v for k, v in record.items() if k != "gender"}
    out["text"] = text
    # Registers record the petitioner for most letters and visits, fewer anonymous online messages.
    if uses_placeholder or rng.random() < (0.4 if record["channel"] == "online" else 0.75):
        out.update(name=person.name, id_number=person.id_number if rng.random() < 0.8 else "", phone=person.phone,
                   address=person.address)
    else:
        out.update(name="", id_number="", phone="", address="")
    received = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 6))
    out["received_at"] = received.isoformat()
    out["source"] = "handwritten"
    return out


def assign_heldout(records: list[dict]) -> set[str]:
    """The held-out ids: fixed in heldout_ids.txt once drawn, so relabelling never moves a petition between splits.

    The first draw is stratified by domain and litigation; petitions added later are held out by a hash of
    their id, at the same rate.
    """
    path = CORPUS / "heldout_ids.txt"
    if path.is_file():
        fixed = set(path.read_text(encoding="utf-8").split())
        known = set(path.with_name("split_known_ids.txt").read_text(encoding="utf-8").split())
        new = [r["id"] for r in records if r["id"] not in known]
        added = {i for i in new if int(hashlib.sha256(i.encode()).hexdigest()[:8], 16) % 100 < HELDOUT_SHARE * 100}
        return fixed | added
    strata = [f"{r['domain']}|{r['litigation']}" for r in records]
    counts = Counter(strata)
    strata = [s if counts[s] >= 5 else r["domain"] for s, r in zip(strata, records)]
    _, heldout = train_test_split([r["id"] for r in records], test_size=HELDOUT_SHARE, stratify=strata, random_state=SEED)
    path.write_text("\n".join(sorted(heldout)) + "\n", encoding="utf-8")
    path.with_name("split_known_ids.txt").write_text("\n".join(sorted(r["id"] for r in records)) + "\n", encoding="utf-8")
    return set(heldout)


def main() -> int:
    # --help prints this usage and writes nothing.
    argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter).parse_args()
    records, problems, seen = [], [], set()
    for path in sorted((CORPUS / "handwritten").glob("*.jsonl")):
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path.name}:{lineno}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"{where}: invalid JSON ({exc})")
                continue
            record.setdefault("also", [])
            problems += validate(record, where)
            if record.get("id") in seen:
                problems.append(f"{where}: duplicate id {record['id']!r}")
            seen.add(record.get("id"))
            records.append(record)
    if problems:
        print("\n".join(problems), file=sys.stderr)
        print(f"{len(problems)} problems; nothing written", file=sys.stderr)
        return 1
    filled = [fill_identity(r) for r in records]
    heldout = assign_heldout(filled)
    for record in filled:
        record["split"] = "heldout" if record["id"] in heldout else "train"
    heldout_idx = [r for r in filled if r["split"] == "heldout"]
    out = CORPUS / "petitions.jsonl"
    with out.open("w", encoding="utf-8") as fh:
        for record in filled:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"wrote {len(filled)} petitions ({len(heldout_idx)} held out) to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
