"""Making clients: defaults from the environment, the certificate choices,
context managers, and the two clients offering the same methods."""

from __future__ import annotations

import asyncio
import inspect
import multiprocessing
import os
import pickle
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

import mosaic

from conftest import public_methods
from support.server import MosaicServer


def test_base_url_and_key_come_from_the_environment(
    server: MosaicServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Proves MOSAIC, MOSAIC_API_KEY and MOSAIC_FINGERPRINT are the defaults, as in the seed.
    monkeypatch.setenv("MOSAIC", server.url)
    monkeypatch.setenv("MOSAIC_API_KEY", server.api_key)
    monkeypatch.setenv("MOSAIC_FINGERPRINT", server.fingerprint())
    with mosaic.Client() as client:
        assert client.base_url == server.url
        assert isinstance(client.torrents(), list)
    assert client.closed


def test_without_an_address_the_client_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    # Proves a missing base URL is a ConfigError (a ValueError) naming MOSAIC.
    monkeypatch.delenv("MOSAIC", raising=False)
    with pytest.raises(mosaic.ConfigError, match="set MOSAIC"):
        mosaic.Client()
    with pytest.raises(ValueError):
        mosaic.AsyncClient()


def test_trust_choices(server: MosaicServer) -> None:
    # Proves each way to trust the self-signed certificate: CA file, pin, verify=False.
    for options in (
        {"verify": str(server.cert)},
        {"verify": server.cert},
        {"fingerprint": server.fingerprint()},
        {"fingerprint": server.fingerprint().replace(":", "").lower()},
        {"verify": False},
    ):
        with mosaic.Client(server.url, api_key=server.api_key, **options) as client:  # type: ignore[arg-type]
            assert client.version()


def test_the_system_roots_refuse_a_self_signed_certificate(server: MosaicServer) -> None:
    # Proves the default trust is the system's roots: a self-signed certificate is a TlsError.
    with mosaic.Client(server.url, api_key=server.api_key) as client:
        with pytest.raises(mosaic.TlsError, match="not trusted"):
            client.version()


def test_contradictory_or_malformed_settings_are_refused() -> None:
    # Proves settings that cannot work are ConfigErrors before anything is sent.
    url = "https://127.0.0.1:1"
    with pytest.raises(mosaic.ConfigError, match="fingerprint"):
        mosaic.Client(url, fingerprint="AB:CD")
    with pytest.raises(mosaic.ConfigError, match="leave verify alone"):
        mosaic.Client(url, fingerprint="AB" * 32, verify=False)
    with pytest.raises(mosaic.ConfigError, match="go together"):
        mosaic.Client(url, username="admin")
    with pytest.raises(mosaic.ConfigError, match="not both"):
        mosaic.Client(url, api_key="k", username="admin", password="p")
    with pytest.raises(mosaic.ConfigError, match="base url"):
        mosaic.Client("ftp://example.invalid")
    with pytest.raises(FileNotFoundError, match=r"'/nonexistent/cert\.pem'"):
        mosaic.Client(url, verify="/nonexistent/cert.pem")
    with pytest.raises(ValueError, match="timeout"):
        mosaic.Client(url, timeout=-1)


def test_reprs_never_show_secrets(server: MosaicServer) -> None:
    # Proves the client's repr names the server only, and errors do not carry the key.
    client = server.client()
    assert repr(client) == f"<mosaic.Client {server.url!r}>"
    assert server.api_key not in repr(client)
    client.close()
    assert repr(client).endswith(" closed>")
    wrong = mosaic.Client(server.url, api_key="wrong-key-value", verify=str(server.cert))
    with pytest.raises(mosaic.AuthError) as refused:
        wrong.torrents()
    assert "wrong-key-value" not in str(refused.value) + repr(refused.value)


async def test_the_async_client_is_an_async_context_manager(server: MosaicServer) -> None:
    # Proves `async with AsyncClient()` closes it, and many calls run at once on one loop.
    async with server.async_client() as client:
        versions = await asyncio.gather(*(client.version() for _ in range(20)))
        assert len(set(versions)) == 1
        assert repr(client).startswith("<mosaic.AsyncClient ")
    assert client.closed


async def test_cancelling_a_call_cancels_only_it(server: MosaicServer) -> None:
    # Proves a cancelled coroutine raises CancelledError and the client stays usable.
    async with server.async_client() as client:
        task = asyncio.ensure_future(client.torrents())
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        assert isinstance(await client.stats(), mosaic.Stats)


def test_both_clients_have_the_same_methods_and_signatures() -> None:
    # Proves AsyncClient mirrors Client: same names and parameters, coroutines where Client blocks.
    sync_names = public_methods(mosaic.Client) - {"close"}
    async_names = public_methods(mosaic.AsyncClient) - {"aclose"}
    assert sync_names == async_names
    for name in sync_names - {"events"}:
        sync_method = getattr(mosaic.Client, name)
        async_method = getattr(mosaic.AsyncClient, name)
        assert inspect.iscoroutinefunction(async_method), name
        assert (
            inspect.signature(sync_method).parameters.keys()
            == inspect.signature(async_method).parameters.keys()
        ), name


def test_answers_are_frozen_hashable_and_picklable() -> None:
    # Proves answer objects cannot be changed, hash by value and survive pickling.
    category = mosaic.Category(1, "films", "/srv/films", "#ff0000")
    with pytest.raises(AttributeError):
        category.name = "other"  # type: ignore[misc]
    assert hash(category) == hash(mosaic.Category(1, "films", "/srv/films", "#ff0000"))
    assert pickle.loads(pickle.dumps(category)) == category
    assert (
        repr(category)
        == "Category(id=1, name='films', default_save_path='/srv/films', color='#ff0000')"
    )
    error = mosaic.RateLimitedError("too many", status=429, message="m", retry_after=12.0)
    copy = pickle.loads(pickle.dumps(error))
    assert (type(copy), copy.status, copy.retry_after) == (mosaic.RateLimitedError, 429, 12.0)


def test_priority_and_state_compare_with_their_strings() -> None:
    # Proves the enums are interchangeable with the wire strings.
    assert mosaic.Priority("max") is mosaic.Priority.MAX and mosaic.Priority.MAX == "max"
    assert str(mosaic.Priority.SKIP) == "skip" and f"{mosaic.TorrentState.SEEDING}" == "seeding"
    assert [p.value for p in mosaic.Priority] == ["skip", "normal", "high", "max"]


def test_one_client_serves_many_threads(server: MosaicServer) -> None:
    # Proves a sync client is shared by threads: calls overlap because waits release the GIL.
    with server.client() as client, ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: client.stats().total_torrents >= 0, range(32)))
    assert answers == [True] * 32


