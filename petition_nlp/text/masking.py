"""Personal-data masking: ID numbers, phones, bank cards, e-mail, licence plates and cued names.

Each match is replaced by a typed placeholder (``<ID>``, ``<PHONE>`` ...) so that models, logs and reports never
see the value; callers who need the values get the spans.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from .idnumber import is_plausible_id18, is_valid_id15, is_valid_id18
from .normalize import to_halfwidth

__all__ = ["MaskedSpan", "MaskResult", "mask_personal_data", "masked_values", "given_name", "PLACEHOLDERS",
           "PLACEHOLDER_PATTERN"]

PLACEHOLDERS: dict[str, str] = {
    "id_number": "<ID>",
    "phone": "<PHONE>",
    "bank_card": "<CARD>",
    "email": "<EMAIL>",
    "plate": "<PLATE>",
    "name": "<NAME>",
}
PLACEHOLDER_PATTERN = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS.values()))

_D = r"[0-9０-９]"
_NOT_ALNUM_BEFORE = r"(?<![0-9A-Za-z０-９])"
_NOT_ALNUM_AFTER = r"(?![0-9A-Za-z０-９])"
_SEP = r"[ \-－]?"

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9.\-]+\.[A-Za-z]{2,}")
_ID18 = re.compile(_NOT_ALNUM_BEFORE + _D + r"{17}[0-9０-９XxＸｘ]" + _NOT_ALNUM_AFTER)
_ID15 = re.compile(_NOT_ALNUM_BEFORE + _D + r"{15}" + _NOT_ALNUM_AFTER)
_CARD = re.compile(_NOT_ALNUM_BEFORE + _D + r"(?:[ \-]?" + _D + r"){15,18}" + _NOT_ALNUM_AFTER)
_MOBILE = re.compile(
    r"(?<![0-9A-Za-z０-９+])(?:(?:\+|＋)?(?:86|８６)[ \-]?)?1[3-9３-９]" + _D + r"{1}" + _SEP + _D + r"{4}" + _SEP + _D + r"{4}"
    + _NOT_ALNUM_AFTER + r"(?![元万亿])"  # 15000000000元 is an amount
)
_LANDLINE = re.compile(
    _NOT_ALNUM_BEFORE
    + r"(?:[(（]0" + _D + r"{2,3}[)）][ \-]?|0" + _D + r"{2,3}[ \-－]|0[1-9]" + _D + r"{1,2}(?=" + _D + r"{7,8}" + _NOT_ALNUM_AFTER + r"))"
    + r"[2-9]" + _D + r"{6,7}(?:-" + _D + r"{1,4})?"
    + _NOT_ALNUM_AFTER
)
# A plate: province, issuing letter, then five characters (six on a new-energy plate), or four and 挂 (trailer),
# 学 (driving school) or 警 (police); "豫A12345挂车" is a plate and a 挂车. Letters may be typed in lower case.
_PLATE = re.compile(
    r"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼] ?[A-HJ-NP-Za-hj-np-z][·•. \-]?"
    r"(?:[A-HJ-NP-Za-hj-np-z0-9*＊]{5,6}|[A-HJ-NP-Za-hj-np-z0-9*＊]{4}[挂学警])"
    r"(?![A-Za-z0-9])"
)
# Where a cue says that an ID number or a phone number follows, any digits there are masked, mistyped or
# oddly written as they may be (a digit lost, spaces, dashes, 19 digits): the cue is enough evidence.
_ID_CUE = re.compile(
    r"(?:身份证|身份号码|公民身份|证件|ID|id)(?:号码|号|编号)?(?:是|为)?[:：]?\s?"
    r"(?P<value>[0-9０-９](?:[ \-－—]?[0-9０-９]){11,19}(?:[ \-－—]?[XxＸｘ])?)(?![0-9A-Za-z０-９])"
)
_PHONE_CUE = re.compile(
    r"(?:电话|手机|联系方式|联系号码|座机|热线|tel|TEL|Tel)(?:号码|号)?(?:是|为)?[:：]?\s?"
    r"(?P<value>[+＋(（]?[0-9０-９](?:[ \-－—()（）]?[0-9０-９]){6,13})(?![0-9０-９])"
)
_DATE = re.compile(r"(?:19|20)\d{2}[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])")  # "电话 2023-05-12 打过"
_CUE_REACH = 16  # characters before a run of digits that may hold its cue and the start of a split number
_ID_DIGITS = (14, 19)  # digits a cued ID number may have: 15 or 18, give or take a typo
_PHONE_DIGITS = (7, 14)  # a local number without area code up to +86 and a mobile
# An 18-digit ID number written in groups ("430521 19780312 2118", "4305 2119 7803 1221 18") is one wherever it
# stands, if its checksum holds.
_GROUPED_ID18 = re.compile(
    _NOT_ALNUM_BEFORE + _D + r"(?:[ \-－]?" + _D + r"){16}[ \-－]?[0-9０-９XxＸｘ]" + _NOT_ALNUM_AFTER
)
# Numbers that documents, not people, carry: a number right after one of these is no ID, phone or card.
_DOCUMENT_NUMBER = re.compile(r"(?:编号|注册号|执照号|流水号|订单号|单号|合同号|发票号|案号|文号|发票号码|合同号码)[:：]?\s?$")
_CARD_CUE = re.compile(r"(?:卡|卡号|账号|帐号|存折|账户|帐户)[:：是为]?\s?$")  # 卡 ends 银行卡, 邮储卡, 工资卡

# A name is only masked where a cue says that a person's name follows; free-standing names are left to the
# model's minimum document frequency (see the classifier), since no rule finds them reliably.
_NAME_CUES = (
    "信访人", "来访人", "来电人", "反映人", "反应人", "报告人", "申请执行人", "被申请人", "申请人", "申诉人", "诉求人",
    "投诉人", "求助人", "上访人", "委托人", "代理人", "被害人", "受害人", "被执行人", "被告人", "被上诉人", "上诉人",
    "原告", "被告", "第三人", "证人", "犯罪嫌疑人", "法定代表人", "法人代表", "负责人", "户主", "借款人", "债务人",
    "承包人", "死者", "姓名", "姓 名", "联系人", "举报人", "当事人", "具名", "署名", "我叫", "本人叫", "我是", "名叫"
)
_NAME_END = (r"(?=[,，。:：;；\s(（、\ue0000-9０-９]|$|身份证|电话|联系|男|女|现|住|来访|来电|反映|诉称|称|委托|家|再次|多次|曾|已"
             r"|于|在|向|被|系|是|的|等|和|与|及|之|出生|要求|请求|不服|因|对|就|今年|今天|一家|一行|夫妇|母子|父子|拒不|拒绝"
             r"|至今|一直|认为|表示|提出|提起|起诉|上诉|辩称|未|不|没|说|讲|诉|有|欠|犯|将|把|让|请|要|想|到|去|带|也|都|又|还"
             r"|并|而|但|却|经|从|同意|给|名下|生前|申请|赔偿|主张|作证|现年|性别|民族|年龄|籍贯|职业|地址|单位"
             r"|联名|一起|一同|共同|上访|离婚)")
_NAME = re.compile(
    r"(?P<cue>" + "|".join(_NAME_CUES) + r")(?:[(（][\u4e00-\u9fff]{1,6}[)）])?(?:姓名)?[:：]?\s?"  # 被上诉人（原审被告）：
    r"(?P<name>[\u4e00-\u9fff]{2,6}·[\u4e00-\u9fff]{2,8}"  # a transcribed name: 阿依古丽·买买提
    r"|[\u4e00-\u9fff](?: {1,2}[\u4e00-\u9fff]){1,2}(?=[,，。;；\s]|$)"  # a form's spaced name: 张 伟, 张 小 明
    r"|[\u4e00-\u9fff]{1,2}?[\u4e00-\u9fff·]{1,3}?)"  # else the shortest name that a boundary follows
    + _NAME_END
)
# A word that ends names and that no name contains: "原告方认为" has no name, though 方 is a surname.
_WORDS_AFTER_NAMES = re.compile("|".join(w for w in re.findall(r"[\u4e00-\u9fff]+", _NAME_END) if len(w) >= 2))
# 我是 also starts "我是高中老师", "我是马路对面的住户": a name after it must end where a sentence or a sex does.
_WEAK_CUES = frozenset({"我是"})
_WEAK_CUE_END = re.compile(r"[,，。;；\s]|$|[男女]|身份证|电话|家住|住在|今年")
# "信访人张伟和李娜": further names in a list after a cued one.
_LISTED_NAME = re.compile(r"(?:[和、与及]其?|之)(?:妻子?|丈夫|夫|儿子|子|女儿|女|父亲|母亲)?(?P<name>[\u4e00-\u9fff]{2,3}?)"
                          + _NAME_END)
# "本人李四，男，…": 本人 is a cue only where a sex, 住 (lives), 系 (is) or an ID number follows the name, since it
# also starts ordinary sentences.
_SELF_NAME = re.compile(r"本人[:：]?\s?(?P<name>[\u4e00-\u9fff]{2,3})"
                        r"(?=[,，、\s]?(?:[男女]|住|现住|系|身份证|汉族|[0-9０-９]|今年|电话|反映|于|出生))")
# A sex after the name ("张三，男") is the strongest sign that it is one, whatever its first character. Directly
# after a word it is part of it: 外嫁女, 独生子女.
_SEX_FOLLOWS = re.compile(r"[,，、\s][男女]")
# Words that cues are followed by and that are no names: places, groups, roles, what someone did.
_NOT_IN_NAMES = frozenset("的之村县乡镇省市区户于")
_NON_NAME_LAST = frozenset("人员者户师")  # 温州人, 护林员, 患者, 住户, 老师
# After 我是, roles as well: 房东, 车主, 包工头, 楼长, 顾客, 孙子, 出嫁女, 原配, 单身, 文盲, 农民工.
_WEAK_CUE_NON_NAME_LAST = frozenset("东主头长客子女婿配身盲工")
_NON_NAME_ENDINGS = ("学生", "村民", "职工", "员工", "干部", "主张", "复议", "再审", "施工", "单位", "小区")
_NEVER_FIRST = frozenset("系是为在与和及")  # a word starting so is no name even when a sex follows ("系外嫁女")
_PREPOSITION_SURNAMES = frozenset("于")  # surnames that after a cue are far more often a preposition
# Digit-based kinds are searched for only inside runs of digits and separators long enough to hold one, so a
# text is scanned once for runs instead of once per pattern.
_NUMBER_RUN = re.compile(r"[+＋(（]?[0-9０-９][0-9０-９ \-－()（）]{5,}[0-9０-９XxＸｘ]")
_COMMON_NON_NAMES = frozenset(
    {"村民", "农民", "老人", "群众", "业主", "一名", "一个", "本村", "本人", "这里", "他们", "家长", "学生", "病人", "患者",
     "工人", "职工", "退休", "残疾", "党员", "受害", "原告", "被告", "死者", "伤者", "母亲", "父亲", "老师", "个体",
     "反映", "来访", "来电", "诉称", "女士", "先生", "同志", "单位", "陈述", "申请人", "支付", "居住", "孙子", "孙女",
     "外孙", "老伴", "房东", "车主", "房主", "姓名", "单方", "车速", "房产", "房屋", "余款", "毛坯", "车辆"}
)


def _resource_lines(name: str) -> list[str]:
    """The lines of a word list in resources/, without blank lines and # comments."""
    text = resources.files("petition_nlp").joinpath(f"resources/{name}").read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def _surnames() -> tuple[frozenset[str], tuple[str, ...]]:
    """(single-character surnames, compound surnames) from resources/surnames.txt."""
    lines = _resource_lines("surnames.txt")
    return frozenset(lines[0]), tuple(lines[1:])


