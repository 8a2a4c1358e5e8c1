"""Fake petitioner identities: names, checksum-valid ID numbers, plausible phones and addresses.

Every value is drawn at random from public building blocks (common surnames, administrative region codes, mobile
prefixes); none is taken from a real person.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from ..text.idnumber import id_checksum

__all__ = ["FakeIdentity", "IdentityFactory", "REGIONS"]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN_MALE = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳建国志海东峰亮成文德永贵福生荣新春山根发"
GIVEN_FEMALE = "芳娜敏静丽艳娟霞秀英华慧巧美玲兰红梅琴云莲凤洁琳素桂芬萍燕雪丹婷颖倩月翠珍淑玉春香花"

# (region code, province, city, district): public administrative divisions; towns and villages below are invented.
REGIONS = (
    ("430521", "湖南省", "邵阳市", "邵东市"),
    ("430181", "湖南省", "长沙市", "浏阳市"),
    ("440608", "广东省", "佛山市", "高明区"),
    ("441821", "广东省", "清远市", "佛冈县"),
    ("510104", "四川省", "成都市", "锦江区"),
    ("511621", "四川省", "广安市", "岳池县"),
    ("522422", "贵州省", "毕节市", "大方县"),
    ("360721", "江西省", "赣州市", "赣县区"),
    ("411325", "河南省", "南阳市", "内乡县"),
    ("370828", "山东省", "济宁市", "金乡县"),
    ("350583", "福建省", "泉州市", "南安市"),
    ("450921", "广西壮族自治区", "玉林市", "容县"),
    ("341522", "安徽省", "六安市", "霍邱县"),
    ("130632", "河北省", "保定市", "安新县"),
    ("622901", "甘肃省", "临夏回族自治州", "临夏市"),
    ("330782", "浙江省", "金华市", "义乌市"),
    ("420621", "湖北省", "襄阳市", "襄州区"),
    ("532301", "云南省", "楚雄彝族自治州", "楚雄市"),
)
_TOWN_STEMS = "青石 柳河 白沙 东湖 双龙 桃源 杨家 新华 石门 金坪 黄泥 龙泉 马鞍 清水 长岭 枫林 南山 大湾 高桥 和平".split()
_VILLAGE_STEMS = "上屋 下湾 李家 岭脚 塘边 竹园 坳头 新村 老街 河背 田心 石桥 枣树 水口 山下 荷花".split()
_STREETS = "人民路 建设路 解放路 胜利街 学院路 滨江路 中山路 文化路 和平路 光明街".split()
_MOBILE_PREFIXES = ("130 131 132 133 135 136 137 138 139 150 151 152 153 155 156 157 158 159 166 173 175 176 177 "
                    "180 181 182 183 185 186 187 188 189 191 198 199").split()


@dataclass(frozen=True)
class FakeIdentity:
    name: str
    gender: str
    id_number: str
    phone: str
    address: str
    province: str
    city: str
    district: str


class IdentityFactory:
    """Draw fake identities from a seeded random generator (the same seed gives the same people)."""

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self._rng = random.Random(seed)

    def name(self, gender: str | None = None) -> str:
        rng = self._rng
        gender = gender or rng.choice("男女")
        pool = GIVEN_MALE if gender == "男" else GIVEN_FEMALE
        given = "".join(rng.choice(pool) for _ in range(rng.choice((1, 2, 2, 2))))
        return rng.choice(SURNAMES) + given

    def id_number(self, region: str, gender: str, born: dt.date) -> str:
        seq = self._rng.randrange(0, 100) * 10 + self._rng.choice((1, 3, 5, 7, 9) if gender == "男" else (0, 2, 4, 6, 8))
        first17 = f"{region}{born:%Y%m%d}{seq:03d}"
        return first17 + id_checksum(first17)

    def phone(self) -> str:
        return self._rng.choice(_MOBILE_PREFIXES) + f"{self._rng.randrange(0, 10**8):08d}"

    def address(self, region: tuple[str, str, str, str]) -> str:
        rng = self._rng
        _, province, city, district = region
        if district.endswith("区") and rng.random() < 0.6:
            return f"{province}{city}{district}{rng.choice(_STREETS)}{rng.randint(1, 300)}号{rng.randint(1, 20)}栋{rng.randint(101, 2604)}室"
        town = rng.choice(_TOWN_STEMS) + rng.choice(("镇", "乡"))
        village = rng.choice(_VILLAGE_STEMS) + "村"
        return f"{province}{city}{district}{town}{village}{rng.randint(1, 12)}组{rng.randint(1, 99)}号"

    def identity(self, gender: str | None = None) -> FakeIdentity:
        rng = self._rng
        gender = gender if gender in ("男", "女") else rng.choice("男女")
        region = rng.choice(REGIONS)
        born = dt.date(1940, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 64))
        return FakeIdentity(
            name=self.name(gender),
            gender=gender,
            id_number=self.id_number(region[0], gender, born),
            phone=self.phone(),
            address=self.address(region),
            province=region[1],
            city=region[2],
            district=region[3],
        )
