"""Reading an event stream of either client's kind from a test."""

from __future__ import annotations

import time
from typing import Any, Callable, TypeVar

import mosaic

E = TypeVar("E", bound=mosaic.Event)


class Reader:
    """Reads a stream of either client's kind, keeping what it saw."""

    def __init__(self, api: Any, **options: Any) -> None:
        self.api = api
        self.stream = api.events(**options)
        self.seen: list[mosaic.Event] = []

    def next(self, timeout: float) -> mosaic.Event | None:
        if self.api.is_async:
            event = self.api.loop.run_until_complete(self.stream.next(timeout))
        else:
            event = self.stream.next(timeout)
        if event is not None:
            self.seen.append(event)
        return event

    def until(
        self, kind: type[E], test: Callable[[E], bool] = lambda _: True, timeout: float = 20
    ) -> E:
        """The first event of ``kind`` that passes ``test``."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"no {kind.__name__} within {timeout} s; saw {self.seen[-5:]}")
            event = self.next(left)
            if isinstance(event, kind) and test(event):
                return event

    def close(self) -> None:
        if self.api.is_async:
            self.api.loop.run_until_complete(self.stream.aclose())
        else:
            self.stream.close()
