#! /usr/bin/env atf-sh
# rump_ffs: images made by Debian's makefs and by our newfs, mounted on
# the host through FUSE and worked on with the host's ordinary tools;
# fsck_ffs judges the image after every unmount.  Needs /dev/fuse and
# fusermount3 (Debian fuse3); skipped with the reason otherwise.

# The tools; under ./buildrump.sh test --valgrind, wrappers running them
# under memcheck.
BIN=${RUMP_TEST_BIN:-@RUMPTOP@/bin}

need_fuse() {
	[ -c /dev/fuse ] || atf_skip "no /dev/fuse on this machine"
	command -v fusermount3 >/dev/null 2>&1 ||
	    atf_skip "fusermount3 is not installed (Debian fuse3)"
}

# Wait until mountpoint $1 is (yes) or is not (no) a mount, 30 s at most.
wait_mount() {
	i=0
	while [ $i -lt 300 ]; do
		if grep -q " $(realpath "$1") fuse" /proc/mounts; then
			[ "$2" = yes ] && return 0
		else
			[ "$2" = no ] && return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	atf_fail "$1: still $( [ "$2" = yes ] && echo not) mounted after 30 s"
}

# Every rump_ffs here is given $M, this test's mount point, as an
# absolute path: its command line names it, and no other test's.
M=$(pwd)/mnt

# Wait until no rump_ffs (or rump_tmpfs) serves $M (30 s at most).
wait_gone() {
	i=0
	while pgrep -f "rump_[a-z0-9]*.* $M\$" >/dev/null 2>&1; do
		[ $i -lt 300 ] || atf_fail "the server on $M did not exit"
		sleep 0.1
		i=$((i + 1))
	done
}

# Unmount $M and wait for the server to finish.
unmount() {
	atf_check fusermount3 -u "$M"
	wait_mount "$M" no
	wait_gone
}

# After a failure: nothing left mounted, no server left running.
cleanup_mount() {
	[ -d mnt ] && fusermount3 -u -z "$M" 2>/dev/null
	pkill -KILL -f "rump_[a-z0-9]*.* $M\$" 2>/dev/null
	return 0
}

# A tree of n files of assorted sizes, directories, symbolic and hard
# links, modes and times.
mktree() {
	python3 - "$1" "$2" <<'PY'
import os, random, sys
r, n = sys.argv[1], int(sys.argv[2])
random.seed(5)
os.makedirs(r)
dirs = [r]
for i in range(n):
    if i % 25 == 0:
        d = os.path.join(random.choice(dirs), 'd%04d' % i)
        os.mkdir(d)
        os.chmod(d, random.choice([0o755, 0o750, 0o700]))
        dirs.append(d)
    p = os.path.join(random.choice(dirs), 'f%05d' % i)
    with open(p, 'wb') as f:
        f.write(os.urandom(random.choice([0, 1, 100, 4095, 4096, 5000,
            32768, 70000, 300000])))
    os.chmod(p, random.choice([0o644, 0o600, 0o755, 0o444, 0o4755]))
    t = random.randint(0, 2**31 - 1)
    os.utime(p, (t, t))
    if i % 40 == 1:
        os.symlink(os.path.basename(p), p + '.sym')
    if i % 60 == 2:
        os.link(p, p + '.hard')
for d in dirs:
    os.chmod(d, 0o755)
PY
}

# A listing of tree $1 to compare: path, type, mode, links, link target,
# the size of all but directories (their size is the file system's),
# and the mtime, to the second with $2 = sec (makefs keeps no more).
listing() {
	(cd "$1" && find . -printf '%p|%y|%m|%n|%s|%T@|%l\n' | sort) |
	    awk -F'|' -v OFS='|' -v sec="$2" '{ if ($2 == "d") $5 = "-"
		if (sec == "sec") sub(/\..*/, "", $6); print }'
}

