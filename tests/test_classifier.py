import json

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer

from petition_nlp import HeadConfig, PetitionClassifier, PetitionModel, Prediction, load_model
from petition_nlp.classify import TextFeaturizer
from petition_nlp.classify.fast_tfidf import CharNgramTfidf, WordNgramTfidf


def test_classifier_follows_sklearn_conventions(small_train):
    params = {"head": HeadConfig(C=0.5)}
    clf = PetitionClassifier(**params)
    assert clf.get_params()["head"] is params["head"]  # stored untouched
    with pytest.raises(NotFittedError):
        clf.predict(["派出所不立案"])
    clone(clf)
    texts, labels = small_train["text"].tolist(), small_train["litigation"].tolist()
    assert clf.fit(texts, labels) is clf
    proba = clf.predict_proba(texts[:20])
    assert proba.shape == (20, len(clf.classes_))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    assert list(clf.predict(texts[:20])) == list(clf.classes_[proba.argmax(axis=1)])
    assert clf.score(texts, labels) > 0.9


def test_unfitted_model_and_featurizer_raise_not_fitted():
    with pytest.raises(NotFittedError):
        PetitionModel().predict("法院执行")
    with pytest.raises(NotFittedError):
        TextFeaturizer().transform(["法院执行"])


def test_one_text_gives_one_result_a_list_gives_a_list(fitted_model):
    one = fitted_model.predict("法院判决生效两年了，被执行人一分钱没给，执行局说没有财产可供执行。")
    assert isinstance(one, Prediction)
    assert one["domain"].label == "court_enforcement"
    assert one["litigation"].label == "litigation"
    assert 0 < one["domain"].confidence <= 1
    assert abs(sum(one["domain"].probabilities.values()) - 1) < 1e-6
    assert one["domain"].words and all(len(w) >= 2 for w in one["domain"].words)
    many = fitted_model.predict(["小区电梯坏了三个月物业不修", "邻居把我打成轻伤，派出所不立案"])
    assert [p["litigation"].label for p in many] == ["ordinary", "litigation"]
    assert fitted_model.predict([]) == []


def test_review_flag_for_empty_and_inconsistent_predictions(fitted_model):
    empty = fitted_model.predict("   ")
    assert empty.needs_review and "empty text" in empty.review_reasons


def test_held_out_quality_of_a_small_model(fitted_model, corpus):
    heldout = corpus[corpus["split"] == "heldout"]
    predictions = fitted_model.predict(heldout["text"].tolist(), explain=False)
    litigation_accuracy = np.mean([p["litigation"].label == t for p, t in zip(predictions, heldout["litigation"])])
    domain_accuracy = np.mean([p["domain"].label == t for p, t in zip(predictions, heldout["domain"])])
    assert litigation_accuracy > 0.9
    assert domain_accuracy > 0.75


def test_save_load_roundtrip_is_exact(fitted_model, saved_model, corpus):
    loaded = load_model(saved_model)
    texts = corpus["text"].head(50).tolist()
    for head in fitted_model.head_names:
        np.testing.assert_array_equal(fitted_model.predict_proba(texts, head), loaded.predict_proba(texts, head))
    meta = json.loads((saved_model / "meta.json").read_text(encoding="utf-8"))
    assert meta["library_version"] and meta["format_version"] == 1
    assert set(meta["heads"]) == {"domain", "litigation", "stage"}
    assert meta["training_data"]["rows"] > 100 and len(meta["training_data"]["sha256"]) == 64
    assert "cross_validated_on_training_data" in meta["metrics"]
    assert (saved_model / "dictionaries" / "lexicon.txt").is_file()
    suffixes = {p.suffix for p in saved_model.rglob("*") if p.is_file()}
    assert suffixes <= {".json", ".safetensors", ".txt"}


