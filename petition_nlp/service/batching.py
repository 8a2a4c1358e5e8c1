"""Opportunistic micro-batching: requests that arrive while the model is busy are labelled together.

Labelling a batch costs little more than labelling one petition (the model's fixed cost per call dominates a
single text), so under load the service answers many requests for the price of one instead of queueing them
one behind another. A lone request is labelled at once: nothing waits for a batch to fill.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Generic, TypeVar

__all__ = ["MicroBatcher"]

logger = logging.getLogger(__name__)

Item = TypeVar("Item")


class MicroBatcher(Generic[Item]):
    """Run ``process(list_of_items) -> list_of_results`` on batches of the items submitted while it was busy.

    ``process`` runs in one worker thread, so the event loop keeps reading requests meanwhile. When a batch
    fails, its items are retried one by one, so one bad item fails only its own request.
    """

    def __init__(self, process: Callable[[list[Item]], list[Any]], max_batch: int = 64, gather_turns: int = 3) -> None:
        if max_batch < 1:
            raise ValueError(f"max_batch must be positive, got {max_batch}")
        self.process = process
        self.max_batch = max_batch
        self.gather_turns = gather_turns
        self._queue: asyncio.Queue[tuple[Item, asyncio.Future[Any]]] | None = None
        self._worker: asyncio.Task[None] | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="petition-nlp-batch")

    async def submit(self, item: Item) -> Any:
        loop = asyncio.get_running_loop()
        if self._queue is None or self._loop is not loop:  # first call, or a new event loop (a restarted server)
            self._queue, self._loop = asyncio.Queue(), loop
            self._worker = None
        if self._worker is None or self._worker.done():
            self._worker = loop.create_task(self._run())
        future: asyncio.Future[Any] = loop.create_future()
        await self._queue.put((item, future))
        return await future

    async def _run(self) -> None:
        assert self._queue is not None
        loop = asyncio.get_running_loop()
        while True:
            pending = [await self._queue.get()]
            # Let the event loop read requests that arrived together with this one (a client's burst), so
            # they join its batch instead of waiting for it; a lone request waits only these loop turns.
            for _ in range(self.gather_turns):
                await asyncio.sleep(0)
            while len(pending) < self.max_batch and not self._queue.empty():
                pending.append(self._queue.get_nowait())
            items = [item for item, _ in pending]
            try:
                results = await loop.run_in_executor(self._executor, self.process, items)
            except Exception:  # noqa: BLE001 - isolate the failing item(s) below
                if len(items) == 1:
                    results = None
                else:
                    logger.info("a batch of %d failed; retrying its items one by one", len(items))
                    results = [await self._one(loop, item) for item in items]
            if results is None:
                results = [await self._one(loop, items[0])]
            for (_, future), result in zip(pending, results):
                if future.done():
                    continue
                if isinstance(result, _Failure):
                    future.set_exception(result.error)
                else:
                    future.set_result(result)

    async def _one(self, loop: asyncio.AbstractEventLoop, item: Item) -> Any:
        try:
            return (await loop.run_in_executor(self._executor, self.process, [item]))[0]
        except Exception as error:  # noqa: BLE001 - handed to the request that sent the item
            return _Failure(error)

    def close(self) -> None:
        if self._worker is not None:
            self._worker.cancel()
        self._executor.shutdown(wait=False, cancel_futures=True)


class _Failure:
    def __init__(self, error: Exception) -> None:
        self.error = error