@lru_cache(maxsize=1)
def _not_names() -> frozenset[str]:
    """Frequent words that start like a surname but are no name (resources/not_names.txt)."""
    return frozenset(_resource_lines("not_names.txt"))


def given_name(name: str) -> str:
    """``name`` without its surname (a compound one where it starts so): 欧阳振华 → 振华, 张伟 → 伟."""
    compound = next((c for c in _surnames()[1] if name.startswith(c)), None)
    return name[len(compound):] if compound else name[1:]


def _starts_with_surname(word: str) -> bool:
    """Whether a cued word can be a name: "被害人死亡" and "委托人签字" are followed by a verb, not a name."""
    single, compound = _surnames()
    return word[0] in single or word.startswith(compound)


@dataclass(frozen=True)
class MaskedSpan:
    """One masked value: its kind, where it stood in the input, the original text and whether it validated."""

    kind: str
    start: int
    end: int
    text: str
    valid: bool = True


@dataclass(frozen=True)
class MaskResult:
    """The masked text and the spans (offsets refer to the text that was passed in)."""

    text: str
    spans: tuple[MaskedSpan, ...]


_FULLWIDTH = re.compile("[\uff01-\uff5e\u3000]")  # what to_halfwidth maps, one character to one


def _luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit()).translate(str.maketrans("０１２３４５６７８９", "0123456789"))


