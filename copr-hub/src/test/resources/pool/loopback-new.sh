#!/bin/bash
# cmd_new of the test pools: a real OpenSSH server on a loopback port with its own host key, as a cloud
# script would start a VM. From the hub: POOL NAME ARCH. From the pool's command line: BASE (a directory),
# CLIENT_PUB (the hub's public key, authorized), KNOWN_HOSTS (where to register the host key; unset with
# host_key = trust-on-start), FAILS (fail this many first starts, as a cloud out of quota would).
set -eu
if [ -n "${FAILS:-}" ]; then
    # starts run concurrently: count them under a lock, or two could both take the first failure
    exec 9>"$BASE/failed-starts.lock"
    flock 9
    n=$(cat "$BASE/failed-starts" 2>/dev/null || echo 0)
    if [ "$n" -lt "$FAILS" ]; then
        echo $((n + 1)) > "$BASE/failed-starts"
        echo "simulated cloud error: instance quota exceeded" >&2
        exit 7
    fi
    exec 9>&-
fi
dir="$BASE/$NAME"
mkdir -p "$dir" /run/sshd
ssh-keygen -q -t ed25519 -N '' -C "$NAME" -f "$dir/host_ed25519"
cp "$CLIENT_PUB" "$dir/authorized_keys"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sftp=/usr/lib/openssh/sftp-server
[ -x "$sftp" ] || sftp=internal-sftp
cat > "$dir/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $dir/host_ed25519
PidFile $dir/sshd.pid
AuthorizedKeysFile $dir/authorized_keys
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
StrictModes no
UsePAM no
Subsystem sftp $sftp
LogLevel ERROR
CONF
# without -D sshd daemonizes (stdio to /dev/null), so the hub's pipe is not held open
/usr/sbin/sshd -f "$dir/sshd_config" -E "$dir/sshd.log"
for _ in $(seq 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
done
if [ -n "${KNOWN_HOSTS:-}" ]; then
    echo "[127.0.0.1]:$port $(cut -d' ' -f1,2 "$dir/host_ed25519.pub")" >> "$KNOWN_HOSTS"
fi
echo "builder $NAME of pool $POOL ($ARCH) listening on port $port"
echo "$(id -un)@127.0.0.1:$port"
