"""Generate synthetic petitions (信访件) by recombining facts, stages, demands and voices.

The hand-written corpus (data/corpus/handwritten/, built into data/corpus/petitions.jsonl) is small. This script
adds volume for training by composing each petition from independently chosen slots:

* an opening and closing that depend on the channel: a letter (尊敬的领导 ... 此致敬礼), a 12345 hotline record in
  the third person (来电人反映……诉求：……), a visit transcript (问：答：) or record, an online message (标题+内容);
* a voice: plain citizen, elderly villager (俺、咋、啥、晓得), migrant worker, shop owner, lawyer writing for a client
  (cites the law), angry repeat petitioner (第N次反映！), child writing for a parent, retired cadre, student;
* the facts of a case (who, what, where, when: mixed date formats, amounts, case numbers with random court codes,
  police stations, villages), what was done so far and the demand, the last two depending on the procedural stage;
* noise: typos (在/再、的/得、以经、帐), some traditional characters (OpenCC s2t), some full-width digits.

Every (domain, litigation, stage) combination the labelling rules allow is drawn about equally often, plus ordinary
petitions (domain ``other``) over eleven everyday topics. Some ordinary petitions are hard negatives (legal words
used as threats or accusations, road-safety suggestions full of 事故) and some legal petitions are told plainly
without legal vocabulary; fragments that clearly touch a second domain add it to ``also``.

Usage::

    python scripts/generate_petitions.py                          # 3000 petitions, seed 0
    python scripts/generate_petitions.py --n 500 --seed 7 --output /tmp/generated.jsonl

The output (data/corpus/generated.jsonl by default, ``source`` = "generated") is kept apart from the hand-written
corpus: it is template text, so it may only be used as extra training data, never for held-out evaluation and never
for any reported figure. The same --n and --seed always give the same file. The petitioner's name, ID number
(checksum-valid), phone and address come from petition_nlp.synthetic.IdentityFactory and are fake; no other
person's personal data is written (others are 王某、李某某、张老三).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import random
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import opencc

from petition_nlp.synthetic import FakeIdentity, IdentityFactory
from petition_nlp.synthetic.identity import REGIONS, SURNAMES
from petition_nlp.taxonomy import DOMAIN_IDS, LITIGATION_IDS, STAGE_IDS

DEFAULT_OUTPUT = Path(__file__).resolve().parents[1] / "data" / "corpus" / "generated.jsonl"

# Tags on fragments: a domain id adds that domain to `also`; PLAIN marks wording without legal vocabulary;
# SOLO marks a fragment that must not be combined with a second "what was done" fragment; DEATH an incident in
# which the person harmed died (so it needs a relative as petitioner, and no talk of their recovery); HARM an
# incident in which someone was hurt, without that being a personal_injury case as well.
TA, PI, CF, CE = "traffic_accident", "personal_injury", "criminal_filing", "court_enforcement"
LOG, MIN, MED = "illegal_logging", "illegal_mining", "illegal_medical_practice"
PLAIN, SOLO, DEATH, HARM = "plain", "solo", "death", "harm"

CHANNELS = ("letter", "visit", "hotline", "online")
CHANNEL_WEIGHTS = (30, 20, 27, 23)
LITIGATION_STAGES = ("pre_filing", "in_proceedings", "judgment_effective", "enforcement", "exhausted")

# ---------------------------------------------------------------------------------------------------------------
# Building blocks for slot values. Places are invented below the county level; people other than the petitioner
# are only ever 某/某某/nicknames.
# ---------------------------------------------------------------------------------------------------------------

PROVINCE_ABBR = {
    "湖南省": "湘", "广东省": "粤", "四川省": "川", "贵州省": "黔", "江西省": "赣", "河南省": "豫", "山东省": "鲁",
    "福建省": "闽", "广西壮族自治区": "桂", "安徽省": "皖", "河北省": "冀", "甘肃省": "甘", "浙江省": "浙",
    "湖北省": "鄂", "云南省": "云",
}
TOWN_STEMS = ("青石 柳河 白沙 东湖 双龙 桃源 杨家 新华 石门 金坪 黄泥 龙泉 马鞍 清水 长岭 枫林 南山 大湾 高桥 和平 "
              "岩口 沙坪 花桥 三江 梅溪 太平 永安 观音 官庄 铁山").split()
VILLAGE_STEMS = ("上屋 下湾 李家 岭脚 塘边 竹园 坳头 新村 老街 河背 田心 石桥 枣树 水口 山下 荷花 牛角 杉木 "
                 "茶园 大坪 鹅公 凉亭 柿子 白果 十里 坝上").split()
STREETS = "人民路 建设路 解放路 胜利街 学院路 滨江路 中山路 文化路 和平路 光明街 新华路 环城东路 五一路 团结街".split()
NAME_STEMS = "鑫达 宏远 金鼎 华盛 恒通 瑞丰 盛世 锦绣 永兴 中恒 佳和 天成 富民 顺发 嘉禾 隆昌".split()
PARTY_SUFFIXES = ("某", "某", "某某", "某某", "某", "老三", "老四", "二毛", "某军", "某华", "某平", "胖子")
WORK_CITIES = "东莞 深圳 广州 佛山 温州 义乌 昆山 苏州 宁波 厦门 上海".split()
VEHICLES = ("大货车", "渣土车", "小轿车", "面包车", "农用三轮车", "电动车", "摩托车", "水泥罐车", "拉沙的自卸车",
            "越野车", "皮卡车", "半挂车", "网约车")
INJURIES = ("左腿骨折", "颅脑损伤，昏迷了十几天", "三根肋骨骨折", "脾脏破裂，做了切除手术", "腰椎压缩性骨折",
            "右手粉碎性骨折", "头上缝了十几针", "锁骨骨折", "盆骨骨折", "脑出血", "右小腿开放性骨折", "牙齿掉了三颗，鼻梁骨骨折")
GRADES = ("十级", "十级", "九级", "八级", "七级", "五级")
SENTENCES = ("有期徒刑一年", "拘役六个月", "有期徒刑三年，缓刑四年", "有期徒刑十个月", "有期徒刑一年六个月，缓刑两年",
             "拘役四个月，缓刑六个月", "有期徒刑两年")
TREES = ("杉木", "马尾松", "樟树", "楠木", "桉树", "柏树", "松树", "枫香树")
MINERALS = ("河沙", "砂石", "石头", "煤", "稀土", "铁矿石", "石英砂", "黄金")
SHOPS = ("小超市", "五金店", "小饭馆", "理发店", "农资店", "手机店", "早餐店", "服装店", "建材门市")
CLINICS = ("济民诊所", "仁心堂", "康宁诊所", "百草堂", "{village}的一家私人诊所", "一家没有挂牌的小诊所", "“美丽人生”美容工作室",
           "一家开在居民楼里的医美工作室", "便民门诊", "{town}街上的一家牙科诊所", "“祖传秘方”中医馆")
COMMUNITY_SUFFIXES = ("花园", "苑", "小区", "家园", "名都", "新城", "雅居")
COMPANY_SUFFIXES = ("建筑工程有限公司", "建材有限公司", "房地产开发有限公司", "劳务有限公司", "物流有限公司", "实业有限公司",
                    "服装厂", "砂石场", "建设集团")
CRIME_ARTICLES = {
    "交通肇事": "第一百三十三条", "故意伤害": "第二百三十四条", "诈骗": "第二百六十六条", "合同诈骗": "第二百二十四条",
    "盗窃": "第二百六十四条", "职务侵占": "第二百七十一条", "敲诈勒索": "第二百七十四条", "非法吸收公众存款": "第一百七十六条",
    "故意毁坏财物": "第二百七十五条", "拒不执行判决、裁定": "第三百一十三条", "盗伐林木": "第三百四十五条",
    "滥伐林木": "第三百四十五条", "非法采矿": "第三百四十三条", "非法行医": "第三百三十六条",
}
CN_DIGITS = "零一二三四五六七八九"

# ---------------------------------------------------------------------------------------------------------------
# Channel frames. Openings, closings and signatures use the petitioner placeholders {name} {phone} {id_number}
# {address}; everything else is filled from the case.
# ---------------------------------------------------------------------------------------------------------------

SALUTATIONS = ("尊敬的领导：", "尊敬的县委书记：", "信访局领导：", "尊敬的县长：", "各位领导：", "领导您好：", "尊敬的市长：",
               "县委、县政府领导：", "尊敬的信访局领导：", "尊敬的{county}信访局：", "书记、县长：", "敬爱的领导：")
STAGE_SALUTATIONS = {
    "pre_filing": ("尊敬的公安局长：", "{county}公安局领导：", "检察院领导：", "尊敬的政法委领导："),
    "in_proceedings": ("政法委领导：", "尊敬的检察长：", "{county}公安局局长：", "尊敬的法院院长："),
    "judgment_effective": ("尊敬的法院院长：", "{mid_court}领导：", "检察院领导：", "尊敬的政法委书记："),
    "enforcement": ("尊敬的法院院长：", "执行局领导：", "县委政法委领导：", "{court}院长："),
    "exhausted": ("省委政法委领导：", "尊敬的政法委书记：", "尊敬的省委书记：", "上级领导："),
    "none": ("{dept}领导：", "{dept}领导您好：", "尊敬的{dept}负责同志："),
}
LETTER_CLOSINGS = ("此致\n敬礼！", "此致\n敬礼", "盼复！", "万分感谢！", "恳请领导在百忙之中过问此事。", "谢谢领导！",
                   "以上情况属实，如有虚假，本人愿承担法律责任。", "望早日解决为盼。", "期盼您的回复。", "", "", "拜托了！")
LETTER_SIGNATURES = ("信访人：{name}\n联系电话：{phone}\n{rcv}", "反映人：{name}\n{rcv}", "{name}\n{rcv}", "{rcv}",
                     "信访人：{name}（身份证号：{id_number}）\n住址：{address}\n电话：{phone}", "{village}村民\n{rcv}",
                     "一个走投无路的老百姓\n{rcv}", "", "信访人：{name}  {phone}", "{name} 敬上\n{rcv}", "群众\n{rcv}")
HOTLINE_OPENINGS = ("来电人{name}反映：", "来电人反映：", "市民来电反映：", "来电人（{phone}）反映：", "12345热线工单：来电人称，",
                    "工单内容：来电人{name}，电话{phone}，反映", "群众来电：", "来电人来电称：", "来电人称：", "热线记录：来电人反映，",
                    "12345转办：市民来电，", "来电人{name}（{address}）反映：")
HOTLINE_PROXY_OPENINGS = ("来电人{name}代其{parent}反映：", "来电人替其{parent}反映：", "来电人称其{parent}年纪大，由其代为反映：")
HOTLINE_DEMAND_LEADS = ("诉求：", "来电人诉求：", "来电人要求", "来电人希望", "诉求：请相关部门", "来电人请求", "要求")
HOTLINE_NOTES = ("来电人情绪激动。", "来电人称已多次反映。", "请相关部门核实处理。", "来电人要求回复。", "请承办单位及时联系来电人。",
                 "来电人表示如不解决将继续上访。", "已做好解释，来电人仍要求转办。", "来电人要求保密。")
VISIT_HEADERS = ("来访人{name}，{gender}，{age}岁，住{address}。", "来访人：{name}（身份证号{id_number}）", "来访登记\n来访人：{name}  电话：{phone}",
                 "来访人{name}，{gender}，{age}岁。", "来访人，{gender}，{town}人。", "", "", "来访人{name}，联系电话{phone}。")
VISIT_Q_FACTS = ("你要反映什么问题？", "请说一下具体情况。", "什么事？", "您慢慢说，怎么回事？", "你今天来是什么事情？", "请讲。",
                 "你好，有什么需要反映的？")
VISIT_Q_PROGRESS = {
    "pre_filing": ("报警了吗？", "后来找过哪些部门？", "派出所怎么说的？", "你找过谁了？"),
    "in_proceedings": ("案子现在到哪一步了？", "办案单位怎么答复你的？", "现在什么情况？"),
    "judgment_effective": ("法院怎么判的？", "判决生效了吗？上诉了没有？", "你对判决有什么意见？"),
    "enforcement": ("申请执行了吗？", "执行法官怎么说？", "现在执行到多少了？"),
    "exhausted": ("再审、检察院这些程序都走过了吗？", "之前都去过哪些地方？", "这个事处理多少年了？"),
    "none": ("找过哪些部门？", "之前反映过吗？", "后来呢？"),
}
VISIT_Q_DEMAND = ("你的诉求是什么？", "你希望怎么解决？", "那你现在想要个什么结果？", "还有什么要求？", "你想让我们怎么帮你？")
VISIT_RECORD_LEADS = ("来访人陈述：", "来访人反映：", "来访人称，", "接访记录：")
VISIT_FOOTERS = ("（来访人提供了相关材料复印件）", "接访人：已登记，转相关部门办理。", "处理意见：转{dept}核查办理。", "", "", "",
                 "（来访人情绪激动，经劝导后离开）")
ONLINE_FRAMES = ("标题：{title}\n内容：{body}", "留言标题：{title}\n留言内容：{body}", "【{title}】{body}", "主题：{title}\n{body}",
                 "标题：{title}\n内容：{body}", "{title}\n{body}")
ONLINE_GREETINGS = ("您好，", "领导好！", "你好，", "", "", "", "尊敬的领导：")
ONLINE_CLOSINGS = ("望回复，谢谢！", "谢谢！", "急！！", "", "", "请尽快回复。", "麻烦了。", "盼回复。")
DEMAND_LEADS = {
    "letter": ("恳请领导", "请求领导", "希望领导能", "现请求：", "我请求：", "求求领导帮帮忙，", "强烈要求", "望有关部门", "请",
               "希望政府", "特此请求：", "在此请求领导"),
    "online": ("希望", "恳请", "请问能不能", "强烈要求", "请", "麻烦领导", "希望相关部门"),
    "visit": ("就是希望", "我希望", "要求", "我就一个要求，", "想请你们", ""),
}
VOICE_DEMAND_LEADS = {
    "elderly": ("求求领导给俺做主，", "俺就想请领导", "俺没啥别的要求，就是想请政府"),
    "repeat": ("我再次强烈要求", "这次必须给我个答复：", "我的要求还是那一条：", "我最后一次要求"),
    "student": ("恳请相关部门", "希望相关部门能够"),
}
PARAGRAPH_INDENT = "\u3000\u3000"
# Demands that open with the body that should act (卫健局依法取缔…) need a verb after 恳请领导: 恳请领导责成卫健局…
ORG_NAMES = ("卫健局", "林业局", "教育局", "民政局", "住建局", "城管局", "劳动监察大队", "生态环境局", "自然资源局", "交通运输局",
             "医保局", "市场监管", "镇政府", "街道办", "路政部门", "公安", "检察院", "水利部门", "卫生监督所", "主管部门",
             "相关部门", "供水公司", "上级法院", "公检法", "法院")

# ---------------------------------------------------------------------------------------------------------------
# Voices.
# ---------------------------------------------------------------------------------------------------------------

VOICE_WEIGHTS = {
    "litigation": {"plain": 28, "elderly": 14, "migrant": 9, "shop": 7, "lawyer": 10, "repeat": 12, "child": 12,
                   "retired": 4, "student": 0},
    "ordinary": {"plain": 32, "elderly": 12, "migrant": 9, "shop": 9, "lawyer": 0, "repeat": 12, "child": 10,
                 "retired": 6, "student": 6},
}
VOICE_AGES = {"elderly": (62, 90), "migrant": (20, 55), "student": (18, 24), "retired": (58, 85), "child": (20, 50),
              "lawyer": (25, 80), "shop": (25, 62), "repeat": (35, 85), "plain": (22, 80)}
VOICE_INTROS = {
    "plain": ("我是{town}{village}的村民。", "我叫{name}，住在{address}。", "本人{name}，今年{age}岁，{town}人。", "我是一名普通群众。",
              "我叫{name}，身份证号{id_number}，电话{phone}。", "我是{county}{town}人。"),
    "elderly": ("俺是{village}的，今年{age}了，不识几个字，这信是请孙子写的。", "我今年{age}岁了，腿脚不好，跑不动了。",
                "俺是个老农民，一辈子没跟公家打过交道。", "老汉我今年{age}了。", "俺叫{name}，{village}人，七老八十的人了。"),
    "migrant": ("我常年在{work_city}打工。", "我是个打工的，没啥文化，字写得不好请领导见谅。", "我在外面工地上干活，请假回来一趟不容易。",
                "我叫{name}，在{work_city}的厂里上班。"),
    "shop": ("我在{town}街上开了个{shop}。", "我是个体户，在{street}做点小生意。", "我在{county}城里开{shop}，已经七八年了。"),
    "child": ("我是替我{parent}写这封信的，{pron}年纪大了，不会写字。", "我爸妈都是农民，这事我替他们反映一下。",
              "我在外地上班，这件事是替我{parent}反映的。", "我是{name}，今天替我{parent}说一下{pron}的事。"),
    "lawyer": ("{firm}接受{name}的委托，现就其{lawyer_topic}一事反映如下：", "本律师系{name}的代理人，受其委托反映如下：",
               "我所律师受当事人委托，就其{lawyer_topic}一事向贵单位反映："),
    "repeat": ("这是我第{N}次反映了！", "第{N}次来了，还是那件事！", "同一个问题我已经反映了{N}次！", "我又来了，还是老问题！"),
    "retired": ("本人系退休干部，党员，现住{address}。", "我是{county}的一名退休教师。", "我是退休职工，今年{age}岁。"),
    "student": ("我是一名在校大学生，放假回家发现了这个问题。", "我是一名学生，代表家里人反映一下情况。", "我在外地读大学，这是家里的事。"),
}
VOICE_EXTRAS = {
    "plain": ("这件事拖了这么久，实在让人心寒。", "我们老百姓办个事怎么就这么难？", "我说的句句属实，可以当面对质。"),
    "elderly": ("俺也不晓得咋办才好。", "这叫啥事嘛！", "俺们老百姓没得法子啊。", "俺一把年纪了，还能活几年？", "俺这心里头憋屈得很。",
                "俺啥也不懂，就晓得这事不公道。"),
    "migrant": ("我们打工的挣点钱不容易。", "为这事我请了好几天假，工钱都扣了。", "老家还有老人孩子等着这钱。", "我没文化，说不好，请领导理解。"),
    "shop": ("店里就我一个人，走开一天就少一天收入。", "做小生意本来就难，经不起这么折腾。", "我们个体户也是守法经营的。"),
    "repeat": ("你们到底管不管？！", "每次都叫我回去等，等到什么时候？！", "再不解决我就到省里去！", "我反映了这么多次，没有一个人给我说清楚！",
               "一次次转回来，一次次没结果！", "不给我解决，我就一直告下去！"),
    "child": ("{pron}年纪大了，身体也不好，天天为这事睡不着觉。", "我在外地工作，没法天天回来跑。", "{pron}一辈子老实本分，从来没跟人红过脸。"),
    "lawyer": (),
    "retired": ("作为一名老党员，我对这种现象深感痛心。", "我相信党和政府一定会秉公处理。"),
    "student": ("麻烦您了，谢谢！", "希望我的反映能引起重视。"),
}
HOTLINE_VOICE_NOTES = {  # {who} is 来电人 or 来访人
    "elderly": ("{who}系{age}岁老人，口齿不清，称“俺也不晓得咋办”。", "{who}年纪较大，反复说“这事不公道”。"),
    "repeat": ("{who}称已是第{N}次反映，情绪激动。", "{who}称反映多次无果，语气激烈。"),
    "migrant": ("{who}称其在外地打工，请假回来处理此事。",),
    "shop": ("{who}系个体工商户。",),
}
# Dialect word swaps for the elderly voice, by region.
DIALECTS = (
    {"什么": "啥", "怎么": "咋", "孩子": "娃", "知道": "晓得", "我们": "俺们"},
    {"什么": "啥子", "怎么": "咋个", "知道": "晓得", "没有": "莫得", "我们": "我们"},
    {"干什么": "搞么子", "什么": "么子", "知道": "晓得", "没有": "冇", "孩子": "伢子"},
)
RELATIVES = {  # relation -> pronoun; relations by petitioner gender where needed
    "common": (("父亲", "他"), ("母亲", "她"), ("儿子", "他"), ("女儿", "她"), ("弟弟", "他"), ("家老人", "他")),
    "男": (("妻子", "她"), ("老婆", "她")),
    "女": (("丈夫", "他"), ("老公", "他")),
}
ELDERLY_RELATIVES = (("老伴", "他"), ("儿子", "他"), ("孙子", "他"), ("闺女", "她"), ("家老大", "他"))
PARENTS = (("爸", "他"), ("妈", "她"), ("父亲", "他"), ("母亲", "她"))

# ---------------------------------------------------------------------------------------------------------------
# Stage fragments shared by several domains ("what was done so far"). {I} is the petitioner as written in this
# petition (我/俺/其/委托人), {victim} the person harmed (the petitioner or a relative).
# ---------------------------------------------------------------------------------------------------------------

PROGRESS_POOLS = {
    "police_pre": (
        ("{I}{d1}到{police}报了案，民警做了笔录，说回去研究研究，到现在{months}了，既没立案也没给个说法。", CF),
        ("{police}说这是民事纠纷，叫{I}去法院起诉，不给立案。", CF),
        ("{I}拿到了{police}的不予立案通知书，理由是“没有犯罪事实”，{I}不服，已经申请了复议。", CF),
        ("{I}要派出所出个受案回执，派出所都不给。", CF),
        ("报警以后民警来现场看了看，说要请示领导，之后就再没人来过。", CF),
        ("办案民警私下跟{I}说，{party}家里有关系，这个案子不好办，劝{I}算了。", CF),
        ("{I}向{procuratorate}申请立案监督，检察院说已经转给公安了，公安还是没动。", CF),
        ("报了警，警察来看了看就走了，后来再也没人管过。", CF, PLAIN),
        ("去派出所问了好几回，都说在研究，研究到现在也没个准信。", CF, PLAIN),
        ("{police}复议后还是维持不立案，{I}准备去检察院。", CF),
    ),
    "sue_pre": (
        ("{I}还没报案，想先问问这种情况该找哪里，是找派出所还是找法院。", SOLO),
        ("{I}想去法院告{party}，可不知道要准备哪些材料，也请不起律师。", SOLO),
        ("{I}不识字，也不晓得该去哪里告{party}。", PLAIN, SOLO),
        "{I}去法律援助中心问过，说要先把证据准备齐。",
    ),
    "crime_proc": (
        ("{police}{d1}立了案，到现在{months}了，{party}一直没抓到，听说就在外省打工。", CF),
        ("案子立了以后就没了动静，{I}打办案民警电话，要么不接，要么说在办。", CF),
        "{party}被刑事拘留后很快就取保候审了，现在案子在{procuratorate}，一直没起诉。",
        "检察院已经两次退回补充侦查，{I}担心证据被对方做了手脚。",
        "{court}已经开过庭了，到现在{months}了还没宣判。",
        "一审判决后{party}上诉了，案子在{mid_court}，承办法官说排期还要等。",
        "{I}提起了刑事附带民事诉讼，要求赔偿{amount}，法院说要等刑事部分一起判。",
        ("警察说案子在办，可{party}天天还在村里晃，啥事没有。", CF, PLAIN),
        ("法院说开过庭了，叫{I}回去等，这一等又是大半年。", PLAIN),
    ),
    "civil_proc": (
        "{I}在{court}起诉了，案号{case_civil}，法官说要先做鉴定，鉴定到现在也没出来。",
        "案子{d1}就在{court}立案了，早就过了审限，还是没判。",
        "开完庭法官让双方调解，对方不同意，案子就一直拖着。",
        "二审在{mid_court}，{months}了没有任何消息。",
        "对方提出管辖权异议，案子又被移到了外地法院，{I}来回跑不起。",
        ("{I}找人写了状子交到法院，法院收了，说等通知开庭，等了大半年。", PLAIN),
    ),
    "judg_crim": (
        "{court}{d2}判了，判{party}{sentence}，{I}觉得判得太轻，向{procuratorate}申请抗诉，检察院说不符合条件，判决已经生效。",
        "判决书{case_crim}附带民事部分只判赔{amount}，连{I}家损失的零头都不够，{I}不服，想申诉。",
        ("{party}只被判了{sentence}，出来以后还在村里扬言要报复。", PLAIN),
        "刑事判决已经生效，可判决认定的事实跟实际情况完全不一样，{party}的同伙一个都没追究。",
    ),
    "judg_civil": (
        "二审{mid_court}维持原判，判决已经生效，可判决认定的事实跟实际情况完全不一样。",
        "{I}认为承办法官偏袒对方，庭审时不让{I}把话说完，判决也没有采纳{I}提交的证据。",
        "{I}已经向{mid_court}递交了再审申请，{months}了还没有结果。",
        "民事判决{case_civil}已经生效，可判决依据的鉴定是对方单方面找人做的，{I}申请重新鉴定，法院不同意。",
        "判决认定{victim}自己也有过错，减轻了对方三成责任，{I}想不通。",
        ("法院判了，可判得不公道，{I}咋也想不通。", PLAIN),
        ("判下来才赔{amount}，人都成这样了，这点钱够干啥？", PLAIN),
    ),
    "collect": (
        ("判决生效后{I}向{court}申请了强制执行，案号{case_exec}，{months}了一分钱没拿到。", CE),
        ("执行法官说{party}名下没有财产，{d3}把案子终本了，{I}不同意终本。", CE),
        ("{party}早就把房子过户给了他老婆，车也转到亲戚名下了，法院说查不到财产。", CE),
        ("{party}被列为失信被执行人，可他照样开着小车到处跑，还在镇上盖了新房。", CE),
        ("法院只划走了{party}卡上的{small_amount}，剩下的就说没办法了。", CE),
        ("{I}把{party}藏钱的线索交给了执行法官，法官说会去查，到现在也没有回音。", CE),
        ("法院判了要给钱，可到现在一分钱也没见着，对方天天在外头吃香喝辣。", CE, PLAIN),
        ("对方说没钱，法院也不管，人家的新房子都盖起来了。", CE, PLAIN),
    ),
    "exh_dispute": (
        "一审、二审都输了，{I}申请再审，{mid_court}裁定驳回，又到{procuratorate}申请监督，检察院作出了不支持监督申请的决定。",
        "这些年{I}从县里告到市里、省里，法院、检察院都去过，答复全是“原判正确”。",
        "{I}向省高院申诉被驳回，向省检察院申请抗诉也没获支持，能走的路都走完了。",
        "检察院复查后答复不支持监督，{I}已经没有法律程序可走，只能来信访。",
        "{I}的信访事项已经三级终结，可问题一点没解决。",
        ("告了这么些年，哪里都去过了，都说办完了，可{I}的事一点没解决。", PLAIN),
        ("上面的法院也说不改，{I}实在是没路走了。", PLAIN),
    ),
    "exh_collect": (
        ("执行了{years}，终本、恢复、再终本，{party}一分没给，法院说已经穷尽了财产调查措施。", CE),
        ("{I}对终本裁定提出异议被驳回，申请复议，{mid_court}也驳回了，能走的都走了。", CE),
        ("案子早就办结了，{party}一分没赔，{I}家里现在全靠低保过日子。", CE),
        ("{I}的案子已经是终审，执行也终结了，{I}知道再告也没用，只想申请点司法救助过日子。", CE),
        ("法院判了赔钱，可这么多年一分没拿到，法院说案子早结了，叫{I}别再来了。", CE, PLAIN),
    ),
}

DEMAND_POOLS = {
    "police_pre": ("依法立案侦查，追究{party}的刑事责任", "给{I}出具书面的不予立案通知书", "检察院开展立案监督，督促公安机关立案",
                   "派人下来调查清楚", "把{party}抓起来依法处理", "查一查派出所为什么不立案"),
    "sue_pre": ("告诉{I}该怎么起诉", "给{I}安排法律援助", "帮{I}指条路，这事到底该找哪个部门"),
    "proc": ("督促办案单位加快办理，早日给个结果", "尽快抓获{party}", "依法从重处理{party}", "告知{I}案件的办理进度",
             "督促法院尽快判决", "更换办案人员"),
    "judg": ("依法启动再审程序，纠正错误判决", "检察院依法提出抗诉", "撤销原判决，依法改判", "调查承办法官是否存在违法违纪问题",
             "重新鉴定、重新审理", "支持{I}的申诉"),
    "collect": ("督促法院加大执行力度，尽快执行到位", "查封、拍卖{party}名下的财产", "对{party}采取拘留措施，追究拒不执行判决的责任",
                "恢复执行", "尽快把执行款发放给{I}", "撤销终本裁定，继续执行"),
    "exh": ("给予{I}司法救助", "帮{I}解决生活困难", "给{I}一个公道", "把{I}家纳入低保，解决{victim}的看病问题"),
    "exh_dispute": ("由上级法院重新审查本案", "追究相关办案人员的责任", "启动审判监督程序，重新审理"),
}
PLAIN_DEMANDS = {
    "pre_filing": ("让派出所管管这事", "帮{I}讨个公道", "叫{party}给个说法"),
    "in_proceedings": ("让他们快点办", "早点把人抓起来", "别再拖了"),
    "judgment_effective": ("叫法院再好好看看这案子", "重新判一下", "给{I}一个公道"),
    "enforcement": ("帮{I}把钱要回来", "让法院把{party}的房子车子封了", "叫{party}把钱还了"),
    "exhausted": ("给{I}家一点救济", "给{I}个说法", "帮帮{I}这个困难户"),
}
TITLE_POOLS = {
    "pre_filing": ("事情过去{months}了，没人管", "求助：不知道该怎么起诉", "请领导过问", "求助", "这事到底该找谁"),
    "in_proceedings": ("案子拖了{months}没有进展", "嫌疑人为何迟迟不抓", "请求法院尽快审理", "案件久拖不决"),
    "judgment_effective": ("判决不公，申请再审", "对法院判决的申诉", "这样的判决公平吗？", "不服判决"),
    "enforcement": ("判决生效{years}了还是执行不到", "催执行！", "老赖有钱不还，法院为何不执行", "执行款什么时候能到位"),
    "exhausted": ("申请司法救助", "走投无路，求助领导", "{years}的官司，求一个公道", "再审被驳回，求领导关注"),
}
HARDSHIP = {
    "injury": ("医药费都是东拼西凑借的，已经花了{med_amount}。", "{victim}现在干不了重活，家里全靠{I}一个人撑着。",
               "家里还有两个孩子在上学，日子过不下去了。", "后续还要做二次手术，钱从哪里来？"),
    "money": ("这笔钱是{I}家半辈子的积蓄。", "为了这个事，{I}跑了不知道多少趟，路费都花了好几千。", "家里老人常年吃药，就等着这笔钱。",
              "{I}手上有借条、转账记录，证据都很清楚。"),
    "land": ("那片山是{I}家祖祖辈辈留下来的。", "再这样下去，山就全秃了，下雨就发山洪。", "村里人敢怒不敢言，怕被报复。",
             "{I}手机里拍了照片和视频，随时可以提供。"),
    "forest": ("那片山是{I}家祖祖辈辈留下来的。", "再这样砍下去，山就全秃了，下雨就发山洪。", "这些树都是{I}家一棵一棵栽的，养了二十多年。",
               "{I}手机里拍了照片和视频，随时可以提供。"),
    "ordinary": ("这个问题影响的不是{I}一家，周边几十户都一样。", "{I}手上有照片和视频，可以提供。", "这事已经拖了{months}了。"),
    "medical": ("村里好多老人都去那里看病，出了事谁负责？", "{I}手上有他开的药和收费单据。", "这种人不管，迟早要出人命。"),
    "civil": ("为了这个官司，{I}家里已经花了好几万。", "{I}有全部的材料，可以随时提供。", "家里老人常年吃药，日子过得紧巴巴的。",
              "这件事压得{I}喘不过气来。"),
}
# Hard negatives: legal words used as threats or accusations in ordinary petitions; no case is ever opened.
LEGAL_THREATS = ("你们这就是诈骗！", "我已经咨询过律师了，再不解决我就去法院起诉！", "这种行为涉嫌违法，请有关部门严肃处理！",
                 "这是赤裸裸的欺诈，我保留追究法律责任的权利。", "再这样拖下去我就报警，告他们敲诈！", "这跟抢钱有什么区别？简直是犯罪！",
                 "我要去法院告你们不作为！", "有人说这是违法的，叫我去起诉，可我只想让部门管一管。", "我不想打官司，就想让政府出面解决。",
                 "他们都说我可以去告，我不懂法，你们说这合不合法？", "这是违法犯罪行为，必须严惩！", "这就是敲诈勒索老百姓！",
                 "我要告他们侵权，告到他们关门为止！")
LAW_CITES = {
    "pre_filing": ("依据《刑事诉讼法》第一百一十二条，公安机关对于报案、控告，认为有犯罪事实需要追究刑事责任的时候，应当立案。",
                   "根据《刑事诉讼法》第一百一十三条，被害人认为公安机关对应当立案侦查的案件而不立案侦查的，有权向人民检察院提出。",
                   ("委托人认为，{party}的行为已涉嫌构成《刑法》{crime_art}规定的{crime}罪。", "needs_crime")),
    "in_proceedings": ("《刑事诉讼法》对侦查羁押期限有明确规定，本案久拖不决，已严重损害委托人的合法权益。",
                       "根据《民事诉讼法》的规定，适用普通程序审理的案件，应当在立案之日起六个月内审结。",
                       ("{party}的行为符合《刑法》{crime_art}规定的{crime}罪的构成要件，应当依法及时追诉。", "needs_crime")),
    "judgment_effective": ("委托人认为原判决存在“认定的基本事实缺乏证据证明”“适用法律确有错误”的情形，符合《民事诉讼法》规定的再审条件。",
                           "依据《刑事诉讼法》第二百五十二条，当事人及其近亲属对已经发生法律效力的判决，可以向人民法院或者人民检察院提出申诉。"),
    "enforcement": ("依据《民事诉讼法》的有关规定，发生法律效力的民事判决，当事人必须履行；一方拒绝履行的，对方可以申请人民法院执行。",
                    "被执行人有能力执行而拒不执行，情节严重的，已涉嫌《刑法》第三百一十三条规定的拒不执行判决、裁定罪。",
                    "根据《最高人民法院关于限制被执行人高消费及有关消费的若干规定》，被执行人不得乘坐飞机、购买不动产、购买非经营必需车辆。"),
    "exhausted": ("根据国家司法救助的有关规定，刑事案件被害人受到犯罪侵害致重伤或者严重残疾，因加害人没有赔偿能力无法获得赔偿，造成生活困难的，应当予以救助。",
                  "委托人已穷尽法律救济途径，但其合法权益至今未能实现。"),
}
LAWYER_TOPICS = {
    TA: "交通事故损害赔偿", PI: "被他人伤害", CF: "报案控告", CE: "申请执行", LOG: "林木被盗伐", MIN: "非法采矿侵权",
    MED: "遭受非法行医损害", "other": "民事纠纷",
}

# ---------------------------------------------------------------------------------------------------------------
# Domains. Each has case kinds (incidents), stage-specific fragments, which shared pools each stage draws on, online
# titles, very short versions, and where allowed an ordinary (administrative) variant.
# ---------------------------------------------------------------------------------------------------------------

DOMAINS = {
    TA: {
        "hardship": "injury",
        "kinds": ({"crime": "交通肇事", "incidents": (
            "{d0}，{victim}骑电动车在{road}被一辆{vehicle}撞倒，{injury}，在{hospital}住了{days}天院。",
            "{d0d}晚上，{victim}走路回家，在{village}路口被一辆{vehicle}撞了，司机当时下车看了一眼就开车跑了，车牌只记得是{plate}。",
            "{victim}开着自家的三轮车去{town}赶集，{d0}在{road}和{party}驾驶的{vehicle}（车牌{plate}）相撞，{injury}。",
            "{d0}，{party}酒后驾驶{vehicle}，在{road}把正在路边卖菜的{victim}撞倒，{injury}，花了医药费{med_amount}。",
            "{d0}，{victim}在{road}等红绿灯，被后面一辆{vehicle}追尾，人受了伤，车也报废了。",
            ("{d0d}凌晨，{victim}在{road}被一辆{vehicle}撞死了，家里留下两个孩子。", DEATH),
            "{victim}是在{d0}搭{party}的{vehicle}回村时出的事，车翻进了路边的沟里，{injury}。",
            "{d0}，{victim}在{town}中学门口过斑马线，被{party}驾驶的{vehicle}撞倒，{injury}，经鉴定为{grade}伤残。",
            "事故发生在{d0}，地点在{road}，对方是{party}开的{vehicle}，{victim}骑摩托车正常行驶，对方逆行撞了上来，{injury}。",
            "{d0d}下午，{victim}在{road}被{company}的一辆{vehicle}挂倒，车轮从腿上压了过去，{injury}。",
            "那天是{d0}，{victim}在外面打工回来，刚下大巴就被一辆{vehicle}撞了，{injury}，到现在还躺在床上。",
            "{d0}，{victim}开车在{road}正常行驶，被对向{party}驾驶的{vehicle}越线撞上，车里三个人都受了伤。",
        )},),
        "progress": {
            "pre_filing": (
                "到现在{months}了，{traffic_police}一直没出事故认定书，问就说还在调查。",
                "事故发生后报了警，交警说路口监控坏了，责任认定不下来，对方一分钱不给。",
                "肇事司机跑了，{traffic_police}说在查，到现在人也没抓到，一点进展都没有。",
                ("{I}要求交警按交通肇事罪立案，交警说伤情够不上刑事，不给立案。", CF),
                "交警出了认定书，说{victim}负同等责任，{I}不服，申请了复核，复核维持。",
                "对方的保险公司只肯赔交强险那点钱，剩下的说要打官司，{I}不懂法，不晓得去哪里告。",
                "交警组织调解了两次，对方只愿意出{small_amount}，调解不成，交警叫{I}自己去法院起诉。",
                "对方垫付了一点医药费就不管了，{I}想告他，可伤残鉴定还没做，律师说要等鉴定出来才能起诉。",
                ("交警来看了，拍了照，后来就没下文了。{I}去问了好几回，都说等等。", PLAIN),
            ),
            "in_proceedings": (
                "{I}已经向{court}起诉，案号{case_civil}，立案快一年了，开了一次庭就没动静了。",
                "司机{party}因交通肇事罪被刑事拘留，现在案子在{procuratorate}审查起诉，对方家属一直不来谈赔偿。",
                "官司打到{court}，对方保险公司申请重新鉴定，一拖就是大半年，{I}的医药费都是借的。",
                "一审判了，对方和保险公司都上诉了，现在在{mid_court}二审，{months}了还没开庭。",
                "法院立案后要做伤残鉴定，鉴定机构排到了几个月以后，承办法官说只能等。",
                "案子移送检察院后被退回补充侦查，{I}不知道还要等多久。",
                ("{I}找人写了状子交到法院，法院收了，说等通知开庭，等到现在。", PLAIN),
            ),
            "judgment_effective": (
                "{court}{d2}作出判决（{case_civil}），只判对方承担百分之六十的责任，赔偿{amount}，误工费、护理费都没支持，二审维持原判。",
                "判决认定{victim}没戴头盔要自负三成责任，撞人的是他，怎么还成了{I}的责任？",
                "{mid_court}二审改判，把赔偿减了一半，理由是伤残鉴定有问题，可鉴定是法院自己委托的。",
                "刑事判决只判了{party}{sentence}，撞死了人就判个缓刑？{I}向检察院申请抗诉，检察院不抗诉，判决生效了。",
                "判决书把{victim}认定成农村户口，按农村标准算赔偿，可{victim}在城里住了十几年，有居住证、有社保。",
            ),
            "enforcement": (
                ("{party}把肇事车辆过户给了亲戚，名下说是什么也没有，{court}执行了一年多，一分钱没执行到。", CE),
                ("法院判了保险公司在商业险范围内赔付，保险公司拖着不付，执行法官说在协调。", CE),
                ("执行法官说{party}在外地打工，找不到人，把案子给{I}终本了。", CE),
                ("肇事车是挂靠在{company}的，判决公司承担连带责任，公司却说早就注销了，执行局说查不到财产。", CE),
            ),
            "exhausted": (
                ("执行了几年，法院终本，恢复执行后又终本，司机{party}一分钱没给，{I}已经没有别的路可走。", CE),
                "这个案子{years}里打了三场官司，能走的程序都走完了，法院说已经终结。",
            ),
        },
        "pools": {"pre_filing": ("sue_pre",), "in_proceedings": ("civil_proc",), "judgment_effective": ("judg_civil",),
                  "enforcement": ("collect",), "exhausted": ("exh_dispute", "exh_collect")},
        "demands": {
            "pre_filing": ("督促交警尽快出具事故认定书", "依法对肇事司机立案，追究刑事责任", "尽快抓到逃逸司机", "重新做事故责任认定",
                           "让对方先垫付医药费"),
            "in_proceedings": ("督促法院尽快开庭审理，早日判决", "让检察院尽快起诉，别让肇事者逍遥法外", "加快伤残鉴定进度"),
            "judgment_effective": ("对本案依法再审，改判对方承担全部责任", "撤销原判，按城镇标准重新计算赔偿"),
            "enforcement": ("追加车主和挂靠公司为被执行人", "督促保险公司依判决赔付"),
            "exhausted": ("帮{I}解决实际困难，看病的钱实在没有着落了",),
        },
        "demand_pools": {"pre_filing": ("sue_pre",), "in_proceedings": ("proc",), "judgment_effective": ("judg",),
                         "enforcement": ("collect",), "exhausted": ("exh", "exh_dispute")},
        "titles": {
            "pre_filing": ("被车撞伤{months}，事故认定还没出", "肇事逃逸的司机到底抓不抓", "交通事故责任认定不公", "车祸赔偿不知道怎么起诉"),
            "in_proceedings": ("交通事故赔偿案拖了一年多", "撞人司机何时起诉"),
            "judgment_effective": ("交通事故判决不公", "车祸赔偿判得太少"),
            "enforcement": ("车祸赔偿款执行不到位", "交通事故赔偿执行难"),
            "exhausted": ("车祸致残，申请司法救助",),
        },
        "terse": {
            "pre_filing": ("出车祸{months}了，交警队还没出事故认定书，请督促。", "{victim}被{vehicle}撞了，司机跑了，交警到现在没抓到人。"),
            "in_proceedings": ("交通事故赔偿案在法院{months}了还没判，请法院抓紧。", "撞人的司机案子在检察院，迟迟不起诉。"),
            "judgment_effective": ("车祸赔偿判得太少，不服判决，申请再审。", "撞死人只判了缓刑，判决不公。"),
            "enforcement": (("车祸赔偿款判了{years}，一分没执行到，案号{case_exec}。", CE), ("催执行，交通事故赔偿，{party}就是不给钱。", CE)),
            "exhausted": ("车祸的官司都打完了，钱拿不到，申请司法救助。",),
        },
        "ordinary": {  # an accident handled without police or court: an administrative department is asked to act
            "issues": (
                ("{d0d}晚上，{I}开车经过{road}，路面有个大坑没有任何警示标志，车子压进去两个轮胎都爆了，修车花了{small_amount}。",
                 "路面坑洼致车辆受损，谁来赔", ("核实路面情况，赔偿{I}的损失", "尽快修补路面，设置警示标志")),
                ("{I}的车停在{street}的路边停车位上，{d0}被一辆公交车进站时剐蹭，当时双方都没报警，公交公司答应赔修车费，拖了一个月不付。",
                 "公交车剐蹭私家车，赔偿拖着不办", ("督促公交公司尽快赔付",)),
                ("{d0d}早上下霜，{I}开车在{road}过弯时打滑撞了护栏，人没事，公路部门要{I}赔护栏和施救费{small_amount}，不交就不给年检。",
                 "路政赔偿收费不合理", ("路政部门公开赔偿标准，按规定收费", "弯道结冰路段要设置警示标志")),
                ("{d0}，{victim}骑共享单车下坡时刹车失灵，撞在花坛上，门牙断了两颗，单车公司客服一直说在处理。",
                 "共享单车刹车失灵致人受伤", ("督促单车公司赔偿医药费", "加强共享单车的检修管理")),
                ("{victim}坐{street}的公交车，司机一边开车一边看手机，急刹车把几个老人都摔倒了，{victim}膝盖也磕破了。",
                 "公交司机开车看手机", ("调查处理这名司机", "加强公交驾驶员管理")),
                ("{d0}，跑{town}到县城的班车超速和{I}的面包车刮擦了一下，人没受伤，双方已经协商解决，可那个司机经常超员超速。",
                 "班车司机超速超员", ("核查这个司机的违规记录，加强对客运公司的管理",)),
            ),
            "progress": ("{I}联系过对方，对方说要走流程，一直没有回复。", "{I}打了12345，说转给了交通运输局。",
                         "{I}要求看赔偿标准和清单，对方拿不出来。", "对方客服每次都说已记录，等待处理。"),
            "demands": ("交通运输局调查处理", "给{I}一个答复"),
            "terse": ("{road}上有个大坑，{I}的车爆了胎，要求公路部门赔偿。", "公交车剐了{I}的车，公交公司答应赔又不赔。"),
            "depts": ("交通运输局", "公路局", "运管所", "交通运输局"),
        },
    },
    PI: {
        "hardship": "injury",
        "kinds": ({"crime": "故意伤害", "incidents": (
            "{d0}，{victim}因为宅基地的事和邻居{party}吵了几句，{party}拿锄头把{victim}的头打破了，缝了{stitches}针。",
            "{victim}在{town}街上摆摊，{party}喝了酒过来找茬，一拳把{victim}的鼻梁骨打断了。",
            "{d0d}晚上，{victim}在{village}村口被{party}等三四个人围着打，{injury}。",
            "{party}因为工钱的事和{victim}起了争执，抄起钢管打在{victim}腿上，{injury}。",
            "{victim}去找{party}要欠款，被{party}和他儿子推倒在地，{injury}，经鉴定为轻伤二级。",
            "{d0}，{party}说{victim}家的鸡吃了他家的菜，上门把{victim}打了一顿，{injury}。",
            "{I}家孩子在{town}读初中，{d0}放学时被几个社会青年拦在校门口打，{injury}。",
            "{d0}，{victim}开车和{party}的车发生刮擦，{party}下车就动手，把{victim}打得{injury}。",
            "村里修路占地，{party}带人把{victim}推倒在地，{injury}。",
            "{victim}在{town}的饭店吃饭，被邻桌的{party}拿啤酒瓶砸了头，{injury}。",
            "{party}和{victim}家是亲戚，两家为老人赡养的事闹翻了，{d0}他又上门把{victim}打得{injury}。",
            "{d0}，{victim}在工地上跟包工头{party}要工钱，被他手下的人拖到板房里打了一顿，{injury}。",
        )},),
        "progress": {
            "pre_filing": (
                ("派出所说伤情只是轻微伤，够不上刑事案件，罚了{party}五百块钱就放了。", CF),
                ("鉴定结果出来是轻伤二级，够立案了，可{police}就是拖着不立案。", CF),
                ("{party}家里有亲戚在公安局上班，派出所到现在连笔录都没给{party}做。", CF),
                "伤情鉴定做了两个月还没出结果，派出所说要等鉴定出来才能决定怎么处理。",
                "派出所组织调解，{party}只愿意赔{small_amount}，{I}不同意，派出所让{I}自己去法院告。",
                ("{I}报了警，派出所的人来看了看就走了，打人的到现在啥事没有。", CF, PLAIN),
            ),
            "in_proceedings": (
                ("{police}立案了，可{party}一直没被抓，听说跑到外地去了。", CF),
                "{court}已经开庭，{party}拒不认罪，说是{victim}先动的手，法院到现在还没判。",
                "{I}起诉{party}要求赔偿，法院立案了，{party}申请重新鉴定，又拖了几个月。",
            ),
            "judgment_effective": (
                "{court}判{party}{sentence}，只赔了{amount}，{victim}落下了残疾，判得太轻了。",
                "民事判决只支持了医药费，后续治疗费、残疾赔偿金都没判，判决已经生效，{I}想申请再审。",
                "法院认定{victim}也有过错，说是互殴，{I}坚决不服，{victim}根本没还手。",
            ),
            "enforcement": (
                ("附带民事判决赔偿的{amount}，{party}坐完牢出来说没钱，法院执行了两年只执行到{small_amount}。", CE),
            ),
            "exhausted": (),
        },
        "pools": {"pre_filing": ("police_pre", "sue_pre"), "in_proceedings": ("crime_proc", "civil_proc"),
                  "judgment_effective": ("judg_crim", "judg_civil"), "enforcement": ("collect",),
                  "exhausted": ("exh_dispute", "exh_collect")},
        "demands": {
            "pre_filing": ("依法立案，追究{party}故意伤害的刑事责任", "尽快出伤情鉴定结果", "重新做伤情鉴定"),
            "in_proceedings": ("尽快抓捕{party}", "依法从重判处打人者"),
            "judgment_effective": ("依法再审，认定{party}故意伤害，不是互殴",),
            "enforcement": (),
            "exhausted": (),
        },
        "demand_pools": {"pre_filing": ("police_pre", "sue_pre"), "in_proceedings": ("proc",),
                         "judgment_effective": ("judg",),
                         "enforcement": ("collect",), "exhausted": ("exh", "exh_dispute")},
        "titles": {
            "pre_filing": ("被人打伤，派出所不立案", "打人者逍遥法外", "轻伤二级为何不立案", "报警没人管"),
            "in_proceedings": ("打人的嫌疑人为何不抓", "故意伤害案迟迟不判"),
            "judgment_effective": ("打人者判得太轻", "把故意伤害判成互殴，不公"),
            "enforcement": ("被打伤的赔偿款执行不到",),
            "exhausted": ("被打致残，走投无路",),
        },
        "terse": {
            "pre_filing": (("{victim}被人打伤，派出所不立案。", CF), ("被{party}打成轻伤，报警{months}了还没立案。", CF)),
            "in_proceedings": ("打人的{party}取保了，案子一直不起诉。", ("伤害案立案{months}了，人还没抓到。", CF)),
            "judgment_effective": ("打人的只判了缓刑，不服，要求抗诉。",),
            "enforcement": (("被打伤判的赔偿款{years}没执行到。", CE),),
            "exhausted": ("被打残的案子再审被驳回了，生活困难，申请救助。",),
        },
        "ordinary": {  # harm the petitioner takes to an administrative department, not to the police
            "issues": (
                ("{I}家孩子在{school}上学，{d0}课间被同学从楼梯上推下来，{injury}，学校说是学生打闹，对推人的孩子也没有任何处理。",
                 "孩子在学校被推下楼梯，学校不管", ("教育局督促学校调查处理，加强课间管理",)),
                ("{I}家老人住在{county}福康养老院，{I}去看的时候发现身上好几块青紫，老人说是护工嫌他尿床拿拖鞋打的。",
                 "养老院护工打老人", ("民政局查处这家养老院，辞退打人的护工",)),
                ("小区保安和{victim}因为停车起了冲突，保安把{victim}推倒在地，{injury}，物业说保安是外包公司的，他们不管。",
                 "小区保安推人致伤", ("住建局督促物业处理，赔偿医药费",)),
                ("城管执法时推搡{victim}，{victim}摔倒在地，手腕骨折，城管说是{victim}自己没站稳。", "城管执法推人致伤",
                 ("城管局调查处理执法人员，赔偿医药费",)),
                ("{I}家孩子在幼儿园被老师罚站，还打了手心，手都肿了，园长说老师是为孩子好。", "幼儿园老师体罚孩子",
                 ("教育局对体罚孩子的老师严肃处理",)),
                ("{victim}在{town}卫生院输液，和护士起了争执，被医院保安拉扯摔伤了。", "卫生院保安拉扯病人致伤",
                 ("卫健局调查处理，给{I}一个说法",)),
            ),
            "progress": ("{I}找了对方单位，对方推卸责任。", "{I}不想报警把事闹大，就想讨个说法。", "对方说监控坏了，调不出来。",
                         "打了12345，说转给了主管部门，到现在没回音。", "{I}不想打官司，只希望主管部门管一管。"),
            "demands": ("主管部门调查处理", "给{I}一个说法"),
            "terse": ("孩子在学校被同学推下楼梯摔伤，学校不管，请教育局处理。", "养老院护工打老人，请民政局查处。"),
            "depts": ("教育局", "民政局", "住建局", "城管局", "卫健局"),
        },
    },
    CF: {
        "hardship": "money",
        "kinds": (
            {"crime": "诈骗", "incidents": (
                "{d0}，{victim}在网上认识一个自称做投资的人，说带着炒外汇，前后转了{amount}，后来人就联系不上了。",
                "{party}以帮{I}儿子安排工作为由，收了{I}{amount}，事没办，钱也不退，人也躲着不见。",
                "{d0}有人冒充公安打电话，说{I}涉嫌洗钱，让{I}把钱转到“安全账户”，一共转了{amount}。",
                "{party}说他能办低价的拆迁安置房，{I}和村里好几户都交了钱，结果房子根本不存在。",
            )},
            {"crime": "盗窃", "incidents": (
                "{d0d}夜里，{I}的{shop}被人撬门偷了，现金和烟酒加起来{amount}，监控拍到了人。",
                "{I}停在{village}工地上的挖机被人偷偷开走了，值{amount}，GPS显示车在外县。",
            )},
            {"crime": "合同诈骗", "incidents": (
                "{party}以{company}的名义和{I}签了供货合同，拿走了{amount}的货，付款的承兑汇票是假的，人跑了。",
                "{party}和{I}签了合作协议，收了{amount}的加盟费，说好的设备一台都没给，公司地址也是假的。",
            )},
            {"crime": "非法吸收公众存款", "incidents": (
                "{town}有个叫{company}的公司，说存钱每月给百分之二的利息，村里好多老人都存了，{victim}存了{amount}，现在老板跑了。",
            )},
            {"crime": "职务侵占", "incidents": (
                "{victim}和别人合伙开厂，会计{party}私自把厂里的{amount}转到自己账户上，账本也被他拿走了。",
            )},
            {"crime": "敲诈勒索", "incidents": (
                "{d0}，{party}带了几个人把{I}堵在家里，逼{I}写了一张{amount}的欠条，不写就不让走。",
                "{party}拿着{I}的私人照片威胁，说不给{amount}就发到网上。",
            )},
            {"crime": "故意毁坏财物", "incidents": (
                "{d0d}半夜，{I}家鱼塘被人投了毒，死了几千斤鱼，{I}怀疑是跟{I}家有过节的{party}干的，有人看见他那晚在塘边。",
                "{party}因为地界纠纷，夜里把{I}家的蔬菜大棚全部划烂了，损失{amount}。",
            )},
        ),
        "progress": {
            "pre_filing": (
                "{I}{d1}到{police}报案，民警说这是经济纠纷，让{I}去法院起诉，不给立案。",
                "派出所接了报案，说要初查，已经{months}了，没有立案也没有不立案的通知书。",
                "{I}要求出具不予立案通知书，派出所也不给出。",
                "{police}作出了不予立案决定，{I}申请复议，复议维持，现在{I}准备去{procuratorate}申请立案监督。",
                "报了警，警察说金额不够，不立案。",
                ("{I}去报案，值班民警连笔录都不做，叫回去等通知。", PLAIN),
                ("找了派出所好几回，人家说这事他们不管，叫{I}自己想办法。", PLAIN),
            ),
            "in_proceedings": (
                "{police}{d1}立案了，可一年多了嫌疑人一个都没抓到，办案民警换了三个。",
                "检察院立案监督以后公安才立的案，立了案又没有下文了。",
                "嫌疑人被抓后取保候审，案子就一直挂着。",
                "{I}每次打电话问办案民警，都说在侦查，让{I}等。",
                "案子移送起诉后被检察院退回补充侦查两次，现在又回到了公安。",
                ("公安说立案了，可钱一分没追回来，人也没抓到。", PLAIN),
            ),
            "judgment_effective": (
                "公安不立案，{I}就向{court}提起了刑事自诉，法院以证据不足裁定不予受理，{I}上诉后{mid_court}维持，裁定已经生效。",
                "{I}自诉到法院，法院说不属于自诉案件的范围，驳回了{I}的起诉，裁定已经生效。",
                "公安不管，{I}自己把{party}告到法院，法院审了以后判{party}无罪，判决生效了，{I}想不通。",
                ("派出所不管，{I}自己去法院告，法院也不收，说证据不够，{I}再上诉也没用。", PLAIN),
            ),
            "enforcement": (
                ("{I}申请执行后，{party}把房子、车子都转到了别人名下，法院把拒不执行判决的线索移送给{police}，公安到现在不立案。", CE),
                ("{I}向公安控告{party}拒不执行判决、裁定，公安说执行的事归法院，不予立案。", CE),
                ("诈骗案判了，判决责令退赔{amount}，可退赔款一直没发还，公安说赃款移交法院了，法院说没收到。", CE),
                ("执行法官让{I}去公安报拒执罪，公安让{I}找法院，两边推来推去。", CE),
            ),
            "exhausted": (
                "公安不立案，检察院立案监督也说公安不立案的理由成立，{I}自诉到法院又被驳回，所有的路都走了。",
                "{procuratorate}的答复是不支持监督，市检察院复核也维持，{I}没有办法了。",
                "这个案子公安、检察院、法院{I}都找遍了，每家都作了处理决定，就是没人立案。",
                ("派出所不管，检察院也不管，法院也不收，{I}一个老百姓还能去哪里？", PLAIN),
            ),
        },
        "pools": {"pre_filing": ("police_pre",), "in_proceedings": ("crime_proc",), "judgment_effective": (),
                  "enforcement": (), "exhausted": ()},
        "demands": {
            "pre_filing": ("依法立案，把骗子抓起来，追回{I}的钱", "出具书面的不予立案通知书"),
            "in_proceedings": ("督促公安加快侦查，早日抓获嫌疑人", "尽快移送起诉", "追回被骗的钱款"),
            "judgment_effective": ("撤销不予受理裁定，依法受理{I}的自诉", "检察院依法监督，督促公安立案侦查"),
            "enforcement": ("公安依法对{party}拒不执行判决、裁定立案侦查", "尽快发还退赔款", "公检法协调，把这事办了"),
            "exhausted": ("上级检察院重新审查不立案的决定", "给予{I}司法救助"),
        },
        "demand_pools": {"pre_filing": ("police_pre",), "in_proceedings": ("proc",), "judgment_effective": ("judg",),
                         "enforcement": (), "exhausted": ("exh", "exh_dispute")},
        "titles": {
            "pre_filing": ("被骗{amount}，报案不立案", "派出所说是经济纠纷不立案", "请求立案监督", "报案{months}不立案，谁来管？"),
            "in_proceedings": ("立案一年多，嫌疑人一个没抓到", "案件侦查没有任何进展"),
            "judgment_effective": ("公安不立案，自诉又被驳回", "自诉被驳回，申请再审"),
            "enforcement": ("老赖拒不执行，公安为何不立案", "退赔款何时发还"),
            "exhausted": ("立案监督被驳回，申请复查",),
        },
        "terse": {
            "pre_filing": ("被骗{amount}，报案{months}了不给立案。", "派出所说是经济纠纷不立案，要求立案。"),
            "in_proceedings": ("诈骗案立案一年多了，没抓到一个人。",),
            "judgment_effective": ("公安不立案，自诉又被法院驳回，要求再审。",),
            "enforcement": (("诈骗案判了，退赔款至今未发还。", CE), ("{party}拒不执行判决，公安不立案。", CE)),
            "exhausted": ("立案监督检察院不支持，已经没有路可走。",),
        },
    },
    CE: {
        "hardship": "money",
        "kinds": ({"crime": "", "incidents": (
            "{d0}{victim}借给{party}{amount}，有借条，到期不还。起诉到{court}后，法院判{party}还钱，案号{case_civil}。",
            "{victim}在{company}的工地干活，老板欠{victim}他们二十多个人工资共{wage_amount}，劳动仲裁委裁决支付（{award_no}），公司不给。",
            "{victim}给{party}装修房子，工程款{amount}一直不给，官司打赢了，判决{d2}就生效了。",
            "离婚时法院判孩子跟{I}，{party}每月给抚养费{small_amount}，他几年来一分没给过。",
            "{victim}开的店给{party}供了两年的货，欠下货款{amount}，法院出的调解书写明分三期付清，他一期都没付。",
            ("{victim}{d0}被{party}开车撞伤，法院判赔{amount}，判决{d2}生效。", TA),
            ("{victim}被{party}打成{grade}伤残，法院判决赔偿{amount}。", PI),
            "{victim}把门面租给{party}开饭馆，欠了两年房租{amount}，法院判决解除合同、支付租金。",
            "{victim}买了{company}开发的商品房，开发商逾期交房，法院判决支付违约金{amount}。",
            "{victim}是{company}的员工，公司欠工资和经济补偿{wage_amount}，劳动仲裁裁决公司支付，裁决已经生效。",
            "{party}承包了{I}家的鱼塘，承包费拖欠{amount}，法院判了他必须付。",
            "{victim}在{party}那里入股做生意，后来散伙，法院判他退还股金{amount}。",
        )},),
        "progress": {
            "enforcement": (
                "{I}{d3}向{court}申请强制执行，执行案号{case_exec}，到现在{months}了一分钱没拿到。",
                "执行法官说{party}名下没有财产，让{I}自己找线索，{I}找到了他在外地买的房子，法院也不去查封。",
                "法院{d3}裁定终结本次执行程序，{I}不同意终本，{party}明明有钱，天天开着好车。",
                "{party}被列为失信被执行人了，可照样坐高铁、住酒店，朋友圈天天晒吃喝。",
                "执行款法院已经执行到了{small_amount}，可一直没有发给{I}，问执行法官说要走审批流程。",
                "执行法官换了三个，每换一个就要从头开始，{I}的案子一直拖着。",
                "{party}把钱转到他小舅子的公司，{I}申请追加被执行人，法院一直不审查。",
                ("判决生效后{I}不懂要申请执行，以为法院会自己去要，现在才晓得要申请，不知道还来不来得及。", SOLO),
                "法院查封了{party}的房子，说要拍卖，一年了也没挂网。",
                "公司老板把设备搬空，换个名字又开了一家厂，法院说两个公司不是一回事，执行不了。",
                ("法院说在办，可一年了一分钱也没见着，{I}去问，人家就说等。", PLAIN),
            ),
            "exhausted": (
                "{court}早在{d3}就终本了，{I}申请恢复执行，又终本，前后{years}，{I}提供的线索法院都说查过了。",
                "{I}已经向市里、省里的法院反映过，答复都是“已穷尽财产调查措施”，信访事项也已经终结。",
                "案子执行了好多年，{party}已经去世了，名下什么也没有，法院说只能终结执行。",
            ),
        },
        "pools": {"enforcement": ("collect",), "exhausted": ("exh_collect",)},
        "demands": {
            "enforcement": ("督促{court}尽快执行到位", "查封{party}的房产、车辆，依法拍卖", "对{party}采取拘留措施",
                            "追加{party}的家属和关联公司为被执行人", "把已经执行到的钱尽快发给{I}", "依法追究{party}拒不执行判决的刑事责任",
                            "更换执行法官，查一查有没有消极执行", "告诉{I}怎么申请执行"),
            "exhausted": ("上级法院提级执行", "给予{I}国家司法救助", "再查一次{party}的财产"),
        },
        "demand_pools": {"enforcement": ("collect",), "exhausted": ("exh",)},
        "titles": {
            "enforcement": ("判决生效{years}，一分钱没执行到", "劳动仲裁裁决生效，公司就是不给钱", "申请执行{months}没进展",
                            "老赖转移财产，法院不管"),
            "exhausted": ("终本{years}，申请司法救助", "执行无果，求领导关注"),
        },
        "terse": {
            "enforcement": ("催执行，案号{case_exec}，{years}没动静。", "申请执行{months}了，一分钱没拿到。",
                            "劳动仲裁裁决生效了，公司不给钱，法院执行不动。", "催执行！{party}有钱不还。"),
            "exhausted": ("终本{years}了，恢复执行也没用，申请司法救助。",),
        },
    },
    LOG: {
        "hardship": "forest",
        "kinds": (
            {"crime": "盗伐林木", "incidents": (
                "{village}后山最近有人砍树，砍的都是{I}家承包林地里的{tree}，少说有{n_trees}棵。",
                "{d0}以来，有人在{town}{village}的生态公益林里偷偷砍树，晚上用拖拉机往外拉。",
                "{d0}，{party}趁{I}在外打工，把{I}家自留山上的{n_trees}棵{tree}全砍了，拉去木材厂卖了。",
                "护林员{party}自己就在偷砍，拉出去的木头一车一车的。",
                "木材加工厂的老板{party}收购没有采伐证的木头，村里好多人半夜上山偷砍。",
                "{party}把{I}家祖坟山上一棵上百年的古{tree}挖走卖给了城里的绿化公司。",
            )},
            {"crime": "滥伐林木", "incidents": (
                "{party}以修路为名，把集体山上{mu}亩的{tree}砍光了，木头全拉去卖了。",
                "{party}办了几十方的采伐证，实际砍了好几倍，整片山都剃了光头。",
                "有人在{river}边的防护林里砍树烧炭，已经砍了{mu}亩。",
                "林区里有人把天然林砍了改种桉树，毁林开荒{mu}亩。",
                "{company}修光伏电站，没办林地审批就推平了{mu}亩山林。",
                ("{party}的采石场越界开采，把{I}家山上的{tree}推倒了一大片。", MIN),
            )},
        ),
        "progress": {
            "pre_filing": (
                ("{I}报了警，{police}说数量不够立案标准，不予立案。", CF),
                "林业局罚了款就完事了，{I}要求移送公安追究刑事责任，林业局一直不移送。",
                ("{I}打了110，派出所说林木的事找林业局，林业局说够刑事了找公安，两边推。", CF),
            ),
            "in_proceedings": (
                "{police}立案了，{party}被抓了又放了，说是取保候审，现在又在山上砍。",
                "林业局说案子已经移送公安，公安立案后说要鉴定林木蓄积量，一拖就是半年。",
                "法院开庭了，{party}说是有采伐证的，到现在还没判。",
            ),
            "judgment_effective": (
                "{court}以滥伐林木罪判了{party}{sentence}，判决已经生效，可判决没有要求补种，山到现在还是光秃秃的。",
                "判决认定砍伐的蓄积量只有十几立方，实际上远远不止，{I}认为判决认定事实错误。",
                "刑事判决只判了{party}的刑，{I}家被砍的林木损失一分没判。",
            ),
            "enforcement": (
                ("判决要求{party}补植{n_trees}株树苗，一年多了一棵没种，法院说补植不归执行局管。", CE),
                ("附带民事判决赔偿{I}家林木损失{amount}，{party}说没钱，法院执行不到。", CE),
            ),
            "exhausted": (),
        },
        "pools": {"pre_filing": ("police_pre",), "in_proceedings": ("crime_proc",),
                  "judgment_effective": ("judg_crim",), "enforcement": ("collect",),
                  "exhausted": ("exh_dispute", "exh_collect")},
        "demands": {
            "pre_filing": ("公安依法立案，追究{party}{crime}的刑事责任", "把案子移送公安机关"),
            "in_proceedings": ("尽快起诉审判，不能让他再砍了",),
            "judgment_effective": ("依法再审，重新认定林木损失", "判令补种复绿"),
            "enforcement": ("督促{party}补植复绿", "把林木损失赔偿款执行到位"),
            "exhausted": (),
        },
        "demand_pools": {"pre_filing": ("police_pre",), "in_proceedings": ("proc",), "judgment_effective": ("judg",),
                         "enforcement": ("collect",), "exhausted": ("exh", "exh_dispute")},
        "titles": {
            "pre_filing": ("{village}山林被盗伐，公安不立案", "盗伐林木为何不立案", "派出所为什么不给立案"),
            "in_proceedings": ("盗伐林木案久拖不决",), "judgment_effective": ("滥伐林木案判决不公",),
            "enforcement": ("判决补植复绿为何不落实",), "exhausted": ("林木被毁，求个说法",),
        },
        "terse": {
            "pre_filing": (("有人盗伐{I}家山上的树，报警了派出所不立案。", CF),),
            "in_proceedings": ("盗伐林木案立案{months}了没进展。",),
            "judgment_effective": ("滥伐林木判得太轻，林子没人补种，不服判决。",),
            "enforcement": (("盗伐案判的赔偿和补种都没执行。", CE),),
            "exhausted": ("林木被盗伐的案子告到省里都驳回了，求个说法。",),
            "none": ("{village}后山有人乱砍树，请林业局来查。", "{village}的公益林被人砍了一大片，没人管。"),
        },
        "ordinary": {
            "issues": (),  # the domain's own incidents, told to the forestry administration
            "progress": ("{I}给林业站打过电话，说会来看，一直没人来。", "{I}向镇政府反映过，镇里说归林业局管。", "护林员说这事他管不了。",
                         "去林业局举报，林业局说要核实，核实了{months}。", "林业局来人看了，说是合法采伐，可{I}要看采伐证他们又不给看。"),
            "demands": ("林业局派人现场查处", "查一查有没有采伐证", "责令补种，恢复植被", "加强巡山管护",
                        "公开采伐审批信息", "对乱砍滥伐的依法处罚"),
            "titles": ("举报{village}有人乱砍滥伐", "公益林被砍，林业局管不管", "山上的树快被砍光了"),
            "depts": ("林业局", "林业站", "自然资源局"),
        },
    },
    MIN: {
        "hardship": "land",
        "kinds": ({"crime": "非法采矿", "incidents": (
            "{river}上有人半夜开钩机挖河沙，河床挖得坑坑洼洼，河堤都塌了一段。",
            "{village}后山有个采石场，没有采矿证，天天放炮，{I}家房子的墙都震裂了。",
            "{party}在{village}的承包地里挖煤，挖出来的坑有十几米深。",
            "有人在{town}的山上偷采稀土，用池子浸矿，下游的田都种不了庄稼了。",
            "{party}借着平整土地的名义，挖了几万方砂石拉出去卖。",
            "{company}的采矿证早就过期了，还在继续开采，一天几十车石头往外拉。",
            ("{party}超出采矿许可范围开采，一直挖到{I}家的林地里，树倒了一片。", LOG),
            "{river}边的砂场白天停工晚上干，拉沙的大货车把村道都压坏了。",
            "组里的集体山被{party}私自卖给老板开采铁矿，组里的人一分钱也没分到。",
            "有人在{river}里用船淘金，河水都搅浑了，鱼都死了。",
        )},),
        "progress": {
            "pre_filing": (
                ("{I}向{police}报案，说{party}非法采矿够刑事了，派出所说要等自然资源局出价值认定，一直不立案。", CF),
                "自然资源局罚了款，说数量达到了刑事标准，要移送公安，可一直没有移送。",
                ("村民们去拦车，{party}的人把{victim}打伤了，派出所到现在也没处理。", PI, CF),
            ),
            "in_proceedings": (
                "公安立案了，扣了两台挖机，可{party}交了保证金又放了，挖机也还回去了。",
                "案子到了检察院，说矿产价值鉴定有问题，退回补充侦查。",
                "法院开庭审了{party}非法采矿的案子，{I}家被毁的地怎么赔，没人提。",
            ),
            "judgment_effective": (
                "判决只判了{party}罚金，没判恢复土地，{I}认为判得不对。",
                "{I}不服{court}的判决，判决认定的非法采矿量比实际少了一大半。",
            ),
            "enforcement": (
                ("判决{party}承担生态修复费用{amount}，到现在一分没交，被挖的地还是个大坑。", CE),
            ),
            "exhausted": (),
        },
        "pools": {"pre_filing": ("police_pre",), "in_proceedings": ("crime_proc",),
                  "judgment_effective": ("judg_crim", "judg_civil"), "enforcement": ("collect",),
                  "exhausted": ("exh_dispute", "exh_collect")},
        "demands": {
            "pre_filing": ("公安依法对{party}非法采矿立案侦查",),
            "in_proceedings": ("依法追究{party}的刑事责任，没收采砂设备",),
            "judgment_effective": ("重新认定非法采矿数量，依法改判",),
            "enforcement": ("督促{party}恢复被挖的土地",),
            "exhausted": (),
        },
        "demand_pools": {"pre_filing": ("police_pre",), "in_proceedings": ("proc",), "judgment_effective": ("judg",),
                         "enforcement": ("collect",), "exhausted": ("exh", "exh_dispute")},
        "titles": {
            "pre_filing": ("非法采矿，报案不立案", "偷挖矿产没人管"), "in_proceedings": ("非法采矿嫌疑人取保后继续开采",),
            "judgment_effective": ("非法采矿判得太轻",), "enforcement": ("生态修复费判了不执行",),
            "exhausted": ("采石场毁地，申请救助",),
        },
        "terse": {
            "pre_filing": (("非法采砂举报到公安，一直不立案。", CF),),
            "in_proceedings": ("非法采矿案嫌疑人取保后又在挖。",),
            "judgment_effective": ("非法采矿只判了罚金，不服判决。",),
            "enforcement": (("非法采矿判的生态修复费一直没执行。", CE),),
            "exhausted": ("采石场毁了{I}家的地，官司打完了也没赔，申请救助。",),
            "none": ("{river}有人半夜偷挖河沙，请派人查处。", "{village}后山的采石场没证开采，天天放炮。"),
        },
        "ordinary": {
            "issues": (),
            "progress": ("{I}向自然资源局举报过，来人看了一下，走了以后照挖不误。", "镇里说已经打击过了，可过几天又开始了。",
                         "水利局说河沙归他们管，自然资源局说矿归他们管，互相推。", "晚上打电话举报，等执法队到了，人早跑了。"),
            "demands": ("自然资源局依法查处，没收开采设备", "加强巡查，别让他们晚上偷偷干", "责令恢复被破坏的土地",
                        "关停非法开采点", "查一查采矿证是怎么批下来的"),
            "titles": ("{river}有人偷挖河沙", "无证采石场天天放炮", "稀土偷采污染农田，谁来管"),
            "depts": ("自然资源局", "水利局", "国土所", "生态环境局"),
        },
    },
    MED: {
        "hardship": "injury",
        "kinds": ({"crime": "非法行医", "stages": ("pre_filing", "in_proceedings", "judgment_effective"), "incidents": (
            "{village}有个叫{party}的人，没有医师证，在家里开了个诊所，给人打针输液。",
            "{clinic}给孕妇做B超鉴定胎儿性别，还私下做引产手术。",
            "{clinic}的“医生”是个退休的兽医，给人看病开药。",
        )}, {"crime": "非法行医", "incidents": (
            ("{victim}在{clinic}输液后出现过敏休克，抢救了三天，后来才知道{clinic}的老板根本没有行医资格。", PI),
            ("{d0}，{victim}在{clinic}做双眼皮、打玻尿酸，结果感染了，眼睛肿得睁不开，那里根本没有医疗资质。", PI),
            ("{party}自称祖传老中医，在集市上卖“神药”，说能治糖尿病、高血压，{victim}吃了半年，肾出了问题。", HARM),
            ("{victim}在{clinic}拔牙，那个“牙医”连执照都没有，把{victim}的神经弄伤了。", HARM),
            ("{d0}，{victim}在{party}开的黑诊所输液后死亡，{party}当天就关门跑了。", PI, DEATH),
            ("有人上门推销“理疗”，说能治腰椎病，给{victim}做针灸把神经扎伤了。", HARM),
            ("{victim}在网上约了一个医美工作室抽脂，做完就大出血，住进了{hospital}。", PI),
        )},),
        "progress": {
            "pre_filing": (
                ("{I}报了警，派出所说是医疗纠纷，叫{I}去找卫健局，不立案。", CF),
                "卫健局说已经够非法行医罪了，要移送公安，可公安那边还没立案。",
                "{I}想起诉{party}赔偿，不知道该告诊所还是告他个人。",
            ),
            "in_proceedings": (
                "公安以非法行医罪立案了，{party}被取保候审，诊所换了个地方继续开。",
                "案子到法院了，{party}请了律师，说是{victim}自己体质的问题。",
                "医疗损害鉴定做了大半年还没结论。",
            ),
            "judgment_effective": (
                "{party}只被判了{sentence}，出来以后又在别的村开诊所。",
                "民事判决认定{victim}自身有过错，只判{party}承担一半责任，{I}不服。",
            ),
            "enforcement": (
                ("法院判{party}赔偿{amount}，已经申请执行半年，{party}换了个地方继续开诊所，每天现金收款，法院却说查不到他的存款。", CE),
            ),
            "exhausted": (),
        },
        "pools": {"pre_filing": ("police_pre", "sue_pre"), "in_proceedings": ("crime_proc", "civil_proc"),
                  "judgment_effective": ("judg_crim", "judg_civil"), "enforcement": ("collect",),
                  "exhausted": ("exh_dispute", "exh_collect")},
        "demands": {
            "pre_filing": ("公安依法以非法行医罪立案", "追究{party}非法行医的刑事责任"),
            "in_proceedings": ("尽快审判，关掉这个黑诊所",),
            "judgment_effective": ("依法再审，判{party}承担全部责任",),
            "enforcement": ("去诊所现场查封，把钱执行回来",),
            "exhausted": (),
        },
        "demand_pools": {"pre_filing": ("police_pre", "sue_pre"), "in_proceedings": ("proc",),
                         "judgment_effective": ("judg",),
                         "enforcement": ("collect",), "exhausted": ("exh", "exh_dispute")},
        "titles": {
            "pre_filing": ("黑诊所害人，报警不立案", "非法行医为何不立案"), "in_proceedings": ("非法行医案一拖再拖",),
            "judgment_effective": ("非法行医判得太轻",), "enforcement": ("黑诊所赔偿款执行不到",),
            "exhausted": ("黑诊所害死人，求司法救助",),
        },
        "terse": {
            "pre_filing": (("{victim}在黑诊所被治坏了，报警不立案。", CF),),
            "in_proceedings": ("非法行医案开庭{months}了还没判。",),
            "judgment_effective": ("黑诊所老板只判了罚金，判得太轻。",),
            "enforcement": (("黑诊所致人伤残的赔偿款一直执行不到。", CE),),
            "exhausted": ("黑诊所的案子所有程序都走完了，钱没拿到，申请司法救助。",),
            "none": ("{village}有个没证的诊所天天给人输液，请卫健局取缔。", "举报{clinic}无证行医。"),
        },
        "ordinary": {
            "issues": (),
            "progress": ("{I}向卫健局打过电话，说会去查，可诊所照样开。", "卫生监督所来检查过一回，诊所关了几天又开了。",
                         "诊所老板说他有证，可{I}在网上查不到他的医师执业证书。", "市场监管局说医疗的事归卫健局。"),
            "demands": ("卫健局依法取缔这个黑诊所", "查一查这个人有没有行医资格", "卫生监督所加强检查", "对非法行医的依法处罚"),
            "titles": ("举报{village}黑诊所", "无证医美工作室害人", "假中医卖神药，谁来管"),
            "depts": ("卫健局", "卫生监督所", "市场监管局"),
        },
    },
    "other": {
        "hardship": "civil",
        "kinds": (
            {"crime": "", "incidents": (
                "{d0}{victim}借给同村的{party}{amount}，有借条，到期后{party}一直找理由不还。",
                "{I}和{party}离婚，为了孩子的抚养权和房子闹到了法院。",
                "{I}家和{village}村委会因为承包地有纠纷，村里单方面收回了{I}家的地。",
                "{I}{d0}买了{party}的二手房，交了{amount}的首付，对方反悔不卖了。",
                "{I}父亲去世后，兄弟几个因为老房子的继承打起了官司。",
                "{I}和{company}签了装修合同，装修质量问题一大堆，对方反过来告{I}欠装修款。",
                "{I}是{company}的小股东，公司几年不分红，账目也不公开。",
                "{victim}承包了村里的鱼塘，合同还没到期，村委会就要收回，两边打起了官司。",
                "{victim}在{company}买的车三天两头出毛病，4S店不给退换，{I}起诉了4S店。",
                "{victim}给{company}供了一批货，对方不付货款，反过来说货有质量问题。",
                "{victim}和邻居{party}因为宅基地的界址闹上了法庭。",
            )},
            {"crime": "", "incidents": (
                "{victim}在{company}干了{years}，{d0}被公司无故辞退，还扣着最后两个月的工资。",
                "{victim}在{company}上班时被机器压伤了手，公司不承认有劳动关系，说{victim}是临时工。",
                "{victim}在{company}干了好几年，公司一直没给交社保，离职时要求补偿，公司不同意。",
            ), "progress": {
                "pre_filing": ("{I}去劳动仲裁委申请仲裁，仲裁委说超过了仲裁时效，不予受理。", "{I}想申请劳动仲裁，可公司不给{I}开离职证明。"),
                "in_proceedings": ("劳动仲裁委受理后一直没开庭，说案子多要排队。", "仲裁裁决后公司不服，起诉到了{court}，案子还在审。"),
            }},
            {"crime": "", "incidents": (
                "{I}家的房子被列入征收范围，{I}对县政府作出的补偿决定不服，起诉了县政府。",
                "{victim}在工地上摔伤，申请工伤认定被人社局驳回，{I}起诉了人社局。",
            ), "progress": {
                "pre_filing": ("{I}到{court}递交行政起诉状，立案庭说超过了起诉期限，不收材料，也不出裁定。",),
                "in_proceedings": ("行政诉讼案件{court}已经立案，{months}了还没开庭。", "一审判{I}败诉，{I}上诉了，{mid_court}迟迟不审。"),
            }},
            {"crime": "", "stages": ("in_proceedings", "judgment_effective", "exhausted"), "incidents": (
                "{I}儿子{d0}被{police}以涉嫌诈骗抓了，{I}认为他是被人利用的，根本不知情。",
                "{I}哥哥做工程分包，因为上游拖欠工程款没能按期完工，被对方告成了合同诈骗。",
            ), "progress": {
                "in_proceedings": ("案子现在在{procuratorate}审查起诉，{I}请的律师说还在等。", "一审判了三年，家里已经上诉，二审还没开庭。"),
                "judgment_effective": ("一审、二审都判了有罪，判决已经生效，{I}不服，代他提出申诉。",
                                       "二审维持原判，可钱都用在了工地上，有票据、有发工资的记录，这是经济纠纷，不是诈骗。"),
                "exhausted": ("申诉到{mid_court}被驳回，又到省高院申诉也被驳回，检察院也不抗诉。",),
            }},
            {"crime": "", "incidents": (
                "{victim}在{hospital}做手术后出现并发症，{I}认为是医院的责任，和医院打起了医疗纠纷的官司。",
                "{victim}在{hospital}生孩子时大出血，{I}认为医院处置不当，起诉了医院。",
            )},
        ),
        "progress": {
            "pre_filing": (
                "{I}到{court}立案大厅递交起诉状，工作人员说不归法院管，不收材料也不出裁定。",
                "法院立案庭以超过诉讼时效为由不给立案。",
                ("{I}想起诉，可不知道该告谁、去哪个法院告。", SOLO),
                "律师费太贵，{I}请不起，申请法律援助又说{I}不符合条件。",
                "法院让双方先去调解，调解了两个月没有结果，也不给{I}立案。",
                ("{I}手里的证据就是一张收条，不知道够不够打官司。", SOLO),
            ),
            "in_proceedings": (),
            "judgment_effective": (),
            "exhausted": (),
        },
        "pools": {"pre_filing": ("sue_pre",), "in_proceedings": ("civil_proc",), "judgment_effective": ("judg_civil",),
                  "exhausted": ("exh_dispute",)},
        "demands": {
            "pre_filing": ("依法登记立案，或者出具不予受理的裁定", "给{I}安排法律援助律师"),
            "in_proceedings": ("督促法院在审限内依法审结",),
            "judgment_effective": (),
            "exhausted": (),
        },
        "demand_pools": {"pre_filing": ("sue_pre",), "in_proceedings": ("proc",), "judgment_effective": ("judg",),
                         "exhausted": ("exh", "exh_dispute")},
        "titles": {
            "pre_filing": ("法院不给立案，也不出裁定", "想起诉不知道怎么办"),
            "in_proceedings": ("案子超过审限还不判", "仲裁案一拖再拖"),
            "judgment_effective": ("民事判决不公，申请再审", "申诉：原判认定事实错误"),
            "exhausted": ("再审被驳回，检察院不抗诉，还能找谁",),
        },
        "terse": {
            "pre_filing": ("去法院起诉，立案庭不收材料。", "想起诉{party}，不知道该去哪个法院。"),
            "in_proceedings": ("官司立案{months}了，超过审限还没判。",),
            "judgment_effective": ("民事判决不公，要求再审。",),
            "exhausted": ("再审被驳回，检察院不抗诉，还要继续反映。",),
        },
    },
}

# Ordinary petitions (domain other, litigation ordinary, stage none), by topic. Each issue is (incident, online
# title, demands that fit it); a topic's "demands" are generic ones that fit any of its issues.
TOPICS = {
    "housing": {
        "issues": (
            ("{I}住在{community}，{d0}交的房，到现在{years}了房产证还办不下来，开发商说是土地款没交清。", "交房{years}了房产证还没办",
             ("督促开发商尽快办理房产证", "查清房产证办不下来的原因，给业主一个时间表")),
            ("{community}的电梯三天两头坏，上个月把一个老人关在里面一个多小时，物业说维修基金用不了。", "小区电梯天天坏",
             ("督促物业尽快维修电梯", "协调动用维修基金更换电梯")),
            ("{I}家楼上卫生间漏水，墙都泡发霉了，找楼上不理，找物业说不归他们管。", "楼上漏水没人管", ("协调楼上住户维修，赔偿{I}家的损失",)),
            ("物业公司把小区的绿地改成了停车位，每个月收{small_amount}，也没征求业主意见。", "物业把绿地改成收费车位",
             ("恢复绿地，取消收费停车位", "责令物业公司整改")),
            ("开发商{company}合同上写的{d0}交房，到现在延期一年多了，还是个框架。", "开发商延期交房",
             ("督促开发商尽快复工交房", "查一查预售资金有没有被挪用")),
            ("小区物业费一年涨了两次，服务越来越差，垃圾好几天不清。", "物业费乱涨价", ("核查物业收费是否合规", "责令物业公司整改")),
            ("小区业委会换届，物业公司插手选举，选出来的都是物业的人。", "业委会选举被物业操纵", ("街道办依法指导业委会重新选举",)),
            ("{I}买的房子交房后发现面积比合同少了三个多平方，开发商不认账。", "交房面积缩水", ("重新测绘面积，多退少补",)),
            ("小区的公共维修基金被物业挪用，业主要查账，物业不给查。", "维修基金去哪了", ("公开维修基金的使用情况", "审计物业公司的账目")),
            ("{I}租的公租房到期了，{dept}说{I}不符合条件要收回，{I}一家老小没地方住。", "公租房到期被收回",
             ("重新审核{I}家的公租房资格", "给{I}家宽限一段时间")),
        ),
        "progress": ("{I}打过12345，工单转给了{dept}，回复说已经协调，可问题一点没变。", "找物业好多次了，物业经理每次都说马上处理。",
                     "{I}去{dept}问，工作人员说这是民事纠纷，让业主自己协商。", "社区居委会来调解过一次，没有结果。",
                     "几十户业主联名写过信，到现在没有回音。"),
        "demands": ("{dept}派人来查一查", "依法依规处理，给业主一个说法"),
        "terse": ("{community}的电梯坏了半个月没人修。", "交房{years}了还办不了房产证，请住建局督促。"),
        "depts": ("住建局", "房管局", "街道办", "社区居委会"),
    },
    "demolition": {
        "issues": (
            ("{I}家在{village}的房子被列入征收范围，评估每平方才{price}元，周边的新房都卖到六七千了。", "拆迁补偿太低",
             ("按照市场价重新评估补偿", "公开评估报告")),
            ("旧城改造拆迁，{I}家{d0}就搬出去了，合同上的交房时间早就过了，安置房还没影子。", "安置房逾期还没交付",
             ("尽快交付安置房", "给出确切的交房时间表")),
            ("过渡安置费从去年开始就停发了，{I}一家在外面租房子，每个月房租{small_amount}。", "过渡费停发，租房都租不起",
             ("补发过渡安置费",)),
            ("征收办的人半夜给{I}家断水断电，逼{I}签字。", "征收办断水断电逼签", ("停止断水断电，保障{I}家正常生活", "查处违规的工作人员")),
            ("{I}家的猪圈、偏房没算进补偿面积，征收办说是违章建筑，可那是几十年前就有的。", "附属房屋不给补偿",
             ("把附属房屋纳入补偿范围",)),
            ("修高速公路征地，{I}家三亩田的青苗补偿款被村里扣了一半。", "青苗补偿款被截留", ("把被扣的补偿款发到户",)),
            ("拆迁补偿一户一个价，有关系的拿得多，老实人拿得少。", "拆迁补偿不公平", ("公开每户的补偿标准", "一视同仁，按统一标准补偿")),
            ("{I}家的老宅是祖上传下来的，没有房产证，征收办说只能按无证房屋补偿。", "老宅无证被压低补偿", ("按合法房屋认定补偿",)),
        ),
        "progress": ("找过征收办很多次，都说按政策办。", "{I}申请了信息公开，要看补偿方案，{dept}一直拖着不给。",
                     "镇里来人做工作，说再不签就要强拆。", "村干部说这是上面定的，他们也没办法。"),
        "demands": ("公开征收补偿方案", "依法依规解决{I}家的问题"),
        "terse": ("安置房超期{years}还没交，过渡费也停了。", "征收补偿评估太低，要求重新评估。"),
        "depts": ("征收办", "房屋征收与补偿办公室", "自然资源局", "镇政府", "住建局"),
    },
    "wages": {
        "issues": (
            ("{victim}在{company}承建的{community}项目工地干了{months}木工，包工头{party}欠工钱{wage_amount}，过年都回不了家。",
             "农民工工钱被拖欠", ("督促总包单位先行垫付", "劳动监察大队依法责令支付工钱")),
            ("{victim}和二十几个工友在{company}干活，公司拖欠了三个月的工资，老板说甲方没给钱。", "公司拖欠三个月工资",
             ("劳动监察大队依法责令公司支付工资",)),
            ("{victim}在{town}一家服装厂上班，厂子突然停工，老板跑了，工资、社保都没了着落。", "工厂停工老板跑路",
             ("先用欠薪保障金垫付工资", "帮工人们把血汗钱要回来")),
            ("{victim}在饭店当服务员，辞职的时候老板扣了一个月工资，说是押金。", "辞职被扣工资", ("把押金和扣的工资退回来",)),
            ("包工头{party}拿到工程款就跑了，电话也打不通，一个班组的钱都在他手上。", "包工头跑了，工钱谁给",
             ("督促总包单位先行垫付", "查一查这个项目有没有存农民工工资保证金")),
            ("{victim}在物流公司送快递，公司以各种名义罚款，一个月工资被扣掉一半。", "快递公司乱罚款", ("查处公司乱扣工资的行为",)),
            ("{victim}年纪大了在工地看门，老板说超过六十岁不算劳动关系，不给发工资。", "超龄看门不给工资", ("责令老板按约定支付工资",)),
            ("{victim}在{school}食堂做饭，外包公司已经{months}没发工资了。", "学校食堂外包公司欠薪", ("督促外包公司尽快发放工资",)),
        ),
        "progress": ("去劳动监察大队投诉过，监察大队说在调查。", "去找老板，老板避而不见，电话也不接。", "{I}打了12345，说转到了人社局。",
                     "老板写了欠条，说年底一定给，可到现在也没给。", "老板说要等上面拨款，让再等等。"),
        "demands": ("帮工人们把血汗钱要回来", "尽快处理，大家还要回家过年"),
        "terse": ("工地欠薪{wage_amount}，包工头跑了，请劳动监察处理。", "厂里三个月没发工资了。"),
        "depts": ("人社局", "劳动监察大队", "住建局"),
    },
    "pension": {
        "issues": (
            ("{I}今年满六十了，去办退休，社保局说{I}中间有{years}断缴，要补缴才能领。", "退休时才说社保断缴", ("允许{I}按政策补缴", "查清断缴原因")),
            ("{I}是企业退休职工，养老金算下来比同等条件的人少了好几百，{I}认为计算有误。", "养老金计算有误", ("重新核算养老金",)),
            ("{victim}八十多岁了，高龄补贴从去年起就停了，村里说是系统问题。", "高龄补贴停发", ("补发高龄补贴",)),
            ("{I}家是低保户，今年突然被取消了低保，说{I}家有车，那是儿子打工开的旧面包车。", "低保被取消", ("重新入户核查，恢复低保待遇",)),
            ("{I}在外地交了{years}的社保，回老家想转过来，两边都说要对方先办手续。", "社保转移办不了", ("尽快办理社保转移接续",)),
            ("{victim}在{hospital}住院花了{med_amount}，医保只报了三成，说有些药是自费的。", "住院报销比例太低", ("按政策重新核算报销",)),
            ("{I}是被征地农民，当年说好给办养老保险，到现在还没有办。", "被征地农民养老保险没落实", ("落实被征地农民养老保险",)),
            ("{I}家老人去世后，丧葬补助金一直没有领到。", "丧葬补助金领不到", ("尽快发放丧葬补助金",)),
            ("{I}是退役军人，今年的优抚金少发了。", "优抚金少发", ("核实并补发优抚金",)),
            ("{victim}是残疾人，两项补贴申请了半年还没批下来。", "残疾人补贴迟迟不批", ("尽快审批残疾人两项补贴",)),
        ),
        "progress": ("{I}到窗口问了好几次，每次都让补材料。", "镇上民政所说报上去了，县里还没批。", "打了12345，回复说按政策办理。",
                     "村干部说名额有限，让{I}明年再报。"),
        "demands": ("按政策给{I}解决", "给{I}一个书面答复"),
        "terse": ("高龄补贴停发一年了，请民政局核实。", "养老金算少了，要求重新核算。"),
        "depts": ("人社局", "社保局", "医保局", "民政局", "退役军人事务局"),
    },
    "schools": {
        "issues": (
            ("{I}家孩子今年上一年级，{I}家房子就在{school}对面，却被划到了三公里外的学校。", "学区划分不合理", ("重新核定学区",)),
            ("{school}每学期让家长交资料费、校服费，加起来一千多，也不开收据。", "学校乱收费", ("清退乱收的费用", "查处乱收费的责任人")),
            ("{school}的食堂饭菜量少价高，孩子天天回家说吃不饱，还吃出过虫子。", "学校食堂饭菜差", ("加强学校食堂管理", "市场监管部门检查食堂卫生")),
            ("{school}的老师在外面办补习班，上课不讲重点，逼孩子去他的补习班。", "老师有偿补课", ("查处老师有偿补课",)),
            ("{town}中心小学要撤并，村里的孩子以后要走十几里山路去镇上上学。", "村小撤并，孩子上学难", ("保留村小，或者安排校车接送",)),
            ("学校门口的接送车是一辆破面包车，每天挤二十几个孩子。", "接送车严重超载", ("整治非法接送车辆",)),
            ("孩子在{school}被老师当着全班的面骂，回家哭了好几天，不敢去学校。", "老师辱骂学生", ("对这个老师批评教育，向孩子道歉",)),
            ("{I}是随迁子女家长，在{county}打工{years}了，孩子上学要交一大堆证明，怎么都办不下来。", "随迁子女入学难",
             ("简化手续，解决随迁子女入学问题",)),
            ("幼儿园突然关门，交的一学期学费{small_amount}不退。", "幼儿园关门不退费", ("督促幼儿园退还学费",)),
        ),
        "progress": ("找过校长，校长说是教育局定的。", "{I}给教育局打过电话，说会调查。", "家长群里很多家长都有意见，可没人敢说。",
                     "班主任说是学校规定，他们也没办法。"),
        "demands": ("教育局调查处理", "给家长一个说法"),
        "terse": ("{school}乱收资料费，不开收据。", "孩子上学被划到三公里外，请教育局重新划片。"),
        "depts": ("教育局", "教体局"),
    },
    "hospital": {  # licensed hospitals: fees, service, insurance; never an unlicensed practice
        "issues": (
            ("{victim}在{hospital}住院十天，花了{med_amount}，清单上有很多没做过的检查和没用过的药。", "住院收费不明不白",
             ("核查收费是否合规，退还多收的费用",)),
            ("{hospital}的急诊排队要三四个小时，{victim}疼得在走廊里打滚也没人管。", "急诊排队几个小时", ("增加急诊医生，优化就诊流程",)),
            ("{victim}在{hospital}做了个小手术，医生推荐用进口材料，说能报销，结账时才知道全部自费。", "说好能报销结果全自费",
             ("查一查医生有没有违规推荐自费材料", "医保局核查这笔费用能不能报销")),
            ("{hospital}的医生态度很差，问两句就不耐烦，还说“不想看就别看”。", "医生态度恶劣", ("加强医院管理，改善服务态度",)),
            ("{hospital}的停车场收费太贵，看一次病停车费比挂号费还高。", "医院停车费太贵", ("降低医院停车收费",)),
            ("医保卡在{hospital}刷不了，说是系统升级，让{I}先全额自费。", "医保卡刷不了", ("尽快恢复医保结算", "退还{I}垫付的费用")),
            ("{victim}在{hospital}做了白内障手术，术后视力反而更差，医院说这是正常现象。", "白内障手术后视力更差",
             ("组织医患纠纷调解", "请专家核查手术过程")),
            ("{town}卫生院晚上没有医生值班，孩子半夜发烧只能往县城跑。", "卫生院夜里没医生", ("给卫生院配齐夜班医生",)),
            ("{hospital}的专家号一放出来就没了，号贩子在门口加价卖号。", "号贩子倒卖专家号", ("打击医院门口的号贩子",)),
        ),
        "progress": ("找了医院医务科，说会核查，没有下文。", "打了卫健局的投诉电话，说转给医院处理。", "医院说都是按规定来的。",
                     "{I}要复印病历，医院推三阻四。"),
        "demands": ("卫健局调查处理", "给{I}一个合理的解释"),
        "terse": ("{hospital}住院清单上有没做过的检查，要求核查退费。", "{town}卫生院夜里没人值班。"),
        "depts": ("卫健局", "医保局", "卫生监督所"),
    },
    "environment": {
        "issues": (
            ("{community}旁边的工地每天晚上施工到十二点以后，打桩机震得人根本睡不着。", "工地夜间施工扰民", ("责令工地夜间停止施工",)),
            ("{village}附近新开了一个养猪场，粪水直接排进{river}，臭气熏天。", "养猪场污染河水", ("责令养猪场整改，治理粪污", "对{river}的水质进行检测")),
            ("楼下烧烤店的油烟直接排到{I}家窗户上，夏天窗户都不敢开。", "烧烤油烟扰民", ("让烧烤店安装油烟净化设备",)),
            ("广场舞的音响每天晚上开到十点，{I}家有高三的孩子要复习。", "广场舞噪音太大", ("规范广场舞的时间和音量",)),
            ("{town}的{company}排黑烟，周边村民好多人咳嗽。", "工厂排黑烟", ("生态环境局依法查处", "公开这家企业的排放监测数据")),
            ("{river}里经常有死鱼，上游有个电镀厂偷偷排污水。", "工厂偷排污水", ("关停违法排污的企业", "对{river}的水质进行检测并公开结果")),
            ("小区楼下的KTV每晚吵到凌晨两三点。", "KTV噪音扰民", ("责令KTV做好隔音，按时停业",)),
            ("村后垃圾填埋场的渗滤液流进了田里，稻子都死了。", "垃圾场渗滤液毁田", ("治理渗滤液，赔偿庄稼损失",)),
            ("{I}家隔壁的木材加工厂天天锯木头，噪音大，粉尘多。", "加工厂噪音粉尘扰民", ("责令加工厂整改或者搬迁",)),
        ),
        "progress": ("打了环保热线，环保局来测了一次，说没超标。", "找过城管，城管说归环保管，环保说归城管管。",
                     "白天去查的时候人家都停了，晚上又开始。", "社区说会去协调，可一点效果都没有。"),
        "demands": ("依法查处", "还老百姓一个安静干净的环境"),
        "terse": ("{community}旁边工地半夜还在打桩，请处理。", "{river}有人偷排污水，鱼都死了。"),
        "depts": ("生态环境局", "环保局", "城管局", "住建局"),
    },
    "city": {
        "issues": (
            ("{I}在{street}摆了五年水果摊，{d0}城管把{I}的三轮车和秤都收走了，到现在不还。", "城管扣车不还",
             ("退还被扣的三轮车", "给小摊贩划一个合法的摆摊区域")),
            ("{street}菜市场门口摊贩占道经营，早上车根本过不去。", "占道经营堵路", ("清理占道经营，保障道路畅通",)),
            ("夜市的摊位费一年涨了两倍，城管说是市场管理公司定的。", "摊位费乱涨", ("公开摊位费收费标准",)),
            ("{I}家门口有人搭了违章建筑，挡住了{I}家的采光，城管说在走程序。", "违章建筑没人管", ("依法拆除违章建筑",)),
            ("城管执法人员对{I}态度粗暴，推了{I}几下，还骂人。", "城管执法粗暴", ("处理态度粗暴的执法人员",)),
            ("{I}的门店外摆了两个货架，城管就要罚款{small_amount}。", "门口摆货架被重罚", ("核实处罚是否合规，撤销罚款",)),
            ("小区里有人把一楼改成了门面，天天装修，城管不管。", "住宅改门面没人管", ("依法查处私自改变房屋用途",)),
            ("城管把流动摊贩都赶到{street}，那里根本没人来买东西，一家人的生活没了着落。", "摊贩安置点没生意",
             ("重新规划便民摊点",)),
        ),
        "progress": ("{I}去城管局问了几次，都说按规定办。", "打了12345，城管来了一趟，人一走又照旧。", "街道办说这归城管，城管说要联合执法。"),
        "demands": ("依法依规处理", "给{I}一个答复"),
        "terse": ("城管扣了{I}的三轮车，要求退还。", "{street}占道经营太严重，天天堵。"),
        "depts": ("城管局", "城管执法大队", "街道办", "市场监管局"),
    },
    "village": {
        "issues": (
            ("{I}家在{village}有三亩承包地，{d0}村里调地的时候被划给了别人，{I}家一分地都没了。", "承包地被调走", ("恢复{I}家的承包地",)),
            ("村里的账好几年没公开过，村民想看看集体土地出租的钱花到哪里去了。", "村务多年不公开", ("镇政府督促村里公开账目", "审计村里的集体收入")),
            ("{I}是嫁出去的女儿，户口还在村里，村里分征地款不给{I}分。", "出嫁女分不到征地款", ("按政策给出嫁女分配补偿款",)),
            ("村支书{party}把村里的集体林地租给外地老板，租金多少村民都不知道。", "集体林地出租不公开", ("公开林地出租合同和租金去向", "查一查村干部有没有违规")),
            ("{I}家要在宅基地上翻建老房子，镇里不给批，说要统一规划，可别人家都盖了。", "建房审批不公平", ("批准{I}家的建房申请",)),
            ("村道修了一半就停工了，说是钱不够，坑坑洼洼的，下雨就走不了。", "村道修一半停工", ("尽快修好村道",)),
            ("村里的低保名额都给了干部的亲戚，真正困难的人评不上。", "低保评定不公", ("重新评定低保对象",)),
            ("{I}家和邻居{party}的地界有争议，村里调解了好几次都没解决。", "地界纠纷调解不了", ("镇里派人来重新勘界",)),
            ("土地确权的时候，{I}家的地少登记了一亩多。", "确权面积登记错误", ("重新核实确权面积并更正",)),
            ("村里的水库承包给私人养鱼，灌溉用水都被卡住了。", "水库承包影响灌溉", ("保障村民的灌溉用水",)),
        ),
        "progress": ("找过村委会，村干部说这是组上的事。", "镇政府经管站来调查过，说要研究。", "{I}向镇里递交过书面材料，至今没有答复。",
                     "村民代表大会一直没开。"),
        "demands": ("镇政府调查处理", "给村民一个交代"),
        "terse": ("村里账目好几年没公开，请镇里督促。", "{I}家承包地被村里调给了别人。"),
        "depts": ("镇政府", "农业农村局", "经管站", "纪委"),
    },
    "utilities": {
        "issues": (
            ("{community}这个月停了三次水，都没有提前通知。", "频繁停水不通知", ("停水要提前通知", "尽快改造老旧管网")),
            ("{I}家上个月的水费突然变成了{small_amount}，平时就几十块，水表肯定有问题。", "水费异常", ("核查水表，退还多收的水费",)),
            ("{village}的电压不稳，晚上灯泡一闪一闪的，电器都烧坏了两台。", "农村电压不稳", ("尽快改造农村电网",)),
            ("燃气公司上门安检，说{I}家的管子不合格，非要{I}买他们几百块的报警器。", "燃气公司强制搭售", ("查处燃气公司强制搭售",)),
            ("{village}的手机信号很差，打个电话要跑到山顶上。", "村里没信号", ("在{village}建个信号基站",)),
            ("自来水有时候是黄色的，还有一股怪味道。", "自来水发黄有异味", ("检测水质并公开结果",)),
            ("冬天集中供暖温度只有十几度，暖气费一分没少交。", "供暖不达标", ("按标准供暖，不达标就退费",)),
            ("电力公司在{I}家地里立了电线杆，说好的补偿一直没给。", "电线杆占地不补偿", ("落实电线杆占地补偿",)),
        ),
        "progress": ("打了客服电话，说是在检修。", "工作人员来看过，说要上报，没说什么时候解决。", "找公司客服，客服说是按规定来的。",
                     "物业说归市政管，市政说是小区内部的事。"),
        "demands": ("督促相关单位尽快解决", "给{I}一个答复"),
        "terse": ("{community}频繁停水，也不提前通知。", "{village}电压不稳，电器烧坏了两台。"),
        "depts": ("供水公司", "供电公司", "住建局", "市场监管局"),
    },
    "transport": {  # road-safety and transit suggestions: full of 事故/车, never a traffic accident case
        "issues": (
            ("{street}和{street2}交叉口的绿灯只有十五秒，老人走到一半就变红灯了。", "建议延长路口绿灯时间", ("延长行人绿灯时间",)),
            ("{school}门口的马路车速很快，学生上学放学很危险。", "建议学校门口装减速带", ("在学校门口装减速带、划斑马线",)),
            ("{village}村口的急弯没有警示牌和凸面镜，上个月又有两辆车差点撞上。", "急弯处急需警示牌", ("在急弯处安装警示标志和凸面镜",)),
            ("{county}城区的3路公交车半小时才一班，上下班根本挤不上。", "建议加密公交班次", ("增加公交班次",)),
            ("{town}到县城没有公交车，村里老人去县医院看病太不方便。", "建议开通乡村公交", ("开通{town}到县城的公交",)),
            ("{road}那一段晚上没有路灯，骑电动车的人经常摔跤。", "路段没有路灯", ("加装路灯",)),
            ("{street}两边乱停车，本来两车道变成了一车道，天天堵。", "乱停车导致拥堵", ("规划停车位，整治乱停车",)),
            ("高速出口的指示牌被树挡住了，外地司机经常开过头。", "指示牌被树挡住", ("修剪遮挡指示牌的树木",)),
            ("这个路口一年出了好几次事故，去年还撞死过一个人，到现在都没装红绿灯。", "路口事故多，建议装红绿灯", ("在路口装红绿灯",)),
            ("学校门口接送孩子的家长车乱停，放学时一片混乱。", "学校门口接送秩序混乱", ("设临时停车区，安排交警疏导",)),
        ),
        "progress": ("之前在网上留过言，回复说已转交交警部门研究。", "村里人都说这地方危险，可一直没人管。", "跟社区提过，社区说要向上反映。"),
        "demands": ("相关部门实地看一看", "尽快整改，消除安全隐患"),
        "terse": ("建议{school}门口装减速带。", "{street}路口绿灯太短，老人过不去。", "建议加开{town}到县城的公交。"),
        "depts": ("交警大队", "交通运输局", "公路局", "住建局", "城管局"),
    },
}
# What a long letter says about the petitioner's journey so far; stage-neutral.
RECAPS = ("为了这个事，{I}先后找过村里、镇里、县里，材料交了一大沓，每次都说研究研究。",
          "{I}跑了不下{N}趟，光路费就花了好几千，家里的农活都耽误了。",
          "这几年{I}打了无数个电话，写了好多封信，每次答复都差不多。",
          "{I}也晓得领导们工作忙，可{I}实在是没有别的办法了，才一级一级地往上反映。",
          "{I}一个普通老百姓，不懂那么多法律条文，只知道欠债还钱、伤人赔偿是天经地义的事。")

# Openings, family circumstances and closing appeals of long first-person letters.
PREAMBLES = ("我怀着万分焦急的心情给您写这封信。", "冒昧给领导写信，实在是走投无路了。", "我本不想给领导添麻烦，可这件事憋在心里太久了。",
             "提笔给您写信，我的手都在发抖。", "百忙之中打扰领导，实在抱歉。")
FAMILY = ("{I}家里五口人，上有八十多岁的老母亲，下有两个读书的孩子，全靠{I}一个人种地打零工养活。", "{I}身体也不好，有高血压、糖尿病，常年吃药。",
          "{I}家是村里有名的困难户，房子还是八十年代盖的土坯房。", "孩子明年就要高考了，家里连学费都凑不齐。",
          "{I}老伴走得早，这些年一个人拉扯孩子，吃了多少苦只有自己知道。")
CODAS = ("恳请领导体察民情，在百忙之中过问一下这件事，{I}全家老小感激不尽！", "{I}相信党和政府一定会给老百姓做主，盼望早日得到答复。",
         "如果领导需要，{I}随时可以当面汇报，材料都准备好了。", "这件事不解决，{I}这辈子都睡不安稳。")

# Details that lengthen a petition without changing what it is about, by kind of case.
DETAILS = {
    "injury": ("{victim}在{hospital}住了{days}天院，出院后还要定期复查。", "当时路边好几个人都看见了，{I}有证人。",
               "出事以后{party}一次都没来看过，连句道歉都没有。", "{victim}原来在{work_city}打工，一个月能挣七八千，现在什么活都干不了。",
               "医院的病历、发票{I}都留着，随时可以提供。"),
    "money": ("{party}在村里放话说：“有本事你去告，告了也拿不到钱。”", "{I}先后找{party}要了不下二十次，每次都说下个月。",
              "{party}在县城有两套房子，还开着好车，怎么可能没钱？", "{I}这些年为了这个事，班也上不成，人都熬老了。",
              "借条、转账记录、聊天记录{I}都保存着。"),
    "land": ("被破坏的地方现在一下雨就往下冲泥巴，下面的田都被埋了。", "晚上两三点钟还能听到机器的声音。",
             "村里人敢怒不敢言，怕被报复。", "{I}去现场拍了照片，一片狼藉。"),
    "forest": ("这片林子是分山到户时分给{I}家的，有林权证。", "被砍的地方现在一下雨就往下冲泥巴，下面的田都被埋了。",
               "晚上两三点钟还能听到油锯的声音。", "村里人敢怒不敢言，怕被报复。", "{I}去现场拍了照片，满山都是树桩子。"),
    "ordinary": ("这个问题已经影响到了{I}家的正常生活。", "周边的邻居都有意见，只是没人出面。", "{I}也是实在没办法了才写这个材料。",
                 "希望领导能抽时间来实地看一看。", "{I}说的都是实情，可以随时核实。"),
    "medical": ("他那里连块牌子都没有，药都是从外面进的三无产品。", "听说他以前就出过事，赔了钱私了了。", "每天早上门口都排着队，好多是老人和小孩。"),
    "civil": ("开庭的时候对方请了两个律师，{I}什么都不懂。", "对方在庭上说的好多都不是事实。", "{I}这些年为了这个事，班也上不成，人都熬老了。",
              "{I}的材料整整齐齐一大袋，随时可以拿来给领导看。"),
}

# Every department an ordinary petition may address (for 恳请领导责成…).
DEPT_NAMES = tuple(sorted({d for spec in TOPICS.values() for d in spec["depts"]}
                         | {d for spec in DOMAINS.values() for d in spec.get("ordinary", {}).get("depts", ())}))
TYPOS = (("在", "再"), ("再", "在"), ("的", "得"), ("已经", "以经"), ("账", "帐"), ("反映", "反应"), ("诉求", "述求"),
         ("赔偿", "赔尝"), ("做", "作"), ("哪里", "那里"), ("抚养", "扶养"), ("截至", "截止"))
FULLWIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
IDENTITY_FIELDS = ("name", "id_number", "phone", "address")


# ---------------------------------------------------------------------------------------------------------------
# Small helpers.
# ---------------------------------------------------------------------------------------------------------------


def sentinel(field_name: str) -> str:
    """A marker for a petitioner field that survives OpenCC, typos and digit widening; filled in last."""
    return f"@@{field_name.upper()}@@"


def cn_number(n: int) -> str:
    """Chinese numerals for 0 <= n < 10**8 (一万二千三百、十五、两百 is left as 二百)."""
    if n == 0:
        return "零"
    if n >= 10000:
        high, low = divmod(n, 10000)
        rest = cn_number(low) if low else ""
        return cn_number(high) + "万" + ("零" + rest if 0 < low < 1000 else rest)
    out, units, zero = "", ("千", "百", "十", ""), False
    for unit, digit in zip(units, f"{n:04d}"):
        d = int(digit)
        if d == 0:
            zero = bool(out)
            continue
        if zero:
            out += "零"
            zero = False
        out += ("" if (unit == "十" and d == 1 and not out) else CN_DIGITS[d]) + unit
    return out


def count_words(rng: random.Random, n: int, unit: str) -> str:
    """'3个月' / '三个月' / '两年' / '三个多月'."""
    style = rng.random()
    if style < 0.35:
        return f"{n}{unit}"
    words = "两" if n == 2 else cn_number(n)
    if style < 0.75 or "个" not in unit:
        return words + unit
    return words + unit.replace("个", "个多")


def money(rng: random.Random, value: int) -> str:
    """An amount in one of the forms petitioners write: 83000元, 8.3万元, 八万三千元, 8万多."""
    style = rng.random()
    if value >= 10000 and style < 0.3:
        return f"{value / 10000:.1f}".rstrip("0").rstrip(".") + "万元"
    if value >= 10000 and style < 0.45:
        return f"{value // 10000}万多"
    if style < 0.65:
        words = cn_number(value)
        return ("两" + words[1:] if words.startswith("二") and value >= 1000 else words) + "元"
    return f"{value}元"


def date_text(rng: random.Random, day: dt.date, received: dt.date, precise: bool = False) -> str:
    """A date in a mixed format; relative forms are relative to the day the petition was received.

    ``precise`` keeps to forms that name the day, for templates that go on with 晚上/凌晨.
    """
    years_back = received.year - day.year
    options = [f"{day.year}年{day.month}月{day.day}日", f"{day.year}.{day.month}.{day.day}",
               f"{day.year}-{day.month:02d}-{day.day:02d}", f"{day.year}年{day.month}月{day.day}号"]
    if not precise:
        options += [f"{day.year}年{day.month}月", f"{day.year % 100}年{day.month}月"]
    if years_back == 0:
        options += [f"{day.month}月{day.day}号", f"{day.month}月{day.day}日"] + ([] if precise else [f"今年{day.month}月"])
    elif years_back == 1:
        options.append(f"去年{day.month}月{day.day}号")
        if not precise:
            options.append(f"去年{day.month}月")
            if day.month == 12:
                options.append("去年腊月")
            if day.month == 9:
                options.append("去年农历八月十五前后")
    elif years_back == 2 and not precise:
        options.append(f"前年{day.month}月")
    if rng.random() < 0.08 and not precise:
        return "".join("〇一二三四五六七八九"[int(c)] for c in str(day.year)) + f"年{cn_number(day.month)}月"
    return rng.choice(options)


def end_sentence(text: str) -> str:
    text = text.strip()
    if not text:
        return text
    return text if text[-1] in "。！？!?；…”）" else text + "。"


def fragment(item) -> tuple[str, frozenset[str]]:
    """A table entry is a template string or a (template, *tags) tuple."""
    if isinstance(item, tuple):
        return item[0], frozenset(item[1:])
    return item, frozenset()


def court_code(rng: random.Random, region: tuple[str, str, str, str]) -> str:
    """The court part of a case number: the petitioner's own county court usually, a random one sometimes."""
    if rng.random() < 0.35:
        region = rng.choice(REGIONS)
    abbr = PROVINCE_ABBR.get(region[1], "湘")
    if rng.random() < 0.15:
        return f"{abbr}{rng.randint(1, 13):02d}{rng.randint(1, 30):02d}"
    return abbr + region[0][2:]