def test_tampered_or_incompatible_model_is_refused(saved_model, tmp_path):
    import shutil

    from petition_nlp import ModelLoadError

    copy = tmp_path / "copy"
    shutil.copytree(saved_model, copy)
    heads = copy / "heads.json"
    heads.write_text(heads.read_text(encoding="utf-8").replace('"temperature": ', '"temperature": 1'), encoding="utf-8")
    with pytest.raises(ModelLoadError, match="heads.json was modified"):
        load_model(copy)
    shutil.rmtree(copy)
    shutil.copytree(saved_model, copy)
    meta = json.loads((copy / "meta.json").read_text(encoding="utf-8"))
    meta["format_version"] = 99
    (copy / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    with pytest.raises(ModelLoadError, match="format 99"):
        load_model(copy)
    with pytest.raises(ModelLoadError, match="meta.json is missing"):
        load_model(tmp_path)


def test_saved_model_holds_no_personal_data(corpus, tmp_path):
    from petition_nlp import save_model, train
    from petition_nlp.synthetic import IdentityFactory

    factory = IdentityFactory(99)
    people = [factory.identity() for _ in range(5)]
    frame = corpus[corpus["split"] == "train"].head(300).copy()
    texts = frame["text"].tolist()
    # Each person appears in several petitions, so frequency pruning alone would not hide them.
    for i, person in enumerate(people * 8):
        texts[i] = f"信访人：{person.name}，身份证号{person.id_number}，电话{person.phone}。{texts[i]}"
    frame["text"] = texts
    saved = save_model(train(frame, ["domain"], progress=False), tmp_path / "m")
    blob = b"".join(p.read_bytes() for p in saved.rglob("*") if p.is_file())
    for person in people:
        for value in (person.name, person.id_number, person.phone, person.id_number[-8:]):
            assert value.encode() not in blob, value


def test_fast_tfidf_equals_sklearn(corpus):
    from petition_nlp import Segmenter

    segmenter = Segmenter(backend="rjieba", stopwords="default", drop_punctuation=True)
    docs = segmenter.prepare_batch(corpus["text"].head(400).tolist()) + ["", " ", "a  b\t c"]
    char = TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True, lowercase=False).fit(docs[:300])
    fast = CharNgramTfidf(char.get_feature_names_out().tolist(), char.idf_, (1, 3))
    assert abs(char.transform(docs) - fast.transform(docs)).max() < 1e-6
    tokens = [segmenter.segment_masked(d) for d in docs]
    word = TfidfVectorizer(analyzer="word", tokenizer=lambda x: x, preprocessor=lambda x: x, token_pattern=None,
                           ngram_range=(1, 2), min_df=2, sublinear_tf=True, lowercase=False).fit(tokens[:300])
    fast_word = WordNgramTfidf(word.get_feature_names_out().tolist(), word.idf_, (1, 2))
    assert abs(word.transform(tokens) - fast_word.transform(tokens)).max() < 1e-6
    assert abs(word.transform(tokens) - fast_word.transform(segmenter.segment_masked_batch(docs))).max() < 1e-6


def test_fast_char_tfidf_with_pruned_vocabulary(corpus):
    """Trigrams whose bigrams or characters were pruned from the vocabulary (max_features, personal data) are
    still found; bigram-only and trigram-only ranges too."""
    docs = corpus["text"].head(300).tolist() + ["", "法院执行"]
    for ngram_range in [(1, 3), (2, 3), (3, 3), (1, 2)]:
        char = TfidfVectorizer(analyzer="char", ngram_range=ngram_range, min_df=2, sublinear_tf=True, lowercase=False).fit(docs)
        names = char.get_feature_names_out()
        keep = np.array([not (len(n) < 3 and i % 3 == 0) for i, n in enumerate(names)])
        pruned = TfidfVectorizer(analyzer="char", ngram_range=ngram_range, sublinear_tf=True, lowercase=False,
                                 vocabulary=names[keep].tolist())
        pruned.idf_ = char.idf_[keep]
        fast = CharNgramTfidf(names[keep].tolist(), char.idf_[keep], ngram_range)
        assert abs(pruned.transform(docs) - fast.transform(docs)).max() < 1e-6, ngram_range


def test_head_with_missing_labels_trains_on_labelled_rows(small_train):
    from petition_nlp import train

    frame = small_train.copy()
    frame.loc[frame.index[:50], "stage"] = ""
    model = train(frame, ["stage"], progress=False)
    assert model.meta["training_data"]["rows"] == len(frame)
    assert set(model.labels("stage")) <= {"none", "pre_filing", "in_proceedings", "judgment_effective", "enforcement", "exhausted"}


