#!/bin/sh
# bench_remote.sh RUMPTOP BENCHDIR WORKDIR: in one run, the cost of one
# system call (getpid) on the host, in a local rump kernel, and in a
# rump_server over a unix socket and over TCP loopback (target: under
# 15 us over the unix socket); and 256 MiB read by cat, the host's cat
# of an image file against a hijacked cat of the same file served as a
# block device by rump_server.  Medians of 3 runs each.
set -eu
R=$1 B=$2 W=$3
MIB=${BENCH_REMOTE_MIB:-256}

rm -rf "$W"
mkdir -p "$W"
SOCK=unix://$W/sock

# A free TCP port on the loopback.
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
TCP=tcp://127.0.0.1:$port

head -c $((MIB * 1024 * 1024)) /dev/urandom > "$W/image"
"$R/bin/rump_server" -d "key=/dev/image,hostpath=$W/image,size=host" \
    -l rumpvfs -l rumpdev_disk "$SOCK"
"$R/bin/rump_server" "$TCP"
trap 'RUMP_SERVER=$SOCK "$R/bin/rump.halt" 2>/dev/null || true;
    RUMP_SERVER=$TCP "$R/bin/rump.halt" 2>/dev/null || true' EXIT

h=$("$B/call_cost_local" host)
l=$("$B/call_cost_local")
u=$(RUMP_SERVER=$SOCK "$B/call_cost_remote")
t=$(RUMP_SERVER=$TCP "$B/call_cost_remote")
echo "remote: one getpid() call, median of 3 runs of 100000"
awk -v h="$h" -v l="$l" -v u="$u" -v t="$t" 'BEGIN {
	printf "  host system call          %8.2f us\n", h / 1000
	printf "  rump, local               %8.2f us\n", l / 1000
	printf "  rump, remote unix socket  %8.2f us   %6.1f x local (target < 15 us)\n", u / 1000, u / l
	printf "  rump, remote TCP loopback %8.2f us   %6.1f x local\n", t / 1000, t / l
}'

# MB/s of "cat $2 > /dev/null", run as $1 (host or hijacked), median of 3.
catrate() {
	for i in 1 2 3; do
		s=$(date +%s.%N)
		if [ "$1" = host ]; then
			cat "$2" > /dev/null
		else
			RUMP_SERVER=$SOCK LD_PRELOAD="$R/lib/librumphijack.so" \
			    cat "$2" > /dev/null
		fi
		e=$(date +%s.%N)
		echo "$s $e"
	done | awk -v mib="$MIB" '{ print mib * 1.048576 / ($2 - $1) }' |
	    sort -n | sed -n 2p
}
cat "$W/image" > /dev/null	# into the page cache
hc=$(catrate host "$W/image")
rc=$(catrate rump /rump/dev/image)
echo "remote: $MIB MiB read by cat (the image in the host's page cache)"
awk -v h="$hc" -v r="$rc" 'BEGIN {
	printf "  host cat of the image     %8.0f MB/s\n", h
	printf "  hijacked cat, /dev/image  %8.0f MB/s   ratio %.2f\n", r, r / h
}'
