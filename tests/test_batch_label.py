import json

import pandas as pd
import pytest
from typer.testing import CliRunner

from petition_nlp.batch import default_threads, label_file, label_frame
from petition_nlp.io import write_table
from petition_nlp.cli import classify, segment  # noqa: F401  (registers the subcommands)
from petition_nlp.cli.app import app

runner = CliRunner()


@pytest.fixture()
def backlog(corpus, tmp_path):
    frame = corpus[["id", "text", "domain"]].head(57).reset_index(drop=True).copy()
    frame.loc[3, "text"] = ""
    frame.loc[10, "text"] = "   "
    path = tmp_path / "backlog.csv"
    frame.to_csv(path, index=False)
    return frame, path


def test_label_frame_adds_columns_and_keeps_rows(fitted_model, backlog):
    frame, _ = backlog
    out = label_frame(fitted_model, frame)
    assert len(out) == len(frame) and list(out["id"]) == list(frame["id"])
    for name in ("domain", "litigation", "stage"):
        assert {name, f"{name}_confidence"} <= set(out.columns)
    # the input's own (hand-labelled) 'domain' is kept beside the prediction, under a new name
    assert list(out["domain_input"]) == list(frame["domain"])
    assert out.columns.tolist().index("domain_input") == frame.columns.tolist().index("domain")
    assert out.loc[3, "error"] == "empty text" and out.loc[10, "error"] == "empty text"
    assert pd.isna(out.loc[3, "litigation"])
    assert (out.drop(index=[3, 10])["error"] == "").all()
    assert out["explanation"].str.contains("litigation:").sum() > 40


@pytest.mark.parametrize("suffix", [".jsonl", ".parquet", ".tsv", ".xlsx"])
def test_label_file_writes_every_format(saved_model, backlog, tmp_path, suffix):
    frame, path = backlog
    target = tmp_path / f"out{suffix}"
    counts = label_file(path, target, saved_model, chunk_size=10, progress=False)
    assert counts == {"rows": 57, "labelled": 55, "errors": 2}
    if suffix == ".jsonl":
        out = pd.read_json(target, lines=True, dtype=False)
    elif suffix == ".parquet":
        out = pd.read_parquet(target)
    elif suffix == ".tsv":
        out = pd.read_csv(target, sep="\t", dtype=str, keep_default_na=False)
    else:
        out = pd.read_excel(target, dtype=str)
    assert list(out["id"]) == list(frame["id"])
    assert not (tmp_path / f"out{suffix}.partial").exists()


def test_threads_give_the_same_file(saved_model, backlog, tmp_path):
    _, path = backlog
    one, two, default = tmp_path / "one.csv", tmp_path / "two.csv", tmp_path / "default.csv"
    label_file(path, one, saved_model, chunk_size=7, progress=False, threads=1)
    label_file(path, two, saved_model, chunk_size=7, progress=False, threads=2)
    label_file(path, default, saved_model, chunk_size=7, progress=False)
    assert one.read_bytes() == two.read_bytes() == default.read_bytes() and len(pd.read_csv(two)) == 57
    with pytest.raises(ValueError, match="threads"):
        label_file(path, tmp_path / "none.csv", saved_model, threads=0)


@pytest.mark.parametrize(("cores", "expected"), [(1, 1), (2, 2), (16, 4)])
def test_default_threads_follow_the_usable_cores_up_to_four(monkeypatch, cores, expected):
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: set(range(cores)), raising=False)
    assert default_threads() == expected


