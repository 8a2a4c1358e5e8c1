"""The HTTP service: route petitions (one or a batch), health, OpenAPI docs and the intake page (FastAPI)."""

from __future__ import annotations

import gc
import hmac
import logging
import threading
import time
from importlib import resources
from typing import Any

from fastapi import Depends, FastAPI, Header, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi_offline import FastAPIOffline
from pydantic import BaseModel, ConfigDict, Field, StrictBool, field_validator
from starlette.concurrency import run_in_threadpool

from .. import __version__
from ..dates import iso_date
from ..repeats.index import DuplicateRecordError, FolderTakenError
from ..routing import Router
from ..text import mask_personal_data, normalize
from ..text.masking import PLACEHOLDERS
from .batching import MicroBatcher

__all__ = ["create_app", "ServiceSettings"]

logger = logging.getLogger(__name__)

MAX_TEXT_CHARS = 20_000
MAX_BATCH = 1000


# What the routing endpoints answer besides 200, for the OpenAPI page: errors as they are sent.
class ErrorBody(BaseModel):
    """Every error answer: ``detail`` is one message, or for invalid fields a list of "field: problem" lines."""

    detail: str | list[str]


_ROUTE_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": description} for status, description in (
        (400, "Body is not JSON, or register=true without a repeat index"), (401, "API key missing or wrong"),
        (409, "Petition id already registered"), (413, "Body too large"),
        (422, "A field is missing or invalid (one line per problem)"),
        (503, "Repeat index could not be saved; nothing registered"))}


class ServiceSettings(BaseModel):
    api_key: str | None = None

    @field_validator("api_key")
    @classmethod
    def _header_safe(cls, value: str | None) -> str | None:
        # HTTP headers carry ASCII: a key with 密 or é could never be sent, and every request would get 401.
        if value is not None and (not value or not value.isascii() or not value.isprintable() or value != value.strip()):
            raise ValueError("the API key must be printable ASCII without spaces at its ends, as HTTP headers carry it")
        return value
    max_body_bytes: int = Field(default=4 * 1024 * 1024, gt=0)
    # Where the repeat index was loaded from: registrations are saved back there, so a restart keeps them.
    index_path: str | None = None


