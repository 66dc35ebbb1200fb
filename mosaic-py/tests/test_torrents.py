"""Torrent methods, with each client, against the shared server."""

from __future__ import annotations

import json
import ssl
import time
import urllib.request
from pathlib import Path
from typing import Any, Callable

import pytest

import mosaic
from mosaic import Priority, TorrentState

from support.net import wait_for
from support.server import MosaicServer
from support.swarm import TorrentFile


def raw_json(server: MosaicServer, path: str) -> Any:
    """What the server sends, read without the package."""
    context = ssl.create_default_context(cafile=str(server.cert))
    request = urllib.request.Request(
        server.url + path, headers={"Authorization": f"Bearer {server.api_key}"}
    )
    opener = urllib.request.build_opener(
        urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=context)
    )
    with opener.open(request, timeout=10) as answer:
        return json.load(answer)


def settled(rows: list[mosaic.Torrent], id: str) -> mosaic.Torrent | None:
    """The row of ``id`` once it is no longer checking."""
    row = next(t for t in rows if t.id == id)
    return None if row.state == TorrentState.CHECKING else row


def seeding(row: mosaic.Torrent) -> mosaic.Torrent | None:
    return row if row.state == TorrentState.SEEDING else None


def test_a_torrent_file_is_added_listed_and_detailed(
    api: Any, make_torrent_file: Callable[..., TorrentFile]
) -> None:
    # Proves add_torrent_file(path) answers the info hash; torrents()/torrent() are typed rows.
    made = make_torrent_file(files={"a.bin": 40_000, "b.bin": 3_000})
    id = api.add_torrent_file(made.path, paused=True)
    assert id == made.info_hash

    # A new torrent checks for data first, then rests paused.
    row = wait_for(lambda: settled(api.torrents(), id), 30, "paused after its check")
    assert isinstance(row, mosaic.Torrent)
    assert (row.state, row.paused, row.total_bytes) == (TorrentState.PAUSED, True, 43_000)
    assert row.state == "paused" and str(row.state) == "paused"

    detail = api.torrent(row)
    assert isinstance(detail, mosaic.Detail) and isinstance(detail, mosaic.Torrent)
    assert [(f.index, f.path, f.size, f.priority) for f in detail.files] == [
        (0, "a.bin", 40_000, Priority.NORMAL),
        (1, "b.bin", 3_000, Priority.NORMAL),
    ]
    assert detail.piece_length == 65_536 and detail.piece_count == 1
    assert detail.trackers[0].url.startswith("http://127.0.0.1:")
    api.remove(id)


def test_torrent_bytes_and_magnets_are_added(
    api: Any, make_torrent_file: Callable[..., TorrentFile], tmp_path: Path
) -> None:
    # Proves adding by bytes and by magnet, and that adding twice answers the same id.
    made = make_torrent_file()
    target = tmp_path / "by-bytes"
    id = api.add_torrent_file(made.path.read_bytes(), save_path=str(target), paused=True)
    assert id == made.info_hash
    assert api.torrent(id).save_path == str(target)
    assert api.add_torrent_file(bytearray(made.path.read_bytes()), paused=True) == id

    magnet_id = api.add_magnet(made.magnet("other").replace(made.info_hash, "ab" * 20), paused=True)
    assert magnet_id == "ab" * 20
    row = next(t for t in api.torrents() if t.id == magnet_id)
    assert row.total_bytes == 0 and row.magnet.startswith("magnet:?xt=urn:btih:" + "ab" * 20)
    for each in (id, magnet_id):
        api.remove(each)
    assert {id, magnet_id}.isdisjoint(t.id for t in api.torrents())


def test_pause_resume_and_recheck_change_the_state(
    api: Any, make_torrent_file: Callable[..., TorrentFile], server: MosaicServer
) -> None:
    # Proves pause/resume flip `paused`, and recheck re-hashes data on disk into a complete torrent.
    made = make_torrent_file(where=server.save_path)
    id = api.add_torrent_file(made.path, paused=True)
    assert api.torrent(id).paused

    # A resume during the first check is applied by the server's next tick.
    api.resume(id)
    done = wait_for(lambda: seeding(api.torrent(id)), 30, "check of present data")
    assert (done.progress, done.paused, done.completed) == (1.0, False, True)

    api.pause(id)
    assert api.torrent(id).paused
    api.recheck(id)
    rechecked = wait_for(
        lambda: api.torrent(id) if api.torrent(id).completed else None, 30, "recheck"
    )
    assert rechecked.bytes_done == 43_000
    api.resume(id)
    assert wait_for(lambda: seeding(api.torrent(id)), 30, "seeding again").bytes_done == 43_000
    api.remove(id)


def test_priorities_take_the_enum_or_its_string(
    api: Any, make_torrent_file: Callable[..., TorrentFile]
) -> None:
    # Proves set_priorities takes Priority or str, and refuses unknown levels before sending.
    id = api.add_torrent_file(make_torrent_file().path, paused=True)
    api.set_priorities(id, {0: "skip", 1: Priority.MAX})
    assert [f.priority for f in api.torrent(id).files] == [Priority.SKIP, Priority.MAX]
    api.set_priorities(id, {0: Priority.HIGH})
    assert [f.priority.value for f in api.torrent(id).files] == ["high", "max"]

    with pytest.raises(ValueError, match="unknown priority 'urgent'"):
        api.set_priorities(id, {0: "urgent"})
    with pytest.raises(mosaic.BadRequestError) as refused:
        api.set_priorities(id, {7: "skip"})
    assert refused.value.status == 400
    api.remove(id)