atf_test_case readonly cleanup
readonly_head() {
	atf_set descr "a makefs image read-only: find, stat and cmp of \
every file against the source tree, and writes refused"
	atf_set timeout 300
}
readonly_body() {
	need_fuse
	command -v makefs >/dev/null 2>&1 || atf_skip "makefs not installed"
	mktree src 600
	atf_check -o ignore makefs -t ffs -o version=2 -s 128m ro.img src
	mkdir mnt
	atf_check "$BIN/rump_ffs" -o ro ro.img "$M"
	wait_mount mnt yes
	listing src sec > want
	listing mnt sec > got
	diff -u want got > diffs || atf_fail "the trees differ: $(head -4 diffs | tr "\n" " ")"
	(cd src && find . -type f) | while read -r f; do
		cmp -s "src/$f" "mnt/$f" || echo "$f"
	done > bad
	[ ! -s bad ] || atf_fail "contents differ: $(head -4 bad | tr "\n" " ")"
	atf_check -s not-exit:0 -e match:'Read-only file system' \
	    sh -c 'echo x > mnt/new'
	unmount
	atf_check -o ignore "$BIN/fsck_ffs" -n -F ro.img
}
readonly_cleanup() {
	cleanup_mount
}

atf_test_case readwrite cleanup
readwrite_head() {
	atf_set descr "a generated tree and /usr/include copied in with \
cp -a, fsck_ffs -n clean, mounted again and identical with diff -r, \
modes and times kept"
	atf_set timeout 900
}
readwrite_body() {
	need_fuse
	mktree src 2000
	atf_check -o ignore "$BIN/newfs" -F -s 1g rw.img
	mkdir mnt
	atf_check "$BIN/rump_ffs" rw.img "$M"
	wait_mount mnt yes
	atf_check cp -a src mnt/src
	atf_check cp -a /usr/include mnt/include
	unmount
	atf_check -o ignore "$BIN/fsck_ffs" -n -F rw.img
	atf_check "$BIN/rump_ffs" -o ro rw.img "$M"
	wait_mount mnt yes
	diff -r --no-dereference src mnt/src > diffs 2>&1 || atf_fail "$(head -4 diffs | tr "\n" " ")"
	diff -r --no-dereference /usr/include mnt/include > diffs 2>&1 ||
	    atf_fail "$(head -4 diffs | tr "\n" " ")"
	listing src ns > want
	listing mnt/src ns > got
	diff -u want got > diffs || atf_fail "modes or times: $(head -4 diffs | tr "\n" " ")"
	unmount
	atf_check -o ignore "$BIN/fsck_ffs" -n -F rw.img
}
readwrite_cleanup() {
	cleanup_mount
}

# Write files into mnt until killed.
writer() {
	i=0
	while :; do
		mkdir -p "mnt/w$((i / 50))" 2>/dev/null || exit 0
		head -c $((i * 997 % 200000)) /dev/urandom \
		    > "mnt/w$((i / 50))/f$i" 2>/dev/null || exit 0
		i=$((i + 1))
	done
}

atf_test_case signals cleanup
signals_head() {
	atf_set descr "SIGTERM while files are written leaves a clean file \
system; after SIGKILL, fsck_ffs -y repairs it and -n finds it clean"
	atf_set timeout 300
}
signals_body() {
	need_fuse
	atf_check -o ignore "$BIN/newfs" -F -s 256m sig.img
	mkdir mnt
	for sig in TERM KILL; do
		"$BIN/rump_ffs" -f sig.img "$M" 2>err &
		pid=$!
		wait_mount mnt yes
		writer &
		wpid=$!
		sleep 2
		kill -$sig $pid
		wait $pid
		kill $wpid 2>/dev/null
		wait $wpid 2>/dev/null
		if [ $sig = KILL ]; then
			fusermount3 -u mnt 2>/dev/null
			wait_mount mnt no
			"$BIN/fsck_ffs" -y -F sig.img > fsck.out 2>&1
			case $? in 0|1) ;; *) atf_fail "fsck -y: $(cat fsck.out)";;
			esac
		else
			wait_mount mnt no
		fi
		atf_check -o ignore "$BIN/fsck_ffs" -n -F sig.img
	done
}
signals_cleanup() {
	cleanup_mount
}

