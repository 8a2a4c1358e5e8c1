import json
import os

import pandas as pd
import pytest
from sklearn.metrics.cluster import pair_confusion_matrix
from typer.testing import CliRunner

from petition_nlp import RepeatDetector, RepeatIndex
from petition_nlp.cli import repeats as _repeats_cli  # noqa: F401  (registers the subcommand)
from petition_nlp.cli.app import app
from petition_nlp.repeats import name_pinyin, normalize_id_number, normalize_name, normalize_phone, parse_address
from petition_nlp.synthetic.register import generate_register


@pytest.fixture(scope="module")
def register(corpus):
    return generate_register(1500, list(zip(corpus["text"], corpus["domain"])), seed=11)


@pytest.fixture(scope="module")
def detected(register):
    detector = RepeatDetector()
    return detector, detector.fit_assign(register.drop(columns=["true_person", "true_matter"]))


def true_repeats(register):
    ordered = register.assign(_d=pd.to_datetime(register["received_at"])).sort_values(["true_person", "_d", "id"])
    return ordered.duplicated(["true_person", "true_matter"]).reindex(register.index).to_numpy()


def test_identity_normalisation():
    upgraded = normalize_id_number("430521780312211")
    assert upgraded.value == "430521197803122118" and upgraded.valid and upgraded.birth_date == "1978-03-12"
    assert upgraded.gender == "男"
    malformed = normalize_id_number("4305211978O3122118")
    assert not malformed.valid and malformed.value  # kept as text, never an exception
    assert normalize_phone("+86 138-1234-5678").value == "13812345678"
    assert normalize_phone("0086 13812345678").kind == "mobile"
    assert normalize_phone("(0731)84561234").kind == "landline"
    assert normalize_name("王 瑋") == "王玮"
    assert name_pinyin("王伟") == name_pinyin("王炜") == name_pinyin(normalize_name("王 瑋")) == "wangwei"
    assert parse_address("邵东市青石镇柳河村3组").province == "湖南省"
    full = parse_address("湖南省邵阳市邵东市青石镇柳河村3组12号")
    assert (full.city, full.district, full.street) == ("邵阳市", "邵东市", "青石镇")


def test_linkage_finds_the_people(register, detected):
    _, labelled = detected
    (_, fp), (fn, tp) = pair_confusion_matrix(register["true_person"], labelled["petitioner_id"])
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision > 0.95 and recall > 0.9, (precision, recall)
    exact_id = register["id_number"].where(register["id_number"] != "", register["id"])
    (_, _), (fn_base, tp_base) = pair_confusion_matrix(register["true_person"], exact_id)
    assert recall > tp_base / (tp_base + fn_base) + 0.1  # far better recall than exact ID matching


def test_repeats_and_prior_petitions(register, detected):
    _, labelled = detected
    assert (labelled["is_repeat"].to_numpy() == true_repeats(register)).mean() > 0.9
    repeats = labelled[labelled["is_repeat"]]
    assert repeats["repeat_of"].isin(labelled["id"]).all()
    first = labelled[~labelled["is_repeat"]]
    assert first["repeat_of"].isna().all()
    sizes = labelled.groupby("petitioner_id").size()
    assert (labelled["prior_petitions"] < labelled["petitioner_id"].map(sizes)).all()
    assert labelled["prior_petitions"].max() >= 1


def test_output_keeps_rows_and_columns(register, detected):
    detector, labelled = detected
    assert list(labelled["id"]) == list(register["id"])
    for column in ("petitioner_id", "match_probability", "is_repeat", "repeat_of", "prior_petitions"):
        assert column in labelled.columns
    links = detector.links_
    assert {"match_probability", "evidence"} <= set(links.columns)
    assert links["evidence"].str.contains("name:").all()


