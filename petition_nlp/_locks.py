"""Advisory locks on folders, so that two processes never write the same index or output at once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

__all__ = ["FolderBusyError", "SERVING_LOCK", "folder_lock"]

# Held by a service for as long as it serves a repeat index folder: a second service, or a rebuild of the index
# by `repeats --index`, is refused while it runs.
SERVING_LOCK = ".serving.lock"


class FolderBusyError(RuntimeError):
    """Another process holds the folder's lock (raised only when not waiting for it)."""


@contextmanager
def folder_lock(directory: Path, *, wait: bool = True, name: str = ".lock") -> Iterator[None]:
    """Exclusive use of ``directory`` (an advisory lock on its file ``name``, where the system has one).

    With ``wait=False``, a folder in use raises :class:`FolderBusyError` at once instead of waiting. Where the
    system has no ``fcntl`` (Windows) nothing is locked; callers keep their own checks.
    """
    try:
        import fcntl
    except ImportError:
        yield
        return
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / name, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise FolderBusyError(f"{directory} is in use by another process") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
