#!/bin/sh
# buildrump.sh: the one entry point for building, testing and running
# anykernel.  See README.md, or run ./buildrump.sh -h.

set -eu

TOP=$(cd "$(dirname "$0")" && pwd)
OBJ="$TOP/obj"
RUMP="$TOP/rump"

# Debian packages the build and the tests need, and one command each
# that shows whether it is there.
DEPS="bmake:bmake lua5.4:lua5.4 liblua5.4-dev:/usr/include/lua5.4/lua.h
atf-sh:atf-sh libatf-dev:/usr/include/atf-c.h kyua:kyua
valgrind:valgrind gcc:gcc binutils:objcopy zlib1g-dev:/usr/include/zlib.h
fdisk:/usr/sbin/sfdisk makefs:/usr/sbin/makefs python3:python3
fuse3:fusermount3 libfuse3-dev:/usr/include/fuse3/fuse_lowlevel.h
fuse2fs:fuse2fs tcpdump:tcpdump iputils-ping:ping netcat-openbsd:nc
curl:curl iproute2:ip libslirp-dev:/usr/include/slirp/libslirp.h"

usage() {
	cat <<EOF
usage: ./buildrump.sh [options] [command ...]

commands (default: build):
  deps              install the Debian packages that are missing
  build             build everything into obj/ and the usable tree rump/
  demo              build if needed, then boot a rump kernel and show it
  test [--valgrind] build, then run the test suite with kyua (under
                    valgrind's memcheck with --valgrind)
  bench             build, then run the benchmarks in bench/
  install DESTDIR   copy rump/ (headers, libraries, tools) to DESTDIR
  clean             remove obj/ and rump/

options:
  -g                debug build (-O0 -g3)
  --asan, --ubsan, --tsan
                    build with AddressSanitizer, UBSan or ThreadSanitizer
  -j N              run N compile jobs at once (default: CPU count)
  -v                show every command
  -h                this text
EOF
}

die() {
	echo "buildrump.sh: $*" >&2
	exit 1
}

# Is the package's witness (a command or a file) present?
have() {
	case "$1" in
	/*) [ -e "$1" ] ;;
	*) command -v "$1" >/dev/null 2>&1 ;;
	esac
}

missing_deps() {
	for d in $DEPS; do
		have "${d#*:}" || printf '%s ' "${d%%:*}"
	done
}

cmd_deps() {
	miss=$(missing_deps)
	[ -n "$miss" ] || return 0
	echo ">> installing: $miss"
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo apt-get update -qq || die "apt-get update failed"
	# shellcheck disable=SC2086
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq $miss \
	    >/dev/null || die "apt-get install $miss failed"
	miss=$(missing_deps)
	[ -z "$miss" ] || die "still missing after install: $miss"
}

DEBUG=no
SANITIZE=none
JOBS=$(nproc 2>/dev/null || echo 2)
VERBOSE=0

cmd_build() {
	cmd_deps
	bmake -C "$TOP" -j "$JOBS" RUMP_DEBUG="$DEBUG" \
	    RUMP_SANITIZE="$SANITIZE" V="$VERBOSE" all
}

# Run kyua over a tree of test programs; print the plain summary line.
run_kyua() {
	dir=$1
	log="$OBJ/kyua.log"
	rm -f "$OBJ/kyua.db"
	status=0
	(cd "$dir" && kyua --config=none test \
	    --results-file="$OBJ/kyua.db") >"$log" 2>&1 || status=$?
	cat "$log"
	passed=$(grep -cE -- '->  (passed|expected_failure)' "$log" || true)
	failed=$(grep -cE -- '->  (failed|broken)' "$log" || true)
	skipped=$(grep -cE -- '->  skipped' "$log" || true)
	if [ "$failed" -gt 0 ]; then
		(cd "$dir" && kyua --config=none report \
		    --results-file="$OBJ/kyua.db" --verbose \
		    --results-filter=broken,failed) || true
	fi
	if [ "$skipped" -gt 0 ]; then
		echo "$passed passed, $failed failed, $skipped skipped"
	else
		echo "$passed passed, $failed failed"
	fi
	[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ] && [ "$status" -eq 0 ]
}

# A copy of obj/tests whose test programs are wrappers running the real
# ones under memcheck: any error or definite leak fails the test case.
# Test scripts get the tools of rump/bin the same way (RUMP_TEST_BIN):
# each tool writes its report to .vg/vg.PID in the test's directory, and
# a report there fails the test case once the script is done.
make_valgrind_tree() {
	vdir="$OBJ/tests-valgrind"
	vg="valgrind -q --error-exitcode=99 --leak-check=full --run-libc-freeres=no \\
    --errors-for-leak-kinds=definite --show-leak-kinds=definite \\
    --suppressions=$TOP/tests/valgrind.supp"
	rm -rf "$vdir"
	mkdir -p "$vdir/bin"
	for t in "$RUMP"/bin/*; do
		cat >"$vdir/bin/${t##*/}" <<EOF
#!/bin/sh
# valgrind's own files go there too: an ordinary user may write there.
TMPDIR="\${RUMP_TEST_VGDIR:-\${TMPDIR:-/tmp}}"
export TMPDIR
exec $vg --log-file="\${RUMP_TEST_VGDIR:-.}/vg.%p" "$t" "\$@"
EOF
		chmod +x "$vdir/bin/${t##*/}"
	done
	(cd "$OBJ/tests" && find . -name Kyuafile) | while read -r k; do
		mkdir -p "$vdir/$(dirname "$k")"
		cp "$OBJ/tests/$k" "$vdir/$k"
	done
	# Helper programs (host code only) as they are.
	(cd "$OBJ/tests" && find . -type f -perm -u+x -name 'h_*') |
	    while read -r h; do
		ln -s "$OBJ/tests/$h" "$vdir/$h"
	done
	(cd "$OBJ/tests" && find . -type f -perm -u+x -name 't_*') |
	    while read -r t; do
		real="$OBJ/tests/$t"
		if head -c 2 "$real" | grep -q '#!'; then
			script_wrapper "$real" "$vdir/bin" >"$vdir/$t"
		else
			cat >"$vdir/$t" <<EOF
#!/bin/sh
# Tools the program runs (rump_server) run under memcheck too.
RUMP_TEST_BIN="$vdir/bin" RUMP_TEST_VGDIR="\$PWD/.vg"
export RUMP_TEST_BIN RUMP_TEST_VGDIR
exec $vg "$real" "\$@"
EOF
		fi
		chmod +x "$vdir/$t"
	done
}