def test_dirty_and_empty_identities_never_crash():
    frame = pd.DataFrame({
        "id": ["a", "b", "c", "d"],
        "name": ["", None, "张 三", "张三"],
        "id_number": ["", "12345", "ABCDEFG", None],
        "phone": ["", "+86-138", "not a phone", "13812345678"],
        "address": ["", None, "火星", "邵东市"],
        "received_at": ["", "2021-13-45", None, "2022-01-01"],
        "text": ["", None, "派出所不立案", "派出所不立案"],
    })
    labelled = RepeatDetector().fit_assign(frame)
    assert len(labelled) == 4 and labelled["petitioner_id"].notna().all()
    assert labelled.loc[0, "petitioner_id"] != labelled.loc[1, "petitioner_id"]


def test_duplicated_ids_are_reported():
    frame = pd.DataFrame({"id": ["x", "x", "y"], "name": ["李四", "李四", "王五"]})
    with pytest.raises(ValueError, match=r"1 duplicated 'id' values, e.g. \['x'\]"):
        RepeatDetector().fit_assign(frame)
    assert len(RepeatDetector(allow_duplicate_ids=True).fit_assign(frame)) == 3


def test_a_register_without_identity_columns_is_refused():
    frame = pd.DataFrame({"id": ["a", "b"], "姓名": ["李秀英", "李秀英"], "text": ["反映征地补偿", "再次反映征地补偿"]})
    with pytest.raises(ValueError, match="none of the identity columns.*--name-column"):
        RepeatDetector().fit_assign(frame)


def test_register_dates_in_any_office_format_order_the_index(register, detected):
    detector, labelled = detected
    frame = labelled.head(40).copy()
    dates = pd.to_datetime(frame["received_at"])
    # the same dates, written three ways
    frame["received_at"] = [f"{d.year}年{d.month}月{d.day}日" if i % 3 == 0 else (f"{d.year}/{d.month}/{d.day}" if i % 3 == 1
                            else d.strftime("%Y-%m-%d")) for i, d in enumerate(dates)]
    index = RepeatIndex.from_labelled(frame, detector.parameters_)
    stored = [r["received_at"] for r in index._records]
    assert stored == sorted(d.strftime("%Y-%m-%d") for d in dates)


def test_cli_refuses_column_options_that_name_no_column(register, tmp_path):
    source = tmp_path / "register.csv"
    register.head(50).to_csv(source, index=False)
    result = CliRunner().invoke(app, ["repeats", str(source), "-o", str(tmp_path / "out.csv"), "--date-column", "登记日",
                                 "--text-column", "内容"])
    assert result.exit_code == 2
    assert "--date-column '登记日'" in result.output and "--text-column '内容'" in result.output


def test_index_add_match_save_load(register, detected, tmp_path):
    detector, labelled = detected
    base = labelled.iloc[:1200]
    index = RepeatIndex.from_labelled(base, detector.parameters_)
    new = register.iloc[1200:].to_dict("records")
    known_people = set(register.iloc[:1200]["true_person"])
    person_of = dict(zip(base["petitioner_id"], register.iloc[:1200]["true_person"]))
    right = total = 0
    for record in new:
        if record["true_person"] in known_people and record["id_number"]:
            result = index.match(record)
            total += 1
            right += (not result.new_petitioner) and person_of.get(result.petitioner_id) == record["true_person"]
    assert total > 20 and right / total > 0.9
    added = index.add(new[0])
    assert len(index) == 1201
    with pytest.raises(ValueError, match="already in the repeat index"):
        index.add(new[0])
    assert len(index) == 1201
    saved = index.save(tmp_path / "index")
    reloaded = RepeatIndex.load(saved)
    assert len(reloaded) == 1201
    again = reloaded.match(new[0])
    assert again.petitioner_id == added.petitioner_id and not again.new_petitioner


def test_cli_repeats(register, tmp_path):
    source = tmp_path / "register.csv"
    register.drop(columns=["true_person", "true_matter"]).head(400).to_csv(source, index=False)
    out, links = tmp_path / "out.parquet", tmp_path / "links.csv"
    result = CliRunner().invoke(app, ["repeats", str(source), "-o", str(out), "--links", str(links),
                                      "--index", str(tmp_path / "idx")])
    assert result.exit_code == 0, result.output
    labelled = pd.read_parquet(out)
    assert len(labelled) == 400 and labelled["petitioner_id"].nunique() < 400
    assert '"repeat_petitions"' in result.output
    assert (tmp_path / "idx" / "index.json").is_file()
    assert "evidence" in pd.read_csv(links).columns


