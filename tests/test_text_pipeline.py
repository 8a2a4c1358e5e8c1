import random

import pytest

from petition_nlp import Segmenter, mask_personal_data, normalize
from petition_nlp.text.dictionary import DictionaryError, default_lexicon_path, read_dictionary
from petition_nlp.text.idnumber import id_birth_date, id_checksum, id_gender, is_valid_id18, upgrade_id15


def make_id(region="430521", born="19780312", seq="211"):
    first17 = region + born + seq
    return first17 + id_checksum(first17)


# --- normalisation -------------------------------------------------------------------------------------------

def test_normalize_fullwidth_traditional_spaces_and_controls():
    text = "被執行人\u3000拒不執行２０２１年判決！\x00\u200b  \r\n「法院」"
    assert normalize(text) == '被执行人 拒不执行2021年判决! "法院"'


def test_normalize_removes_lone_surrogates_and_keeps_emoji():
    assert normalize("法院\ud800执行😡") == "法院执行😡"


def test_normalize_rejects_non_strings_clearly():
    with pytest.raises(TypeError, match="expects str, got int"):
        normalize(12)


# --- ID numbers ----------------------------------------------------------------------------------------------

def test_id_checksum_and_upgrade():
    id18 = make_id()
    assert is_valid_id18(id18)
    assert not is_valid_id18(id18[:-1] + ("0" if id18[-1] != "0" else "1"))
    assert upgrade_id15("430521780312211") == id18
    assert id_birth_date(id18).isoformat() == "1978-03-12"
    assert id_gender(id18) == "男"  # sequence digit 1 is odd


# --- masking -------------------------------------------------------------------------------------------------

def test_masks_every_kind_and_reports_spans():
    id18 = make_id()
    text = f"信访人：张桂兰，身份证{id18}，电话138-1234-5678，座机0731-84561234，邮箱zgl@163.com，车牌湘A·3K5X2"
    result = mask_personal_data(text)
    assert result.text == "信访人：<NAME>，身份证<ID>，电话<PHONE>，座机<PHONE>，邮箱<EMAIL>，车牌<PLATE>"
    assert [s.kind for s in result.spans] == ["name", "id_number", "phone", "phone", "email", "plate"]
    for span in result.spans:
        assert text[span.start:span.end] == span.text


def test_masks_bank_cards_by_luhn_and_mistyped_ids():
    card = "6222021234567890128"
    result = mask_personal_data(f"卡号{card}，身份证{make_id()[:-1]}0")
    validity = {s.kind: s.valid for s in result.spans}
    assert result.text.startswith("卡号<CARD>")
    assert "<ID>" in result.text
    # The card passes the Luhn check; the ID number, its check digit changed, is masked but marked invalid.
    assert validity == {"bank_card": True, "id_number": False}


@pytest.mark.parametrize(
    "text",
    [
        "(2019)粤0608执123号",
        "（2021）湘0521民初4567号判决",
        "欠款120000元，利息3.85%",
        "2021年3月5日、20210305、2021.3.5",
        "订单号1234567890123456",
        "第13812345678901次",
    ],
)
def test_ordinary_numbers_are_not_masked(text):
    assert mask_personal_data(text).spans == ()


@pytest.mark.parametrize(("text", "masked"), [
    # found now: full-width forms passed straight to mask_personal_data, more card cues, more plate spellings,
    # the last of a list of names, both parties of a case
    ("联系我：１３９ ８７６５ ４３２１", "联系我：<PHONE>"),
    ("邮箱ZHANGWEI＠163.COM", "邮箱<EMAIL>"),
    ("他的卡4392253333333337收了钱", "他的卡<CARD>收了钱"),
    ("账户：9558803333333333336", "账户：<CARD>"),
    ("车牌湘e12345", "车牌<PLATE>"),
    ("车牌湘 E12345", "车牌<PLATE>"),
    ("信访人张三、李四和王五联名反映", "信访人<NAME>、<NAME>和<NAME>联名反映"),
    ("原告陈静诉被告张强离婚纠纷", "原告<NAME>诉被告<NAME>离婚纠纷"),
    # left alone now: words after a cue, a date after 电话, the 挂 of 挂车
    ("被执行人房产已查封", "被执行人房产已查封"),
    ("申请人高兴地说", "申请人高兴地说"),
    ("申请人余款未付", "申请人余款未付"),
    ("电话 2023-05-12 打过", "电话 2023-05-12 打过"),
    ("被告驾驶的豫A12345挂车", "被告驾驶的<PLATE>挂车"),
    ("豫A1234挂", "<PLATE>"),
])
def test_masking_finds_more_and_spares_words(text, masked):
    result = mask_personal_data(text)
    assert result.text == masked
    assert all(text[s.start:s.end] == s.text for s in result.spans)  # offsets refer to the text as given


