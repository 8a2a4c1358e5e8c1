"""Synthetic petition registers with known persons and matters, and the noise of real registers.

Used by the repeat-detection tests and benchmarks: names typed by ear (homophones), traditional characters and
stray spaces, ID numbers with a lost or swapped digit or in the old 15-digit form, phones with +86 and dashes or
a new number, addresses at different levels of detail, namesakes (different people, same common name) and
relatives (different people sharing a phone and an address).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence

import pandas as pd

from .identity import FakeIdentity, IdentityFactory

__all__ = ["RegisterConfig", "generate_register"]

HOMOPHONES = [set(group) for group in (
    "伟玮炜韦", "静婧靖", "丽莉俐", "华骅桦", "军君钧", "明铭鸣", "芳方", "娟鹃", "英瑛莹", "红虹宏", "平萍苹", "国帼",
    "建健剑", "杰洁捷", "兰岚", "海凯", "强墙", "涛韬", "斌彬", "超朝", "刚钢", "辉晖", "鹏朋", "飞菲", "波博", "宇雨",
    "浩皓", "凯恺", "俊峻", "帆凡", "旭煦", "宁凝", "龙隆", "林琳霖", "阳扬洋", "文雯", "德得", "贵桂", "福富", "生升",
    "荣蓉", "春椿", "山珊", "根艮", "敏民", "霞侠", "秀绣", "美梅", "玲铃", "云芸", "凤风", "洁婕", "琴勤", "梅玫",
    "素苏", "萍平", "燕艳", "雪薛", "丹单", "婷亭", "颖莹", "倩茜", "月悦", "翠萃", "珍真", "淑书", "玉钰", "香湘", "花华",
)]
_TRADITIONAL = str.maketrans("伟华军国红丽兰凤云杰刚辉鹏飞龙阳贵荣春敏艳倩颖东亮刘张陈杨黄赵吴孙马罗郑谢韩冯邓萧叶苏卢蒋钟谭陆汪",
                             "偉華軍國紅麗蘭鳳雲傑剛輝鵬飛龍陽貴榮春敏艷倩穎東亮劉張陳楊黃趙吳孫馬羅鄭謝韓馮鄧蕭葉蘇盧蔣鍾譚陸汪")
COMMON_NAMES = ("王伟", "李娜", "张伟", "王芳", "李伟", "王静", "张敏", "李静", "刘伟", "王秀英", "张丽", "李强", "王磊", "张军")
REPEAT_OPENINGS = ("第二次反映：", "再次反映，", "我之前反映过，", "又来反映：", "还是上次那个事，", "重复来电：", "第三次来信，",
                   "这个问题我反映了好几次了，", "", "")


class RegisterConfig:
    """Shares of each kind of noise (all between 0 and 1)."""

    def __init__(self, **overrides: float) -> None:
        self.missing_id = 0.3
        self.id15 = 0.04
        self.id_typo = 0.04
        self.id_transposition = 0.03
        self.missing_phone = 0.15
        self.phone_format = 0.3
        self.new_phone = 0.08
        self.phone_typo = 0.02
        self.homophone = 0.08
        self.traditional = 0.03
        self.name_space = 0.03
        self.missing_name = 0.02
        self.address_detail = 0.5
        self.missing_address = 0.1
        self.namesakes = 0.05
        self.relatives = 0.05
        for key, value in overrides.items():
            if not hasattr(self, key):
                raise ValueError(f"unknown noise {key!r}; expected one of {sorted(vars(self))}")
            if not 0 <= value <= 1:
                raise ValueError(f"{key} must be between 0 and 1, got {value}")
            setattr(self, key, value)


def _noisy_name(name: str, rng: random.Random, cfg: RegisterConfig) -> str:
    if rng.random() < cfg.missing_name:
        return ""
    if rng.random() < cfg.homophone:
        i = rng.randrange(1, len(name)) if len(name) > 1 else 0
        for group in HOMOPHONES:
            if name[i] in group and len(group) > 1:
                name = name[:i] + rng.choice(sorted(group - {name[i]})) + name[i + 1:]
                break
    if rng.random() < cfg.traditional:
        name = name.translate(_TRADITIONAL)
    if rng.random() < cfg.name_space and len(name) > 1:
        name = name[0] + " " + name[1:]
    return name


def _noisy_id(id18: str, rng: random.Random, cfg: RegisterConfig) -> str:
    roll = rng.random()
    if roll < cfg.missing_id:
        return ""
    roll -= cfg.missing_id
    if roll < cfg.id15 and id18[6:8] == "19":
        return id18[:6] + id18[8:17]
    roll -= cfg.id15
    if roll < cfg.id_typo:
        i = rng.randrange(18)
        return id18[:i] + rng.choice([d for d in "0123456789" if d != id18[i]]) + id18[i + 1:]
    roll -= cfg.id_typo
    if roll < cfg.id_transposition:
        i = rng.randrange(6, 16)
        return id18[:i] + id18[i + 1] + id18[i] + id18[i + 2:]
    return id18


def _noisy_phone(phone: str, rng: random.Random, cfg: RegisterConfig) -> str:
    if rng.random() < cfg.missing_phone:
        return ""
    if rng.random() < cfg.phone_typo:
        i = rng.randrange(3, 11)
        phone = phone[:i] + rng.choice([d for d in "0123456789" if d != phone[i]]) + phone[i + 1:]
    if rng.random() < cfg.phone_format:
        return rng.choice((f"+86 {phone}", f"{phone[:3]}-{phone[3:7]}-{phone[7:]}", f"86{phone}", f"{phone[:3]} {phone[3:7]} {phone[7:]}"))
    return phone


def _noisy_address(person: FakeIdentity, rng: random.Random, cfg: RegisterConfig) -> str:
    if rng.random() < cfg.missing_address:
        return ""
    address = person.address
    if rng.random() < cfg.address_detail:
        cut = rng.choice(("province", "city", "number"))
        if cut == "province":
            address = address[len(person.province):]
        elif cut == "city":
            address = address[len(person.province) + len(person.city):]
        else:
            address = address.rstrip("0123456789号室栋组")
    return address


def _repeat_text(text: str, rng: random.Random) -> str:
    """The same matter told again: an opening, a dropped or reordered sentence, a small edit."""
    sentences = [s for s in text.replace("！", "。").split("。") if s.strip()]
    if len(sentences) > 2 and rng.random() < 0.5:
        sentences.pop(rng.randrange(1, len(sentences)))
    body = "。".join(sentences) + "。"
    if rng.random() < 0.3:
        body = body.replace("的", "得", 1)
    return rng.choice(REPEAT_OPENINGS) + body


def generate_register(
    n_records: int,
    texts: Sequence[tuple[str, str]],
    seed: int = 0,
    config: RegisterConfig | None = None,
) -> pd.DataFrame:
    """A register of about ``n_records`` petitions with ground truth columns ``true_person`` and ``true_matter``.

    ``texts`` are (text, domain) pairs used as the matters' first petitions. Columns: ``id``, ``name``,
    ``id_number``, ``phone``, ``address``, ``received_at``, ``text``, ``domain``, ``true_person``, ``true_matter``.
    """
    if not texts:
        raise ValueError("generate_register() needs at least one (text, domain) pair")
    cfg = config or RegisterConfig()
    rng = random.Random(seed)
    factory = IdentityFactory(seed + 1)
    rows: list[dict[str, object]] = []
    people: list[FakeIdentity] = []
    person_index = matter_index = 0
    start = dt.date(2019, 1, 1)
    while len(rows) < n_records:
        person = factory.identity()
        roll = rng.random()
        if people and roll < cfg.namesakes:
            # A different person with a common name, often in the same county.
            person = FakeIdentity(**{**vars(person), "name": rng.choice(COMMON_NAMES)})
        elif people and roll < cfg.namesakes + cfg.relatives:
            relative = rng.choice(people[-50:])
            given = factory.name(person.gender)[1:]
            person = FakeIdentity(**{**vars(person), "name": relative.name[0] + given, "phone": relative.phone,
                                     "address": relative.address, "province": relative.province,
                                     "city": relative.city, "district": relative.district})
        people.append(person)
        n_matters = rng.choices((1, 2, 3), weights=(70, 22, 8))[0]
        for _ in range(n_matters):
            text, domain = texts[rng.randrange(len(texts))]
            n_petitions = rng.choices((1, 2, 3, 4, 6), weights=(55, 25, 10, 6, 4))[0]
            day = start + dt.timedelta(days=rng.randrange(0, 365 * 5))
            for k in range(n_petitions):
                phone = person.phone if rng.random() > cfg.new_phone else factory.phone()
                rows.append({
                    "name": _noisy_name(person.name, rng, cfg),
                    "id_number": _noisy_id(person.id_number, rng, cfg),
                    "phone": _noisy_phone(phone, rng, cfg),
                    "address": _noisy_address(person, rng, cfg),
                    "received_at": day.isoformat(),
                    "text": text if k == 0 else _repeat_text(text, rng),
                    "domain": domain,
                    "true_person": person_index,
                    "true_matter": matter_index,
                })
                day += dt.timedelta(days=rng.randint(7, 120))
            matter_index += 1
        person_index += 1
    frame = pd.DataFrame(rows[:n_records])
    frame = frame.sample(frac=1.0, random_state=seed).reset_index(drop=True)
    frame.insert(0, "id", [f"R{i:07d}" for i in range(len(frame))])
    return frame