atf_test_case bad_input cleanup
bad_input_head() {
	atf_set descr "no image, a corrupt one, a dirty one, no mount point: \
one line, exit status 1, nothing left mounted"
}
bad_input_body() {
	need_fuse
	mkdir mnt
	atf_check -s exit:1 -e match:'^rump_ffs: none.img: No such file' \
	    "$BIN/rump_ffs" none.img "$M"
	head -c 10485760 /dev/urandom > junk.img
	atf_check -s exit:1 -e match:'not a usable ffs file system' \
	    "$BIN/rump_ffs" junk.img "$M"
	atf_check -o ignore "$BIN/newfs" -F -s 32m bad.img
	atf_check -s exit:1 -e match:'no disklabel' \
	    "$BIN/rump_ffs" 'bad.img%DISKLABEL:b%' "$M"
	atf_check -s exit:1 -e match:'nodir' "$BIN/rump_ffs" bad.img nodir
	# Left dirty by a server killed while mounted read-write.
	"$BIN/rump_ffs" -f bad.img "$M" &
	pid=$!
	wait_mount mnt yes
	kill -KILL $pid
	wait $pid
	fusermount3 -u mnt
	atf_check -s exit:1 -e match:'not unmounted cleanly' \
	    "$BIN/rump_ffs" bad.img "$M"
	grep -q " $(realpath mnt) " /proc/mounts &&
	    atf_fail "something is still mounted on mnt"
	atf_check -o ignore "$BIN/rump_ffs" -o ro bad.img "$M"
	wait_mount mnt yes
	unmount
	atf_check -s exit:2 -o ignore -e ignore "$BIN/rump_ffs"
	atf_check -o match:'^usage: rump_ffs' "$BIN/rump_ffs" -h
}
bad_input_cleanup() {
	cleanup_mount
}

atf_test_case renameat2 cleanup
renameat2_head() {
	atf_set descr "renameat2() through FUSE: RENAME_NOREPLACE refuses \
an existing name and moves to a new one, RENAME_EXCHANGE is EINVAL"
}
renameat2_body() {
	need_fuse
	atf_check -o ignore "$BIN/newfs" -F -s 32m r.img
	mkdir mnt
	atf_check "$BIN/rump_ffs" r.img "$M"
	wait_mount mnt yes
	echo A > mnt/a
	echo B > mnt/b
	atf_check -o inline:"EEXIST ok EINVAL\n" python3 -c '
import ctypes, errno, os
libc = ctypes.CDLL(None, use_errno=True)
def r(a, b, flags):
    if libc.renameat2(-100, a.encode(), -100, b.encode(), flags) == 0:
        return "ok"
    return errno.errorcode[ctypes.get_errno()]
print(r("mnt/a", "mnt/b", 1), r("mnt/a", "mnt/c", 1), r("mnt/c", "mnt/b", 2))'
	atf_check -o inline:"A\n" cat mnt/c
	atf_check -o inline:"B\n" cat mnt/b
	unmount
	atf_check -o ignore "$BIN/fsck_ffs" -n -F r.img
}
renameat2_cleanup() {
	cleanup_mount
}

# The free blocks and inodes of the file system mounted on $M.
free_counts() {
	stat -f -c '%f %d' "$M"
}

