"""``petition-nlp repeats``: find repeat petitioners and repeated matters in a register."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from .app import app, user_errors


@app.command()
@user_errors
def repeats(
    input: Path = typer.Argument(..., help="Register: CSV, TSV, JSONL, XLSX or Parquet, one petition per row."),
    output: Path = typer.Option(..., "--output", "-o", help="Register with petitioner_id, is_repeat, ... added."),
    match_threshold: float = typer.Option(0.97, "--match-threshold", help="Probability at which two records are one person."),
    matter_threshold: float = typer.Option(0.35, "--matter-threshold", help="Text similarity at which petitions raise one matter."),
    links: Optional[Path] = typer.Option(None, "--links", help="Also write the linked pairs with their evidence here."),
    index: Optional[Path] = typer.Option(None, "--index", help="Also save an intake index of the register in this folder."),
    id_column: str = typer.Option("id", "--id-column"),
    name_column: str = typer.Option("name", "--name-column"),
    id_number_column: str = typer.Option("id_number", "--id-number-column"),
    phone_column: str = typer.Option("phone", "--phone-column"),
    address_column: str = typer.Option("address", "--address-column"),
    date_column: str = typer.Option("received_at", "--date-column"),
    text_column: str = typer.Option("text", "--text-column"),
    domain_column: str = typer.Option("domain", "--domain-column", help="Used when present: matters of different domains differ."),
    allow_duplicate_ids: bool = typer.Option(False, "--allow-duplicate-ids", help="Warn about duplicated ids instead of stopping."),
    encoding: Optional[str] = typer.Option(None, "--encoding"),
) -> None:
    """Link records into petitioners and mark repeats: adds petitioner_id, match_probability, is_repeat,
    repeat_of and prior_petitions to every row."""
    from ..io import read_table, write_table
    from ..repeats import LinkageConfig, RegisterColumns, RepeatDetector, RepeatIndex

    register = read_table(input, encoding=encoding)
    columns = RegisterColumns(id=id_column, name=name_column, id_number=id_number_column, phone=phone_column,
                              address=address_column, received_at=date_column, text=text_column, domain=domain_column)
    detector = RepeatDetector(LinkageConfig(match_threshold=match_threshold), matter_threshold, columns, allow_duplicate_ids)
    labelled = detector.fit_assign(register)
    write_table(labelled, output)
    if links is not None:
        pairs = detector.links_.copy()
        ids = register[id_column].astype(str).to_numpy()
        pairs.insert(0, "id_l", ids[pairs["unique_id_l"].to_numpy(dtype=int)])
        pairs.insert(1, "id_r", ids[pairs["unique_id_r"].to_numpy(dtype=int)])
        write_table(pairs.drop(columns=["unique_id_l", "unique_id_r"]), links)
    if index is not None:
        RepeatIndex.from_labelled(labelled.rename(columns={v: k for k, v in vars(columns).items() if v in labelled.columns}),
                                  detector.parameters_, match_threshold=match_threshold,
                                  matter_threshold=matter_threshold).save(index)
    typer.echo(json.dumps(detector.summary(labelled), ensure_ascii=False))