# The wrapper of test script $1, whose tools are those in directory $2:
# a test case (-rRESULTFILE) fails if a tool left a memcheck report.
script_wrapper() {
	cat <<EOF
#!/bin/sh
RUMP_TEST_BIN="$2" RUMP_TEST_VGDIR="\$PWD/.vg"
export RUMP_TEST_BIN RUMP_TEST_VGDIR
res=
for a in "\$@"; do
	case \$a in -r*) res=\${a#-r} ;; esac
done
case "\$*" in
-l*|*:cleanup*) res= ;;
esac
[ -z "\$res" ] || mkdir -m 1777 .vg || exit 1
"$1" "\$@"
status=\$?
[ -n "\$res" ] || exit \$status
for f in .vg/vg.*; do
	[ -s "\$f" ] || continue
	printf 'failed: memcheck: %s\n' "\$(grep -v '^==[0-9]*== *\$' "\$f" |
	    head -3 | tr '\n' ' ' | cut -c1-500)" >"\$res"
	exit 1
done
exit \$status
EOF
}

cmd_test() {
	valgrind=no
	if [ "${1:-}" = "--valgrind" ]; then
		valgrind=yes
	fi
	cmd_build
	if [ "$valgrind" = yes ]; then
		[ "$SANITIZE" = none ] || die "--valgrind and sanitizers exclude each other"
		make_valgrind_tree
		run_kyua "$OBJ/tests-valgrind"
	else
		LSAN_OPTIONS="suppressions=$TOP/tests/lsan.supp:print_suppressions=0"
		TSAN_OPTIONS="suppressions=$TOP/tests/tsan.supp:print_suppressions=0"
		export LSAN_OPTIONS TSAN_OPTIONS
		run_kyua "$OBJ/tests"
	fi
}

cmd_demo() {
	cmd_build
	echo ">> running rump/bin/rump_demo: a kernel booted in this process"
	"$RUMP/bin/rump_demo"
	demo_disk
}