def case_number(rng: random.Random, year: int, region: tuple[str, str, str, str], kind: str) -> str:
    left, right = rng.choice((("(", ")"), ("（", "）"), ("〔", "〕"), ("(", ")")))
    return f"{left}{year}{right}{court_code(rng, region)}{kind}{rng.randint(1, 9999)}号"


# ---------------------------------------------------------------------------------------------------------------
# Per-petition context and slots.
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class Context:
    """Everything about one petition that templates may refer to."""

    domain: str
    litigation: str
    stage: str
    topic: str | None
    channel: str
    voice: str
    third_person: bool
    person: FakeIdentity
    region: tuple[str, str, str, str]
    received: dt.date
    timeline: tuple[dt.date, dt.date, dt.date, dt.date]
    crime: str = ""
    dept: str = ""
    roles: dict[str, str] = field(default_factory=dict)

    @property
    def who(self) -> str:
        """How a third-person record names the petitioner."""
        return "来电人" if self.channel == "hotline" else "来访人"

    @property
    def age(self) -> int:
        digits = self.person.id_number
        born = dt.date(int(digits[6:10]), int(digits[10:12]), int(digits[12:14]))
        return self.received.year - born.year - ((self.received.month, self.received.day) < (born.month, born.day))


class Slots(dict):
    """Template values for one petition: drawn on first use, then fixed, so a name stays the same throughout."""

    def __init__(self, rng: random.Random, ctx: Context) -> None:
        super().__init__(ctx.roles)
        self.rng = rng
        self.ctx = ctx

    def __missing__(self, key: str) -> str:
        maker = SLOT_MAKERS.get(key)
        if maker is None:
            raise KeyError(f"unknown template slot {{{key}}}")
        value = maker(self)
        self[key] = value
        return value

    def fill(self, template: str) -> str:
        return template.format_map(self)

    def pick(self, pool) -> str:
        return self.fill(self.rng.choice(pool))