def test_a_cluster_never_holds_two_peoples_id_numbers():
    from petition_nlp.repeats.constraints import split_conflicting_clusters

    # Rows 0-2: one person whose number carries a different typo in two records (two edits apart, still one
    # person). Row 3: a record with no ID number sharing a phone with rows 0 and 4. Row 4: a relative.
    ids = pd.Series(["430521197702246314", "430521197702246374", "430521197702248314", None, "430521194509045592"])
    clusters = pd.DataFrame({"unique_id": range(5), "cluster_id": [0] * 5})
    links = pd.DataFrame({"unique_id_l": [0, 0, 1, 0, 3], "unique_id_r": [1, 2, 2, 3, 4],
                          "match_probability": [0.999, 0.998, 0.997, 0.95, 0.93]})
    rebuilt, kept = split_conflicting_clusters(clusters, links, ids)
    assert rebuilt["cluster_id"].tolist() == [0, 0, 0, 0, 4]
    assert kept[["unique_id_l", "unique_id_r"]].values.tolist() == [[0, 1], [0, 2], [1, 2], [0, 3]]
    # Nothing to split: returned as given.
    same, all_links = split_conflicting_clusters(clusters.assign(cluster_id=range(5)), links.head(0), ids)
    assert same["cluster_id"].tolist() == [0, 1, 2, 3, 4] and all_links.empty
    # A truncated number says too little to keep records apart.
    truncated = ids.where(ids.index != 4, "43052119450904")
    kept_together, _ = split_conflicting_clusters(clusters, links, truncated)
    assert kept_together["cluster_id"].tolist() == [0] * 5


def _small_index(detected):
    detector, _ = detected
    index = RepeatIndex(detector.parameters_)
    index.add({"id": "OLD", "name": "李娜", "phone": "13987654321", "text": "反映征地补偿"})
    return index


def test_a_failed_save_leaves_the_previous_index_on_disk(detected, tmp_path, monkeypatch):
    index = _small_index(detected)
    index.save(tmp_path / "index")
    index.add({"id": "NEW-1", "name": "赵六", "phone": "13700001111"})
    real_replace = os.replace

    def failing_replace(src, dst):
        if str(dst).endswith("index.json"):
            raise OSError("disk full")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        index.save(tmp_path / "index")
    monkeypatch.undo()
    reloaded = RepeatIndex.load(tmp_path / "index")
    assert "OLD" in reloaded and "NEW-1" not in reloaded
    assert len(list((tmp_path / "index").glob("records-*.parquet"))) == 1
    # a later registration gets a petitioner id of its own
    fresh = reloaded.add({"id": "NEW-2", "name": "孙八", "phone": "13600002222"})
    assert fresh.new_petitioner and fresh.petitioner_id != reloaded.match({"name": "李娜", "phone": "13987654321"}).petitioner_id


def test_loading_never_reuses_a_stored_petitioner_id(detected, tmp_path):
    index = _small_index(detected)
    index.save(tmp_path / "index")
    meta_path = tmp_path / "index" / "index.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    meta_path.write_text(json.dumps({**meta, "next_petitioner": 1}), encoding="utf-8")  # as an older save could leave it
    reloaded = RepeatIndex.load(tmp_path / "index")
    assert reloaded.add({"id": "NEW", "name": "孙八", "phone": "13600002222"}).petitioner_id == "P0000002"


@pytest.mark.parametrize("damage, message", [
    (lambda d: (d / "index.json").write_text("{not json", encoding="utf-8"), "not JSON"),
    (lambda d: [p.unlink() for p in d.glob("records-*.parquet")], "is missing"),
    (lambda d: [p.write_bytes(b"junk") for p in d.glob("records-*.parquet")], "is damaged"),
    (lambda d: (d / "index.json").write_text(json.dumps({"format_version": 2}), encoding="utf-8"), "lacks"),
])
def test_a_damaged_index_folder_gets_a_clear_error(detected, tmp_path, damage, message):
    _small_index(detected).save(tmp_path / "index")
    damage(tmp_path / "index")
    with pytest.raises(ValueError, match=message):
        RepeatIndex.load(tmp_path / "index")


