"""Time to persist one registration in a repeat index: RepeatIndex.save_changes() (appended to the folder's
journal) against RepeatIndex.save() (the whole index rewritten), in the same run on the same index.

The index is built from a generated register of --records records (authored corpus texts, fake identities).

    python benchmarks/bench_index_save.py [--records 30000] [--registrations 9]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time

from common import load_corpus
from petition_nlp import RepeatDetector, RepeatIndex
from petition_nlp.synthetic.register import generate_register


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=30_000)
    parser.add_argument("--registrations", type=int, default=9)
    args = parser.parse_args()
    register = generate_register(args.records, [(r["text"], r["domain"]) for r in load_corpus()], seed=3)
    detector = RepeatDetector()
    labelled = detector.fit_assign(register.drop(columns=["true_person", "true_matter"]))
    index = RepeatIndex.from_labelled(labelled, detector.parameters_)
    with tempfile.TemporaryDirectory() as folder:
        index.save(folder)
        medians = {}
        for name, persist in (("save (whole index)", index.save), ("save_changes (journal)", index.save_changes)):
            seconds = []
            for i in range(args.registrations):
                index.add({"id": f"{name}-{i}", "name": "赵六", "phone": "13700001111", "text": "反映拖欠工资"})
                started = time.perf_counter()
                persist(folder)
                seconds.append(time.perf_counter() - started)
            medians[name] = statistics.median(seconds)
        assert len(RepeatIndex.load(folder)) == len(index)
    print(f"index of {len(index):,} records; median of {args.registrations} registrations each")
    baseline = medians["save (whole index)"]
    for name, seconds in medians.items():
        print(f"{name:28s} {seconds * 1000:9.1f} ms   {baseline / seconds:8.1f}x the whole-index save")


if __name__ == "__main__":
    main()
