"""The periodic review report (一案一评 / 每半年集中评查) from a labelled backlog: tables, charts, Markdown, HTML."""

from __future__ import annotations

import datetime as dt
import html
import json
import logging
from pathlib import Path
from typing import Any

import pandas as pd

from .dates import to_timestamps, unreadable
from .routing import RoutingTable
from .taxonomy import TAXONOMY

__all__ = ["build_report"]

logger = logging.getLogger(__name__)
HEADS = ("domain", "litigation", "stage")


DEFAULT_DATE_COLUMN = "received_at"


def _zh(head: str, label: str) -> str:
    for item in TAXONOMY.get(head, ()):
        if item.id == label:
            return item.zh
    return label


UNLABELLED = "(unlabelled)"


def _counts(series: pd.Series, head: str | None = None) -> pd.DataFrame:
    counts = series.value_counts()  # label columns have UNLABELLED for their gaps already (build_report)
    frame = pd.DataFrame({"label": counts.index, "count": counts.to_numpy()})
    # Exact: a share rounded here and formatted again later can round the wrong way (0.48251 -> 0.4825 -> 48.2%).
    frame["share"] = frame["count"] / max(len(series), 1)
    if head:
        frame.insert(1, "name", [_zh(head, v) for v in frame["label"]])
    return frame


def _day(value: str, option: str) -> pd.Timestamp:
    """The day ``value`` names (a time, if given, is dropped: periods are whole days)."""
    day = to_timestamps(pd.Series([value])).iloc[0]
    if pd.isna(day):
        raise ValueError(f"{option} must be a date such as 2024-01-05 or 2024/1/5, got {value!r}")
    return day.normalize()


def _period(
    frame: pd.DataFrame, date_column: str | None, start: str | None, end: str | None
) -> tuple[pd.DataFrame, pd.Series | None, pd.DataFrame | None, str]:
    """(rows of the period, their dates, rows of the period before it, the period in words)."""
    lower = _day(start, "--from (start)") if start else None
    upper = _day(end, "--to (end)") if end else None
    if lower is not None and upper is not None and lower > upper:
        raise ValueError(f"the period starts ({start}) after it ends ({end})")
    if not date_column or date_column not in frame.columns:
        if start or end or (date_column and date_column != DEFAULT_DATE_COLUMN):
            raise ValueError(f"no date column {date_column!r} to select the period by; the columns are {list(frame.columns)}")
        return frame, None, None, "all rows (no date column)"
    dates = to_timestamps(frame[date_column])
    undated = int(dates.isna().sum())
    unread = int(unreadable(frame[date_column], dates).sum())
    if undated:
        fate = "left out of the period" if start or end else "counted, but in no month"
        logger.warning("%d rows have no %s that is a date (%d empty, %d unreadable); they are %s", undated, date_column,
                       undated - unread, unread, fate)
    if dates.isna().all():
        return frame, dates, None, "all rows (no readable dates)"
    first, last = dates.min().normalize(), dates.max().normalize()
    if not start and not end:
        # No period asked for: every row counts, dated or not.
        return frame, dates, None, f"{first:%Y-%m-%d} – {last:%Y-%m-%d}" + (f" and {undated} undated rows" if undated else "")
    lower = first if lower is None else lower
    upper = last if upper is None else upper
    if lower > upper:
        raise ValueError(f"no day between {lower:%Y-%m-%d} and {upper:%Y-%m-%d}: the data runs from {first:%Y-%m-%d} "
                         f"to {last:%Y-%m-%d}")
    # Whole days: a petition received at 10:37 on the last day belongs to the period.
    after = upper + pd.Timedelta(days=1)
    within = (dates >= lower) & (dates < after)
    previous = None
    if start:
        # The same length before: whole months for a period of whole months (a half-year against the half-year
        # before it), otherwise the same number of days.
        months = (after.year - lower.year) * 12 + after.month - lower.month
        whole_months = lower.day == 1 and after.day == 1
        before = lower - (pd.DateOffset(months=months) if whole_months else (after - lower))
        previous = frame[(dates >= before) & (dates < lower)]
    return frame[within], dates[within], previous, f"{lower:%Y-%m-%d} – {upper:%Y-%m-%d}"