def test_empty_address_cells_and_numeric_dates_are_read(detected):
    detector, _ = detected
    register = pd.DataFrame([{"id": "1", "name": "王建国", "address": "湖南省邵阳市隆回县", "phone": "13912345678",
                              "petitioner_id": "P0000001"},
                             {"id": "2", "name": "王建国", "address": None, "phone": "13912345678", "petitioner_id": "P0000001"}])
    index = RepeatIndex.from_labelled(register, detector.parameters_)
    added = index.add({"id": "3", "name": "王建国", "phone": "13912345678", "address": float("nan"),
                       "received_at": 20240105})
    assert index._records[-1]["received_at"] == "2024-01-05" and not added.new_petitioner
    with pytest.raises(ValueError, match="received_at"):
        index.add({"id": "4", "name": "李四", "received_at": "0001-01-01"})
    with pytest.raises(ValueError, match="match_threshold"):
        RepeatIndex(detector.parameters_, match_threshold=1.5)


def test_assign_after_editing_the_register_in_place_links_the_edited_rows(register):
    frame = register.drop(columns=["true_person", "true_matter"]).head(300).copy()
    detector = RepeatDetector().fit(frame)
    before = detector.assign(frame)["petitioner_id"]
    identity = ["name", "id_number", "phone", "address"]
    # row 2 becomes a copy of row 0's petitioner, in the same DataFrame object
    frame.loc[frame.index[2], identity] = frame.loc[frame.index[0], identity].to_numpy()
    after = detector.assign(frame)["petitioner_id"]
    assert after.iloc[2] == after.iloc[0]
    assert after.tolist() == detector.assign(frame.copy())["petitioner_id"].tolist()
    assert before.iloc[2] != before.iloc[0]


def test_matching_in_one_thread_while_another_registers_and_rolls_back(detected):
    import sys
    import threading

    index = _small_index(detected)
    for i in range(50):
        index.add({"id": f"base-{i}", "name": "李娜", "phone": "13987654321", "text": f"反映征地补偿第{i}次"})
    stop, errors = threading.Event(), []

    def register_and_undo():
        while not stop.is_set():
            try:
                with index.transaction():
                    for i in range(20):
                        index.add({"id": f"tmp-{i}", "name": "李娜", "phone": "13987654321", "text": "再次反映征地补偿"})
                    raise RuntimeError("save failed")
            except RuntimeError:
                pass

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, so that a lock that is missing shows
    worker = threading.Thread(target=register_and_undo)
    worker.start()
    try:
        for _ in range(100):
            try:
                index.match({"name": "李娜", "phone": "13987654321", "text": "反映征地补偿"})
            except Exception as error:  # noqa: BLE001 - collected for the assertion
                errors.append(error)
    finally:
        stop.set()
        worker.join()
        sys.setswitchinterval(interval)
    assert errors == [] and len(index) == 51


def test_a_small_register_links_the_same_name_and_phone_and_keeps_relatives_apart():
    from petition_nlp.text.idnumber import id_checksum

    father, son = (f"{body}{id_checksum(body)}" for body in ("43052119550312211", "43052119820607103"))
    register = pd.DataFrame([
        {"id": "1", "name": "张三", "phone": "13800001111", "received_at": "2025-01-01", "text": "法院不执行"},
        {"id": "2", "name": "张三", "phone": "13800001111", "received_at": "2025-02-01", "text": "法院判了还是不执行"},
        {"id": "3", "name": "李四", "phone": "13900002222", "received_at": "2025-01-03", "text": "物业乱收费"},
        # a father and his son share a phone and an address; the father also writes once without his ID number
        {"id": "4", "name": "王建国", "id_number": father, "phone": "13812345678", "address": "湖南省邵阳市隆回县桃洪镇"},
        {"id": "5", "name": "王小军", "id_number": son, "phone": "13812345678", "address": "湖南省邵阳市隆回县桃洪镇"},
        {"id": "6", "name": "王建国", "phone": "13812345678", "address": "湖南省邵阳市隆回县桃洪镇"},
    ])
    petitioner = RepeatDetector().fit_assign(register).set_index("id")["petitioner_id"]
    assert petitioner["1"] == petitioner["2"] != petitioner["3"]
    assert petitioner["6"] == petitioner["4"] != petitioner["5"]


