"""The seed's sign-in example, with the `mosaic` package: a session cookie
instead of the API key. The client sends the ``Origin`` the server asks of
cookie requests that change something, and signs in again when the
session expires, so neither is the script's business.

    export MOSAIC=https://localhost:8080 MOSAIC_FINGERPRINT=AA:BB:… MOSAIC_PASSWORD=…
    python examples/python/sign_in.py 'magnet:?xt=urn:btih:…'
"""

from __future__ import annotations

import os
import sys

import mosaic


def main(argv: list[str]) -> int:
    client = mosaic.Client(username="admin", password=os.environ["MOSAIC_PASSWORD"])
    with client:
        try:
            client.login()
        except mosaic.RateLimitedError as e:
            print(f"too many sign-ins: try again in {e.retry_after:.0f} s", file=sys.stderr)
            return 1
        except mosaic.AuthError:
            print("wrong password", file=sys.stderr)
            return 1
        print("signed in as", client.web_settings().username)
        print(len(client.torrents()), "torrents")
        if len(argv) > 1:
            print("added", client.add_magnet(argv[1], paused=True))
        client.logout()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
