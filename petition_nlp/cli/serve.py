"""``petition-nlp serve``: the HTTP service and intake page."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Optional

import typer

from .app import app, user_errors


@app.command()
@user_errors
def serve(
    model: Optional[Path] = typer.Option(None, "--model", help="Model directory; default: the shipped model."),
    routing: Optional[Path] = typer.Option(None, "--routing", help="Routing table (YAML); default: the shipped one."),
    index: Optional[Path] = typer.Option(None, "--index", help="Repeat index folder (from `repeats --index`)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port"),
    api_key: Optional[str] = typer.Option(None, "--api-key", envvar="PETITION_NLP_API_KEY",
                                          help="Require this X-API-Key header on /v1/* (or set PETITION_NLP_API_KEY)."),
    max_body_mb: float = typer.Option(4.0, "--max-body-mb", help="Largest request body accepted."),
) -> None:
    """Serve POST /v1/route, POST /v1/route:batch, GET /healthz, /docs and the intake page at /."""
    import uvicorn

    from ..repeats import RepeatIndex
    from ..routing import Router
    from ..service import ServiceSettings, create_app

    router = Router(model, routing, RepeatIndex.load(index) if index else None)
    settings = ServiceSettings(api_key=api_key or None, max_body_bytes=int(max_body_mb * 1024 * 1024))
    typer.echo(f"serving on http://{host}:{port} (intake page at /, API docs at /docs)", err=True)
    uvicorn.run(create_app(router, settings), host=host, port=port, log_level=os.environ.get("PETITION_NLP_LOG", "warning"))