def test_training_errors_name_the_problem(small_train):
    from petition_nlp import train

    with pytest.raises(ValueError, match="no column 'topic'"):
        train(small_train, ["topic"], progress=False)
    with pytest.raises(ValueError, match="target .one.: a head needs at least 2 classes"):
        train(small_train.assign(one="x"), ["one"], progress=False)


def test_register_names_never_enter_the_vocabulary(corpus, tmp_path):
    from petition_nlp import save_model, train

    frame = corpus[corpus["split"] == "train"].head(300).copy()
    # A name written free-standing (no cue such as 信访人) in many petitions would pass frequency pruning.
    frame["name"] = "欧阳振华"
    frame["text"] = frame["text"] + "欧阳振华"
    saved = save_model(train(frame, ["litigation"], progress=False), tmp_path / "m")
    vocabulary = (saved / "features.json").read_text(encoding="utf-8")
    for part in ("欧阳振华", "欧阳", "阳振", "振华", "欧阳振", "阳振华"):
        assert f'"{part}"' not in vocabulary, part



def test_register_names_in_other_writings_and_addresses_never_enter_the_vocabulary(corpus, tmp_path):
    """The register writes 劉曉東 and 阿依古丽·买买提, the texts (normalised) 刘晓东 and 阿依古丽 买买提; an address is
    kept out in its pieces below the county, which texts repeat apart (家住白水镇, 石门村三组)."""
    import pandas as pd

    from petition_nlp import save_model, train

    frame = corpus[corpus["split"] == "train"].head(300).copy()
    half = len(frame) // 2
    frame["name"] = ["劉曉東"] * half + ["阿依古丽·买买提"] * (len(frame) - half)
    frame["address"] = "湖南省永州市祁阳县白水镇石门村三组25号"
    frame["text"] = frame["text"] + pd.Series(["劉曉東的兒子家住白水镇石门村三组25号"] * half
                                              + ["阿依古丽·买买提家住白水镇石门村三组25号"] * (len(frame) - half), index=frame.index)
    saved = save_model(train(frame, ["litigation"], progress=False), tmp_path / "m")
    vocabulary = json.loads((saved / "features.json").read_text(encoding="utf-8"))["vocabularies"]
    terms = {term.replace(" ", "") for part in vocabulary.values() for term in part}
    for piece in ("刘晓东", "晓东", "阿依古丽", "买买提", "白水镇", "白水", "石门村", "石门", "三组", "25号"):
        assert not [t for t in terms if piece in t], piece
    assert "家住" in terms  # the words around them are still learnt


def test_pieces_of_register_id_numbers_never_enter_the_vocabulary(corpus, tmp_path):
    from petition_nlp import mask_personal_data, save_model, train

    frame = corpus[corpus["split"] == "train"].head(300).copy()
    # A repeat petitioner writes the pieces of the same (fake) ID number in many petitions, past frequency pruning.
    frame["id_number"] = "430521197803122118"
    frame["text"] = frame["text"] + "，出生日期19780312，户籍地编码430521。"
    assert "19780312" in mask_personal_data(frame["text"].iloc[0]).text  # masking alone does not catch these
    saved = save_model(train(frame, ["litigation"], progress=False), tmp_path / "m")
    vocabulary = (saved / "features.json").read_text(encoding="utf-8")
    assert "19780312" not in vocabulary and "430521" not in vocabulary


