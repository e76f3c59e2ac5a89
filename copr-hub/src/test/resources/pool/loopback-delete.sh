#!/bin/bash
# cmd_delete of the test pools: stops the builder's sshd (by its pid file) and records the deletion.
# From the hub: POOL NAME ARCH and, once the builder had one, ADDRESS.
set -u
dir="$BASE/$NAME"
echo "${ADDRESS:-none}" >> "$BASE/deleted"
if [ -f "$dir/sshd.pid" ]; then
    kill "$(cat "$dir/sshd.pid")" 2>/dev/null || true
    rm -f "$dir/sshd.pid"
fi
echo "deleted builder $NAME (${ADDRESS:-never reachable})"
