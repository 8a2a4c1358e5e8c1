"""The ``petition-nlp`` command line (typer); each subcommand lives in its own module."""

from .app import app, main

__all__ = ["app", "main"]
