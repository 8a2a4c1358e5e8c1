"""``petition-nlp segment``: one petition per line in, space-separated tokens out."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

import typer

from ..io import read_text_lines
from ..text import Segmenter
from .app import app, user_errors


@app.command()
@user_errors
def segment(
    input: Optional[Path] = typer.Argument(None, help="Text file, one petition per line; '-' or nothing reads stdin."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write tokens here instead of stdout."),
    mask: bool = typer.Option(True, "--mask/--no-mask", help="Replace ID numbers, phones, cards, e-mail, plates, cued names."),
    user_dict: list[Path] = typer.Option([], "--user-dict", help="jieba user dictionary ('word freq tag'); repeatable."),
    backend: str = typer.Option("jieba", "--backend", help="Segmentation backend: jieba or rjieba (faster)."),
    stopwords: Optional[str] = typer.Option(None, "--stopwords", help="'default' or a word-list file to drop stop words."),
    normalize: bool = typer.Option(True, "--normalize/--no-normalize", help="Full-width, traditional → simplified, spaces."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="Input encoding; default tries UTF-8 then GB18030."),
) -> None:
    """Segment petitions into words (one output line per input line)."""
    segmenter = Segmenter(
        backend=backend, user_dicts=tuple(str(p) for p in user_dict), mask=mask, stopwords=stopwords, normalize=normalize
    )
    lines = read_text_lines(input, encoding)
    if output is None:
        try:
            for line in lines:
                sys.stdout.write(" ".join(segmenter.tokenize(line)) + "\n")
            sys.stdout.flush()
        except BrokenPipeError:  # the reader stopped early (`| head`): not an error
            # Point stdout at devnull so that the interpreter's final flush does not fail again.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    with output.open("w", encoding="utf-8") as out:
        for line in lines:
            out.write(" ".join(segmenter.tokenize(line)) + "\n")