def _candidates(text: str, kinds: frozenset[str]) -> list[MaskedSpan]:
    found: list[MaskedSpan] = []
    if "email" in kinds and "@" in text:
        found += [MaskedSpan("email", m.start(), m.end(), m.group()) for m in _EMAIL.finditer(text)]
    digit_kinds = kinds & {"id_number", "bank_card", "phone"}
    for run in _NUMBER_RUN.finditer(text) if digit_kinds else ():
        # One character past the run lets the patterns' "no letter or digit follows" check see the real text.
        window = (run.start(), min(len(text), run.end() + 1))
        if _DOCUMENT_NUMBER.search(text, max(0, run.start() - 8), run.start()):
            continue  # 营业执照注册号430100000123456, 合同编号6212345678901234: a document's number, no person's
        if "id_number" in kinds:
            for m in _ID18.finditer(text, *window):
                value = m.group()
                if is_valid_id18(value):
                    found.append(MaskedSpan("id_number", m.start(), m.end(), value, True))
                elif is_plausible_id18(value):
                    # A mistyped ID number is still personal data: mask it, but mark it as failing the checksum.
                    found.append(MaskedSpan("id_number", m.start(), m.end(), value, False))
            found += [MaskedSpan("id_number", m.start(), m.end(), m.group())
                      for m in _ID15.finditer(text, *window) if is_valid_id15(m.group())]
            for m in _GROUPED_ID18.finditer(text, *window):
                compact = re.sub(r"[ \-－]", "", m.group())
                if compact != m.group() and is_valid_id18(compact):
                    found.append(MaskedSpan("id_number", m.start(), m.end(), m.group(), True))
        if "bank_card" in kinds:
            for m in _CARD.finditer(text, *window):
                digits = _digits(m.group())
                # One random long number in ten passes the Luhn check: without a cue such as 卡号, only a UnionPay
                # number (62...) that passes it counts as a card.
                cued = _CARD_CUE.search(text, max(0, m.start() - 8), m.start())
                if 16 <= len(digits) <= 19 and (cued or (_luhn_ok(digits) and digits.startswith("62"))):
                    found.append(MaskedSpan("bank_card", m.start(), m.end(), m.group(), _luhn_ok(digits)))
        if "phone" in kinds:
            found += [MaskedSpan("phone", m.start(), m.end(), m.group()) for m in _MOBILE.finditer(text, *window)]
            found += [MaskedSpan("phone", m.start(), m.end(), m.group()) for m in _LANDLINE.finditer(text, *window)]
        # A cued number has at least seven digits, so it lies in a run; its cue stands just before the run.
        cued_window = (max(0, window[0] - _CUE_REACH), window[1])
        for kind, cue, (fewest, most) in (("id_number", _ID_CUE, _ID_DIGITS), ("phone", _PHONE_CUE, _PHONE_DIGITS)):
            if kind in kinds:
                for m in cue.finditer(text, *cued_window):
                    if fewest <= len(_digits(m.group("value"))) <= most and not _DATE.fullmatch(m.group("value")):
                        found.append(MaskedSpan(kind, m.start("value"), m.end("value"), m.group("value"), False))
    if "plate" in kinds:
        found += [MaskedSpan("plate", m.start(), m.end(), m.group()) for m in _PLATE.finditer(text)]
    if "name" in kinds and (any(cue in text for cue in _NAME_CUES) or "本人" in text):
        # After 本人 the sex is part of the pattern already, so only a surname makes it a name ("本人离婚后女儿").
        matches = [(m, True) for m in _NAME.finditer(text)
                   if m.group("cue") not in _WEAK_CUES
                   or (_WEAK_CUE_END.match(text, m.end("name")) and m.group("name")[-1] not in _WEAK_CUE_NON_NAME_LAST)]
        for m, sex_counts in (*matches, *((m, False) for m in _SELF_NAME.finditer(text))):
            end = m.end("name")
            if not _is_name(m.group("name"), text, end, sex_counts):
                continue
            found.append(MaskedSpan("name", m.start("name"), end, m.group("name")))
            while (listed := _LISTED_NAME.match(text, end)) and _is_name(listed.group("name"), text, listed.end("name")):
                end = listed.end("name")
                found.append(MaskedSpan("name", listed.start("name"), end, listed.group("name")))
    return found