def _party(s: Slots, avoid: str = "") -> str:
    surname = s.rng.choice([c for c in SURNAMES if c != avoid[:1]])
    return surname + s.rng.choice(PARTY_SUFFIXES)


def _road(s: Slots) -> str:
    rng = s.rng
    options = (f"G{rng.randint(105, 360)}国道", f"S{rng.randint(201, 330)}省道", f"X{rng.randint(101, 420)}县道",
               f"{s['town']}十字路口", f"县城{s['street']}与{s['street2']}交叉口", f"{s['village']}村口的弯道",
               f"{s['town']}集镇路段")
    road = rng.choice(options)
    if road[0] in "GSX" and rng.random() < 0.4:
        road += f"K{rng.randint(1, 180)}+{rng.randint(0, 9)}00处"
    return road


def _plate(s: Slots) -> str:
    rng = s.rng
    abbr = PROVINCE_ABBR.get(s.ctx.region[1], "湘")
    chars = [rng.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(5)]
    for i in rng.sample(range(5), 2):
        chars[i] = "*"
    return f"{abbr}{rng.choice('ABCDEFGHJK')}·{''.join(chars)}"


def _date(index: int, precise: bool = False):
    return lambda s: date_text(s.rng, s.ctx.timeline[index], s.ctx.received, precise)