def test_mask_recall_on_generated_identifiers():
    rng = random.Random(7)
    for _ in range(300):
        region = rng.choice(["110101", "430521", "440608", "510104", "622901"])
        born = f"{rng.randint(1940, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
        id18 = make_id(region, born, f"{rng.randint(0, 999):03d}")
        phone = f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}"
        masked = mask_personal_data(f"我的身份证号是{id18}，手机{phone}。").text
        assert masked == "我的身份证号是<ID>，手机<PHONE>。", masked


# --- segmentation --------------------------------------------------------------------------------------------

def test_lexicon_keeps_legal_terms_whole(segmenter):
    tokens = segmenter("他们盗伐林木，派出所有案不立，我申请立案监督和司法救助")
    for term in ("盗伐林木", "有案不立", "立案监督", "司法救助"):
        assert term in tokens


def test_shipped_lexicon_is_large_and_well_formed():
    entries = read_dictionary(default_lexicon_path())
    words = {e.word for e in entries}
    assert len(words) >= 400
    assert {"涉法涉诉", "盗伐林木", "拒不执行判决", "事故认定书", "立案监督", "司法救助"} <= words


def test_placeholders_stay_single_tokens(segmenter):
    tokens = segmenter("来电人电话13812345678反映")
    assert "<PHONE>" in tokens and "138" not in "".join(tokens).replace("<PHONE>", "")


def test_user_dictionary_is_per_segmenter(tmp_path):
    user = tmp_path / "user.txt"
    user.write_text("柳河村 5000 ns\n青石镇砂场 3000\n", encoding="utf-8")
    with_dict = Segmenter(user_dicts=[str(user)])
    without = Segmenter()
    text = "柳河村旁边的青石镇砂场"
    assert "青石镇砂场" in with_dict(text)
    assert "青石镇砂场" not in without(text)


def test_malformed_user_dictionary_names_file_and_line(tmp_path):
    user = tmp_path / "bad.txt"
    user.write_text("好词 10 n\n坏词 多 n\n", encoding="utf-8")
    with pytest.raises(DictionaryError, match=r"bad.txt:2: frequency"):
        Segmenter(user_dicts=[str(user)])


def test_backends_agree_on_petition_text():
    text = "被执行人王某拒不履行（2021）粤0608执1234号判决，申请人多次到执行局反映，至今未执行到位。"
    assert Segmenter(backend="rjieba")(text) == Segmenter(backend="jieba")(text)


def test_unknown_backend_error_lists_choices():
    with pytest.raises(ValueError, match=r"expected one of \['jieba', 'rjieba'\]"):
        Segmenter(backend="thulac")


@pytest.mark.parametrize("text", ["", "   \n\t ", "😡😡😡", "Hello world 123", "\x00\x00", "法院\udc80执行", "ｈｅｌｌｏ法院"])
def test_odd_input_gives_a_result(segmenter, text):
    tokens = segmenter(text)
    assert isinstance(tokens, list)
    assert all(t.strip() for t in tokens)


def test_one_megabyte_text(segmenter):
    text = "申请人多次到执行局反映判决未执行。" * 60000
    tokens = Segmenter(backend="rjieba")(text)
    assert tokens.count("执行局") == 60000


def test_list_in_list_out(segmenter):
    out = segmenter(["法院执行", "交通事故"])
    assert out == [["法院执行"], ["交通事故"]]
    with pytest.raises(TypeError, match="got int"):
        segmenter(5)


def test_stopwords_and_punctuation_dropped_when_asked():
    seg = Segmenter(stopwords="default", drop_punctuation=True)
    assert seg("我的车被撞了，交警不管！") == ["车", "撞", "交警", "不管"]


