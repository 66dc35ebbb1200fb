"""The seed's Python example, with the `mosaic` package: add a magnet, set
per-file priorities once its metadata resolves, then follow the live
events until the torrent completes.

    pip install ./mosaic-py
    export MOSAIC=https://localhost:8080 MOSAIC_API_KEY=… MOSAIC_FINGERPRINT=AA:BB:…
    python examples/python/add_and_watch.py 'magnet:?xt=urn:btih:…' 0=max 2=skip

``MOSAIC_FINGERPRINT`` is the certificate's SHA-256 that the server logs
at start (``tls certificate sha256=…``); the client pins it instead of
turning verification off as the seed does with ``verify=False``.
"""

from __future__ import annotations

import sys
import time

import mosaic


def add_magnet(client: mosaic.Client, uri: str, priorities: dict[int, str]) -> str:
    """Section 1: add, wait for the metadata, set the priorities, focus."""
    id = client.add_magnet(uri)
    print(f"added {id}")
    while client.torrent(id).total_bytes == 0:  # metadata still on its way
        time.sleep(0.5)
    if priorities:
        client.set_priorities(id, priorities)
    files = client.torrent(id).files or ()
    print("files:", ", ".join(f"{f.path}={f.priority}" for f in files))
    client.focus(id, ["overview", "files"])
    return id


def watch(client: mosaic.Client, id: str) -> None:
    """Section 2: the seed's on_message, with typed events instead of JSON."""
    with client.events() as events:
        for event in events:
            if isinstance(event, mosaic.TorrentsTick):
                print(f"[tick] {len(event.torrents)} torrents")
            elif isinstance(event, mosaic.StatsTick):
                dl, ul = event.stats.total_download_rate, event.stats.total_upload_rate
                print(f"[stats] dl {dl / 1024:.1f} KB/s  ul {ul / 1024:.1f} KB/s")
            elif isinstance(event, mosaic.InspectorTick):
                d = event.detail
                print(f"[inspect] {d.name}: {d.progress * 100:.1f}%")
            elif isinstance(event, mosaic.UpdateAvailable):
                print(f"[update] {event.info.current_version} → {event.info.latest_version}")
            elif isinstance(event, mosaic.TorrentCompleted) and event.id == id:
                print(f"{event.name} is complete")
                return


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    priorities = {int(index): level for index, level in (arg.split("=", 1) for arg in argv[2:])}
    try:
        with mosaic.Client() as client:
            id = add_magnet(client, argv[1], priorities)
            watch(client, id)
    except mosaic.ConnectionError as e:
        print(f"cannot reach the server: {e}", file=sys.stderr)
        return 3
    except mosaic.MosaicError as e:
        print(e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
