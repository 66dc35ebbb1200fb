"""Following one torrent through the live events until it completes: the
rules behind ``wait_completed``, shared by both clients."""

from __future__ import annotations

import time
from typing import Optional

from ._errors import MosaicError, NotFoundError, TimeoutError
from ._events import Event, TorrentCompleted, TorrentFailed, TorrentRemoved, TorrentsTick
from ._torrent import Torrent


class Watch:
    """What the events so far say about one torrent."""

    __slots__ = ("completed", "deadline", "id", "last_row", "timeout")

    def __init__(self, id: str, timeout: Optional[float]) -> None:
        if timeout is not None and timeout < 0:
            raise ValueError("timeout must be a non-negative number of seconds")
        self.id = id
        self.timeout = timeout
        self.deadline = None if timeout is None else time.monotonic() + timeout
        self.completed = False
        self.last_row: Optional[Torrent] = None

    def remaining(self) -> Optional[float]:
        """Seconds left to wait, ``None`` without a timeout."""
        if self.deadline is None:
            return None
        return max(0.0, self.deadline - time.monotonic())

    def see(self, event: Event) -> Optional[Torrent]:
        """Takes in one event; answers the torrent's new row when the event
        carries one. Raises when the torrent was removed or failed."""
        if isinstance(event, TorrentsTick):
            row = next((t for t in event.torrents if t.id == self.id), None)
            if row is not None:
                self.last_row = row
                self.completed = self.completed or row.completed
            return row
        if isinstance(event, TorrentCompleted) and event.id == self.id:
            self.completed = True
        elif isinstance(event, TorrentRemoved) and event.id == self.id:
            raise NotFoundError(
                f"torrent {self.id} was removed before it completed",
                message="torrent not found",
            )
        elif isinstance(event, TorrentFailed) and event.id == self.id:
            raise MosaicError(f"torrent {self.id} stopped with an error: {event.error}")
        return None

    def final_row(self) -> Optional[Torrent]:
        """The last row seen, when it shows the torrent complete."""
        row = self.last_row
        return row if row is not None and row.completed else None

    def timed_out(self) -> TimeoutError:
        return TimeoutError(f"torrent {self.id} did not complete within {self.timeout} s")

    def ended(self) -> MosaicError:
        return MosaicError("the event stream ended before the torrent completed")


def pick(rows: list[Torrent], id: str) -> Torrent:
    """The row of ``id`` in a list, or the server's 404 as an exception."""
    for row in rows:
        if row.id == id:
            return row
    raise NotFoundError(
        "server answered 404: torrent not found", status=404, message="torrent not found"
    )