def test_batch_segmentation_equals_one_text_at_a_time():
    from petition_nlp import Segmenter

    texts = ["被执行人拒不执行判决，法院不管", "", "  ", "王伟，身份证110101199003071234，电话13800138000，要求赔偿",
             "<ID>本人<PHONE>", "私用区字符\ue000与\ue010混入", "Hello world 123", "交通事故 责任认定书不服。。。"]
    for backend in ("rjieba", "jieba"):
        segmenter = Segmenter(backend=backend, stopwords="default", drop_punctuation=True)
        prepared = segmenter.prepare_batch(texts)
        expected = [segmenter.segment_masked(t) for t in prepared]
        batch = segmenter.segment_masked_batch(prepared)
        assert batch.to_lists() == expected
        assert [tokens[:2] for tokens in batch.head(2).to_lists()] == [tokens[:2] for tokens in expected]
        assert segmenter.tokenize_batch(texts) == [segmenter.tokenize(t) for t in texts]


def test_highlight_spans_find_words_as_written():
    from petition_nlp.text import highlight_spans

    text = "法院執行局兩年沒執行到位，申請執行人：張三，電話１３８"
    spans = highlight_spans(text, ["执行", "执行局", "执行到位", "电话", "x"])
    assert [text[s:e] for s, e in spans] == ["執行局", "執行到位", "執行", "電話"]
    assert highlight_spans("abc", []) == []


def test_cued_id_and_phone_numbers_are_masked_however_they_are_written():
    from petition_nlp.text import mask_personal_data

    masked = {
        "身份证号 430521 19780312 2118": "身份证号 <ID>",
        "身份证号430521-19780312-2118": "身份证号<ID>",
        "身份证号43052119783122118，": "身份证号<ID>，",  # a digit lost
        "身份证号4305211978503122118": "身份证号<ID>",  # a digit too many
        "身份证号430521197813122118": "身份证号<ID>",  # month 13
        "ID430521197803122118": "ID<ID>",
        "他 430521 19780312 2118 住": "他 <ID> 住",  # grouped and valid: masked without a cue
        "电话84567890": "电话<PHONE>",
        "电话0731 8456 7890": "电话<PHONE>",
        "电话0731—84567890": "电话<PHONE>",
        "电话1381 234 5678": "电话<PHONE>",
        "电话138123456789": "电话<PHONE>",
        # numbers after the cue that are no ID or phone number stay
        "电话费欠了2000元": "电话费欠了2000元",
        "手机尾号5678": "手机尾号5678",
        "热线12345": "热线12345",
        "身份证丢了2019年补办": "身份证丢了2019年补办",
        "案号(2020)湘0521民初1532号": "案号(2020)湘0521民初1532号",
        "4305 2119 7803 1221 18": "<ID>",  # any grouping of a valid number
        "身份证号：430521197803122118 住址": "身份证号：<ID> 住址",
        "银行卡号6222020200315123": "银行卡号<CARD>",
        # documents' numbers and amounts are no one's personal data
        "发票号码12345678": "发票号码12345678",
        "营业执照注册号430100000123456": "营业执照注册号430100000123456",
        "借款合同编号：6212345678901234": "借款合同编号：6212345678901234",
        "信访件编号430100202003150012": "信访件编号430100202003150012",
        "项目总投资15000000000元": "项目总投资15000000000元",
        "订单4111111111111111": "订单4111111111111111",  # passes the Luhn check, but nothing says it is a card
        "手机号0000-00000000 2014年5月30日": "手机号<PHONE> 2014年5月30日",
        "车牌号湘A-12345": "车牌号<PLATE>",
    }
    assert {text: mask_personal_data(text).text for text in masked} == masked