def test_a_blocked_call_gives_way_to_signals(silent_port: int) -> None:
    # Proves Ctrl-C interrupts a call blocked on a silent server within a fraction of a second.
    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGUSR1, interrupt)
    client = mosaic.Client(f"https://127.0.0.1:{silent_port}", api_key="k", verify=False)
    timer = threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGUSR1))
    try:
        timer.start()
        started = time.monotonic()
        with pytest.raises(KeyboardInterrupt):
            client.torrents()
        assert time.monotonic() - started < 2
    finally:
        timer.cancel()
        signal.signal(signal.SIGUSR1, previous)
        client.close()


def _versions_in_child(url: str, key: str, cert: str) -> tuple[str, str]:
    """Run in a forked process: one call with each kind of client."""
    with mosaic.Client(url, api_key=key, verify=cert) as client:
        sync_version = client.version()

    async def call() -> str:
        async with mosaic.AsyncClient(url, api_key=key, verify=cert) as client:
            return await client.version()

    return sync_version, asyncio.run(call())


def test_a_forked_process_makes_its_own_clients(server: MosaicServer) -> None:
    # Proves clients made after fork() work, though the parent's threads did not follow.
    with server.client() as client:
        version = client.version()
    context = multiprocessing.get_context("fork")
    with context.Pool(1) as pool:
        answer = pool.apply(_versions_in_child, (server.url, server.api_key, str(server.cert)))
    assert answer == (version, version)
