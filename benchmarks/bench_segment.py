"""Segmentation throughput and agreement, and masking recall.

Throughput of the default pipeline (normalise + mask + segment, jieba backend) and of the fast pipeline (rjieba
backend), as ratios against plain ``jieba.lcut`` on the same texts in the same run; token agreement of the fast
backend with jieba; masking recall on generated identifiers and false positives on ordinary numbers.

    python benchmarks/bench_segment.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import csv
import random
import sys

import jieba

from common import load_corpus, shared, timed
from petition_nlp import Segmenter, mask_personal_data
from petition_nlp.synthetic import IdentityFactory


def petition_texts() -> tuple[list[str], str]:
    texts = [r["text"] for r in load_corpus()]
    source = f"{len(texts)} authored petitions"
    raw = shared("teddycup2020c/messages_sample_raw.csv")
    if raw is not None:
        with raw.open(encoding="utf-8") as fh:
            real = [f"{r['title']} {r['body']}" for r in csv.DictReader(fh)]
        texts += real
        source += f" + {len(real)} real messages (teddycup2020c raw sample)"
    return texts, source


def spans(tokens: list[str]) -> set[tuple[int, int]]:
    out, pos = set(), 0
    for token in tokens:
        out.add((pos, pos + len(token)))
        pos += len(token)
    return out


def agreement(a: list[list[str]], b: list[list[str]]) -> float:
    """Share of token spans on which the two segmentations agree (matched spans / larger token count)."""
    matched = total = 0
    for x, y in zip(a, b):
        sx, sy = spans(x), spans(y)
        matched += len(sx & sy)
        total += max(len(sx), len(sy))
    return matched / total


def masking_check(n: int = 2000) -> tuple[float, int]:
    rng, factory = random.Random(11), IdentityFactory(11)
    frames = ["我叫某某，身份证号{v}，请领导帮忙。", "联系电话：{v}", "来电号码{v}，要求回复", "银行卡{v}被冻结", "身份证{v}。"]
    masked = total = 0
    for _ in range(n):
        person = factory.identity()
        for value in (person.id_number, person.phone, f"+86 {person.phone[:3]}-{person.phone[3:7]}-{person.phone[7:]}",
                      person.id_number[:6] + person.id_number[8:17]):
            if len(value) == 15 and not value.isdigit():
                continue
            text = rng.choice(frames).format(v=value)
            total += 1
            masked += value not in mask_personal_data(text).text
    ordinary = ["(2019)粤0608执123号", "（2021）湘0521民初4567号", "借款120000元", "2021年3月5日", "20210305",
                "订单号1234567890123456", "工号00123", "利率15.4%", "第3次反映", "面积128.5平方米"]
    false_positives = sum(bool(mask_personal_data(t).spans) for t in ordinary)
    return masked / total, false_positives


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    texts, source = petition_texts()
    chars = sum(map(len, texts))
    print(f"texts: {source}; {chars:,} characters")
    jieba.setLogLevel(60)
    jieba.lcut("预热")
    default, fast = Segmenter(), Segmenter(backend="rjieba")
    default("预热"), fast("预热")
    t_plain, plain = timed(lambda: [jieba.lcut(t) for t in texts], args.repeat)
    t_default, out_default = timed(lambda: [default(t) for t in texts], args.repeat)
    t_fast, out_fast = timed(lambda: [fast(t) for t in texts], args.repeat)
    t_batch, out_batch = timed(lambda: fast(texts), args.repeat)
    assert out_batch == out_fast, "batch and per-text tokenisation differ"
    print(f"{'pipeline':44s} {'chars/s':>12s} {'vs jieba.lcut':>14s}")
    for name, seconds in (("plain jieba.lcut (baseline)", t_plain), ("default: normalise+mask+segment (jieba)", t_default),
                          ("fast: normalise+mask+segment (rjieba)", t_fast),
                          ("fast, batch call (list in, list out)", t_batch)):
        print(f"{name:44s} {chars / seconds:12,.0f} {t_plain / seconds:13.2f}x")
    print(f"token agreement, fast vs default pipeline: {agreement(out_default, out_fast):.4%}")
    recall, false_positives = masking_check()
    print(f"masking recall on generated ID numbers (18 and 15 digit) and phones: {recall:.2%}")
    print(f"ordinary numbers masked by mistake: {false_positives} of 10")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
