"""Derived data kept between runs: indexes built from the packaged data files, pickled once per machine.

Loading a pickle is several times faster than rebuilding the index, and every `events run` (and every worker on
platforms that spawn) pays the load, so start-up time is mostly this. A cache entry is named by a hash of everything
it was built from; a changed data file or package version builds a new one. A read-only or missing cache folder
only costs the rebuild.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")


def cache_dir() -> Path:
    """EVENTS_CACHE_DIR, else $XDG_CACHE_HOME/events, else ~/.cache/events."""
    if os.environ.get("EVENTS_CACHE_DIR"):
        return Path(os.environ["EVENTS_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "events"


def load_or_build(name: str, sources: Iterable[Path | bytes], build: Callable[[], T]) -> T:
    """The pickled result of `build()` for these `sources` (files, or bytes such as a version string), building
    and storing it on the first call."""
    key = hashlib.sha256()
    for source in sources:
        key.update(source if isinstance(source, bytes) else source.read_bytes())
    path = cache_dir() / f"{name}-{key.hexdigest()[:16]}.pickle"
    with collector_paused():
        try:
            return pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, TypeError, ImportError):
            pass
        value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        staging = path.with_suffix(f".tmp-{os.getpid()}")
        staging.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        staging.replace(path)  # atomic: a concurrent reader sees the old file or the whole new one
    except OSError:
        pass
    return value


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while an index is built or unpickled: it makes hundreds of thousands of
    small acyclic objects, and the collector rescanning them (and everything else alive, such as a loaded spaCy
    model) costs a third of the load time or more."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
