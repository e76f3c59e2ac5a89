#!/bin/bash
# cmd_check of the test pools: the builder is alive when its SSH port (from ADDRESS) accepts a connection.
port="${ADDRESS##*:}"
(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "nothing listens on $ADDRESS"; exit 1; }