def test_names_after_more_cues_are_masked_and_ordinary_sentences_are_not():
    from petition_nlp.text import mask_personal_data

    masked = {
        "诉求人:孔梅巧，反映拖欠工资": "诉求人:<NAME>，反映拖欠工资",
        "申请执行人赵鑫春称": "申请执行人<NAME>称",
        "信访人钱东发来访，反映": "信访人<NAME>来访，反映",
        "来电人：王五来电反映": "来电人：<NAME>来电反映",
        "本人李四，男，汉族": "本人<NAME>，男，汉族",
        "本人在县城打工，": "本人在县城打工，",
        "信访人反映，村里修路": "信访人反映，村里修路",
        # a role word followed by what happened, not by a name: the petition's content must stay
        "被害人死亡，肇事者逃逸。": "被害人死亡，肇事者逃逸。",
        "申请执行人多次来访，要求": "申请执行人多次来访，要求",
        "委托人签字，代理人到场。": "委托人签字，代理人到场。",
        "本人离婚后女儿由我抚养": "本人离婚后女儿由我抚养",
        "诉求人单位职工": "诉求人单位职工",
        "信访人金坑村的": "信访人金坑村的",
        "我是高三学生": "我是高三学生",
        # a name is cut where what the person did begins; a sex after it makes any surname count
        "信访人孔磊刚家住城北": "信访人<NAME>家住城北",
        "来访人秦林勇再次来访": "来访人<NAME>再次来访",
        "来访人向淑艳，女": "来访人<NAME>，女",
        "本人江峰伟，住城北": "本人<NAME>，住城北",
        # ... also where a demand, an objection or an age follows, and not only in the middle of a text
        "申请人张伟民要求赔偿": "申请人<NAME>要求赔偿",
        "申请人张伟民要求": "申请人<NAME>要求",
        "信访人王建国不服判决": "信访人<NAME>不服判决",
        "申请人张三今年70岁": "申请人<NAME>今年70岁",
        "当事人对判决不服": "当事人对判决不服",
        "信访人曾于今年起诉": "信访人曾于今年起诉",
        # parties named in proceedings, names in a list, a form's spaced name, a transcribed name
        "被执行人赵刚拒不履行": "被执行人<NAME>拒不履行",
        "被告人孙强至今未被追究": "被告人<NAME>至今未被追究",
        "原告钱多多": "原告<NAME>",
        "信访人张伟和李娜反映": "信访人<NAME>和<NAME>反映",
        "信访人张伟、李娜、王强反映": "信访人<NAME>、<NAME>、<NAME>反映",
        "信访人:张 伟": "信访人:<NAME>",
        "我叫阿依古丽·买买提，": "我叫<NAME>，",
        "我是张伟，男": "我是<NAME>，男",
        # ... but no role, place or phrase after a cue, which would take the petition's content away
        "我是林场护林员，发现山上树被砍了": "我是林场护林员，发现山上树被砍了",
        "我是马路对面的住户": "我是马路对面的住户",
        "我是黄冈市的农民": "我是黄冈市的农民",
        "我是高中老师": "我是高中老师",
        "被告公司": "被告公司",
        "原告方认为": "原告方认为",
        "当事人 应当 租赁": "当事人 应当 租赁",
        "信访人张伟和村干部": "信访人<NAME>和村干部",
        "被执行人名下无财产": "被执行人名下无财产",
        # a name ends where what the person did begins, also with a one-character verb
        "信访人王建国说，村里": "信访人<NAME>说，村里",
        "被执行人李强名下有房产": "被执行人<NAME>名下有房产",
        "原告王红诉被告李强": "原告<NAME>诉被告<NAME>",
        "原告王红提起诉讼": "原告<NAME>提起诉讼",
        "被申请人李华欠我工资": "被申请人<NAME>欠我工资",
        # forms, court roles, sign-offs and the people named with the petitioner
        "信访人姓名：张伟": "信访人姓名：<NAME>",
        "姓名:张伟性别:男": "姓名:<NAME>性别:男",
        "姓 名：张伟 性 别：男": "姓 名：<NAME> 性 别：男",
        "姓名：张 小 明": "姓名：<NAME>",
        "被上诉人（原审被告）：李强，男": "被上诉人（原审被告）：<NAME>，男",
        "法定代表人：王建国": "法定代表人：<NAME>",
        "报告人:李翠三、晏芬配": "报告人:<NAME>、<NAME>",
        "本人王红，汉族": "本人<NAME>，汉族",
        "本人赵阳林于2015年": "本人<NAME>于2015年",
        "信访人张伟及其妻子李娜": "信访人<NAME>及其妻子<NAME>",
        "信访人张伟之子张小明": "信访人<NAME>之子<NAME>",
        "申请人于伟，男": "申请人<NAME>，男",
        # roles and prepositions after a cue
        "我是外嫁女，": "我是外嫁女，",
        "我是独生子女，父母去世": "我是独生子女，父母去世",
        "我是房东": "我是房东",
        "信访人孙子被打": "信访人孙子被打",
        "申请人于收到判决后": "申请人于收到判决后",
    }
    assert {text: mask_personal_data(text).text for text in masked} == masked
    assert mask_personal_data("本人张三，男，电话13812345678", kinds={"phone"}).text == "本人张三，男，电话<PHONE>"
