"""``petition-nlp train``, ``evaluate`` and ``label``: the classifier's commands."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Optional

import typer

from .app import app, user_errors


@app.command()
@user_errors
def train(
    data: Path = typer.Argument(..., help="Labelled data: CSV, TSV, JSONL, XLSX or Parquet (by extension)."),
    output: Path = typer.Option(..., "--output", "-o", help="Model directory to write (new or empty)."),
    force: bool = typer.Option(False, "--force", help="Replace the model already in the --output directory."),
    target: list[str] = typer.Option(..., "--target", help="Label column; repeat for several heads."),
    text_column: str = typer.Option("text", "--text-column", help="Column holding the petition text."),
    user_dict: list[Path] = typer.Option([], "--user-dict", help="jieba user dictionary to segment with; repeatable."),
    backend: str = typer.Option("rjieba", "--backend", help="Segmentation backend: rjieba (fast) or jieba."),
    c: float = typer.Option(1.0, "--C", help="Inverse regularisation strength of the linear heads."),
    review_precision: float = typer.Option(0.95, "--review-precision",
                                           help="Precision that predictions not flagged for review should reach."),
    calibrate_on: Optional[str] = typer.Option(None, "--calibrate-on", metavar="COLUMN=VALUE",
                                               help="Calibrate and set review thresholds on these rows only."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Input encoding; default UTF-8, then GB18030."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar."),
    backbone: Optional[Path] = typer.Option(
        None, "--backbone", metavar="PATH",
        help="Fine-tune this LOCAL Hugging Face checkpoint directory (needs the 'transformer' extra) instead of "
             "training the fast linear model. The options below apply to it only."),
    epochs: Optional[int] = typer.Option(None, "--epochs", help="Transformer: training epochs (default 3)."),
    learning_rate: Optional[float] = typer.Option(None, "--learning-rate",
                                                  help="Transformer: peak learning rate (3e-5)."),
    batch_size: Optional[int] = typer.Option(None, "--batch-size", help="Transformer: petitions per step (16)."),
    gradient_accumulation: Optional[int] = typer.Option(None, "--gradient-accumulation",
                                                        help="Transformer: steps per optimizer update (1)."),
    max_length: Optional[int] = typer.Option(None, "--max-length",
                                             help="Transformer: tokens per window; longer texts use sliding "
                                                  "windows (256)."),
    seed: Optional[int] = typer.Option(None, "--seed", help="Transformer: random seed (0)."),
    device: Optional[str] = typer.Option(None, "--device", help="Transformer: auto, cpu, cuda or cuda:N (auto)."),
    mixed_precision: Optional[str] = typer.Option(None, "--mixed-precision",
                                                  help="Transformer: auto, fp16, bf16 or no; GPU only (auto)."),
) -> None:
    """Train a model with one head per --target column and save it as a directory (--backbone: fine-tune one)."""
    from ..classify import FeatureConfig, HeadConfig
    from ..classify import train as train_model
    from ..text import SegmenterConfig

    calibration = None
    if calibrate_on is not None:
        if "=" not in calibrate_on:
            raise ValueError(f"--calibrate-on expects COLUMN=VALUE, got {calibrate_on!r}")
        column, value = calibrate_on.split("=", 1)
        calibration = (column, value)
    transformer_options = {"epochs": epochs, "learning_rate": learning_rate, "batch_size": batch_size,
                           "gradient_accumulation": gradient_accumulation, "max_length": max_length, "seed": seed,
                           "device": device, "mixed_precision": mixed_precision}
    given = {k: v for k, v in transformer_options.items() if v is not None}
    if backbone is None:
        if given:
            option = "--" + next(iter(given)).replace("_", "-")
            raise ValueError(f"{option} applies to transformer training: add --backbone PATH")
    else:
        if user_dict or c != 1.0:
            raise ValueError("--user-dict and --C apply to the fast linear model, not to --backbone training")
        from ..classify.transformer import TransformerConfig, train_transformer

        try:
            config = TransformerConfig(backbone=str(backbone), review_precision=review_precision, **given)
            model = train_transformer(data, target, text_column=text_column, output=output, config=config,
                                      encoding=encoding, calibrate_on=calibration, progress=progress, overwrite=force)
        except ImportError as exc:
            raise ValueError(str(exc)) from None
        run = model.meta["training"]
        typer.echo(f"model saved to {output} ({model.meta['training_data']['rows']} training rows; fine-tuned "
                   f"{backbone} on {run['device']}, {run['epochs_run']} epoch(s), best epoch {run['best_epoch']}, "
                   f"{run['seconds']:.0f} s)")
        scores = model.meta["metrics"]["validation"]
        typer.echo(f"{'head':<14}{'labels':>7}{'val accuracy':>14}{'val macro-F1':>14}{'review share':>14}")
        for name in model.head_names:
            s = scores.get(name, {})
            typer.echo(f"{name:<14}{len(model.labels(name)):>7}{_figure(s.get('accuracy'), '.3f'):>14}"
                       f"{_figure(s.get('macro_f1'), '.3f'):>14}{_figure(s.get('review_share'), '.1%'):>14}")
        return

    features = FeatureConfig(segmenter=SegmenterConfig(
        backend=backend, user_dicts=tuple(str(p) for p in user_dict), stopwords="default", drop_punctuation=True
    ))
    model = train_model(data, target, text_column=text_column, output=output, features=features,
                        head=HeadConfig(C=c, review_precision=review_precision), encoding=encoding,
                        calibrate_on=calibration, progress=progress, overwrite=force)
    scores = model.meta["metrics"]["cross_validated_on_training_data"]
    typer.echo(f"model saved to {output} ({model.meta['training_data']['rows']} training rows)")
    typer.echo(f"{'head':<14}{'labels':>7}{'cv accuracy':>13}{'cv macro-F1':>13}{'review share':>14}")
    for name in model.head_names:
        s = scores[name]
        typer.echo(f"{name:<14}{len(model.labels(name)):>7}{_figure(s.get('cv_accuracy'), '.3f'):>13}"
                   f"{_figure(s.get('cv_macro_f1'), '.3f'):>13}{_figure(s.get('cv_review_share'), '.1%'):>14}")
    if any(scores[name].get("cv_accuracy") is None for name in model.head_names):
        typer.echo("n/a: a label has too few examples for cross-validation, so those scores and the calibration are "
                   "missing; add examples", err=True)


def _figure(value: float | None, spec: str) -> str:
    """A score for the summary table; 'n/a' where there is none."""
    return "n/a" if value is None or value != value else format(value, spec)


@app.command()
@user_errors
def evaluate(
    model_dir: Path = typer.Argument(..., help="Model directory."),
    data: Path = typer.Argument(..., help="Labelled data with a column per head to score."),
    report: Optional[Path] = typer.Option(None, "--report", help="Write metrics.json, report.md and plots here."),
    text_column: str = typer.Option("text", "--text-column"),
    encoding: Optional[str] = typer.Option(None, "--encoding"),
    progress: bool = typer.Option(True, "--progress/--no-progress"),
) -> None:
    """Score a model on labelled data: accuracy, macro-F1, per-class scores, calibration."""
    from ..classify import evaluate as evaluate_model
    from ..classify import load_model

    metrics = evaluate_model(load_model(model_dir), data, text_column=text_column, report_dir=report,
                             encoding=encoding, progress=progress)
    typer.echo(f"{'head':<14}{'rows':>7}{'accuracy':>10}{'macro-F1':>10}{'ECE':>8}{'review':>9}")
    for name, m in metrics.items():
        typer.echo(f"{name:<14}{m['rows']:>7}{m['accuracy']:>10.3f}{m['macro_f1']:>10.3f}{m['ece']:>8.3f}{m['review_share']:>9.1%}")
    if report:
        typer.echo(f"report written to {report / 'report.md'}")


@app.command()
@user_errors
def label(
    input: Path = typer.Argument(..., help="Petitions to label: CSV, TSV, JSONL, XLSX or Parquet."),
    output: Path = typer.Option(..., "--output", "-o", help="Where to write the labelled table (format by extension)."),
    model: Optional[Path] = typer.Option(None, "--model", help="Model directory; default: the shipped model."),
    text_column: str = typer.Option("text", "--text-column"),
    id_column: Optional[str] = typer.Option(None, "--id-column", help="Row id column, checked for duplicates."),
    chunk_size: int = typer.Option(5000, "--chunk-size", min=1, help="Rows per chunk (memory stays bounded)."),
    resume: bool = typer.Option(False, "--resume", help="Continue an interrupted run from OUTPUT.partial/."),
    encoding: Optional[str] = typer.Option(None, "--encoding"),
    progress: bool = typer.Option(True, "--progress/--no-progress"),
    threads: Optional[int] = typer.Option(None, "--threads", min=1,
                                          help="Chunks labelled at once in this process; default: one per CPU core, "
                                               "at most 4 (segmentation and the numeric work release the GIL). The "
                                               "output is the same for any number."),
    engine: str = typer.Option("local", "--engine",
                               help="local (this process) or spark (PySpark: INPUT and OUTPUT are Parquet, CSV, TSV "
                                    "or JSONL paths, OUTPUT a folder of part files; needs the 'spark' extra)."),
    master: str = typer.Option("local[*]", "--master", help="Spark master URL for --engine spark."),
) -> None:
    """Label a backlog: adds H and H_confidence per head, needs_review, explanation and error columns.

    Every input row and column is kept in order; an input column whose name the output uses (a hand-labelled
    'domain', say) is kept as NAME_input.
    """
    if engine == "spark":
        if resume:
            raise ValueError("--resume is for --engine local; Spark reruns failed tasks itself")
        from ..spark import label_table_spark

        counts = label_table_spark(input, output, model, master=master, text_column=text_column, id_column=id_column,
                                   batch_size=chunk_size, encoding=encoding)
        typer.echo(json.dumps(counts))
        return
    if engine != "local":
        raise ValueError(f"--engine must be local or spark, got {engine!r}")
    from ..batch import label_file

    try:
        counts = label_file(input, output, model, text_column=text_column, id_column=id_column, chunk_size=chunk_size,
                            resume=resume, encoding=encoding, progress=progress, threads=threads)
    except KeyboardInterrupt:
        partial = output.with_name(output.name + ".partial")
        hint = f"; run the same command with --resume to continue from {partial}" if partial.exists() else ""
        typer.echo(f"interrupted{hint}", err=True)
        raise typer.Exit(code=130) from None
    typer.echo(json.dumps(counts))
