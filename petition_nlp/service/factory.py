"""Building the service app from settings passed in the environment, so that uvicorn worker processes can."""

from __future__ import annotations

import json
import os
from pathlib import Path

from fastapi import FastAPI

__all__ = ["SERVICE_ENV", "service_environment", "app_from_environment"]

SERVICE_ENV = "PETITION_NLP_SERVICE"


def service_environment(model: Path | None, routing: Path | None, index: Path | None, api_key: str | None,
                        max_body_bytes: int) -> str:
    return json.dumps({"model": str(model) if model else None, "routing": str(routing) if routing else None,
                       "index": str(index) if index else None, "api_key": api_key, "max_body_bytes": max_body_bytes})


def app_from_environment() -> FastAPI:
    """The app for the settings in ``$PETITION_NLP_SERVICE`` (the defaults where it is unset)."""
    from ..repeats import RepeatIndex
    from ..routing import Router
    from .app import ServiceSettings, create_app

    settings = json.loads(os.environ.get(SERVICE_ENV) or "{}")
    index = settings.get("index")
    router = Router(settings.get("model"), settings.get("routing"), RepeatIndex.load(index) if index else None)
    given = {k: settings[k] for k in ("api_key", "max_body_bytes") if settings.get(k) is not None}
    return create_app(router, ServiceSettings(**given, index_path=index))