def test_categories_of_torrents_and_moving_data(
    api: Any, make_torrent_file: Callable[..., TorrentFile], tmp_path: Path
) -> None:
    # Proves set_category takes an id, a Category or None, and move() changes the save path.
    made = make_torrent_file()
    id = api.add_torrent_file(
        made.path, save_path=str(made.path.parent / f"data-{made.info_hash[:6]}"), paused=True
    )
    category_id = api.create_category(f"cat-{id[:8]}", save_path=str(tmp_path / "cat"))
    category = next(c for c in api.categories() if c.id == category_id)

    api.set_category(id, category)
    assert api.torrent(id).category_id == category_id
    api.set_category(id, None)
    assert api.torrent(id).category_id is None
    api.set_category(id, category_id)
    assert api.torrent(id).category_id == category_id

    target = tmp_path / "moved"
    api.move(id, str(target))
    assert api.torrent(id).save_path == str(target)
    api.remove(id, delete_data=True)
    api.delete_category(category)


def test_a_magnet_added_into_a_category_goes_to_its_folder(api: Any, tmp_path: Path) -> None:
    # Proves add_magnet's category option: no save path means the category's default path.
    folder = tmp_path / "films"
    category_id = api.create_category(f"films-{time.monotonic_ns()}", save_path=str(folder))
    id = api.add_magnet(
        "magnet:?xt=urn:btih:" + "cd" * 20 + "&dn=x", category=category_id, paused=True
    )
    row = api.torrent(id)
    assert (row.category_id, row.save_path) == (category_id, str(folder))
    api.remove(id)
    api.delete_category(category_id)


def test_removing_with_data_deletes_the_files(
    api: Any, make_torrent_file: Callable[..., TorrentFile], server: MosaicServer
) -> None:
    # Proves remove(delete_data=True) deletes the torrent's files and remove() keeps them.
    kept = make_torrent_file(where=server.save_path)
    deleted = make_torrent_file(where=server.save_path)
    for made in (kept, deleted):
        api.add_torrent_file(made.path, paused=True)
    api.remove(kept.info_hash)
    api.remove(deleted.info_hash, delete_data=True)
    names = {p.name for p in server.save_path.iterdir()}
    stem = lambda made: made.path.stem  # noqa: E731
    assert stem(kept) in names and stem(deleted) not in names


def test_answers_match_the_servers_json(
    api: Any, make_torrent_file: Callable[..., TorrentFile], server: MosaicServer
) -> None:
    # Proves to_dict() gives back exactly the JSON the server sent, so no field is lost or renamed.
    id = api.add_torrent_file(make_torrent_file().path, paused=True)
    raw_row = next(r for r in raw_json(server, "/api/torrents") if r["id"] == id)
    row = next(t for t in api.torrents() if t.id == id)
    assert row.to_dict() == raw_row

    # Volatile fields aside (rates), the detail round-trips too.
    raw_detail = raw_json(server, f"/api/torrents/{id}")
    detail = api.torrent(id).to_dict()
    assert detail.keys() == raw_detail.keys()
    assert detail["files"] == raw_detail["files"] and detail["trackers"] == raw_detail["trackers"]
    assert api.stats().to_dict().keys() == raw_json(server, "/api/stats").keys()
    api.remove(id)


def test_stats_count_torrents(api: Any, make_torrent_file: Callable[..., TorrentFile]) -> None:
    # Proves stats() is typed and counts an added torrent.
    before = api.stats()
    id = api.add_torrent_file(make_torrent_file().path, paused=True)
    after = api.stats()
    assert isinstance(after, mosaic.Stats)
    assert after.total_torrents == before.total_torrents + 1
    assert after.free_space > 0
    api.remove(id)


def test_focus_and_clear_focus_are_accepted(
    api: Any, make_torrent_file: Callable[..., TorrentFile]
) -> None:
    # Proves focus() takes tab names (default: every tab) and refuses unknown ones locally.
    id = api.add_torrent_file(make_torrent_file().path, paused=True)
    api.focus(id, ["files", "peers"])
    api.focus(id)
    api.clear_focus()
    with pytest.raises(ValueError, match="unknown tab 'graphs'"):
        api.focus(id, ["graphs"])
    api.remove(id)


def test_ids_are_checked_before_anything_is_sent(api: Any) -> None:
    # Proves malformed ids and wrong argument types fail locally with ValueError/TypeError.
    with pytest.raises(ValueError, match="torrent id"):
        api.pause("not-a-hash")
    with pytest.raises(TypeError):
        api.pause(42)
    with pytest.raises(TypeError):
        api.add_torrent_file(3.5)
    with pytest.raises(FileNotFoundError):
        api.add_torrent_file("/nonexistent/x.torrent")