atf_test_case exerciser cleanup
exerciser_head() {
	atf_set descr "the VFS tests' random exerciser through the FUSE \
mount, some files opened O_DIRECT: on FFS alone (every block and inode \
given back), two at once, then on tmpfs; fsck_ffs -n clean afterwards"
	atf_set timeout 600
}
exerciser_body() {
	need_fuse
	ex=$(atf_get_srcdir)/h_exerciser
	atf_check -o ignore "$BIN/newfs" -F -s 256m ex.img
	mkdir mnt
	atf_check "$BIN/rump_ffs" ex.img "$M"
	wait_mount mnt yes
	atf_check mkdir mnt/alone mnt/a mnt/b
	atf_check -o match:'^seed 4000000007: 5000 operations' \
	    "$ex" -bdls mnt/alone
	# Two at once, each in its own directory, served by p2k's threads.
	before=$(free_counts)
	"$ex" -bdl mnt/a > a.out 2>&1 &
	pa=$!
	"$ex" -bl mnt/b > b.out 2>&1 &
	pb=$!
	wait $pa || atf_fail "the first of two: $(tail -1 a.out)"
	wait $pb || atf_fail "the second of two: $(tail -1 b.out)"
	[ "$(free_counts)" = "$before" ] ||
	    atf_fail "free blocks and inodes: $(free_counts), were $before"
	unmount
	atf_check -o ignore "$BIN/fsck_ffs" -n -F ex.img
	atf_check "$BIN/rump_tmpfs" "$M"
	wait_mount mnt yes
	atf_check -o match:'^seed 4000000007: 5000 operations' \
	    "$ex" -bdls mnt
	unmount
}
exerciser_cleanup() {
	cleanup_mount
}

atf_test_case unprivileged cleanup
unprivileged_head() {
	atf_set descr "an ordinary user mounts an image of theirs, writes \
where the kernel lets them and is refused where it does not"
	atf_set timeout 300
}
unprivileged_body() {
	need_fuse
	u=rumpffs_test
	[ "$(id -u)" = 0 ] || atf_skip "not root: cannot make a test user"
	command -v useradd >/dev/null 2>&1 || atf_skip "no useradd"
	if ! id $u >/dev/null 2>&1; then
		useradd -M -U -s /bin/sh $u ||
		    atf_skip "cannot make the test user $u"
		touch made_user
	fi
	# Debian's udev makes /dev/fuse 0666.  Where it is narrower (in
	# a container, say), it is opened to the test user's own group
	# for the length of the test, and put back by the cleanup.
	if ! su -s /bin/sh $u -c "test -r /dev/fuse -a -w /dev/fuse"; then
		stat -c '%a %g' /dev/fuse > fuse.mode
		chgrp "$(id -g $u)" /dev/fuse && chmod g+rw /dev/fuse
		su -s /bin/sh $u -c "test -r /dev/fuse -a -w /dev/fuse" ||
		    atf_skip "/dev/fuse ($(stat -c %A /dev/fuse)) cannot be opened to $u"
	fi
	chmod 755 .
	atf_check -o ignore "$BIN/newfs" -F -s 64m u.img
	mkdir mnt
	# A directory of theirs, made by root through a mount of root's.
	atf_check "$BIN/rump_ffs" u.img "$M"
	wait_mount mnt yes
	atf_check mkdir mnt/theirs
	atf_check chown $u mnt/theirs
	unmount
	chown $u u.img mnt
	atf_check su -s /bin/sh $u -c "'$BIN/rump_ffs' u.img '$M'"
	wait_mount mnt yes
	# The root directory is root's, 0755: the user may not write there.
	atf_check -s not-exit:0 -e match:'Permission denied' \
	    su -s /bin/sh $u -c "echo x > mnt/nope"
	atf_check su -s /bin/sh $u -c "cp -a /usr/include/linux mnt/theirs/ &&
	    diff -r mnt/theirs/linux /usr/include/linux"
	[ "$(su -s /bin/sh $u -c 'stat -c %U mnt/theirs/linux/fs.h')" = $u ] ||
	    atf_fail "the copy is not owned by $u"
	atf_check su -s /bin/sh $u -c "fusermount3 -u mnt"
	wait_mount mnt no
	wait_gone
	atf_check -o ignore "$BIN/fsck_ffs" -n -F u.img
}
unprivileged_cleanup() {
	cleanup_mount
	if [ -f fuse.mode ]; then
		read -r mode gid < fuse.mode
		chgrp "$gid" /dev/fuse
		chmod "$mode" /dev/fuse
	fi
	[ -f made_user ] && userdel rumpffs_test
	return 0
}

atf_init_test_cases() {
	atf_add_test_case readonly
	atf_add_test_case readwrite
	atf_add_test_case signals
	atf_add_test_case bad_input
	atf_add_test_case exerciser
	atf_add_test_case renameat2
	atf_add_test_case unprivileged
}
