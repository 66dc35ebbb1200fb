"""Fixtures: real servers, clients of both kinds, and small torrents.

Most tests take ``api``, which runs each test twice: once with
``mosaic.Client`` and once with ``mosaic.AsyncClient``, whose coroutines
are run on an event loop of the test's own. Every method called through
``api`` is noted; with ``MOSAIC_PY_REQUIRE_ALL_METHODS=1`` (as
``scripts/test`` runs it) a full run fails if some public method of either
client was never called.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import inspect
import itertools
import os
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import pytest

import mosaic

from support.net import free_port
from support.server import MosaicServer
from support.swarm import Aria2Seeder, TorrentFile, Tracker, make_data, make_torrent
from support.updates import FeedServer

CALLED: dict[str, set[str]] = {"Client": set(), "AsyncClient": set()}


class Api:
    """A client whose methods are called as if they were synchronous: the
    async client's coroutines run to completion on ``loop``."""

    def __init__(self, client: Any, loop: asyncio.AbstractEventLoop | None) -> None:
        self.client = client
        self.loop = loop
        self.is_async = loop is not None

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.client, name)
        if name.startswith("_") or not callable(attribute):
            return attribute
        CALLED[type(self.client).__name__].add(name)
        if self.loop is not None and inspect.iscoroutinefunction(attribute):
            loop = self.loop
            return lambda *args, **kwargs: loop.run_until_complete(attribute(*args, **kwargs))
        return attribute


def public_methods(cls: type) -> set[str]:
    return {name for name, _ in inspect.getmembers(cls, callable) if not name.startswith("_")}


@pytest.fixture(autouse=True, scope="session")
def no_mosaic_environment() -> Iterator[None]:
    """Clients read MOSAIC, MOSAIC_API_KEY and MOSAIC_FINGERPRINT: the tests
    set them where they mean to, never from the caller's shell."""
    names = ("MOSAIC", "MOSAIC_API_KEY", "MOSAIC_FINGERPRINT")
    saved = {name: os.environ.pop(name) for name in names if name in os.environ}
    yield
    os.environ.update(saved)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MosaicServer]:
    """The shared server. Tests leave it as they found it, or change only
    what no other test reads."""
    started = MosaicServer(tmp_path_factory.mktemp("server"))
    yield started
    started.stop()


@pytest.fixture
def make_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., MosaicServer]]:
    """Starts servers of the test's own, for tests that change what others
    rely on (the key, the password, the sign-in limiter, restarts)."""
    started: list[MosaicServer] = []

    def make(*args: str, **options: Any) -> MosaicServer:
        started.append(MosaicServer(tmp_path_factory.mktemp("own-server"), *args, **options))
        return started[-1]

    yield make
    for each in started:
        each.stop()


def _api(flavor: str, make_client: Callable[[], Any]) -> Iterator[Api]:
    if flavor == "sync":
        client = make_client()
        yield Api(client, None)
        client.close()
        return
    loop = asyncio.new_event_loop()
    client = make_client()
    yield Api(client, loop)
    loop.run_until_complete(client.aclose())
    loop.close()


@pytest.fixture(params=["sync", "async"])
def flavor(request: pytest.FixtureRequest) -> str:
    value: str = request.param
    return value


@pytest.fixture
def api(flavor: str, server: MosaicServer) -> Iterator[Api]:
    """The shared server's client, of each kind in turn."""
    make = server.client if flavor == "sync" else server.async_client
    yield from _api(flavor, make)


@pytest.fixture
def api_for(flavor: str) -> Iterator[Callable[..., Api]]:
    """Makes clients of the test's kind for other servers: a MosaicServer
    (with its key and certificate unless told otherwise) or a bare URL."""
    made: list[Iterator[Api]] = []

    def make(target: MosaicServer | str, **options: Any) -> Api:
        factory: Callable[..., Any]
        if isinstance(target, MosaicServer):
            factory = target.client if flavor == "sync" else target.async_client
        else:
            cls = mosaic.Client if flavor == "sync" else mosaic.AsyncClient
            factory = functools.partial(cls, target)
        made.append(_api(flavor, lambda: factory(**options)))
        return next(made[-1])

    yield make
    for each in made:
        next(each, None)


SWARM_FILES = {"big.bin": 3_000_000, "small.bin": 900_000, "extra/tail.bin": 150_000}
SWARM_BYTES = sum(SWARM_FILES.values())


@dataclass(frozen=True)
class Swarm:
    torrent: TorrentFile
    tracker: Tracker
    data: Path


def digests(folder: Path) -> dict[str, str]:
    return {
        str(path.relative_to(folder)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.fixture(scope="session")
def swarm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Swarm]:
    """One torrent seeded by aria2c, known to the tracker as complete."""
    root = tmp_path_factory.mktemp("swarm")
    data = make_data(root / "seed" / "payload", SWARM_FILES, seed=42)
    tracker = Tracker(root / "tracker")
    torrent = make_torrent(data, tracker.announce_url, root / "payload.torrent")
    tracker.whitelist(torrent.info_hash)
    seeder = Aria2Seeder(torrent.path, root / "seed", root)
    try:
        tracker.wait_seeders(torrent.info_hash, 1, timeout=120)
        yield Swarm(torrent, tracker, data)
    finally:
        seeder.stop()
        tracker.stop()


@pytest.fixture
def silent_port() -> Iterator[int]:
    """A port that accepts connections and never says anything."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    listener.settimeout(0.2)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                pass

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    stop.set()
    thread.join()
    for each in accepted:
        each.close()
    listener.close()


_unique = itertools.count()


@pytest.fixture
def make_torrent_file(tmp_path: Path) -> Callable[..., TorrentFile]:
    """Small torrents of fresh random data (two files by default), tracked
    by a loopback address where nothing listens."""
    dead_tracker = f"http://127.0.0.1:{free_port()}/announce"

    def make(
        name: str = "", files: dict[str, int] | None = None, where: Path | None = None
    ) -> TorrentFile:
        n = next(_unique)
        name = name or f"t{os.getpid()}-{n}"
        layout = files or {"a.bin": 40_000, "b.bin": 3_000}
        parent = where or tmp_path / f"data-{n}"
        make_data(parent / name, layout, seed=n + os.getpid() * 1000)
        return make_torrent(parent / name, dead_tracker, tmp_path / f"{name}.torrent")

    return make


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fails a full run that left a public client method uncalled."""
    if os.environ.get("MOSAIC_PY_REQUIRE_ALL_METHODS") != "1" or exitstatus != 0:
        return
    options = session.config.option
    ran = {Path(str(item.fspath)) for item in session.items}
    every = set(Path(__file__).parent.glob("test_*.py"))
    if options.keyword or options.markexpr or ran != every:
        return  # a partial run
    missing = {
        cls.__name__: sorted(public_methods(cls) - CALLED[cls.__name__])
        for cls in (mosaic.Client, mosaic.AsyncClient)
    }
    if any(missing.values()):
        print(f"\nmethods never called through the `api` fixture: {missing}")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture
def feed(tmp_path: Path) -> Iterator[FeedServer]:
    """Signed release feeds on loopback, with the key's public half in
    ``feed.public_key`` for ``--release-public-key``."""
    served = FeedServer(tmp_path)
    yield served
    served.stop()