def test_cli_repeats_refuses_to_overwrite_its_input_and_names_unreadable_dates(register, tmp_path, caplog):
    import logging

    source = tmp_path / "register.csv"
    frame = register.drop(columns=["true_person", "true_matter"]).head(30).copy()
    frame.loc[frame.index[0], "received_at"] = "2025-13-45"
    frame.to_csv(source, index=False)
    result = CliRunner().invoke(app, ["repeats", str(source), "-o", str(source)])
    assert result.exit_code == 2 and "would overwrite the input" in result.output
    with caplog.at_level(logging.WARNING):
        RepeatDetector().fit_assign(frame)
    assert "1 rows have a received_at that is not a date (e.g. '2025-13-45')" in caplog.text


def test_save_changes_appends_registrations_to_a_journal_that_load_replays(detected, tmp_path, caplog):
    import logging

    folder = tmp_path / "index"
    index = _small_index(detected)
    index.save(folder)
    snapshot = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    people = [("赵六", "13700001111"), ("孙八", "13600002222"), ("赵六", "13700001111")]
    for i, (name, phone) in enumerate(people):
        index.add({"id": f"NEW-{i}", "name": name, "phone": phone, "text": "反映拖欠工资"})
        index.save_changes(folder)
    assert json.loads((folder / "index.json").read_text(encoding="utf-8")) == snapshot  # no full save
    journal = folder / snapshot["journal_file"]
    assert len(journal.read_text(encoding="utf-8").splitlines()) == 3
    reloaded = RepeatIndex.load(folder)
    assert len(reloaded) == 4 and all(f"NEW-{i}" in reloaded for i in range(3))
    assert reloaded.match({"name": "赵六", "phone": "13700001111"}).petitioner_id == \
        index.match({"name": "赵六", "phone": "13700001111"}).petitioner_id
    assert reloaded.add({"id": "NEXT", "name": "钱九", "phone": "13500003333"}).petitioner_id == "P0000004"
    # a line cut short by a crash: the registrations before it are kept
    journal.write_text(journal.read_text(encoding="utf-8")[:-20], encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        cut = RepeatIndex.load(folder)
    assert len(cut) == 3 and "NEW-2" not in cut and "cut short" in caplog.text


def test_save_changes_saves_in_full_when_the_journal_cannot_be_trusted(detected, tmp_path, monkeypatch):
    import os

    folder = tmp_path / "index"
    index = _small_index(detected)
    index.save(folder)
    first = json.loads((folder / "index.json").read_text(encoding="utf-8"))["records_file"]
    index.add({"id": "NEW-1", "name": "赵六", "phone": "13700001111"})

    def failing_fdopen(fd, mode="r", *args, **kwargs):  # the journal is opened for appending so
        os.close(fd)
        raise OSError("disk full")

    monkeypatch.setattr(os, "fdopen", failing_fdopen)
    with pytest.raises(OSError, match="disk full"):
        index.save_changes(folder)
    monkeypatch.undo()
    index.save_changes(folder)  # the append failed: this one saves in full, to a new records file and journal
    meta = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    assert meta["records_file"] != first and meta["records"] == 2
    assert sorted(p.name for p in folder.iterdir() if p.name != ".lock") == sorted(["index.json", meta["records_file"]])
    # another folder, or an index loaded from elsewhere, gets a full save too
    index.save_changes(tmp_path / "elsewhere")
    assert len(RepeatIndex.load(tmp_path / "elsewhere")) == 2


def test_the_journal_survives_odd_characters_torn_lines_and_rollbacks(detected, tmp_path):
    folder = tmp_path / "index"
    index = _small_index(detected)
    index.save(folder)
    index.add({"id": "LS", "name": "赵六", "phone": "13700001111", "text": "单位拖欠工资\u2028共八万元\u0085"})
    index.save_changes(folder)
    index.add({"id": "T2", "name": "孙八", "phone": "13600002222", "text": "再次反映"})
    index.save_changes(folder)
    assert {"LS", "T2"} <= set(RepeatIndex.load(folder)._ids)  # a line separator inside a text splits no line
    journal = folder / json.loads((folder / "index.json").read_text(encoding="utf-8"))["journal_file"]
    raw = journal.read_bytes()
    journal.write_bytes(raw[:-7])  # torn by a crash in the last line
    torn = RepeatIndex.load(folder)
    assert "LS" in torn and "T2" not in torn
    torn.add({"id": "AFTER", "name": "钱九", "phone": "13500003333"})
    torn.save_changes(folder)  # saves in full rather than appending after the torn bytes
    again = RepeatIndex.load(folder)
    assert {"LS", "AFTER"} <= set(again._ids) and "T2" not in again
    # a record added, saved, then rolled back: the next save leaves it out and reuses no petitioner id
    with pytest.raises(RuntimeError):
        with again.transaction():
            again.add({"id": "GONE", "name": "周十", "phone": "13400004444"})
            again.save_changes(folder)
            raise RuntimeError("a later step failed")
    again.add({"id": "KEPT", "name": "吴一", "phone": "13300005555"})
    again.save_changes(folder)
    final = RepeatIndex.load(folder)
    assert "KEPT" in final and "GONE" not in final
    assert len({r["petitioner_id"] for r in final._records}) == len({r["petitioner_id"] for r in again._records})


@pytest.mark.parametrize("torn", [False, True])
def test_a_second_writer_on_the_same_folder_is_refused(detected, tmp_path, torn):
    """Two services loaded the same folder. Where its journal ends in a torn line, each would save in full: the
    second is refused all the same, instead of dropping the first one's registration."""
    folder = tmp_path / "index"
    _small_index(detected).save(folder)
    if torn:  # a crash while saving
        (folder / json.loads((folder / "index.json").read_text(encoding="utf-8"))["journal_file"]).write_bytes(b'{"next_pet')
    first, second = RepeatIndex.load(folder), RepeatIndex.load(folder)
    first.add({"id": "A1", "name": "赵六", "phone": "13700001111"})
    first.save_changes(folder)
    second.add({"id": "B1", "name": "孙八", "phone": "13600002222"})
    with pytest.raises(RuntimeError, match="another process"):
        second.save_changes(folder)
    assert "A1" in RepeatIndex.load(folder)
    # an index built elsewhere does not replace a folder's index by save_changes() either, only by save()
    with pytest.raises(RuntimeError, match="did not load"):
        _small_index(detected).save_changes(folder)


def test_a_saved_index_holds_no_petition_text_and_only_its_owner_reads_it(detected, tmp_path):
    import stat

    import pyarrow.parquet as pq

    folder = tmp_path / "index"
    index = _small_index(detected)
    petition = "我叫欧阳娜娜，身份证430521197803122118，电话13812345678，村里强占我家宅基地"
    index.add({"id": "A", "name": "欧阳娜娜", "phone": "13812345678", "text": petition})
    index.save(folder)
    index.add({"id": "B", "name": "欧阳娜娜", "phone": "13812345678", "text": petition + "，至今未解决"})
    index.save_changes(folder)
    meta = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    records = pq.read_table(folder / meta["records_file"]).to_pydict()
    assert "text" not in records and any("宅基地" in t for t in records["matter_text"])
    journal = (folder / meta["journal_file"]).read_text(encoding="ascii")
    stored = " ".join(records["matter_text"]) + json.loads(journal.splitlines()[0])["records"][0]["matter_text"]
    assert "欧阳" not in stored and "4305" not in stored and "1381" not in stored
    for name in (meta["records_file"], meta["journal_file"]):
        assert stat.S_IMODE((folder / name).stat().st_mode) == 0o600, name
    # the same matter is still found from what is stored
    again = RepeatIndex.load(folder).match({"id": "C", "name": "欧阳娜娜", "phone": "13812345678", "text": petition})
    assert again.is_repeat