def build_report(
    labelled: pd.DataFrame,
    output: str | Path,
    *,
    date_column: str | None = DEFAULT_DATE_COLUMN,
    start: str | None = None,
    end: str | None = None,
    routing: RoutingTable | None = None,
) -> dict[str, Any]:
    """Summarise a labelled backlog into ``output``: summary.json, report.md, report.html and PNG charts.

    Uses the columns present: ``domain``, ``litigation``, ``stage`` (from ``petition-nlp label``), the
    department from the routing table, months from ``date_column``, and ``petitioner_id`` / ``is_repeat``
    (from ``petition-nlp repeats``). With ``start``, the same length of time before it is compared.
    """
    heads = [h for h in HEADS if h in labelled.columns]
    if not heads:
        raise ValueError(f"the table has none of the label columns {list(HEADS)}; its columns are {list(labelled.columns)}")
    out = Path(output)
    out.mkdir(parents=True, exist_ok=True)
    # Every table shows a row without a label as (unlabelled): empty in a CSV, null in Parquet alike.
    labelled = labelled.assign(**{h: labelled[h].astype(object).where(
        labelled[h].notna() & (labelled[h].astype(str).str.strip() != ""), UNLABELLED) for h in heads})
    frame, dates, previous, period = _period(labelled, date_column, start, end)
    table = routing or RoutingTable.load()
    rows = frame[heads].to_dict("records")
    frame = frame.assign(department=[table.match({k: v for k, v in r.items() if v != UNLABELLED}).department.zh
                                     for r in rows])
    summary: dict[str, Any] = {"period": period, "petitions": int(len(frame)), "generated": dt.date.today().isoformat()}
    tables: dict[str, pd.DataFrame] = {h: _counts(frame[h], h) for h in heads}
    tables["department"] = _counts(frame["department"])
    if dates is not None:
        months = dates.dt.strftime("%Y-%m")
        by = "litigation" if "litigation" in frame.columns else heads[0]
        tables["month"] = pd.crosstab(months, frame[by]).reset_index().rename(columns={date_column: "month"})
    if "is_repeat" in frame.columns:
        repeats = frame["is_repeat"].astype(str).str.lower().isin(("true", "1"))
        summary["repeat_petitions"] = int(repeats.sum())
        summary["repeat_share"] = float(repeats.mean()) if len(frame) else 0.0
        if "petitioner_id" in frame.columns:
            summary["petitioners"] = int(frame["petitioner_id"].nunique())
            summary["repeat_petitioners"] = int(frame.loc[repeats, "petitioner_id"].nunique())
    if "litigation" in frame.columns:
        summary["litigation_share"] = float((frame["litigation"] == "litigation").mean()) if len(frame) else 0.0
    if "needs_review" in frame.columns:
        summary["needs_review"] = int(frame["needs_review"].astype(str).str.lower().isin(("true", "1")).sum())
    if previous is not None and "domain" in previous.columns:
        change = pd.DataFrame({"this period": frame["domain"].value_counts(), "previous period": previous["domain"].value_counts()}).fillna(0).astype(int)
        change["change"] = change["this period"] - change["previous period"]
        tables["change"] = change.reset_index().rename(columns={"index": "domain"})
        summary["previous_period_petitions"] = int(len(previous))
    charts = _charts(out, tables)
    summary["tables"] = {name: t.to_dict("records") for name, t in tables.items()}
    (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1, default=str), encoding="utf-8")
    markdown = _markdown(summary, tables, charts)
    (out / "report.md").write_text(markdown, encoding="utf-8")
    (out / "report.html").write_text(_html(summary, tables, charts), encoding="utf-8")
    return summary