@pytest.mark.parametrize("threads", [1, 2])
def test_resume_after_interruption_loses_and_repeats_nothing(saved_model, backlog, tmp_path, threads):
    from petition_nlp import load_model

    frame, path = backlog
    model = load_model(saved_model)
    original = model.predict_columns
    third_chunk_text = frame.loc[25, "text"]

    def failing_predict(texts, words_per_head=5):
        if third_chunk_text in texts:
            raise KeyboardInterrupt
        return original(texts, words_per_head)

    model.predict_columns = failing_predict
    target = tmp_path / "out.csv"
    with pytest.raises(KeyboardInterrupt):
        label_file(path, target, model, chunk_size=10, progress=False, threads=threads)
    assert not target.exists()
    manifest = json.loads((tmp_path / "out.csv.partial" / "manifest.json").read_text())
    assert manifest["completed_chunks"] == 2
    with pytest.raises(ValueError, match="--resume"):
        label_file(path, target, saved_model, chunk_size=10, progress=False)
    model.predict_columns = original
    if threads == 1:  # a second run on the same output while the first still writes is refused, its work kept
        from petition_nlp._locks import folder_lock

        with folder_lock(tmp_path / "out.csv.partial"):
            with pytest.raises(ValueError, match="another label run is writing"):
                label_file(path, target, model, chunk_size=10, resume=True, progress=False)
        assert json.loads((tmp_path / "out.csv.partial" / "manifest.json").read_text())["completed_chunks"] == 2
    label_file(path, target, model, chunk_size=10, resume=True, progress=False, threads=threads)
    resumed = pd.read_csv(target, dtype=str, keep_default_na=False)
    fresh_target = tmp_path / "fresh.csv"
    label_file(path, fresh_target, model, chunk_size=10, progress=False)
    fresh = pd.read_csv(fresh_target, dtype=str, keep_default_na=False)
    pd.testing.assert_frame_equal(resumed, fresh)


def test_undecodable_rows_keep_their_place(saved_model, tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_bytes("id,text\n1,法院判决不执行\n".encode() + b"2,\xff\xfe\xb1\n" + "3,派出所不立案\n".encode())
    out_path = tmp_path / "out.jsonl"
    label_file(path, out_path, saved_model, progress=False)
    out = pd.read_json(out_path, lines=True, dtype=False)
    assert list(out["id"].astype(str)) == ["1", "2", "3"]
    assert "could not be decoded" in out.loc[1, "error"]
    assert out.loc[0, "error"] == "" and out.loc[2, "error"] == ""


def test_cli_train_evaluate_label_end_to_end(small_train, corpus, tmp_path):
    data = tmp_path / "train.jsonl"
    small_train.to_json(data, orient="records", lines=True, force_ascii=False)
    model_dir = tmp_path / "model"
    result = runner.invoke(app, ["train", str(data), "-o", str(model_dir), "--target", "domain", "--target", "litigation",
                                 "--no-progress"])
    assert result.exit_code == 0, result.output
    assert "cv macro-F1" in result.output and (model_dir / "meta.json").is_file()
    heldout = tmp_path / "heldout.parquet"
    corpus[corpus["split"] == "heldout"].to_parquet(heldout)
    report = tmp_path / "report"
    result = runner.invoke(app, ["evaluate", str(model_dir), str(heldout), "--report", str(report), "--no-progress"])
    assert result.exit_code == 0, result.output
    metrics = json.loads((report / "metrics.json").read_text(encoding="utf-8"))
    assert set(metrics) == {"domain", "litigation"}
    for head in metrics.values():
        assert {"accuracy", "macro_f1", "per_class", "ece"} <= set(head)
    assert (report / "confusion_domain.png").stat().st_size > 1000
    assert (report / "reliability_litigation.png").is_file()
    assert "Most confident errors" in (report / "report.md").read_text(encoding="utf-8")
    out = tmp_path / "labelled.csv"
    result = runner.invoke(app, ["label", str(heldout), "-o", str(out), "--model", str(model_dir), "--id-column", "id",
                                 "--no-progress"])
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(out)) == (corpus["split"] == "heldout").sum()


def test_cli_errors_are_one_line(tmp_path, small_train):
    data = tmp_path / "d.csv"
    small_train.to_csv(data, index=False)
    result = runner.invoke(app, ["train", str(data), "-o", str(tmp_path / "m"), "--target", "topic", "--no-progress"])
    assert result.exit_code == 2 and "no column 'topic'" in result.output
    result = runner.invoke(app, ["label", str(data), "-o", str(tmp_path / "o.doc"), "--no-progress"])
    assert result.exit_code == 2 and "unsupported file extension" in result.output