def test_sklearn_classifier_keeps_the_type_of_its_labels(small_train):
    from sklearn.model_selection import cross_val_score

    texts = small_train["text"].tolist()
    codes = {"litigation": 1, "ordinary": 0}
    y = np.array([codes[v] for v in small_train["litigation"]])
    clf = PetitionClassifier().fit(texts, y)
    assert clf.classes_.tolist() == [0, 1] and clf.classes_.dtype.kind == "i"
    assert set(clf.predict(texts[:30]).tolist()) <= {0, 1}
    assert clf.decision_function(texts[:5]).shape == (5,)  # one score for the second class, as scikit-learn's
    assert clf.score(texts, y) > 0.9
    # integer codes with a gap read as floats; the model stores them as the codes a CSV gives
    from petition_nlp import PetitionModel

    gappy = [float(v) if i % 7 else None for i, v in enumerate(y)]
    assert PetitionModel().fit(texts, {"code": gappy}).labels("code") == ["0", "1"]
    scores = cross_val_score(PetitionClassifier(), texts, y, cv=2)
    assert np.isfinite(scores).all() and scores.min() > 0.8


def test_sklearn_classifier_refuses_one_string_and_mixed_label_types(small_train):
    texts = small_train["text"].tolist()
    clf = PetitionClassifier().fit(texts, small_train["litigation"].tolist())
    with pytest.raises(ValueError, match="got one str"):
        clf.predict("派出所不立案")  # would otherwise classify each character
    with pytest.raises(ValueError, match="got one str"):
        PetitionClassifier().fit("派出所不立案", ["a"] * 6)
    mixed = [1 if i % 2 else "1" for i in range(len(texts))]
    mixed[0] = 2
    with pytest.raises(ValueError, match="mix types"):
        PetitionClassifier().fit(texts, mixed)


def test_text_with_too_few_known_words_needs_review(fitted_model):
    from petition_nlp.classify.model import UNFAMILIAR_REASON

    for text in ("abc", "???", "好"):
        prediction = fitted_model.predict(text)
        assert prediction.needs_review and UNFAMILIAR_REASON in prediction.review_reasons
    ordinary = fitted_model.predict("我父亲骑电动车被货车撞倒，司机逃逸，交警两个月了还不出事故认定书。")
    assert UNFAMILIAR_REASON not in ordinary.review_reasons
    columns = fitted_model.predict_columns(["abc", "我父亲骑电动车被货车撞倒，司机逃逸，交警两个月了还不出事故认定书。"])
    assert columns["needs_review"][0] is True


def test_training_never_overwrites_a_model_or_a_folder_by_accident(small_train, saved_model, tmp_path):
    from petition_nlp import save_model, train

    frame = small_train.head(120)
    with pytest.raises(FileExistsError, match="already holds a model"):
        train(frame, ["litigation"], output=saved_model, progress=False)
    other = tmp_path / "notes"
    other.mkdir()
    (other / "todo.txt").write_text("x", encoding="utf-8")
    with pytest.raises(FileExistsError, match="holds no petition-nlp model"):
        train(frame, ["litigation"], output=other, progress=False)
    # Retraining in place with the model's own copy of a user dictionary keeps that dictionary.
    first = tmp_path / "mine"
    user_dict = tmp_path / "words.txt"
    user_dict.write_text("包工头 100 n\n", encoding="utf-8")
    from petition_nlp import FeatureConfig, SegmenterConfig

    features = FeatureConfig(segmenter=SegmenterConfig(backend="rjieba", user_dicts=(str(user_dict),),
                                                       stopwords="default", drop_punctuation=True))
    save_model(train(frame, ["litigation"], features=features, progress=False), first)
    own_copy = first / "dictionaries" / "user_0_words.txt"
    features = FeatureConfig(segmenter=SegmenterConfig(backend="rjieba", user_dicts=(str(own_copy),),
                                                       stopwords="default", drop_punctuation=True))
    train(frame, ["litigation"], features=features, output=first, overwrite=True, progress=False)
    assert "包工头" in own_copy.read_text(encoding="utf-8")
    assert load_model(first).featurizer_.segmenter_.tokenize("包工头拖欠工资")[0] == "包工头"


def test_a_meta_json_that_is_not_an_object_is_refused(saved_model, tmp_path):
    import shutil

    from petition_nlp import ModelLoadError

    copy = tmp_path / "copy"
    shutil.copytree(saved_model, copy)
    (copy / "meta.json").write_text("[]", encoding="utf-8")
    with pytest.raises(ModelLoadError, match="expected a JSON object"):
        load_model(copy)