def _is_name(candidate: str, text: str, end: int, sex_counts: bool = True) -> bool:
    """Whether a cued candidate ending at ``end`` of ``text`` reads as a person's name."""
    name = candidate.replace(" ", "")
    if name in _COMMON_NON_NAMES or "某" in name or _NOT_IN_NAMES.intersection(name[1:]) \
            or name.endswith(_NON_NAME_ENDINGS) or name[-1] in _NON_NAME_LAST:
        return False
    if "·" in name:
        return True
    if _WORDS_AFTER_NAMES.search(name, 1):
        return False
    if len(name) >= 4 and not name.startswith(_surnames()[1]):
        return False  # four characters or more: a compound surname, else a phrase ("高中老师")
    sex_follows = sex_counts and _SEX_FOLLOWS.match(text, end) and name[0] not in _NEVER_FIRST
    if name[0] in _PREPOSITION_SURNAMES:
        return bool(sex_follows)  # "申请人于收到判决后", "被告于同年": 于 is far more often "on" than a surname here
    # "高兴地说", "房产已": a frequent word that runs on is no name either.
    common_word = name in _not_names() or name[:2] in _not_names() or name[:2] in _COMMON_NON_NAMES
    return bool((_starts_with_surname(name) and not common_word) or sex_follows)


def mask_personal_data(text: str, kinds: frozenset[str] | set[str] | None = None) -> MaskResult:
    """Replace personal data in ``text`` by typed placeholders and return the text with the masked spans.

    ``kinds`` limits masking to some of ``PLACEHOLDERS``' keys; by default every kind is masked. Where two
    candidates overlap, the earlier-starting, then longer one wins (an ID number beats the phone-like digits
    inside it).
    """
    if not isinstance(text, str):
        raise TypeError(f"mask_personal_data() expects str, got {type(text).__name__}")
    wanted = frozenset(PLACEHOLDERS) if kinds is None else frozenset(kinds)
    unknown = wanted - set(PLACEHOLDERS)
    if unknown:
        raise ValueError(f"unknown personal-data kinds {sorted(unknown)}; expected some of {sorted(PLACEHOLDERS)}")
    # Found in a half-width copy (the same length, so offsets hold): "１３９ ８７６５ ４３２１", "ZHANGWEI＠163.COM".
    if _FULLWIDTH.search(text):  # normalised text (the pipeline's) has none: no copy to make then
        found = [MaskedSpan(c.kind, c.start, c.end, text[c.start:c.end], c.valid)
                 for c in _candidates(to_halfwidth(text), wanted)]
    else:
        found = _candidates(text, wanted)
    candidates = sorted(found, key=lambda s: (s.start, -(s.end - s.start)))
    kept: list[MaskedSpan] = []
    for span in candidates:
        if not kept or span.start >= kept[-1].end:
            kept.append(span)
    if not kept:
        return MaskResult(text, ())
    pieces, cursor = [], 0
    for span in kept:
        pieces.append(text[cursor:span.start])
        pieces.append(PLACEHOLDERS[span.kind])
        cursor = span.end
    pieces.append(text[cursor:])
    return MaskResult("".join(pieces), tuple(kept))


def masked_values(values: Iterable[Any], most: int = 10) -> list[str]:
    """Up to ``most`` cell values for a log message, sorted and masked: an id column may hold ID numbers, a date
    column a note with a name and a phone."""
    return [mask_personal_data(value).text for value in sorted(map(str, values))[:most]]
