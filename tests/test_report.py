import json

import pandas as pd
from typer.testing import CliRunner

from petition_nlp.cli import report as _report_cli  # noqa: F401  (registers the subcommand)
from petition_nlp.cli.app import app
from petition_nlp.report import build_report


def labelled_backlog(corpus):
    frame = corpus[["id", "text", "domain", "litigation", "stage", "received_at"]].copy()
    frame["petitioner_id"] = [f"P{i % 900}" for i in range(len(frame))]
    frame["is_repeat"] = [i >= 900 for i in range(len(frame))]
    return frame


def test_report_counts_and_files(corpus, tmp_path):
    frame = labelled_backlog(corpus)
    summary = build_report(frame, tmp_path / "r")
    assert summary["petitions"] == len(frame)
    domain = {row["label"]: row["count"] for row in summary["tables"]["domain"]}
    assert domain == frame["domain"].value_counts().to_dict()
    assert summary["repeat_petitions"] == len(frame) - 900
    assert summary["repeat_petitioners"] == frame.loc[frame["is_repeat"], "petitioner_id"].nunique()
    departments = {row["label"] for row in summary["tables"]["department"]}
    assert "人民法院执行局" in departments and "信访局 → 主管行政部门" in departments
    for name in ("report.md", "report.html", "summary.json", "domain.png", "department.png", "month.png"):
        assert (tmp_path / "r" / name).stat().st_size > 200, name
    assert "涉法涉诉" in (tmp_path / "r" / "report.md").read_text(encoding="utf-8")


def test_report_period_and_comparison(corpus, tmp_path):
    frame = labelled_backlog(corpus)
    summary = build_report(frame, tmp_path / "r", start="2023-01-01", end="2023-06-30")
    dates = pd.to_datetime(frame["received_at"])
    assert summary["petitions"] == int(((dates >= "2023-01-01") & (dates <= "2023-06-30")).sum())
    assert "change" in summary["tables"] and summary["previous_period_petitions"] > 0


def test_report_refuses_a_period_it_cannot_select(corpus, tmp_path):
    import pytest

    frame = labelled_backlog(corpus)
    with pytest.raises(ValueError, match="starts .* after it ends"):
        build_report(frame, tmp_path / "r", start="2023-06-30", end="2023-01-01")
    with pytest.raises(ValueError, match="no date column 'date'"):
        build_report(frame, tmp_path / "r", date_column="date")
    with pytest.raises(ValueError, match="--from .* a date such as"):
        build_report(frame, tmp_path / "r", start="last spring")
    with pytest.raises(ValueError, match="the data runs from"):
        build_report(frame, tmp_path / "r", end="1999-01-01")


def test_report_periods_are_whole_days_and_months(tmp_path):
    frame = pd.DataFrame({"domain": "other", "litigation": "ordinary", "stage": "none",
                          "received_at": ["2023年7月1日", "2023/12/31 09:00", "2024-01-02T08:00:00+08:00",
                                          "2024/6/30 10:37", "2024-07-01"]})
    summary = build_report(frame, tmp_path / "r", start="2024-01-01", end="2024-06-30")
    assert summary["petitions"] == 2  # the last day's 10:37 petition included; 2024/6/30 read despite mixed formats
    assert summary["previous_period_petitions"] == 2  # the half-year before: 2023-07-01 to 2023-12-31
    # a time on --from is dropped: periods are whole days
    assert build_report(frame, tmp_path / "r2", start="2024-01-02 12:00", end="2024-06-30")["petitions"] == 2
    no_dates = frame.assign(received_at="")
    assert build_report(no_dates, tmp_path / "r3")["period"] == "all rows (no readable dates)"


def test_report_without_a_period_counts_undated_and_unlabelled_rows(tmp_path):
    frame = pd.DataFrame({"domain": ["court_enforcement", "court_enforcement", "other", ""],
                          "litigation": ["litigation", "litigation", "ordinary", ""], "stage": ["enforcement"] * 2 + ["none", ""],
                          "received_at": ["2025-01-05", "", None, "2025-01-07"]})
    summary = build_report(frame, tmp_path / "r")
    assert summary["petitions"] == 4 and summary["period"] == "2025-01-05 – 2025-01-07 and 2 undated rows"
    domains = {row["label"]: row["count"] for row in summary["tables"]["domain"]}
    assert domains == {"court_enforcement": 2, "other": 1, "(unlabelled)": 1}
    assert build_report(frame, tmp_path / "r2", start="2025-01-01")["petitions"] == 2  # a period needs a date
    month = build_report(frame, tmp_path / "r3")["tables"]["month"]
    assert {k for row in month for k in row} == {"month", "litigation", "(unlabelled)"}  # the ordinary one is undated
    nulls = frame.assign(domain=frame["domain"].replace("", None), litigation=frame["litigation"].replace("", None))
    assert build_report(nulls, tmp_path / "r4")["tables"]["month"] == month  # Parquet's nulls read the same


def test_report_cli_and_error(corpus, tmp_path):
    source = tmp_path / "labelled.csv"
    labelled_backlog(corpus).to_csv(source, index=False)
    result = CliRunner().invoke(app, ["report", str(source), "-o", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))["petitions"] == len(corpus)
    bare = tmp_path / "bare.csv"
    pd.DataFrame({"id": [1], "text": ["x"]}).to_csv(bare, index=False)
    result = CliRunner().invoke(app, ["report", str(bare), "-o", str(tmp_path / "o2")])
    assert result.exit_code == 2 and "none of the label columns" in result.output


def test_entry_and_bulk_date_readers_agree():
    from petition_nlp.dates import iso_date, to_timestamps

    written = ["2024-01-05", "2024/1/5", "2024.1.5", "20240105", "2024年1月5日", "2024年1月5号", "2024年1月5日 上午10时",
               "2024年1月5日下午3时", "2024-01-05 10时", "2024/1/5 10:15", "2024-01-05T10:00:00+08:00"]
    assert {iso_date(v) for v in written} == {"2024-01-05"}
    assert set(to_timestamps(pd.Series(written)).dt.strftime("%Y-%m-%d")) == {"2024-01-05"}
    # what is ambiguous or no date is no date, rather than a guess (2005-03-25, 3 May, today)
    assert to_timestamps(pd.Series(["25-3-5", "5/3/2025", "00:00"])).isna().all()


def test_shares_are_rounded_once(corpus, tmp_path):
    """69 of 143 is 48.25...%: shown as 48.3%, not as 48.2% from a share already rounded to 0.4825."""
    frame = labelled_backlog(corpus).head(143).copy()
    frame["litigation"] = ["ordinary"] * 69 + ["litigation"] * 74
    frame["stage"] = ["none"] * 69 + ["pre_filing"] * 74
    build_report(frame, tmp_path / "r")
    report = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    assert "48.3%" in report and "51.7%" in report and "48.2%" not in report
