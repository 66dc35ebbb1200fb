"""A signed release feed served on loopback, made with the server's own
``admin release-key`` and ``admin sign-release`` tools."""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from .server import server_binary


def _handler(files: dict[str, bytes]) -> type[BaseHTTPRequestHandler]:
    class Serve(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = files.get(self.path)
            if body is None:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Serve


class FeedServer:
    """Serves signed feeds at ``/feed-<version>.json`` and one asset."""

    def __init__(self, folder: Path, asset: bytes = b"not really a server") -> None:
        self.folder = folder
        self.key = folder / "release.key"
        made = subprocess.run(
            [str(server_binary()), "admin", "release-key", "--out", str(self.key)],
            capture_output=True, check=True,
        )  # fmt: skip
        self.public_key = made.stdout.decode().strip()
        self.asset = asset
        self.files: dict[str, bytes] = {"/asset": asset}
        self.http = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.files))
        threading.Thread(target=self.http.serve_forever, daemon=True).start()
        self.base = f"http://127.0.0.1:{self.http.server_address[1]}"

    def __call__(self, version: str) -> str:
        """Publishes a feed with one stable release and returns its URL."""
        platform_name = f"{platform.machine()}-{sys.platform}"
        release = {
            "version": version,
            "channel": "stable",
            "notes": f"release {version}",
            "assets": [{
                "platform": platform_name,
                "url": f"{self.base}/asset",
                "size": len(self.asset),
                "sha256": hashlib.sha256(self.asset).hexdigest(),
            }],
        }  # fmt: skip
        unsigned = self.folder / f"feed-{version}.json"
        unsigned.write_text(json.dumps({"releases": [release]}))
        signed = subprocess.run(
            [str(server_binary()), "admin", "sign-release", "--key", str(self.key), str(unsigned)],
            capture_output=True, check=True,
        )  # fmt: skip
        self.files[f"/feed-{version}.json"] = signed.stdout
        return f"{self.base}/feed-{version}.json"

    def stop(self) -> None:
        self.http.shutdown()
        self.http.server_close()
