#!/usr/bin/env bash
# The `mosaic` command line in a script: add a torrent, wait for it, show
# it, then act on it. Run it with the same environment as the API examples:
#
#   export MOSAIC=https://127.0.0.1:8080 MOSAIC_API_KEY=…
#   export MOSAIC_FINGERPRINT=AA:BB:…   # from the server's log line `tls certificate sha256=…`
#   examples/cli.sh ./some.torrent      # or a magnet link, or an https URL of a .torrent
#
# Exit codes let a script react: 1 the server refused, 2 usage, 3 no server.
set -euo pipefail

source=${1:?usage: cli.sh <magnet|file|url>}

mosaic version

# --wait draws progress bars on a terminal and returns once complete.
mosaic add --wait "$source"

# Text for people, --json for scripts (jq is handy here).
mosaic list
id=$(mosaic list --json | jq -r '.[0].id')
mosaic info "${id:0:8}"        # a unique prefix of the id is enough

mosaic category add examples --color '#3366ff' >/dev/null 2>&1 || true
mosaic category set examples "$id"
mosaic list --category examples

mosaic pause "$id"
mosaic resume "$id"
mosaic stats --json | jq '{torrents: .total_torrents, free: .free_space}'
