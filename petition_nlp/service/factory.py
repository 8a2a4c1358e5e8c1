"""Building the service app from settings passed in the environment, so that uvicorn worker processes can."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from fastapi import FastAPI

from .._locks import SERVING_LOCK, FolderBusyError, folder_lock

__all__ = ["SERVICE_ENV", "service_environment", "app_from_environment"]

SERVICE_ENV = "PETITION_NLP_SERVICE"


def service_environment(model: Path | None, routing: Path | None, index: Path | None, api_key: str | None,
                        max_body_bytes: int) -> str:
    return json.dumps({"model": str(model) if model else None, "routing": str(routing) if routing else None,
                       "index": str(index) if index else None, "api_key": api_key, "max_body_bytes": max_body_bytes})


def app_from_environment() -> FastAPI:
    """The app for the settings in ``$PETITION_NLP_SERVICE`` (the defaults where it is unset).

    With an index folder, the service holds that folder for as long as it runs: a second service on it, or a
    rebuild of it, is refused instead of losing registrations; a folder it cannot write to is refused at start,
    not at the first registration.
    """
    from ..repeats import RepeatIndex
    from ..routing import Router
    from .app import ServiceSettings, create_app

    settings = json.loads(os.environ.get(SERVICE_ENV) or "{}")
    index = settings.get("index")
    held = ExitStack()
    if index:
        held.enter_context(_serving(Path(index)))
    try:
        router = Router(settings.get("model"), settings.get("routing"), RepeatIndex.load(index) if index else None)
        given = {k: settings[k] for k in ("api_key", "max_body_bytes") if settings.get(k) is not None}
        application = create_app(router, ServiceSettings(**given, index_path=index))
    except BaseException:
        held.close()
        raise
    application.router.add_event_handler("shutdown", held.close)
    return application


@contextmanager
def _serving(folder: Path) -> Iterator[None]:
    if not folder.is_dir():
        raise ValueError(f"{folder} is not a repeat index folder (build one with `petition-nlp repeats REGISTER -o OUT "
                         f"--index {folder}`)")
    if not os.access(folder, os.W_OK):
        raise ValueError(f"cannot write to the repeat index folder {folder}: registrations are saved there")
    try:
        with folder_lock(folder, wait=False, name=SERVING_LOCK):
            yield
    except FolderBusyError:
        raise ValueError(f"another petition-nlp service is serving the repeat index in {folder}; one service must "
                         "own an index folder") from None