def _charts(out: Path, tables: dict[str, pd.DataFrame]) -> dict[str, str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .classify.evaluation import _display_labels

    charts = {}
    for name in ("domain", "litigation", "stage", "department"):
        if name not in tables or tables[name].empty:
            continue
        t = tables[name]
        labels = _display_labels([str(v) for v in t["label"]])
        fig, ax = plt.subplots(figsize=(7, 0.45 * len(t) + 1.2))
        ax.barh(labels[::-1], t["count"].to_numpy()[::-1], color="#1f6feb")
        ax.set_xlabel("petitions")
        ax.set_title(f"by {name}")
        fig.tight_layout()
        fig.savefig(out / f"{name}.png", dpi=110)
        plt.close(fig)
        charts[name] = f"{name}.png"
    if "month" in tables and not tables["month"].empty:
        t = tables["month"].set_index("month")
        fig, ax = plt.subplots(figsize=(9, 3.5))
        t.plot(kind="bar", stacked=True, ax=ax)
        ax.set_ylabel("petitions")
        ax.set_title("by month")
        fig.tight_layout()
        fig.savefig(out / "month.png", dpi=110)
        plt.close(fig)
        charts["month"] = "month.png"
    return charts


def _md_table(frame: pd.DataFrame) -> str:
    head = "| " + " | ".join(str(c) for c in frame.columns) + " |"
    rule = "|" + "---|" * len(frame.columns)
    body = ["| " + " | ".join(f"{v:.1%}" if c == "share" else str(v) for c, v in zip(frame.columns, row)) + " |"
            for row in frame.itertuples(index=False)]
    return "\n".join([head, rule, *body])


def _markdown(summary: dict[str, Any], tables: dict[str, pd.DataFrame], charts: dict[str, str]) -> str:
    lines = ["# 信访件集中评查报告 · Petition review report", "", f"Period: {summary['period']}. Petitions: {summary['petitions']}."]
    for key, text in (("litigation_share", "涉法涉诉 share"), ("repeat_petitions", "repeat petitions (重复信访)"),
                      ("repeat_petitioners", "repeat petitioners"), ("petitioners", "petitioners"),
                      ("needs_review", "flagged for human review"), ("previous_period_petitions", "previous period petitions")):
        if key in summary:
            value = summary[key]
            lines.append(f"- {text}: {value:.1%}" if isinstance(value, float) else f"- {text}: {value}")
    titles = {"domain": "By domain 领域", "litigation": "涉法涉诉 / 普通信访", "stage": "By procedural stage 程序阶段",
              "department": "By suggested department 分办部门", "month": "By month", "change": "Change against the previous period"}
    for name, table in tables.items():
        lines += ["", f"## {titles.get(name, name)}", "", _md_table(table)]
        if name in charts:
            lines += ["", f"![{name}]({charts[name]})"]
    return "\n".join(lines) + "\n"


def _html(summary: dict[str, Any], tables: dict[str, pd.DataFrame], charts: dict[str, str]) -> str:
    parts = ["<!doctype html><html lang='zh-CN'><head><meta charset='utf-8'><title>信访件集中评查报告</title>",
             "<style>body{font-family:system-ui,sans-serif;max-width:960px;margin:24px auto;color:#1d2733}"
             "table{border-collapse:collapse;margin:8px 0}td,th{border:1px solid #d9dee3;padding:4px 8px}</style></head><body>",
             "<h1>信访件集中评查报告 · Petition review report</h1>",
             f"<p>Period: {html.escape(summary['period'])}. Petitions: {summary['petitions']}.</p><ul>"]
    for key in ("litigation_share", "repeat_petitions", "repeat_petitioners", "petitioners", "needs_review"):
        if key in summary:
            value = summary[key]
            parts.append(f"<li>{key.replace('_', ' ')}: {value:.1%}</li>" if isinstance(value, float) else f"<li>{key.replace('_', ' ')}: {value}</li>")
    parts.append("</ul>")
    for name, table in tables.items():
        parts.append(f"<h2>{html.escape(name)}</h2>")
        parts.append(table.to_html(index=False, escape=True, float_format=lambda v: f"{v:.4g}"))
        if name in charts:
            parts.append(f"<img src='{charts[name]}' alt='{name}'>")
    parts.append("</body></html>")
    return "\n".join(parts)
