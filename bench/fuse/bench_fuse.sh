#!/bin/sh
# bench_fuse.sh RUMPTOP FUSE_OPS WORKDIR: rump_ffs (an FFS image made by
# newfs) against fuse2fs (an ext2 image made by mke2fs) and the host
# directory itself, measured in one run with the same program
# (fuse_ops): 256 MiB written with fsync and read back after a remount
# (the FUSE mounts are unmounted and mounted again, so the host kernel
# has none of the file cached and the server serves every read), and
# create, stat and unlink of 5000 small files.  Medians of 3 runs.
set -eu
R=$1 OPS=$2 W=$3
MIB=${BENCH_FUSE_MIB:-256} N=${BENCH_FUSE_FILES:-5000} REPS=${BENCH_FUSE_REPS:-3}

if [ ! -c /dev/fuse ] || ! command -v fusermount3 >/dev/null 2>&1; then
	echo "bench_fuse: skipped: no FUSE here (/dev/fuse, fusermount3)"
	exit 0
fi
have_e2=yes
command -v fuse2fs >/dev/null 2>&1 && command -v mke2fs >/dev/null 2>&1 ||
    have_e2=no

rm -rf "$W"
mkdir -p "$W/rump" "$W/ext2" "$W/host"
"$R/bin/newfs" -F -s 1g "$W/ffs.img" >/dev/null
[ $have_e2 = no ] || mke2fs -q -F -t ext2 "$W/ext2.img" 1G

# Wait until no process matching $1 runs (30 s at most).
wait_gone() {
	tries=0
	while pgrep -f "$1" >/dev/null 2>&1; do
		[ $tries -lt 300 ] || { echo "bench_fuse: $1 did not exit" >&2;
		    exit 1; }
		sleep 0.1
		tries=$((tries + 1))
	done
}

mount_fs() {
	case $1 in
	rump) "$R/bin/rump_ffs" "$W/ffs.img" "$W/rump" ;;
	ext2) fuse2fs "$W/ext2.img" "$W/ext2" >/dev/null ;;
	esac
}

umount_fs() {
	case $1 in
	rump) fusermount3 -u "$W/rump"; wait_gone "rump_ffs $W/ffs.img" ;;
	ext2) fusermount3 -u "$W/ext2"; wait_gone "fuse2fs $W/ext2.img" ;;
	esac
}

# One run on target $1: "write read create stat unlink" seconds.  Each
# phase starts with the host's dirty pages written (sync), so the
# host's writing back of the last one does not slow it down.
run() {
	mount_fs "$1"
	sync
	w=$("$OPS" write "$W/$1" $MIB)
	if [ "$1" != host ]; then
		umount_fs "$1"
		mount_fs "$1"
	fi
	sync
	r=$("$OPS" read "$W/$1" $MIB)
	rm -f "$W/$1/seq"
	mkdir "$W/$1/meta"
	sync
	m=$("$OPS" meta "$W/$1/meta" $N)
	rmdir "$W/$1/meta"
	umount_fs "$1"
	echo "$w $r $m"
}

targets="rump host"
[ $have_e2 = no ] || targets="rump ext2 host"
for t in $targets; do
	: > "$W/$t.runs"
	rep=0
	while [ $rep -lt $REPS ]; do
		run $t >> "$W/$t.runs"
		rep=$((rep + 1))
	done
done

# The median of column $2 of file $1.
median() {
	cut -d' ' -f"$2" "$1" | sort -g | awk '{ v[NR] = $1 }
	    END { print v[int((NR + 1) / 2)] }'
}

printf 'bench_fuse: rump_ffs (FFS) vs fuse2fs (ext2) vs the host directory,'
printf ' %d MiB, %d files\n' $MIB $N
printf '  %-26s %11s %11s %11s %9s %8s\n' "" rump_ffs fuse2fs host \
    "/fuse2fs" "/host"
for row in "1 seq write + fsync (MB/s)" "2 seq read, remounted (MB/s)" \
    "3 create (op/s)" "4 stat (op/s)" "5 unlink (op/s)"; do
	c=${row%% *}
	label=${row#* }
	rate() {
		[ -s "$W/$1.runs" ] || { echo 0; return; }
		s=$(median "$W/$1.runs" $c)
		if [ $c -le 2 ]; then
			awk -v s="$s" -v m=$MIB 'BEGIN { printf "%.0f", m * 1.048576 / s }'
		else
			awk -v s="$s" -v n=$N 'BEGIN { printf "%.0f", n / s }'
		fi
	}
	a=$(rate rump)
	b=$( [ $have_e2 = yes ] && rate ext2 || echo 0)
	h=$(rate host)
	awk -v l="$label" -v a="$a" -v b="$b" -v h="$h" 'BEGIN {
	    bs = "-"; rb = "-"
	    if (b > 0) { bs = b; rb = sprintf("%.2f", a / b) }
	    printf "  %-26s %11d %11s %11d %9s %8.2f\n", l, a, bs, h, rb,
	        a / h }'
done
echo "  target: rump_ffs at or above fuse2fs on every row"
[ $have_e2 = yes ] || echo "  (fuse2fs or mke2fs is not installed: no column for it)"
rm -rf "$W"