# The main job: a disk image with a BSD disklabel and two FFS partitions,
# one mounted on the host with rump_ffs, files copied in, checked.
demo_disk() {
	d="$OBJ/demo"
	img="$d/demo.img"
	rm -rf "$d" && mkdir -p "$d/mnt" || die "cannot make $d"
	echo ">> making $img: 64 MiB, a BSD disklabel with partitions a" \
	    "(32 MiB) and b (the rest)"
	truncate -s 64m "$img" || die "truncate failed"
	"$RUMP/bin/disklabel" -w "$img" a:32m 'b:*' || die "disklabel failed"
	echo ">> newfs: UFS1 in partition a, UFS2 in partition b"
	"$RUMP/bin/newfs" -O 1 -F "$img%DISKLABEL:a%" || die "newfs a failed"
	"$RUMP/bin/newfs" -O 2 -F "$img%DISKLABEL:b%" || die "newfs b failed"
	if [ ! -c /dev/fuse ] || ! have fusermount3; then
		echo ">> no FUSE here (/dev/fuse, fusermount3): not mounting"
	else
		echo ">> rump_ffs: mounting $img%DISKLABEL:a% on $d/mnt" \
		    "through FUSE, with the kernel's own ffs"
		"$RUMP/bin/rump_ffs" "$img%DISKLABEL:a%" "$d/mnt" ||
		    die "rump_ffs failed"
		echo ">> copying README.md and the kernel's sys/kern in with cp -a"
		cp -a "$TOP/README.md" "$TOP/sys/kern" "$d/mnt/" ||
		    die "cp failed"
		echo ">> what is there now (ls -l, du, df):"
		ls -l "$d/mnt"
		du -sh "$d/mnt/kern"
		df -h "$d/mnt"
		echo ">> unmounting with fusermount3 -u: the kernel syncs" \
		    "and marks the file system clean"
		fusermount3 -u "$d/mnt" || die "fusermount3 -u failed"
		i=0
		while pgrep -f "rump_ffs .*demo.img" >/dev/null 2>&1; do
			[ $i -lt 300 ] || die "rump_ffs did not exit"
			sleep 0.1
			i=$((i + 1))
		done
	fi
	for p in a b; do
		echo ">> fsck_ffs -n on partition $p"
		"$RUMP/bin/fsck_ffs" -n -F "$img%DISKLABEL:$p%" ||
		    die "fsck_ffs found damage"
	done
	echo ">> done: $img is an ordinary file; mount it again with"
	echo "   rump/bin/rump_ffs '$img%DISKLABEL:a%' DIR"
}

cmd_bench() {
	cmd_build
	"$OBJ/bench/boot/bench_boot"
	"$OBJ/bench/vfs/bench_vfs"
	(cd "$OBJ" && "$OBJ/bench/ffs/bench_ffs")
	sh "$TOP/bench/fuse/bench_fuse.sh" "$RUMP" "$OBJ/bench/fuse/fuse_ops" \
	    "$OBJ/bench-fuse"
	"$OBJ/bench/net/bench_net"
	sh "$TOP/bench/remote/bench_remote.sh" "$RUMP" "$OBJ/bench/remote" \
	    "$OBJ/bench-remote"
}

cmd_install() {
	dest=${1:-}
	[ -n "$dest" ] || die "install needs a destination directory"
	cmd_build
	mkdir -p "$dest"
	dest=$(cd "$dest" && pwd)
	for d in include lib bin share; do
		[ -d "$RUMP/$d" ] || continue
		mkdir -p "$dest/$d"
		cp -R "$RUMP/$d/." "$dest/$d/"
	done
	# The pkg-config files point at the new place.
	for pc in "$dest"/lib/pkgconfig/*.pc; do
		[ -e "$pc" ] || continue
		sed -i "s,^prefix=.*,prefix=$dest," "$pc"
	done
	echo ">> installed into $dest"
}

cmd_clean() {
	rm -rf "$OBJ" "$RUMP"
}

while [ $# -gt 0 ]; do
	case "$1" in
	-g) DEBUG=yes ;;
	--asan) SANITIZE=address ;;
	--ubsan) SANITIZE=undefined ;;
	--tsan) SANITIZE=thread ;;
	-j) shift; [ $# -gt 0 ] || die "-j needs a number"; JOBS=$1 ;;
	-j*) JOBS=${1#-j} ;;
	-v) VERBOSE=1 ;;
	-h|--help) usage; exit 0 ;;
	-*) usage >&2; die "unknown option $1" ;;
	*) break ;;
	esac
	shift
done
case "$JOBS" in
''|*[!0-9]*) die "-j needs a number, not '$JOBS'" ;;
esac

[ $# -gt 0 ] || set -- build
cmd=$1
shift
case "$cmd" in
deps) cmd_deps ;;
build) cmd_build ;;
demo) cmd_demo ;;
test) cmd_test "$@" ;;
bench) cmd_bench ;;
install) cmd_install "$@" ;;
clean) cmd_clean ;;
*) usage >&2; die "unknown command $cmd" ;;
esac