class Petitioner(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str | None = Field(default=None, max_length=100)
    id_number: str | None = Field(default=None, max_length=40)
    phone: str | None = Field(default=None, max_length=40)
    address: str | None = Field(default=None, max_length=300)


class RouteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(..., min_length=1, max_length=MAX_TEXT_CHARS, description="The petition as received.")
    id: str | None = Field(default=None, max_length=100, description="Register id; needed with register=true.")
    received_at: str | None = Field(default=None, max_length=40)
    petitioner: Petitioner | None = None
    # 'register' is also a BaseModel attribute name; the field keeps it on the wire through an alias.
    add_to_index: StrictBool = Field(default=False, alias="register", description="Add this petition to the repeat index.")

    @field_validator("id")
    @classmethod
    def _an_id(cls, value: str | None) -> str | None:
        if value is not None and not value.strip():
            raise ValueError("id is empty or whitespace only")
        return value

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("text is empty or whitespace only")
        return value

    @field_validator("received_at")
    @classmethod
    def _a_date(cls, value: str | None) -> str | None:
        """A date as offices write it (2024-01-05, 2024/1/5, 2024年1月5日, a time may follow), kept as YYYY-MM-DD."""
        try:
            return iso_date(value)
        except ValueError as exc:
            raise ValueError(f"received_at: {exc}") from None


class BatchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    items: list[RouteRequest] = Field(..., min_length=1, max_length=MAX_BATCH)


class LabelOut(BaseModel):
    label: str
    confidence: float


class NamedOut(BaseModel):
    id: str
    zh: str


class RouteOut(NamedOut):
    description: str


class RouteResponse(BaseModel):
    department: NamedOut
    route: RouteOut
    rule: str
    labels: dict[str, LabelOut]
    confidence: float
    needs_review: bool
    reasons: list[str]
    explanation: dict[str, list[str]]
    repeat: dict[str, Any] | None = None
    highlights: list[tuple[int, int]] = Field(
        default_factory=list, description="(start, end) character offsets of the explanation words in the text as sent.")


class BatchResponse(BaseModel):
    results: list[RouteResponse]


def _payload(items: list[RouteRequest]) -> list[dict[str, Any]]:
    payload = []
    for item in items:
        record = {"text": item.text, "id": item.id, "received_at": item.received_at}
        if item.petitioner is not None:
            record.update(item.petitioner.model_dump(exclude_none=True))
        payload.append(record)
    return payload


def _masked_preview(text: str, petitioner: Petitioner | None = None, chars: int = 40) -> str:
    """The start of a petition for the log, masked; the petitioner's own name, ID number, phone and address,
    where the request gives them, are masked wherever they stand (a name needs no cue then)."""
    preview = normalize(text[:200])
    known = petitioner.model_dump(exclude_none=True) if petitioner is not None else {}
    for field, value in sorted(known.items(), key=lambda item: -len(item[1])):
        value = normalize(value)
        if len(value) >= 2:
            preview = preview.replace(value, PLACEHOLDERS.get(field, "<ADDRESS>"))
    return mask_personal_data(preview).text[:chars]


class _BodyLimit:
    """Pure ASGI middleware: refuse request bodies over the limit with 413, counting bytes as they arrive."""

    def __init__(self, app: Any, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(send)
            return
        if declared is None and scope.get("method") in ("POST", "PUT", "PATCH"):
            # A chunked body: read it here, so that one over the limit gets 413 (FastAPI would turn an error
            # raised while it reads the body into a generic 400).
            body, more = b"", True
            while more:
                message = await receive()
                if message["type"] != "http.request":
                    await self.app(scope, receive, send)
                    return
                body += message.get("body", b"")
                if len(body) > self.max_bytes:
                    await self._refuse(send)
                    return
                more = message.get("more_body", False)
            replayed = False

            async def replay() -> dict:
                nonlocal replayed
                if not replayed:
                    replayed = True
                    return {"type": "http.request", "body": body, "more_body": False}
                return await receive()

            await self.app(scope, replay, send)
            return
        received = 0

        async def counting_receive() -> dict:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge()
            return message

        try:
            await self.app(scope, counting_receive, send)
        except _TooLarge:
            await self._refuse(send)

    async def _refuse(self, send: Any) -> None:
        body = f'{{"detail": "request body over {self.max_bytes} bytes"}}'.encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


class _AccessLog:
    """Pure ASGI middleware: log method, path, status and time of each request (no bodies: they hold personal data).

    Starlette's ``@app.middleware("http")`` would wrap every request in extra tasks and streams, which costs
    more than a millisecond per request here.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def recording_send(message: dict) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, recording_send)
        finally:
            logger.info("%s %s %d %.1f ms", scope.get("method"), scope.get("path"), status,
                        (time.perf_counter() - started) * 1e3)


def create_app(router: Router, settings: ServiceSettings | None = None) -> FastAPI:
    """The FastAPI application around a :class:`Router` (model, routing table and optional repeat index)."""
    settings = settings or ServiceSettings()
    router.model.predict("法院执行")  # builds the segmenter's tokenizer now, not during the first request (0.5 s)
    # The model's vocabularies are millions of long-lived objects; moved out of the collector's sight, a
    # full garbage collection no longer stalls a request for tens of milliseconds.
    gc.collect()
    gc.freeze()
    # The docs pages load Swagger UI and ReDoc from the package, not from a CDN: an intranet has no internet.
    app = FastAPIOffline(title="petition-nlp", version=__version__,
                  description="Suggested routing of Chinese petitions (信访): domain, 涉法涉诉 / 普通信访, stage, "
                              "department and procedural route, with reasons.")
    app.add_middleware(_BodyLimit, max_bytes=settings.max_body_bytes)
    index_lock = threading.Lock()

    def check_key(x_api_key: str | None = Header(default=None)) -> None:
        if settings.api_key is None:
            return
        if x_api_key is None or not hmac.compare_digest(x_api_key.encode(), settings.api_key.encode()):
            raise HTTPException(status_code=401, detail="missing or wrong X-API-Key header")

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        broken = [e for e in exc.errors() if e.get("type") == "json_invalid"]
        if broken:  # not JSON at all: 400, as the API documents, rather than a field problem
            where = broken[0].get("ctx", {}).get("error", "")
            return JSONResponse(status_code=400, content={"detail": f"the body is not valid JSON ({where})".replace(" ()", "")})
        problems = [f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors()]
        return JSONResponse(status_code=422, content={"detail": problems})

    app.add_middleware(_AccessLog)

    def run(items: list[RouteRequest]) -> list[dict[str, Any]]:
        payload = _payload(items)
        register = any(item.add_to_index for item in items)
        if register and router.index is None:
            raise HTTPException(status_code=400, detail="register=true needs a service started with a repeat index (--index)")
        if register and any(item.add_to_index and not item.id for item in items):
            raise HTTPException(status_code=422, detail="register=true needs an 'id' for the petition")
        try:
            if register:
                with index_lock:
                    # All or nothing: every id is checked before any petition of the request is registered.
                    ids = [str(item.id) for item in items if item.add_to_index]
                    taken = sorted({i for i in ids if i in router.index} | {i for i in ids if ids.count(i) > 1})
                    if taken:
                        raise DuplicateRecordError(f"record ids {taken} are already in the repeat index or given twice; "
                                                   "nothing was registered")
                    try:
                        with router.index.transaction():
                            results = [router.route_many([p], register=i.add_to_index)[0] for p, i in zip(payload, items)]
                            if settings.index_path:
                                router.index.save_changes(settings.index_path)
                    except OSError as exc:
                        logger.error("the repeat index could not be saved; the registration was undone: %s", exc)
                        raise HTTPException(status_code=503, detail="the repeat index could not be saved; nothing "
                                                                    "was registered, try again later") from exc
                    except FolderTakenError as exc:  # another process writes the same index folder
                        logger.error("the registration was undone: %s", exc)
                        raise HTTPException(status_code=503, detail=f"nothing was registered: {exc}") from exc
            else:
                results = router.route_many(payload)
        except DuplicateRecordError as exc:
            raise HTTPException(status_code=409, detail=str(exc)) from exc
        except ValueError as exc:
            raise HTTPException(status_code=422, detail=str(exc)) from exc
        if logger.isEnabledFor(logging.INFO):  # masking the preview costs as much as routing a short petition
            for item in items:
                logger.info("routed petition %r", _masked_preview(item.text, item.petitioner))
        return [r.to_dict() for r in results]

    batcher: MicroBatcher[RouteRequest] = MicroBatcher(run)
    app.router.add_event_handler("shutdown", batcher.close)

    @app.post("/v1/route", response_model=RouteResponse, dependencies=[Depends(check_key)],
              responses=_ROUTE_RESPONSES)
    async def route(request: RouteRequest) -> Any:
        """Route one petition: labels with confidence, department, procedural route, reasons, earlier petitions."""
        if request.add_to_index:
            # Changes the index: never batched with others, and on a worker thread, since it may wait for
            # another request's registration and then save the index.
            return (await run_in_threadpool(run, [request]))[0]
        # The result is built from the routing table and model labels, already in the documented shape: sent as
        # it is, without FastAPI validating it against the response model once more.
        return JSONResponse(await batcher.submit(request))

    @app.post("/v1/route:batch", response_model=BatchResponse, dependencies=[Depends(check_key)],
              responses=_ROUTE_RESPONSES)
    async def route_batch(request: BatchRequest) -> dict[str, Any]:
        """Route up to 1,000 petitions in one call (results in the order given)."""
        # A worker thread, so that a large batch does not hold up every other request meanwhile.
        return {"results": await run_in_threadpool(run, request.items)}

    @app.get("/healthz")
    async def healthz() -> dict[str, Any]:  # on the event loop: never queued behind registrations in the thread pool
        return {"status": "ok", "version": __version__, "heads": router.model.head_names,
                "repeat_index": None if router.index is None else len(router.index)}

    @app.api_route("/", methods=["GET", "HEAD"], response_class=HTMLResponse, include_in_schema=False)
    def intake_page() -> str:
        return (resources.files("petition_nlp") / "service" / "static" / "intake.html").read_text(encoding="utf-8")

    return app
