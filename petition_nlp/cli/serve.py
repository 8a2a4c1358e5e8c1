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
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port to listen on."),
    api_key: Optional[str] = typer.Option(None, "--api-key", envvar="PETITION_NLP_API_KEY",
                                          help="Require this X-API-Key header on /v1/* (or set PETITION_NLP_API_KEY)."),
    max_body_mb: float = typer.Option(4.0, "--max-body-mb", min=0.001, help="Largest request body accepted."),
    workers: int = typer.Option(1, "--workers", min=1,
                                help="Worker processes (one per CPU core serves most requests per second). Each "
                                     "loads its own model; not with --index, whose registrations one process holds."),
) -> None:
    """Serve POST /v1/route, POST /v1/route:batch, GET /healthz, /docs and the intake page at /.

    Needs the service extra (pip install 'petition-nlp[service]'). `petition-nlp -v serve` also logs each request
    (the petition's start, masked); PETITION_NLP_LOG=info adds uvicorn's access lines.
    """
    try:
        import uvicorn

        from ..service.factory import SERVICE_ENV, app_from_environment, service_environment
    except ImportError as exc:
        typer.echo(f"error: serving needs the service extra ({exc.name} is not installed): "
                   "pip install 'petition-nlp[service]'", err=True)
        raise typer.Exit(code=2) from None

    if workers > 1 and index is not None:
        raise typer.BadParameter("--workers > 1 cannot be combined with --index: each worker process would keep its "
                                 "own copy of the repeat index and registrations would diverge", param_hint="--workers")
    if api_key is None and os.environ.get("PETITION_NLP_API_KEY") is not None:
        api_key = os.environ["PETITION_NLP_API_KEY"]  # set but empty reads as unset to the option parser
    if api_key is not None and not api_key.strip():
        # An empty PETITION_NLP_API_KEY= line in a service's environment file must not open the API.
        raise typer.BadParameter("the API key is empty; give one, or unset PETITION_NLP_API_KEY to serve without",
                                 param_hint="--api-key")
    os.environ[SERVICE_ENV] = service_environment(model, routing, index, api_key, int(max_body_mb * 1024 * 1024))
    log_level = os.environ.get("PETITION_NLP_LOG", "warning")
    if workers == 1:
        application = app_from_environment()  # model, table and index load (and fail) before the address shows
        typer.echo(f"serving on http://{host}:{port} (intake page at /, API docs at /docs)", err=True)
        uvicorn.run(application, host=host, port=port, log_level=log_level)
    else:  # worker processes import the app by name and build it from the environment
        from ..routing import Router

        Router(model, routing)  # a bad model or table fails here, once, not in each worker over and over
        typer.echo(f"serving on http://{host}:{port} with {workers} workers (intake page at /, API docs at /docs)", err=True)
        uvicorn.run("petition_nlp.service.factory:app_from_environment", factory=True, workers=workers, host=host,
                    port=port, log_level=log_level)
