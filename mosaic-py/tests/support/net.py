"""Small helpers: where things are, free loopback ports, waiting."""

from __future__ import annotations

import socket
import time
from pathlib import Path
from typing import Callable, Optional, TypeVar

T = TypeVar("T")

PACKAGE = Path(__file__).resolve().parents[2]
"""The ``mosaic-py`` folder."""

REPO = PACKAGE.parent
"""The repository root."""

SEED = REPO / "docs/seed-api-examples.txt"
"""The user's own API examples, kept in ``docs/`` beside the API contract."""


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_for(check: Callable[[], Optional[T]], timeout: float, what: str) -> T:
    """Polls ``check`` until it returns something other than ``None``."""
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found is not None:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(0.1)