def test_trailing_delimiters_and_reordered_jsonl_keys_keep_columns_in_place(saved_model, tmp_path):
    # Excel/WPS exports often end data rows with a delimiter; the columns must not shift.
    csv_in = tmp_path / "trailing.csv"
    csv_in.write_text("id,text\nA1,派出所对我被打的事一直不立案,\nA2,法院判决生效两年了还是执行不到位,\n", encoding="utf-8")
    label_file(csv_in, tmp_path / "trailing-out.csv", saved_model, progress=False)
    out = pd.read_csv(tmp_path / "trailing-out.csv", dtype=str, keep_default_na=False)
    assert list(out["id"]) == ["A1", "A2"] and (out["error"] == "").all()
    # Such rows further down, after whole chunks of clean rows, and a text with an unquoted comma: nothing is
    # shifted, nothing lost, no row given twice.
    clean = [f"B{i},村里修路占了我家的地没给补偿{i}" for i in range(7)]
    late = tmp_path / "late.csv"
    late.write_text("id,text\n" + "\n".join(clean) + "\nA3,交警不出事故认定书,\nA4,派出所不立案,法院也不管\n", encoding="utf-8")
    label_file(late, tmp_path / "late-out.csv", saved_model, chunk_size=3, progress=False)
    out = pd.read_csv(tmp_path / "late-out.csv", dtype=str, keep_default_na=False)
    assert list(out["id"]) == [f"B{i}" for i in range(7)] + ["A3", "A4"]
    assert list(out["text"][-2:]) == ["交警不出事故认定书", "派出所不立案,法院也不管"]
    # JSONL records may order keys differently or leave optional ones out, also across chunk boundaries.
    jsonl_in = tmp_path / "mixed.jsonl"
    records = [{"id": "a", "text": "派出所对我被打的事一直不立案"}, {"id": "b", "text": "法院判决生效两年了还是执行不到位"},
               {"text": "交警一直不出事故认定书", "id": "c", "note": "来电"}, {"text": "村里征地补偿款没有发到户", "id": "d"}]
    jsonl_in.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    for suffix in (".csv", ".parquet"):
        target = tmp_path / f"mixed-out{suffix}"
        label_file(jsonl_in, target, saved_model, chunk_size=2, progress=False)
        out = pd.read_csv(target, dtype=str, keep_default_na=False) if suffix == ".csv" else pd.read_parquet(target)
        assert list(out["id"]) == ["a", "b", "c", "d"]
        assert list(out["text"]) == [r["text"] for r in records]
        assert list(out["note"].fillna("")) == ["", "", "来电", ""]


def test_utf16_unicode_text_from_excel_is_read(saved_model, tmp_path):
    source = tmp_path / "unicode.txt"  # Excel's "Unicode text": UTF-16 with a byte-order mark, tab-separated
    source.write_bytes("id\ttext\nU1\t派出所对我被打的事一直不立案\n".encode("utf-16"))
    label_file(source, tmp_path / "out.csv", saved_model, progress=False)
    out = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert list(out["id"]) == ["U1"] and out.loc[0, "error"] == ""


def test_a_run_that_fails_before_any_chunk_leaves_nothing_to_resume(saved_model, backlog, tmp_path):
    _, path = backlog
    target = tmp_path / "out.csv"
    with pytest.raises(ValueError, match="no column 'body'"):
        label_file(path, target, saved_model, text_column="body", progress=False)
    assert not (tmp_path / "out.csv.partial").exists()
    label_file(path, target, saved_model, progress=False)  # the corrected command simply runs
    assert target.is_file()
    with pytest.raises(ValueError, match="no column 'body'"):  # nor are output folders it made left behind
        label_file(path, tmp_path / "new" / "sub" / "out.csv", saved_model, text_column="body", progress=False)
    assert not (tmp_path / "new").exists()


def test_outputs_hold_what_their_format_allows(saved_model, tmp_path):
    # An id that is a number in one chunk and a word in the next; a text with control characters from Word.
    source = tmp_path / "mixed.jsonl"
    records = [{"id": 1, "text": "派出所对我被打的事一直不立案"}, {"id": 2, "text": "法院判决生效两年了\x0b还是执行不到位"},
               {"id": "J3", "text": "交警一直不出事故认定书\x07"}]
    source.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    label_file(source, tmp_path / "out.parquet", saved_model, chunk_size=2, progress=False)
    assert pd.read_parquet(tmp_path / "out.parquet")["id"].tolist() == ["1", "2", "J3"]
    label_file(source, tmp_path / "one_chunk.parquet", saved_model, progress=False)  # the mix within one chunk
    assert pd.read_parquet(tmp_path / "one_chunk.parquet")["id"].tolist() == ["1", "2", "J3"]
    label_file(source, tmp_path / "out.xlsx", saved_model, chunk_size=2, progress=False)
    texts = pd.read_excel(tmp_path / "out.xlsx")["text"].tolist()
    assert texts[1] == "法院判决生效两年了还是执行不到位" and texts[2] == "交警一直不出事故认定书"


