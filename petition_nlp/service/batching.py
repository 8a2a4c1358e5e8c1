"""Opportunistic micro-batching: requests that arrive while the model is busy are labelled together.

Labelling a batch costs little more than labelling one petition (the model's fixed cost per call dominates a
single text), so under load the service answers many requests for the price of one instead of queueing them
one behind another. A lone request is labelled at once: nothing waits for a batch to fill.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Callable
from typing import Any, Generic, TypeVar

__all__ = ["MicroBatcher"]

logger = logging.getLogger(__name__)

Item = TypeVar("Item")


class MicroBatcher(Generic[Item]):
    """Run ``process(list_of_items) -> list_of_results`` on batches of the items submitted while it was busy.

    ``process`` runs on the event loop itself: requests that arrive meanwhile wait in the socket buffers and
    form the next batch. (A worker thread would let the loop read them sooner, but the two threads then take
    turns on the GIL, each wait up to Python's 5 ms switch interval, which costs more than it saves.) When a
    batch fails, its items are retried one by one, so one bad item fails only its own request.
    """

    def __init__(self, process: Callable[[list[Item]], list[Any]], max_batch: int = 64, gather_turns: int = 3) -> None:
        if max_batch < 1:
            raise ValueError(f"max_batch must be positive, got {max_batch}")
        self.process = process
        self.max_batch = max_batch
        self.gather_turns = gather_turns
        # One queue and one worker task per event loop (a server has one; test clients may start several).
        self._lanes: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, tuple[asyncio.Queue[Any], asyncio.Task[None]]] = (
            weakref.WeakKeyDictionary())

    async def submit(self, item: Item) -> Any:
        loop = asyncio.get_running_loop()
        lane = self._lanes.get(loop)
        if lane is None or lane[1].done():
            queue: asyncio.Queue[Any] = lane[0] if lane is not None else asyncio.Queue()
            lane = self._lanes[loop] = (queue, loop.create_task(self._run(queue)))
        future: asyncio.Future[Any] = loop.create_future()
        await lane[0].put((item, future))
        return await future

    async def _run(self, queue: asyncio.Queue[Any]) -> None:
        while True:
            pending = [await queue.get()]
            # Let the event loop read requests that arrived together with this one (a client's burst), so
            # they join its batch instead of waiting for it; a lone request waits only these loop turns.
            for _ in range(self.gather_turns):
                await asyncio.sleep(0)
            while len(pending) < self.max_batch and not queue.empty():
                pending.append(queue.get_nowait())
            items = [item for item, _ in pending]
            try:
                results = self.process(items)
            except Exception:  # noqa: BLE001 - isolate the failing item(s): each request gets its own outcome
                results = [self._one(item) for item in items]
            for (_, future), result in zip(pending, results):
                if future.done():
                    continue
                if isinstance(result, _Failure):
                    future.set_exception(result.error)
                else:
                    future.set_result(result)

    def _one(self, item: Item) -> Any:
        try:
            return self.process([item])[0]
        except Exception as error:  # noqa: BLE001 - handed to the request that sent the item
            return _Failure(error)

    def close(self) -> None:
        for _, worker in list(self._lanes.values()):
            worker.cancel()


class _Failure:
    def __init__(self, error: Exception) -> None:
        self.error = error