def _case(kind: str, index: int):
    return lambda s: case_number(s.rng, s.ctx.timeline[index].year, s.ctx.region, kind)


def _months_since(s: Slots) -> str:
    anchor = {"enforcement": 3, "exhausted": 3, "judgment_effective": 2}.get(s.ctx.stage, 1)
    months = max(1, (s.ctx.received - s.ctx.timeline[anchor]).days // 30)
    if months >= 24 and s.rng.random() < 0.6:
        return count_words(s.rng, months // 12, "年")
    return count_words(s.rng, months, "个月")


def _years_since(s: Slots) -> str:
    years = max(1, (s.ctx.received - s.ctx.timeline[0]).days // 365)
    return count_words(s.rng, years, "年")


def _choice(pool):
    return lambda s: s.pick(pool)


SLOT_MAKERS = {
    "name": lambda s: sentinel("name"), "id_number": lambda s: sentinel("id_number"),
    "phone": lambda s: sentinel("phone"), "address": lambda s: sentinel("address"),
    "gender": lambda s: s.ctx.person.gender,
    "who": lambda s: s.ctx.who,
    "lawyer_topic": lambda s: LAWYER_TOPICS[s.ctx.domain],
    "age": lambda s: str(s.ctx.age) if s.rng.random() < 0.6 else cn_number(s.ctx.age),
    "party": lambda s: _party(s),
    "party2": lambda s: _party(s, avoid=s["party"]),
    "town": lambda s: s.rng.choice(TOWN_STEMS) + s.rng.choice("镇镇乡"),
    "village": lambda s: s.rng.choice(VILLAGE_STEMS) + "村",
    "county": lambda s: s.ctx.region[3] if s.rng.random() < 0.6 else "县",
    "city": lambda s: s.ctx.region[2],
    "street": lambda s: s.rng.choice(STREETS),
    "street2": lambda s: s.rng.choice([x for x in STREETS if x != s["street"]]),
    "road": _road,
    "community": lambda s: s.rng.choice(NAME_STEMS) + s.rng.choice(COMMUNITY_SUFFIXES),
    "school": _choice(("{town}中心小学", "{county}实验中学", "{town}中学", "{county}第二小学", "{town}幼儿园", "县一中")),
    "company": lambda s: s.rng.choice(("", "", "某")) + s.rng.choice(NAME_STEMS) + s.rng.choice(COMPANY_SUFFIXES),
    "shop": lambda s: s.rng.choice(SHOPS),
    "firm": lambda s: s.rng.choice(NAME_STEMS) + s.rng.choice(("", "", "明")) + "律师事务所",
    "lawyer": lambda s: s.rng.choice(SURNAMES) + s.rng.choice(("某", "某某")),
    "work_city": lambda s: s.rng.choice(WORK_CITIES),
    "court": _choice(("{county}人民法院", "{county}人民法院", "县法院", "法院", "{county}法院")),
    "mid_court": _choice(("{city}中级人民法院", "市中院", "中院", "{city}中院")),
    "procuratorate": _choice(("{county}人民检察院", "县检察院", "检察院")),
    "police": _choice(("{town}派出所", "{town}派出所", "城关派出所", "{county}公安局", "刑警大队", "派出所")),
    "traffic_police": _choice(("{county}公安局交警大队", "交警大队", "交警队", "交警中队")),
    "hospital": _choice(("{county}人民医院", "{county}中医院", "{city}第一人民医院", "{town}卫生院", "{city}中心医院", "县医院")),
    "clinic": _choice(CLINICS),
    "vehicle": lambda s: s.rng.choice(VEHICLES),
    "plate": _plate,
    "injury": lambda s: s.rng.choice(INJURIES),
    "grade": lambda s: s.rng.choice(GRADES),
    "sentence": lambda s: s.rng.choice(SENTENCES),
    "tree": lambda s: s.rng.choice(TREES),
    "n_trees": lambda s: s.rng.choice(("两百多", "三十几", "一百五十", "八十多", "四百多", "上千")),
    "mu": lambda s: s.rng.choice(("二十多", "三十", "五十多", "十几", "一百多")),
    "river": lambda s: s.rng.choice(TOWN_STEMS) + "河",
    "mineral": lambda s: s.rng.choice(MINERALS),
    "stitches": lambda s: count_words(s.rng, s.rng.randint(4, 20), ""),
    "days": lambda s: str(s.rng.randint(7, 90)),
    "amount": lambda s: money(s.rng, s.rng.randint(20, 800) * 1000 + s.rng.choice((0, 0, 500, 800))),
    "med_amount": lambda s: money(s.rng, s.rng.randint(3, 300) * 1000),
    "wage_amount": lambda s: money(s.rng, s.rng.randint(5, 90) * 1000 + s.rng.choice((0, 200, 600))),
    "small_amount": lambda s: money(s.rng, s.rng.randint(3, 50) * 100),
    "price": lambda s: str(s.rng.randint(8, 30) * 100),
    "d0": _date(0), "d0d": _date(0, precise=True), "d1": _date(1), "d2": _date(2), "d3": _date(3),
    "rcv": lambda s: date_text(s.rng, s.ctx.received - dt.timedelta(days=s.rng.randint(0, 6)), s.ctx.received),
    "months": _months_since,
    "years": _years_since,
    "N": lambda s: s.rng.choice((str(s.rng.randint(3, 20)), cn_number(s.rng.randint(3, 15)))),
    "case_civil": _case("民初", 1), "case_appeal": _case("民终", 2), "case_exec": _case("执", 3),
    "case_crim": _case("刑初", 2), "case_retrial": _case("民申", 2), "case_admin": _case("行初", 1),
    "award_no": lambda s: f"{s['county']}劳人仲案字〔{s.ctx.timeline[1].year}〕第{s.rng.randint(1, 999)}号",
    "crime": lambda s: s.ctx.crime or "违法犯罪",
    "crime_art": lambda s: CRIME_ARTICLES.get(s.ctx.crime, ""),
    "dept": lambda s: s.ctx.dept or "有关部门",
}


# ---------------------------------------------------------------------------------------------------------------
# Choosing what to say.
# ---------------------------------------------------------------------------------------------------------------


@dataclass
class Content:
    """The chosen pieces of one petition before they are framed for a channel."""

    intro: str = ""
    facts: list[str] = field(default_factory=list)
    progress: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)
    demands: list[str] = field(default_factory=list)
    cite: str = ""
    title: str = ""
    preamble: str = ""
    coda: str = ""
    also: set[str] = field(default_factory=set)


def allowed_plans() -> list[tuple[str, str, str, str | None]]:
    """Every (domain, litigation, stage, topic) the labelling rules allow, one entry per unit of sampling weight.

    court_enforcement is collecting on a judgment, so it has only enforcement and exhausted (weighted up to keep
    the domain visible); other has no enforcement stage (enforcing a judgment is court_enforcement); a domain has
    an ordinary variant where an administrative department can deal with it.
    """
    plans = []
    for domain, spec in DOMAINS.items():
        for stage in LITIGATION_STAGES:
            if stage in spec["pools"]:
                weight = 3 if domain == CE else 1
                plans += [(domain, "litigation", stage, None)] * weight
        if "ordinary" in spec:
            plans.append((domain, "ordinary", "none", None))
    plans += [("other", "ordinary", "none", topic) for topic in TOPICS]
    return plans


def choose_voice(rng: random.Random, litigation: str, channel: str) -> str:
    weights = dict(VOICE_WEIGHTS[litigation])
    if channel in ("hotline", "visit"):
        weights["lawyer"] = 0
    if channel == "online":
        weights["elderly"] //= 4
    voices = list(weights)
    return rng.choices(voices, weights=[weights[v] for v in voices])[0]


def draw_person(index_seed: int, voice: str, received: dt.date) -> tuple[FakeIdentity, tuple[str, str, str, str]]:
    """A fake identity whose age suits the voice (an elderly villager is old, a student young)."""
    factory = IdentityFactory(index_seed)
    low, high = VOICE_AGES[voice]
    person = factory.identity()
    for _ in range(40):
        born_year = int(person.id_number[6:10])
        if low <= received.year - born_year <= high:
            break
        person = factory.identity()
    region = next(r for r in REGIONS if r[0] == person.id_number[:6])
    return person, region


def timeline(rng: random.Random, stage: str, received: dt.date) -> tuple[dt.date, dt.date, dt.date, dt.date]:
    """Incident, report/filing, judgment and enforcement dates, in order, before the petition was received."""
    span = {"none": (10, 1500), "pre_filing": (20, 400), "in_proceedings": (120, 900),
            "judgment_effective": (300, 1800), "enforcement": (400, 2500), "exhausted": (1300, 4200)}[stage]
    days = rng.randint(*span)
    start = received - dt.timedelta(days=days)
    marks = sorted(rng.uniform(lo, hi) for lo, hi in ((0.05, 0.25), (0.35, 0.6), (0.6, 0.85)))
    return (start, *(start + dt.timedelta(days=int(days * m)) for m in marks))


def person_roles(rng: random.Random, voice: str, third_person: bool, gender: str, domain: str) -> dict[str, str]:
    """How the petitioner ({I}) and the person harmed ({victim}) are written in this petition."""
    if voice == "lawyer":
        me = "委托人"
    elif third_person:
        me = "其"
    elif voice == "elderly" and rng.random() < 0.75:
        me = "俺"
    else:
        me = "我"
    parent, pron = rng.choice(PARENTS[2:] if third_person else PARENTS)
    roles = {"I": me, "parent": parent, "pron": pron, "victim": me}
    if voice == "child":  # the child acts ({I}); the parent is the one the case is about ({victim})
        roles["victim"] = ("其" if third_person else "我") + parent
        return roles
    relative_share = 0.0 if domain in (CE, CF) else 0.35
    if rng.random() < relative_share:
        if voice == "elderly" and not third_person:
            relation, pron = rng.choice(ELDERLY_RELATIVES)
        else:
            relation, pron = rng.choice(RELATIVES["common"] + RELATIVES[gender])
        roles["victim"] = (me + "的" if voice == "lawyer" else me) + relation
        roles["pron"] = pron
    return roles


def pick_fragments(rng: random.Random, pool, *, plain: bool, lawyer: bool, k: int = 1) -> list[tuple[str, frozenset]]:
    """Pick k distinct fragments; plainly told petitions prefer PLAIN ones, lawyers avoid them."""
    items = [fragment(x) for x in pool]
    if plain and any(PLAIN in tags for _, tags in items):
        items = [x for x in items if PLAIN in x[1]]
    elif lawyer:
        items = [x for x in items if PLAIN not in x[1]] or items
    if not items:
        return []
    first = rng.choice(items)
    chosen = [first]
    if k > 1 and SOLO not in first[1]:
        rest = [x for x in items if x is not first and SOLO not in x[1]]
        if rest:
            chosen.append(rng.choice(rest))
    return sorted(chosen, key=items.index)  # pools are written in the order things happen


def stage_pool(spec: dict, kind: dict, key: str, pools_key: str, shared: dict, stage: str) -> list:
    """Kind-specific fragments if the kind has them, else the domain's own plus the shared pools it draws on."""
    if key == "progress" and stage in kind.get("progress", {}):
        return list(kind["progress"][stage])
    own = list(spec.get(key, {}).get(stage, ()))
    for name in spec.get(pools_key, {}).get(stage, ()):
        own += shared[name]
    return own


def incident_pool(ctx: Context, incidents) -> list:
    """Incidents in which the person harmed died need someone else (a relative) to be petitioning."""
    if ctx.roles["victim"] != ctx.roles["I"]:
        return list(incidents)
    return [x for x in incidents if DEATH not in fragment(x)[1]]


def hardship_family(domain: str, incident_tags: frozenset) -> str:
    """Which HARDSHIP/DETAILS pool suits the incident (no talk of medical bills when nobody was hurt)."""
    if DEATH in incident_tags:
        return "money"
    if domain == MED and not incident_tags & {PI, HARM}:  # a report about the practice itself
        return "medical"
    return DOMAINS[domain]["hardship"]


def add_background(rng: random.Random, s: Slots, content: Content, family: str, long: bool, died: bool) -> None:
    """Hardship, details and (for long letters) a recap of the petitioner's journey."""
    if long or rng.random() < 0.45:
        content.extras.append(s.pick(HARDSHIP[family]))
    if long or rng.random() < 0.15:
        details = [d for d in DETAILS[family] if not (died and "{victim}" in d)]
        content.extras += [s.fill(x) for x in rng.sample(details, k=min(len(details), 3 if long else 1))]
    if long:
        content.extras.append(s.pick(RECAPS))


def legal_content(rng: random.Random, s: Slots, ctx: Context, plain: bool, long: bool) -> Content:
    spec = DOMAINS[ctx.domain]
    kinds = [k for k in spec["kinds"] if ctx.stage in k.get("stages", LITIGATION_STAGES)]
    kind, incident = rng.choice([(k, i) for k in kinds for i in incident_pool(ctx, k["incidents"])])
    ctx.crime = kind["crime"]
    lawyer = ctx.voice == "lawyer"
    content = Content()
    text, incident_tags = fragment(incident)
    content.facts.append(s.fill(text))
    content.also |= incident_tags
    progress_pool = stage_pool(spec, kind, "progress", "pools", PROGRESS_POOLS, ctx.stage)
    k = 2 if long or rng.random() < 0.15 else 1
    for text, tags in pick_fragments(rng, progress_pool, plain=plain, lawyer=lawyer, k=k):
        content.progress.append(s.fill(text))
        content.also |= tags
    if plain:
        demand_pool = PLAIN_DEMANDS[ctx.stage]
    else:
        demand_pool = stage_pool(spec, kind, "demands", "demand_pools", DEMAND_POOLS, ctx.stage)
    k = 2 if rng.random() < 0.35 else 1
    content.demands = [s.fill(d) for d, _ in pick_fragments(rng, demand_pool, plain=False, lawyer=lawyer, k=k)]
    titles = list(spec["titles"].get(ctx.stage, ())) + list(TITLE_POOLS[ctx.stage])
    if not any("立案" in x for x in content.progress):  # no 报警不立案 title over a petition that never reported
        titles = [x for x in titles if "立案" not in x]
    content.title = s.pick(titles)
    if lawyer:
        cites = [fragment(c) for c in LAW_CITES[ctx.stage]]
        content.cite = s.pick([c for c, tags in cites if "needs_crime" not in tags or ctx.crime in CRIME_ARTICLES])
    add_background(rng, s, content, hardship_family(ctx.domain, incident_tags), long, DEATH in incident_tags)
    return content


def ordinary_issue(rng: random.Random, ctx: Context, spec: dict) -> tuple[str, frozenset, str | None, tuple]:
    """(incident, tags, title, fitting demands): from the spec's issues, or else the domain's own incidents."""
    if spec["issues"]:
        text, title, demands = rng.choice(spec["issues"])
        return text, frozenset(), title, demands
    incidents = [i for kind in DOMAINS[ctx.domain]["kinds"] for i in kind["incidents"]]
    text, tags = fragment(rng.choice(incident_pool(ctx, incidents)))
    return text, tags, None, ()


def ordinary_content(rng: random.Random, s: Slots, ctx: Context, hard_negative: bool, long: bool) -> Content:
    spec = TOPICS[ctx.topic] if ctx.topic else DOMAINS[ctx.domain]["ordinary"]
    ctx.dept = rng.choice(spec["depts"])
    ctx.crime = ""
    content = Content()
    text, tags, title, demands = ordinary_issue(rng, ctx, spec)
    content.facts.append(s.fill(text))
    content.also |= tags
    if long or rng.random() < 0.75:
        content.progress.append(s.pick(spec["progress"]))
    specific = [s.fill(d) for d in demands] or [s.pick(spec["demands"])]
    content.demands = rng.sample(specific, k=1 if len(specific) == 1 or rng.random() < 0.5 else 2)
    if rng.random() < 0.2:
        content.demands.append(s.pick(spec["demands"]))
    content.title = s.fill(title) if title else s.pick(spec["titles"])
    if hard_negative and ctx.topic != "transport":  # a suggestion is hard enough already
        threat = s.pick(LEGAL_THREATS)
        content.extras.append(f"{ctx.who}{rng.choice(('称', '表示', '说'))}：“{threat}”" if ctx.third_person else threat)
    if long or rng.random() < 0.25:
        content.extras.append(s.pick(HARDSHIP["ordinary"]))
    if long:
        content.extras += [s.fill(x) for x in rng.sample(DETAILS["ordinary"], k=2)]
    return content


def add_voice(rng: random.Random, s: Slots, ctx: Context, content: Content, long: bool = False) -> None:
    """The voice's self-introduction and asides (clerk notes instead, in a third-person record)."""
    if ctx.third_person:
        notes = HOTLINE_VOICE_NOTES.get(ctx.voice)
        if notes and rng.random() < 0.6:
            content.extras.append(s.pick(notes))
        return
    if long or rng.random() < 0.7:
        content.intro = s.pick(VOICE_INTROS[ctx.voice])
    if long:
        content.preamble = s.pick(PREAMBLES) if ctx.voice not in ("lawyer", "repeat") else ""
        content.extras.append(s.pick(FAMILY))
        content.coda = s.pick(CODAS)
    extras = VOICE_EXTRAS[ctx.voice]
    if extras:
        for text in rng.sample(extras, k=min(len(extras), 2 if long else rng.choice((0, 1, 1, 2)))):
            content.extras.append(s.fill(text))


# ---------------------------------------------------------------------------------------------------------------
# Framing by channel.
# ---------------------------------------------------------------------------------------------------------------


def body_sentences(rng: random.Random, content: Content, with_intro: bool = True) -> list[str]:
    """Facts, what was done and asides, with the asides slotted in wherever they read naturally."""
    extras = [end_sentence(x) for x in content.extras]
    cut = rng.randint(0, len(extras))  # asides go after the facts, before and/or after what was done
    facts = [end_sentence(x) for x in content.facts]
    core = facts + extras[:cut] + [end_sentence(x) for x in content.progress] + extras[cut:]
    if with_intro and content.intro:
        core.insert(0, end_sentence(content.intro))
    if with_intro and content.preamble:
        core.insert(0, content.preamble)
    return core


def demand_sentence(rng: random.Random, ctx: Context, demands: list[str], channel: str) -> str:
    if ctx.third_person:
        lead = rng.choice(HOTLINE_DEMAND_LEADS)
    else:
        leads = VOICE_DEMAND_LEADS.get(ctx.voice, ()) + DEMAND_LEADS.get(channel, DEMAND_LEADS["letter"])
        lead = rng.choice(leads)
    if demands[0].startswith(ORG_NAMES + DEPT_NAMES) and lead.endswith(("领导", "你们", "政府", "部门", "能")):
        lead += rng.choice(("责成", "督促", "让"))  # 恳请领导 + 卫健局取缔… reads 恳请领导责成卫健局取缔…
    if len(demands) > 1 and rng.random() < 0.5:
        joined = "".join(f"{i}.{d}；" for i, d in enumerate(demands, 1)).rstrip("；")
        lead = lead if not lead or lead.endswith(("：", "，")) else lead + "："
        return lead + joined + "。"
    joined = demands[0] + "".join(rng.choice(("，同时", "；", "，并且", "，还要")) + d for d in demands[1:])
    end = "？" if lead.startswith("请问") else ("！" if ctx.voice == "repeat" else "。")
    return lead + joined + end


def render_letter(rng: random.Random, s: Slots, ctx: Context, content: Content) -> str:
    salutes = SALUTATIONS + STAGE_SALUTATIONS[ctx.stage] * 2
    salute = s.pick(salutes)
    sentences = body_sentences(rng, content)
    demand = demand_sentence(rng, ctx, content.demands, "letter")
    if rng.random() < 0.15:
        sentences = [demand, "事情是这样的："] + sentences
    else:
        sentences.append(demand)
    if content.coda:
        sentences.append(content.coda)
    body = join_paragraphs(rng, sentences)
    closing = s.pick(LETTER_CLOSINGS)
    signature = s.pick(LETTER_SIGNATURES)
    return "\n".join(x for x in (salute, body, closing, signature) if x)


def join_paragraphs(rng: random.Random, sentences: list[str]) -> str:
    """One paragraph, or two or three for longer letters, indented or not."""
    indent = PARAGRAPH_INDENT if rng.random() < 0.5 else ""
    parts = 1 if len(sentences) <= 3 or rng.random() < 0.4 else min(3, len(sentences) // 3 + 1)
    cuts = sorted(rng.sample(range(1, len(sentences)), k=parts - 1)) if parts > 1 else []
    bounds = [0, *cuts, len(sentences)]
    return "\n".join(indent + "".join(sentences[i:j]) for i, j in zip(bounds, bounds[1:]))


def render_lawyer(rng: random.Random, s: Slots, ctx: Context, content: Content) -> str:
    target = s.pick(("{court}", "{procuratorate}", "{county}公安局", "县委政法委", "{mid_court}"))
    intro = s.pick(VOICE_INTROS["lawyer"])
    facts = "".join(end_sentence(x) for x in content.facts + content.progress)
    demands = "\n".join(f"{i}.{d}。" for i, d in enumerate(content.demands, 1))
    sign = s.fill("代理律师：{firm} {lawyer}律师\n{rcv}")
    if rng.random() < 0.6:
        parts = [f"{target}：", intro, "一、基本事实", facts, "二、法律意见", content.cite, "三、请求事项", demands,
                 "此致", target, sign]
    else:
        parts = [f"致{target}：", intro + facts + content.cite + "特请求：" + "；".join(content.demands) + "。", sign]
    return "\n".join(x for x in parts if x)


def render_visit(rng: random.Random, s: Slots, ctx: Context, content: Content) -> str:
    header = s.pick(VISIT_HEADERS)
    footer = s.pick(VISIT_FOOTERS)
    if ctx.third_person:  # a record written by the receptionist
        body = s.pick(VISIT_RECORD_LEADS) + "".join(body_sentences(rng, content, with_intro=False))
        body += end_sentence("来访人要求" + "，".join(content.demands))
        return "\n".join(x for x in (header, body, footer) if x)
    lines = [header] if header else []
    facts = "".join(end_sentence(x) for x in ([content.intro] if content.intro else []) + content.facts)
    lines += ["问：" + rng.choice(VISIT_Q_FACTS), "答：" + facts]
    middle = [end_sentence(x) for x in content.progress + content.extras]
    if middle:
        lines += ["问：" + rng.choice(VISIT_Q_PROGRESS[ctx.stage]), "答：" + "".join(middle)]
    lines += ["问：" + rng.choice(VISIT_Q_DEMAND), "答：" + demand_sentence(rng, ctx, content.demands, "visit")]
    if footer:
        lines.append(footer)
    return "\n".join(lines)


def render_hotline(rng: random.Random, s: Slots, ctx: Context, content: Content) -> str:
    opening = s.pick(HOTLINE_PROXY_OPENINGS if ctx.voice == "child" else HOTLINE_OPENINGS)
    body = "".join(body_sentences(rng, content, with_intro=False))
    demand = demand_sentence(rng, ctx, content.demands, "hotline")
    note = s.pick(HOTLINE_NOTES) if rng.random() < 0.35 else ""
    return opening + body + demand + note


def render_online(rng: random.Random, s: Slots, ctx: Context, content: Content) -> str:
    sentences = body_sentences(rng, content)
    sentences.append(demand_sentence(rng, ctx, content.demands, "online"))
    if content.coda:
        sentences.append(content.coda)
    body = rng.choice(ONLINE_GREETINGS) + "".join(sentences) + rng.choice(ONLINE_CLOSINGS)
    frame = rng.choice(ONLINE_FRAMES)
    return frame.replace("{title}", content.title).replace("{body}", body)


def render_terse(rng: random.Random, s: Slots, ctx: Context, terse_pool) -> tuple[str, set[str]]:
    """A very short petition: one line that still names the subject and the stage."""
    text, tags = fragment(rng.choice(terse_pool))
    line = end_sentence(s.fill(text))
    frames = {"letter": ("{line}\n{name}", "领导：{line}", "{line}请尽快处理。"),
              "visit": ("来访人{name}称：{line}", "来访人反映：{line}"),
              "hotline": ("来电反映：{line}", "来电人{name}称：{line}", "12345工单：{line}"),
              "online": ("{line}", "标题：催办\n内容：{line}", "{line}请回复！")}
    frame = rng.choice(frames[ctx.channel])
    return s.fill(frame.replace("{line}", line)), set(tags)


RENDERERS = {"letter": render_letter, "visit": render_visit, "hotline": render_hotline, "online": render_online}


# ---------------------------------------------------------------------------------------------------------------
# Noise.
# ---------------------------------------------------------------------------------------------------------------

_TO_TRADITIONAL = opencc.OpenCC("s2t")


def add_dialect(rng: random.Random, text: str) -> str:
    for plain, local in rng.choice(DIALECTS).items():
        if rng.random() < 0.7:
            text = text.replace(plain, local)
    return text


def add_typos(rng: random.Random, text: str) -> str:
    for right, wrong in rng.sample(TYPOS, k=rng.choice((1, 1, 2))):
        spots = [m.start() for m in re.finditer(re.escape(right), text)]
        if spots:
            at = rng.choice(spots)
            text = text[:at] + wrong + text[at + len(right):]
    return text


def to_traditional(rng: random.Random, text: str) -> str:
    if rng.random() < 0.6:
        return _TO_TRADITIONAL.convert(text)
    sentences = re.split(r"(?<=[。！？])", text)
    i = rng.randrange(len(sentences))
    sentences[i] = _TO_TRADITIONAL.convert(sentences[i])
    return "".join(sentences)


def add_noise(rng: random.Random, ctx: Context, text: str) -> str:
    if ctx.voice == "elderly" and not ctx.third_person:
        text = add_dialect(rng, text)
    if rng.random() < (0.08 if ctx.voice == "lawyer" else 0.28):
        text = add_typos(rng, text)
    if ctx.voice in ("elderly", "migrant") and not ctx.third_person and rng.random() < 0.25:  # run-on sentences
        text = re.sub("。(?!\n|$)", lambda m: "，" if rng.random() < 0.6 else "。", text)
    if ctx.voice == "repeat":
        text = re.sub(r"(?<![0-9０-９])。", lambda m: "！" if rng.random() < 0.4 else "。", text)
    if rng.random() < 0.05:
        text = to_traditional(rng, text)
    if rng.random() < 0.06:
        text = text.translate(FULLWIDTH_DIGITS)
    return text


# ---------------------------------------------------------------------------------------------------------------
# One petition.
# ---------------------------------------------------------------------------------------------------------------


def record_seed(seed: int, index: int) -> int:
    return int(hashlib.sha256(f"generate_petitions:{seed}:{index}".encode()).hexdigest()[:12], 16)


def make_context(rng: random.Random, plan: tuple, index_seed: int) -> Context:
    domain, litigation, stage, topic = plan
    channel = rng.choices(CHANNELS, weights=CHANNEL_WEIGHTS)[0]
    voice = choose_voice(rng, litigation, channel)
    third_person = channel == "hotline" or (channel == "visit" and voice != "lawyer" and rng.random() < 0.3)
    received = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 6))
    person, region = draw_person(index_seed, voice, received)
    ctx = Context(domain, litigation, stage, topic, channel, voice, third_person, person, region, received,
                  timeline(rng, stage, received))
    ctx.roles = person_roles(rng, voice, third_person, person.gender, domain)
    return ctx


def terse_pool(ctx: Context):
    """The very short versions for this petition's topic, or domain and stage."""
    if ctx.topic:
        return TOPICS[ctx.topic]["terse"]
    spec = DOMAINS[ctx.domain]
    if ctx.litigation == "ordinary" and "terse" in spec["ordinary"]:
        return spec["ordinary"]["terse"]
    return spec["terse"].get(ctx.stage)


def compose_text(rng: random.Random, s: Slots, ctx: Context) -> tuple[str, set[str]]:
    """The petition text (with petitioner sentinels still in) and the extra domains it touches."""
    if rng.random() < 0.08 and terse_pool(ctx):
        return render_terse(rng, s, ctx, terse_pool(ctx))
    long = rng.random() < 0.18
    if ctx.litigation == "litigation":
        plain = ctx.voice in ("elderly", "migrant", "plain", "child") and rng.random() < 0.3
        content = legal_content(rng, s, ctx, plain, long)
    else:
        content = ordinary_content(rng, s, ctx, hard_negative=rng.random() < 0.3, long=long)
    add_voice(rng, s, ctx, content, long)
    if ctx.voice == "lawyer":
        text = render_lawyer(rng, s, ctx, content)
        if ctx.channel == "online":
            text = f"标题：{content.title}\n内容：{text}"
        return text, content.also
    return RENDERERS[ctx.channel](rng, s, ctx, content), content.also


def fill_petitioner(text: str, person: FakeIdentity) -> tuple[str, bool]:
    used = False
    for name in IDENTITY_FIELDS:
        marker = sentinel(name)
        if marker in text:
            used = True
            text = text.replace(marker, getattr(person, name))
    return text, used


def generate_one(plan: tuple, index: int, seed: int, max_len: int = 600, min_len: int = 30) -> dict:
    """Compose petition number ``index``; redraw (deterministically) until its length is within bounds."""
    for attempt in range(20):
        index_seed = record_seed(seed, index * 100 + attempt)
        rng = random.Random(index_seed)
        ctx = make_context(rng, plan, index_seed)
        s = Slots(rng, ctx)
        text, also = compose_text(rng, s, ctx)
        text = text.replace("其的", "其")  # {I}的 in a third-person record
        text = add_noise(rng, ctx, text)
        text, uses_identity = fill_petitioner(text, ctx.person)
        if min_len <= len(text) <= max_len:
            break
    else:
        raise RuntimeError(f"could not compose petition {index} within {min_len}-{max_len} characters")
    also = sorted(a for a in also if a in DOMAIN_IDS and a != ctx.domain)
    person = ctx.person
    registered = uses_identity or rng.random() < (0.4 if ctx.channel == "online" else 0.75)
    return {
        "id": f"gen-{index + 1:06d}",
        "text": text,
        "domain": ctx.domain,
        "also": also,
        "litigation": ctx.litigation,
        "stage": ctx.stage,
        "channel": ctx.channel,
        "name": person.name if registered else "",
        "id_number": person.id_number if registered and (uses_identity or rng.random() < 0.8) else "",
        "phone": person.phone if registered else "",
        "address": person.address if registered else "",
        "received_at": ctx.received.isoformat(),
        "source": "generated",
    }


def schedule(n: int, seed: int) -> list[tuple]:
    """n plans cycling through every allowed combination, so the combinations come out about equally often."""
    plans = allowed_plans()
    rng = random.Random(f"schedule:{seed}")
    out: list[tuple] = []
    while len(out) < n:
        batch = plans[:]
        rng.shuffle(batch)
        out += batch
    return out[:n]


def check(record: dict) -> list[str]:
    """Label invariants every generated record must satisfy."""
    problems = []
    labels = (record["domain"] in DOMAIN_IDS, record["litigation"] in LITIGATION_IDS, record["stage"] in STAGE_IDS)
    if not all(labels):
        problems.append("unknown label")
    if (record["litigation"] == "ordinary") != (record["stage"] == "none"):
        problems.append("ordinary must go with stage none")
    if record["domain"] in record["also"]:
        problems.append("also repeats the domain")
    if "@@" in record["text"] or "{" in record["text"] or "}" in record["text"]:
        problems.append("unfilled slot")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=3000, help="number of petitions (default 3000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed; the same seed, the same file (default 0)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help=f"JSONL output (default {DEFAULT_OUTPUT})")
    args = parser.parse_args(argv)

    records = [generate_one(plan, i, args.seed) for i, plan in enumerate(schedule(args.n, args.seed))]
    problems = [f"{r['id']}: {p}" for r in records for p in check(r)]
    if problems:
        print("\n".join(problems[:20]), file=sys.stderr)
        print(f"{len(problems)} problems; nothing written", file=sys.stderr)
        return 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    with args.output.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    print(f"wrote {len(records)} petitions to {args.output} ({args.output.stat().st_size / 1e6:.2f} MB)")
    for key in ("domain", "litigation", "stage", "channel"):
        counts = Counter(r[key] for r in records)
        print(f"  {key}: " + ", ".join(f"{label} {c}" for label, c in counts.most_common()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