def test_extra_fields_go_back_into_the_text_column_wherever_it_stands(tmp_path):
    from petition_nlp.io import read_table

    middle = tmp_path / "middle.csv"  # the layout of real exports: the text is not the last column
    middle.write_text("id,title,body,label\n1,t,派出所不立案,城乡建设\n2,t,派出所不立案,法院也不管,城乡建设\n", encoding="utf-8")
    rows = read_table(middle, text_column="body").to_dict("records")
    assert rows[1] == {"id": "2", "title": "t", "body": "派出所不立案,法院也不管", "label": "城乡建设"}
    phantom = tmp_path / "phantom.csv"  # the header itself ends in a delimiter
    phantom.write_text("id,text,\n1,单位拖欠工资,\n2,单位拖欠工资三个月,不给社保,\n", encoding="utf-8")
    assert read_table(phantom, text_column="text")["text"].tolist() == ["单位拖欠工资", "单位拖欠工资三个月,不给社保"]


def test_field_by_field_reading_keeps_every_row_once(tmp_path):
    from petition_nlp.io import InputError, iter_table

    source = tmp_path / "blank-lines.csv"  # a whitespace-only line before the first row with an extra field
    source.write_text("id,body,label\n1,a,x\n2,b,x\n   \n3,c,x\n4,d,x\n5,e,f,x\n", encoding="utf-8")
    rows = pd.concat(iter_table(source, chunk_size=2, text_column="body"))
    assert rows["id"].tolist() == ["1", "2", "3", "4", "5"] and rows["body"].tolist()[-1] == "e,f"
    quote = tmp_path / "quote.tsv"  # an unmatched quote must fail loudly, not swallow the rows after it
    quote.write_text("id\tbody\tlabel\n1\ta\tx\n2\tb\te\tx\n3\t\"漏水\tx\n4\tf\tx\n", encoding="utf-8")
    with pytest.raises(InputError, match="cannot parse"):
        list(iter_table(quote, text_column="body"))


def test_an_empty_last_column_is_told_from_a_trailing_delimiter_by_the_whole_file(tmp_path):
    from petition_nlp.io import read_table

    plain = tmp_path / "plain.csv"  # rows do not end in a delimiter: the long row's empty last field is a column
    plain.write_text("id,title,body,received_at,remark\n1,t,a,2024-01-01,\n"
                     "10,标题,诉求内容,还没解决,2024-01-10,\n", encoding="utf-8")
    assert read_table(plain, text_column="body").iloc[1].tolist() == ["10", "标题", "诉求内容,还没解决", "2024-01-10", ""]
    export = tmp_path / "export.csv"  # an export that ends every row in a delimiter
    export.write_text("id,title,body,label\n1,t,a,x,\n2,t,b,y,\n3,t,c,d,w,\n", encoding="utf-8")
    assert read_table(export, text_column="body").iloc[2].tolist() == ["3", "t", "c,d", "w"]
    late = tmp_path / "late.csv"  # one stray trailing delimiter after clean rows
    late.write_text("id,text\nA1,x\nA2,y\nA3,z,\n", encoding="utf-8")
    assert read_table(late)["text"].tolist() == ["x", "y", "z"]


