import pytest

from petition_nlp import DOMAIN_IDS, LITIGATION_IDS, STAGE_IDS, TAXONOMY, label_info


def test_label_sets_are_the_documented_ones():
    assert DOMAIN_IDS == (
        "traffic_accident", "personal_injury", "criminal_filing", "court_enforcement",
        "illegal_logging", "illegal_mining", "illegal_medical_practice", "other",
    )
    assert LITIGATION_IDS == ("litigation", "ordinary")
    assert STAGE_IDS == ("none", "pre_filing", "in_proceedings", "judgment_effective", "enforcement", "exhausted")


def test_every_label_has_chinese_name_and_definition():
    for labels in TAXONOMY.values():
        for label in labels:
            assert label.zh and any("\u4e00" <= ch <= "\u9fff" for ch in label.zh)
            assert len(label.definition) > 20


def test_label_info_errors_name_the_allowed_values():
    assert label_info("domain", "illegal_logging").zh == "盗伐滥伐林木"
    with pytest.raises(KeyError, match="traffic_accident"):
        label_info("domain", "traffic")
    with pytest.raises(KeyError, match="stage"):
        label_info("phase", "none")
