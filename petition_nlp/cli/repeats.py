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
    match_threshold: Optional[float] = typer.Option(None, "--match-threshold", show_default=False,
                                                   help="Probability at which two records are one person (default 0.9, from LinkageConfig)."),
    matter_threshold: float = typer.Option(0.35, "--matter-threshold", min=0.0, max=1.0, help="Text similarity at which petitions raise one matter."),
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
    engine: str = typer.Option("local", "--engine",
                               help="local (DuckDB in this process) or spark (splink's Spark backend: INPUT and OUTPUT "
                                    "are Parquet, CSV, TSV or JSONL paths, OUTPUT a folder of part files)."),
    master: str = typer.Option("local[*]", "--master", help="Spark master URL for --engine spark."),
    linkage_model: Optional[str] = typer.Option(None, "--linkage-model",
                                                help="With --engine spark: a trained splink model JSON, or 'prior', "
                                                     "instead of training on the driver as the local run does."),
) -> None:
    """Link records into petitioners and mark repeats: adds petitioner_id, match_probability, is_repeat,
    repeat_of, prior_petitions and matter_similarity to every row."""
    from ..io import read_table, write_table
    from .._locks import SERVING_LOCK, FolderBusyError, folder_lock
    from ..repeats import LinkageConfig, RegisterColumns, RepeatDetector, RepeatIndex

    if engine not in ("local", "spark"):
        raise ValueError(f"--engine must be local or spark, got {engine!r}")
    if Path(input).resolve() == Path(output).resolve():
        raise ValueError(f"output {output} would overwrite the input")
    linkage = LinkageConfig() if match_threshold is None else LinkageConfig(match_threshold=match_threshold)
    columns = RegisterColumns(id=id_column, name=name_column, id_number=id_number_column, phone=phone_column,
                              address=address_column, received_at=date_column, text=text_column, domain=domain_column)
    if engine == "spark":
        if index is not None:
            raise ValueError("--index builds an in-memory intake index: run it with --engine local")
        from ..spark import repeats_table_spark

        summary = repeats_table_spark(input, output, master=master, linkage=linkage,
                                      matter_threshold=matter_threshold, columns=columns,
                                      allow_duplicate_ids=allow_duplicate_ids, links=links, model=linkage_model,
                                      encoding=encoding)
        typer.echo(json.dumps(summary, ensure_ascii=False))
        return
    if linkage_model is not None:
        raise ValueError("--linkage-model is for --engine spark")
    register = read_table(input, encoding=encoding, text_column=text_column)
    defaults = vars(RegisterColumns())
    named = {field: value for field, value in vars(columns).items() if value != defaults[field]}
    missing = {field: value for field, value in named.items() if value not in register.columns}
    if missing:
        option = {"received_at": "date"}
        options = ", ".join(f"--{option.get(field, field).replace('_', '-')}-column {value!r}"
                            for field, value in missing.items())
        raise ValueError(f"{input} has no column for {options}; its columns are {list(map(str, register.columns))}")
    detector = RepeatDetector(linkage, matter_threshold, columns, allow_duplicate_ids)
    labelled = detector.fit_assign(register)
    write_table(labelled, output)
    if links is not None:
        pairs = detector.links_.copy()
        ids = register[id_column].astype(str).to_numpy()
        pairs.insert(0, "id_l", ids[pairs["unique_id_l"].to_numpy(dtype=int)])
        pairs.insert(1, "id_r", ids[pairs["unique_id_r"].to_numpy(dtype=int)])
        write_table(pairs.drop(columns=["unique_id_l", "unique_id_r"]), links)
    if index is not None:
        built = RepeatIndex.from_labelled(
            labelled.rename(columns={v: k for k, v in vars(columns).items() if v in labelled.columns}),
            detector.parameters_, match_threshold=linkage.match_threshold, matter_threshold=matter_threshold)
        try:
            with folder_lock(index, wait=False, name=SERVING_LOCK):  # a running service would lose registrations
                built.save(index)
        except FolderBusyError:
            raise ValueError(f"a petition-nlp service is serving the repeat index in {index}; stop it before "
                             "rebuilding the index") from None
    typer.echo(json.dumps(detector.summary(labelled), ensure_ascii=False))