def test_ids_dates_and_texts_come_back_as_they_went_in(saved_model, tmp_path):
    import openpyxl
    import pyarrow.parquet as pq

    lines = ['{"id": 2025030100000000123, "text": "法院判决生效两年了还不执行"}', '{"id": null, "text": "物业乱收费"}',
             '{"id": 9007199254740993, "text": "邻居打人派出所不立案"}']
    (tmp_path / "in.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    for suffix in ("csv", "jsonl", "parquet"):
        label_file(tmp_path / "in.jsonl", tmp_path / f"out.{suffix}", saved_model, progress=False)
    assert (tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()[1].startswith("2025030100000000123,")
    assert [json.loads(line)["id"] for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()] == \
        [2025030100000000123, None, 9007199254740993]
    assert pq.read_table(tmp_path / "out.parquet")["id"].to_pylist() == [2025030100000000123, None, 9007199254740993]
    # a JSON array (a .json export) is read as its records
    (tmp_path / "array.json").write_text(json.dumps([{"id": "a", "text": "法院不执行"}, {"id": "b", "text": "路灯坏了"}]),
                                         encoding="utf-8")
    assert label_file(tmp_path / "array.json", tmp_path / "array.csv", saved_model, progress=False)["labelled"] == 2
    # and a .json output is a JSON array again, whatever the chunking (two chunks here, and none for no rows)
    label_file(tmp_path / "array.json", tmp_path / "again.json", saved_model, progress=False, chunk_size=1)
    again = json.loads((tmp_path / "again.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in again] == ["a", "b"] and again[0]["domain"] == "court_enforcement"
    write_table(pd.DataFrame({"id": [], "text": []}), tmp_path / "none.json")
    assert json.loads((tmp_path / "none.json").read_text(encoding="utf-8")) == []
    # times with a zone: XLSX shows their local time, JSONL keeps the offset (the local day stays right)
    zoned = pd.DataFrame({"id": [1, 2], "text": ["法院不执行", "=邻居把我打成轻伤，派出所不立案"],
                          "received_at": pd.to_datetime(["2025-01-02 10:00", "2025-01-03 00:00"]).tz_localize("Asia/Shanghai")})
    zoned.to_parquet(tmp_path / "zoned.parquet")
    label_file(tmp_path / "zoned.parquet", tmp_path / "zoned.xlsx", saved_model, progress=False)
    label_file(tmp_path / "zoned.parquet", tmp_path / "zoned.jsonl", saved_model, progress=False)
    sheet = openpyxl.load_workbook(tmp_path / "zoned.xlsx").active
    header = [c.value for c in sheet[1]]
    petition = sheet.cell(row=3, column=header.index("text") + 1)
    assert petition.data_type == "s" and petition.value.startswith("=邻居")  # text, not a formula
    assert str(sheet.cell(row=3, column=header.index("received_at") + 1).value) == "2025-01-03 00:00:00"
    dates = [json.loads(line)["received_at"] for line in (tmp_path / "zoned.jsonl").read_text(encoding="utf-8").splitlines()]
    assert dates == ["2025-01-02T10:00:00+08:00", "2025-01-03T00:00:00+08:00"]


def test_big_integers_and_nested_values_survive_every_format(saved_model, tmp_path):
    import pyarrow.parquet as pq

    records = [{"id": 2025030100000000123, "text": "法院判决生效两年了还不执行", "meta": {"src": "热线", "n": 1}, "score": 1},
               {"id": 2025030100000000124, "text": "物业乱收费", "meta": None, "score": 2.5},
               {"id": 7, "text": "邻居打人", "meta": {"src": "网上"}, "case": 123456789012345678901234, "score": 2025030100000000123}]
    (tmp_path / "in.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    for suffix in ("csv", "xlsx", "parquet"):
        label_file(tmp_path / "in.jsonl", tmp_path / f"out.{suffix}", saved_model, chunk_size=2, progress=False)
    as_text = pd.read_excel(tmp_path / "out.xlsx", dtype=str)
    assert as_text["id"].tolist()[:2] == ["2025030100000000123", "2025030100000000124"]  # not rounded by Excel
    csv = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    assert json.loads(csv["meta"][0]) == {"src": "热线", "n": 1} and json.loads(csv["meta"][2]) == {"src": "网上"}
    table = pq.read_table(tmp_path / "out.parquet").to_pydict()
    assert table["case"][2] == "123456789012345678901234" and table["score"][2] == "2025030100000000123"
    assert json.loads(table["meta"][2]) == {"src": "网上"}  # no keys added from other rows


def test_repeat_of_keeps_integer_ids(tmp_path):
    from petition_nlp import RepeatDetector

    register = pd.DataFrame({"id": [2025030100000000100, 2025030100000000101, 3],
                             "name": ["王建国", "王建囯", "李四"], "id_number": ["430521197803122118"] * 2 + [None],
                             "phone": ["13812345678", "138 1234 5678", "13900002222"],
                             "received_at": ["2025-03-01", "2025-03-10", "2025-03-02"],
                             "text": ["法院判了对方还我十二万，执行两年一分没拿到", "执行两年了一分钱没拿到，法院判对方还我十二万", "物业乱收费"]})
    labelled = RepeatDetector().fit_assign(register)
    assert labelled["repeat_of"].tolist()[1] == 2025030100000000100
