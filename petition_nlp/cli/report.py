"""``petition-nlp report``: the periodic review report from a labelled backlog."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .app import app, user_errors


@app.command()
@user_errors
def report(
    labelled: Path = typer.Argument(..., help="Output of `petition-nlp label` (and optionally `repeats`)."),
    output: Path = typer.Option(..., "--output", "-o", help="Folder for report.md, report.html, summary.json, charts."),
    start: Optional[str] = typer.Option(None, "--from", help="First day of the period (YYYY-MM-DD)."),
    end: Optional[str] = typer.Option(None, "--to", help="Last day of the period (YYYY-MM-DD)."),
    date_column: str = typer.Option("received_at", "--date-column"),
    routing: Optional[Path] = typer.Option(None, "--routing", help="Routing table for the department column."),
    encoding: Optional[str] = typer.Option(None, "--encoding"),
) -> None:
    """Counts and shares by domain, litigation, stage, department and month; repeats; charts."""
    from ..io import read_table
    from ..report import build_report
    from ..routing import RoutingTable

    summary = build_report(read_table(labelled, encoding=encoding), output, date_column=date_column, start=start, end=end,
                           routing=RoutingTable.load(routing) if routing else None)
    typer.echo(f"{summary['petitions']} petitions ({summary['period']}); report at {output / 'report.md'}")