def _damaged_copy(saved_model, tmp_path, damage, verify=True):
    import shutil

    copy = tmp_path / "copy"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(saved_model, copy)
    meta = json.loads((copy / "meta.json").read_text(encoding="utf-8"))
    damage(copy, meta)
    (copy / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    return load_model(copy, verify=verify)


@pytest.mark.parametrize("damage, verify, message", [
    (lambda d, m: (d / "heads.json").write_text("{}"), False, "has no heads"),
    (lambda d, m: (d / "heads.json").write_text("[]"), False, "expected a JSON object, got list"),
    (lambda d, m: (d / "features.json").write_text('{"vocabulary": []}'), False, "no segmenter settings"),
    (lambda d, m: [p.unlink() for p in (d / "dictionaries").iterdir()], False, "dictionary .* is missing"),
    (lambda d, m: m.update(files="x"), True, "'files' must map file names"),
    (lambda d, m: m["files"].update({"../../etc/passwd": "0"}), True, "outside the model directory"),
])
def test_a_damaged_model_folder_gets_a_model_load_error(saved_model, tmp_path, damage, verify, message):
    from petition_nlp import ModelLoadError

    with pytest.raises(ModelLoadError, match=message):
        _damaged_copy(saved_model, tmp_path, damage, verify)


def test_saving_a_loaded_model_records_this_save(saved_model, tmp_path):
    from petition_nlp import save_model

    meta = json.loads((saved_model / "meta.json").read_text(encoding="utf-8"))
    model = load_model(saved_model)
    model.meta["created_at"] = "2001-01-01T00:00:00+00:00"
    model.meta["library_version"] = "0.0.1"
    again = json.loads((save_model(model, tmp_path / "again") / "meta.json").read_text(encoding="utf-8"))
    assert again["created_at"] != "2001-01-01T00:00:00+00:00" and again["library_version"] == meta["library_version"]
    assert again["training_data"] == meta["training_data"]


def test_evaluation_report_masks_personal_data_in_its_excerpts(fitted_model, tmp_path):
    import pandas as pd

    from petition_nlp import evaluate

    text = "信访人王建国，身份证号430521197803122118，电话13812345678，反映法院判决生效后被执行人一直不还钱。"
    frame = pd.DataFrame({"text": [text] * 3, "domain": ["traffic_accident"] * 3})  # labelled wrongly on purpose
    evaluate(fitted_model, frame, report_dir=tmp_path / "report", progress=False)
    report = (tmp_path / "report" / "report.md").read_text(encoding="utf-8")
    assert "<ID>" in report and "430521197803122118" not in report and "13812345678" not in report


def test_evaluation_scores_the_heads_that_have_labels(fitted_model):
    import pandas as pd

    from petition_nlp import evaluate

    frame = pd.DataFrame({"text": ["法院判决生效两年了还不执行", "邻居把我打成轻伤，派出所不立案"],
                          "domain": ["court_enforcement", "criminal_filing"], "stage": ["", ""]})  # a blank column
    metrics = evaluate(fitted_model, frame, progress=False)
    assert list(metrics) == ["domain"] and metrics["domain"]["rows"] == 2
    with pytest.raises(ValueError, match="no row of data has a label"):
        evaluate(fitted_model, frame.assign(domain=""), progress=False)


def test_labels_typed_with_spaces_and_a_label_with_one_example(small_train, tmp_path, caplog):
    import logging

    from petition_nlp import save_model, train

    frame = small_train.copy()
    frame.loc[frame.index[:4], "domain"] = frame.loc[frame.index[:4], "domain"] + " "  # as typed in a spreadsheet
    frame.loc[frame.index[10], "domain"] = "new_label"  # one example only
    with caplog.at_level(logging.WARNING):
        model = train(frame, ["domain"], progress=False)
    assert "new_label" in model.labels("domain") and not any(label.endswith(" ") for label in model.labels("domain"))
    assert "removed spaces around 4 label(s)" in caplog.text and "'new_label'" in caplog.text
    # the other labels are still calibrated: not every prediction needs review
    head = model.heads_["domain"]
    assert head.review_threshold_ < 1.0
    saved = save_model(model, tmp_path / "m")
    for name in ("heads.json", "meta.json"):
        json.loads((saved / name).read_text(encoding="utf-8"), parse_constant=lambda c: pytest.fail(f"{name} has {c}"))


def test_evaluation_reads_labels_with_spaces_as_training_does(fitted_model):
    import pandas as pd

    from petition_nlp import evaluate

    texts = ["法院判决生效两年了还不执行", "邻居把我打成轻伤，派出所不立案"]
    clean = evaluate(fitted_model, pd.DataFrame({"text": texts, "litigation": ["litigation", "litigation"]}), progress=False)
    spaced = evaluate(fitted_model, pd.DataFrame({"text": texts, "litigation": ["litigation ", "\u3000litigation"]}),
                      progress=False)
    assert spaced["litigation"]["accuracy"] == clean["litigation"]["accuracy"] and not spaced["litigation"]["labels_not_in_model"]


def test_one_rare_label_leaves_the_other_labels_predicted_as_before(small_train):
    import pandas as pd

    from petition_nlp import train

    # an uneven head, as a bureau's own labels often are: few ordinary petitions, one example of a third label
    frame = pd.concat([small_train[small_train["litigation"] == "litigation"],
                       small_train[small_train["litigation"] == "ordinary"].head(15)], ignore_index=True)
    frame["rare"] = frame["litigation"]
    frame.loc[0, "rare"] = "x"
    model = train(frame, ["litigation", "rare"], progress=False)
    texts = frame["text"].tolist()
    clean = model.predict_columns(texts)
    ordinary = [i for i, label in enumerate(frame["litigation"]) if label == "ordinary"]
    assert [clean["rare"][i] for i in ordinary] == [clean["litigation"][i] for i in ordinary]
    head = model.heads_["rare"]
    assert head.bias_[list(head.classes_).index("x")] == 0.0 and head.review_threshold_ < 1.0


def test_longer_ngram_ranges_round_trip_through_save_and_load(small_train, tmp_path):
    """Word trigrams and character 4-grams have no vectorised transform: the saved model labels with scikit-learn's
    own vectorizers, rebuilt from the saved vocabularies, and gives the fitted model's probabilities."""
    from petition_nlp import FeatureConfig, save_model

    config = FeatureConfig(word_ngrams=(1, 3), char_ngrams=(2, 4), lead_tokens=0)
    texts = small_train["text"].tolist()
    model = PetitionModel(config).fit(texts, {"litigation": small_train["litigation"].tolist()})
    save_model(model, tmp_path / "m")
    loaded = load_model(tmp_path / "m")
    assert any(len(term.split(" ")) == 3 for term in loaded.featurizer_.feature_names_)
    np.testing.assert_allclose(model.predict_proba(texts[:30], "litigation"), loaded.predict_proba(texts[:30], "litigation"),
                               rtol=1e-6)


def test_labelling_with_a_saved_model_imports_no_sklearn(saved_model, tmp_path):
    """Start-up is most of a small labelling run: a loaded model, the CLI's label command and the Python API label
    without importing scikit-learn (and SciPy's statistics, which it pulls in), which alone takes seconds."""
    import subprocess
    import sys

    source = tmp_path / "in.csv"
    source.write_text("id,text\n1,邻居把我打成轻伤，派出所不立案\n2,小区电梯坏了三个月物业不修\n", encoding="utf-8")
    script = f"""
import sys
import petition_nlp
from petition_nlp.cli import main
model = petition_nlp.load({str(saved_model)!r})
assert model.predict("法院判决生效两年了，执行局说没有财产").needs_review in (True, False)
sys.argv = ["petition-nlp", "label", {str(source)!r}, "-o", {str(tmp_path / 'out.csv')!r}, "--model", {str(saved_model)!r}, "--no-progress"]
try:
    main()
except SystemExit as stop:
    assert not stop.code, stop.code
print(sorted(name for name in sys.modules if name.split(".")[0] == "sklearn" or name == "scipy.stats"))
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.splitlines()[-1] == "[]"
    assert (tmp_path / "out.csv").read_text(encoding="utf-8").count("\n") == 3


def test_every_public_name_resolves():
    import petition_nlp
    import petition_nlp.classify

    for package in (petition_nlp, petition_nlp.classify):
        for name in package.__all__:
            assert getattr(package, name) is not None, name
        assert set(package.__all__) <= set(dir(package))
        with pytest.raises(AttributeError, match="no attribute 'Nonexistent'"):
            package.Nonexistent  # noqa: B018


def test_copies_of_a_petition_stay_in_one_fold(small_train, corpus, caplog):
    """A register full of repeated texts: cross-validation keeps the copies together, so the review threshold is
    set as if each petition came once, and copies with different labels are reported."""
    import logging

    import pandas as pd

    from petition_nlp import train

    once = train(small_train, ["domain"], progress=False)
    thrice = train(pd.concat([small_train] * 3), ["domain"], progress=False)
    cv_once = once.meta["metrics"]["cross_validated_on_training_data"]["domain"]
    cv_thrice = thrice.meta["metrics"]["cross_validated_on_training_data"]["domain"]
    # Without grouping, each copy is scored by a model trained on its twin: accuracy near 1, threshold far down.
    assert abs(cv_thrice["cv_accuracy"] - cv_once["cv_accuracy"]) < 0.05
    assert cv_thrice["cv_review_share"] > 0.5 * cv_once["cv_review_share"]
    heldout = corpus[corpus["split"] == "heldout"]["text"].head(200).tolist()
    flagged = np.mean([p.needs_review for p in thrice.predict(heldout, explain=False)])
    assert flagged > 0.5 * np.mean([p.needs_review for p in once.predict(heldout, explain=False)])

    flipped = small_train.head(5).assign(
        litigation=lambda f: np.where(f["litigation"] == "ordinary", "litigation", "ordinary"))
    with caplog.at_level(logging.WARNING):
        train(pd.concat([small_train, flipped]), ["litigation"], progress=False)
    assert "5 text(s) occur more than once with different labels" in caplog.text


def test_missing_labels_of_nullable_columns_are_left_out(small_train):
    import pandas as pd

    from petition_nlp import train

    frame = small_train.copy()
    frame["stage"] = frame["stage"].astype("string")
    frame.loc[frame.index[:7], "stage"] = pd.NA
    frame.loc[frame.index[7], "stage"] = " none"  # spaces are still removed around the labels that are there
    model = train(frame, ["stage"], progress=False)
    assert "<NA>" not in model.labels("stage") and " none" not in model.labels("stage")
    codes = pd.array([1, 2, None, 1, 2, 1, 2, 1, 2, 1] * 12, dtype="Int64")
    clf = PetitionClassifier().fit(small_train["text"].head(120).tolist(), codes)
    assert list(clf.classes_) == [1, 2]


def test_the_taxonomy_rule_applies_to_the_shipped_labels_only(small_train, fitted_model):
    own = small_train.assign(litigation=small_train["litigation"].map({"litigation": "涉法涉诉", "ordinary": "普通信访"}))
    model = PetitionModel().fit(own["text"].tolist(), {"litigation": own["litigation"].tolist(), "stage": own["stage"].tolist()})
    texts = ["小区电梯坏了三个月物业不修", "邻居把我打成轻伤，派出所不立案", "法院判决生效两年了还不执行"]
    assert not any("disagrees" in reason for p in model.predict(texts) for reason in p.review_reasons)
    assert model._follows_taxonomy() is False and fitted_model._follows_taxonomy() is True


def test_head_names_that_labelling_writes_itself_are_refused(small_train):
    from petition_nlp import train

    for name in ("error", "needs_review", "explanation"):
        with pytest.raises(ValueError, match=f"cannot be named '{name}'"):
            train(small_train.assign(**{name: small_train["domain"]}), [name], progress=False)
    with pytest.raises(ValueError, match="cannot be named 'domain_confidence'"):
        PetitionModel().fit(["a"], {"domain": ["x"], "domain_confidence": ["y"]})


def test_undecodable_rows_are_not_trained_on(small_train, caplog):
    import logging

    from petition_nlp import train

    frame = small_train.copy()
    frame.loc[frame.index[:3], "text"] = "\ufffd\ufffd涓\ufffd嶅\ufffd"
    frame.loc[frame.index[3], "domain"] = "\ufffd\ufffd"
    with caplog.at_level(logging.WARNING):
        model = train(frame, ["domain"], progress=False)
    assert "skipping 4 row(s) whose text or label has bytes that could not be decoded" in caplog.text
    assert model.meta["training_data"]["rows"] == len(frame) - 4 and "\ufffd\ufffd" not in model.labels("domain")


def test_evaluation_of_labelling_output_and_of_heads_named_like_paths(small_train, fitted_model, tmp_path):
    import pandas as pd

    from petition_nlp import evaluate, train
    from petition_nlp.batch import label_frame

    held = small_train.head(40)
    labelled = label_frame(fitted_model, held[["text", "domain"]], "text")
    assert "domain_input" in labelled.columns
    scored = evaluate(fitted_model, labelled, progress=False)
    direct = evaluate(fitted_model, held[["text", "domain"]], progress=False)
    assert scored["domain"]["accuracy"] == direct["domain"]["accuracy"]
    with pytest.raises(ValueError, match="none of the model's head columns"):
        evaluate(fitted_model, labelled.drop(columns=["domain_input"]), progress=False)

    model = train(small_train.rename(columns={"domain": "问题分类/一级"}), ["问题分类/一级"], progress=False)
    report = tmp_path / "report"
    evaluate(model, held.rename(columns={"domain": "问题分类/一级"}), report_dir=report, progress=False)
    files = sorted(p.name for p in report.iterdir())
    assert len([f for f in files if f.startswith("confusion_问题分类_一级_")]) == 1 and "report.md" in files
    assert not (tmp_path / "report" / "confusion_问题分类").exists()
    text = (report / "report.md").read_text(encoding="utf-8")
    assert all(f"]({f})" in text for f in files if f.endswith(".png"))
    assert pd.read_json(report / "metrics.json").shape[1] == 1


def test_one_text_gives_one_probability_vector_and_scores_rank_as_predict(fitted_model, small_train):
    proba = fitted_model.predict_proba("派出所不立案", "litigation")
    assert proba.shape == (len(fitted_model.labels("litigation")),)
    texts, labels = small_train["text"].tolist(), small_train["litigation"].tolist()
    binary = PetitionClassifier().fit(texts, labels)
    assert list(binary.classes_[(binary.decision_function(texts[:80]) > 0).astype(int)]) == list(binary.predict(texts[:80]))
    multi = PetitionClassifier().fit(texts, small_train["domain"].tolist())
    assert list(multi.classes_[multi.decision_function(texts[:80]).argmax(axis=1)]) == list(multi.predict(texts[:80]))


def test_replacing_a_model_leaves_none_of_its_files(saved_model, tmp_path):
    """`--force` over another kind of model (a transformer's model.onnx, say) removes the files that model listed,
    and nothing else."""
    import shutil

    from petition_nlp import save_model

    folder = tmp_path / "m"
    shutil.copytree(saved_model, folder)
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    (folder / "model.onnx").write_bytes(b"old")
    meta["files"]["model.onnx"] = "0" * 64
    (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    (folder / "notes.txt").write_text("the bureau's own notes", encoding="utf-8")
    save_model(load_model(saved_model), folder, overwrite=True)
    assert not (folder / "model.onnx").exists() and (folder / "notes.txt").is_file()
    assert "model.onnx" not in json.loads((folder / "meta.json").read_text(encoding="utf-8"))["files"]
    load_model(folder)


def test_a_label_that_reads_like_a_missing_value_is_warned_about(small_train, caplog):
    import logging

    from petition_nlp import train

    frame = small_train.copy()
    frame.loc[frame.index[:6], "litigation"] = "NULL"  # a database export's missing value
    with caplog.at_level(logging.WARNING):
        model = train(frame, ["litigation"], progress=False)
    assert "'NULL'" in caplog.text and "read like a missing value" in caplog.text and "NULL" in model.labels("litigation")
