"""A real download: aria2c seeds through opentracker on loopback, and the
server downloads while the client follows it, with each client."""

from __future__ import annotations

import asyncio
from typing import Any, Callable

import pytest

import mosaic

from conftest import SWARM_BYTES as TOTAL
from conftest import Swarm, digests
from support.reading import Reader
from support.server import MosaicServer
from support.swarm import TorrentFile


def test_a_download_is_followed_through_events_until_completed(
    api_for: Callable[..., Any], make_server: Callable[..., MosaicServer], swarm: Swarm
) -> None:
    # Proves events() follows a real download: progress never falls, then TorrentCompleted.
    server = make_server()
    api = api_for(server)
    # A download limit stretches the transfer over several ticks.
    api.set_limits(down_kbps=1024)
    events = Reader(api)
    events.until(mosaic.TorrentsTick)
    id = api.add_torrent_file(swarm.torrent.path)

    progress: list[float] = []
    completed = None
    while completed is None or progress[-1:] != [1.0]:
        event = events.next(120)
        if isinstance(event, mosaic.TorrentsTick):
            # While checking, progress is how far hashing got, not data.
            rows = [t for t in event.torrents if t.id == id]
            progress += [t.progress for t in rows if t.state != mosaic.TorrentState.CHECKING]
        elif isinstance(event, mosaic.TorrentCompleted) and event.id == id:
            completed = event
        assert event is not None
    events.close()

    assert completed == mosaic.TorrentCompleted(id=id, name="payload")
    assert progress == sorted(progress), f"progress fell: {progress}"
    assert len([p for p in progress if 0 < p < 1]) >= 2, (
        f"too few ticks during the download: {progress}"
    )
    assert digests(server.save_path / "payload") == digests(swarm.data)
    assert api.torrent(id).downloaded >= TOTAL


def test_wait_completed_reports_progress_and_returns_the_row(
    api_for: Callable[..., Any], make_server: Callable[..., MosaicServer], swarm: Swarm
) -> None:
    # Proves wait_completed() blocks through a real download, calling on_progress with rising rows.
    server = make_server()
    api = api_for(server)
    api.set_limits(down_kbps=2048)
    id = api.add_torrent_file(swarm.torrent.path)
    rows: list[mosaic.Torrent] = []
    final = api.wait_completed(id, timeout=120, on_progress=rows.append)

    assert isinstance(final, mosaic.Torrent) and not isinstance(final, mosaic.Detail)
    assert (final.id, final.completed, final.progress, final.bytes_done) == (id, True, 1.0, TOTAL)
    assert rows[-1] == final and all(r.id == id for r in rows)
    downloading = [r.progress for r in rows if r.state != mosaic.TorrentState.CHECKING]
    assert downloading == sorted(downloading)
    assert digests(server.save_path / "payload") == digests(swarm.data)

    # Once complete, it answers at once, reporting the row once.
    again: list[mosaic.Torrent] = []
    assert (
        api.wait_completed(id, timeout=5, on_progress=again.append).completed_at
        == final.completed_at
    )
    assert [r.progress for r in again] == [1.0]


def test_wait_completed_times_out_and_knows_unknown_torrents(
    api: Any, make_torrent_file: Callable[..., TorrentFile]
) -> None:
    # Proves wait_completed() raises TimeoutError when stuck and NotFoundError for no torrent.
    id = api.add_torrent_file(make_torrent_file().path)
    with pytest.raises(mosaic.TimeoutError, match=r"did not complete within 1\.5 s"):
        api.wait_completed(id, timeout=1.5)
    with pytest.raises(mosaic.NotFoundError):
        api.wait_completed("0" * 40, timeout=5)
    api.remove(id)


async def test_async_progress_callbacks_may_be_coroutines(
    make_server: Callable[..., MosaicServer], swarm: Swarm
) -> None:
    # Proves AsyncClient.wait_completed awaits an async on_progress, while other tasks keep running.
    server = make_server()
    async with server.async_client() as client:
        seen: list[float] = []

        async def report(row: mosaic.Torrent) -> None:
            await asyncio.sleep(0)
            seen.append(row.progress)

        ticker = asyncio.ensure_future(asyncio.sleep(3600))
        id = await client.add_torrent_file(swarm.torrent.path.read_bytes())
        final = await client.wait_completed(id, timeout=120, on_progress=report)
        assert final.completed and seen[-1] == 1.0 and not ticker.done()
        ticker.cancel()
