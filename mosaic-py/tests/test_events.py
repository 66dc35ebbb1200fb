"""Live events, with each client: typed frames, the inspector, delta
streams, reconnecting after the server restarts, closing."""

from __future__ import annotations

import time
from typing import Any, Callable

import pytest

import mosaic

from support.reading import Reader
from support.server import MosaicServer
from support.swarm import TorrentFile
from support.updates import FeedServer


def test_a_stream_starts_with_the_list_and_stats(api: Any) -> None:
    # Proves the first events are a full TorrentsTick of typed rows and a StatsTick.
    events = Reader(api)
    first = events.next(20)
    assert isinstance(first, mosaic.TorrentsTick)
    assert all(isinstance(t, mosaic.Torrent) for t in first.torrents)
    stats = events.until(mosaic.StatsTick)
    assert isinstance(stats.stats, mosaic.Stats)
    events.close()


def test_adding_and_removing_are_events(
    api: Any, make_torrent_file: Callable[..., TorrentFile]
) -> None:
    # Proves torrent:added/removed arrive as typed events, and a later list tick holds the row.
    events = Reader(api)
    events.until(mosaic.TorrentsTick)
    made = make_torrent_file(name=f"evented-{api.is_async}")
    id = api.add_torrent_file(made.path, paused=True)

    added = events.until(mosaic.TorrentAdded, lambda e: e.id == id)
    assert added == mosaic.TorrentAdded(id=id, name=f"evented-{api.is_async}")
    tick = events.until(mosaic.TorrentsTick, lambda e: any(t.id == id for t in e.torrents))
    assert next(t for t in tick.torrents if t.id == id).name == f"evented-{api.is_async}"

    api.remove(id)
    assert events.until(mosaic.TorrentRemoved, lambda e: e.id == id).name == added.name
    events.close()


def test_the_inspector_follows_the_focus(
    api: Any, make_torrent_file: Callable[..., TorrentFile]
) -> None:
    # Proves focus() brings InspectorTicks of the focused tabs only; clear_focus() stops them.
    id = api.add_torrent_file(make_torrent_file().path, paused=True)
    events = Reader(api)
    events.until(mosaic.TorrentsTick)
    api.focus(id, ["files"])
    detail = events.until(mosaic.InspectorTick).detail
    assert detail.id == id and isinstance(detail, mosaic.Detail)
    assert [f.index for f in detail.files or ()] == [0, 1]
    assert detail.peers_list is None and detail.trackers is None

    api.clear_focus()
    events.until(mosaic.StatsTick)  # the tick after the clear
    stats_seen = 0
    while stats_seen < 2:
        event = events.next(10)
        assert not isinstance(event, mosaic.InspectorTick)
        stats_seen += isinstance(event, mosaic.StatsTick)
    events.close()
    api.remove(id)


def test_a_delta_stream_gives_the_same_lists(
    api: Any, make_torrent_file: Callable[..., TorrentFile]
) -> None:
    # Proves delta=True rebuilds full lists: the rows equal those of torrents().
    events = Reader(api, delta=True)
    events.until(mosaic.TorrentsTick)
    id = api.add_torrent_file(make_torrent_file().path, paused=True)
    tick = events.until(mosaic.TorrentsTick, lambda e: any(t.id == id for t in e.torrents))
    listed = {t.id: t for t in api.torrents()}
    row = next(t for t in tick.torrents if t.id == id)
    assert row.to_dict().keys() == listed[id].to_dict().keys()
    assert (row.name, row.total_bytes, row.added_at) == (
        listed[id].name,
        listed[id].total_bytes,
        listed[id].added_at,
    )
    assert [t.id for t in tick.torrents] == [
        t for t in listed if t in {r.id for r in tick.torrents}
    ]
    events.close()
    api.remove(id)


def test_a_closed_stream_ends(api: Any) -> None:
    # Proves close() ends the stream: reading after it answers None (iteration stops).
    events = Reader(api)
    events.until(mosaic.TorrentsTick)
    events.close()
    deadline = time.monotonic() + 10
    while events.next(5) is not None:
        assert time.monotonic() < deadline, "the stream kept delivering after close()"


def test_the_stream_reconnects_after_a_restart(
    api_for: Callable[..., Any], make_server: Callable[..., MosaicServer]
) -> None:
    # Proves a restart shows as Disconnected, then Reconnected and a full list, on one stream.
    server = make_server()
    api = api_for(server)
    events = Reader(api)
    events.until(mosaic.TorrentsTick)

    server.stop()
    dropped = events.until(mosaic.Disconnected)
    assert dropped.reason
    server.start()
    events.until(mosaic.Reconnected, timeout=60)
    assert isinstance(events.next(20), mosaic.TorrentsTick)
    events.close()


def test_a_rotated_key_ends_the_stream_with_auth_error(
    api_for: Callable[..., Any], make_server: Callable[..., MosaicServer]
) -> None:
    # Proves what reconnecting cannot fix is raised: a rotated key ends the stream with AuthError.
    server = make_server()
    reader_api = api_for(server)
    events = Reader(reader_api)
    events.until(mosaic.TorrentsTick)
    api_for(server).rotate_api_key()
    with pytest.raises(mosaic.AuthError):
        events.until(mosaic.TorrentsTick, lambda _: False, timeout=60)


def test_an_update_found_is_an_event(
    api_for: Callable[..., Any], make_server: Callable[..., MosaicServer], feed: FeedServer
) -> None:
    # Proves update:available arrives as UpdateAvailable with the UpdateInfo of the check.
    server = make_server("--allow-private-fetch", "--release-public-key", feed.public_key)
    api = api_for(server)
    api.set_updater_settings(feed_url=feed(version="99.0.0"))
    events = Reader(api)
    events.until(mosaic.TorrentsTick)
    info = api.check_update()
    update = events.until(mosaic.UpdateAvailable)
    assert update.info == info and update.info.latest_version == "99.0.0"
    events.close()


def test_unknown_frames_are_kept() -> None:
    # Proves a frame type from a newer server becomes UnknownEvent rather than an error.
    from mosaic._events import event_from_native

    event = event_from_native(["peer:banned", {"ip": "192.0.2.1"}])
    assert event == mosaic.UnknownEvent(type="peer:banned", payload={"ip": "192.0.2.1"})
