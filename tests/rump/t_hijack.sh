#! /usr/bin/env atf-sh
# librumphijack: the host's own programs, unmodified, on a rump_server's
# file systems and network (LD_PRELOAD).  An FFS image made by makefs
# and a tmpfs, mounted with rump.mount; ls, cp in and out, mv, mkdir,
# rm -r, find, du, a tar round trip and sha256sum against the host's
# copy; a shell that works inside /rump; nc both ways and curl against a
# server in the kernel.  fsck_ffs judges the image after rump.halt.

BIN=${RUMP_TEST_BIN:-@RUMPTOP@/bin}
HIJACK=@RUMPTOP@/lib/librumphijack.so
export RUMP_SERVER=unix://$(pwd)/sock

# ./h runs the rest of its command line hijacked.
mkh() {
	printf '#!/bin/sh\nLD_PRELOAD=%s exec "$@"\n' "$HIJACK" > h
	chmod +x h
}

# A tree of files of assorted sizes, directories and symbolic links.
mktree() {
	python3 - "$1" "$2" <<'PY'
import os, random, sys
r, n = sys.argv[1], int(sys.argv[2])
random.seed(7)
os.makedirs(r)
dirs = [r]
for i in range(n):
    if i % 20 == 0:
        d = os.path.join(random.choice(dirs), 'd%03d' % i)
        os.mkdir(d)
        dirs.append(d)
    p = os.path.join(random.choice(dirs), 'f%04d' % i)
    with open(p, 'wb') as f:
        f.write(os.urandom(random.choice([0, 1, 100, 4096, 5000, 70000,
            300000])))
    if i % 30 == 1:
        os.symlink(os.path.basename(p), p + '.sym')
PY
}

# Start the server: it returns once it listens.
server() {
	mkh
	atf_check "$BIN/rump_server" "$@" "$RUMP_SERVER"
}

# Halt it, and wait until it has gone (its socket with it).
halt() {
	atf_check "$BIN/rump.halt"
	i=0
	while [ -S sock ]; do
		[ $i -lt 300 ] || atf_fail "the server did not exit"
		sleep 0.1
		i=$((i + 1))
	done
}

cleanup_server() {
	[ -S sock ] && RUMP_SERVER=unix://$(pwd)/sock \
	    "@RUMPTOP@/bin/rump.halt" -n 2>/dev/null
	return 0
}

atf_test_case files cleanup
files_head() {
	atf_set descr "host programs on FFS and tmpfs in a rump_server"
	atf_set timeout 600
}
files_body() {
	command -v makefs >/dev/null 2>&1 || atf_skip "makefs not installed"
	mktree src 200
	atf_check -o ignore makefs -t ffs -o version=2 -s 64m -f 2000 ffs.img src
	server -l rumpfs_ffs -l rumpdev_disk -l rumpfs_tmpfs \
	    -d key=/dev/ffs0,hostpath=ffs.img,size=host
	# The kernel's /mnt and /tmp are the programs' /rump/mnt, /rump/tmp.
	atf_check ./h mkdir /rump/mnt /rump/tmp
	atf_check "$BIN/rump.mount" -t ffs /dev/ffs0 /mnt
	atf_check "$BIN/rump.mount" -t tmpfs -o size=64m tmpfs /tmp

	# The image as makefs made it: names, sizes, contents.
	(cd src && find . | sort) > want
	./h sh -c 'cd /rump/mnt && find . | sort' > got
	diff -u want got > diffs ||
	    atf_fail "find differs: $(head -5 diffs | tr '\n' ' ')"
	(cd src && find . -type f | sort | xargs sha256sum) > want.sum
	./h sh -c 'cd /rump/mnt && find . -type f | sort | xargs sha256sum' \
	    > got.sum
	diff -u want.sum got.sum > diffs ||
	    atf_fail "contents differ: $(head -3 diffs | tr '\n' ' ')"
	atf_check -o match:'f0001' ./h ls -l /rump/mnt
	atf_check -o match:'/rump/mnt$' ./h du -s /rump/mnt

	# cp in, out, and within; mv; mkdir; rm -r.
	head -c 1000000 /dev/urandom > blob
	atf_check ./h cp blob /rump/tmp/blob
	atf_check ./h cp /rump/tmp/blob blob.back
	atf_check cmp blob blob.back
	atf_check ./h cp -r /rump/mnt /rump/tmp/copy
	atf_check ./h mv /rump/tmp/copy /rump/tmp/moved
	atf_check -s exit:2 -e match:'No such file' ./h ls /rump/tmp/copy
	atf_check -o save:moved.sum \
	    ./h sh -c 'cd /rump/tmp/moved && find . -type f | sort | xargs sha256sum'
	atf_check cmp want.sum moved.sum
	atf_check ./h rm -r /rump/tmp/moved
	atf_check -o inline:'blob\n' ./h ls /rump/tmp

	# A tar round trip through both file systems.
	atf_check ./h tar -C src -cf /rump/tmp/t.tar .
	atf_check ./h mkdir -p /rump/mnt/x
	atf_check ./h tar -C /rump/mnt/x -xf /rump/tmp/t.tar
	mkdir out
	./h tar -C /rump/mnt/x -cf - . | tar -C out -xf - ||
	    atf_fail "tar out of the kernel failed"
	atf_check diff -r src out

	# A shell inside: cd, relative names, redirections, pipes.
	atf_check -o inline:'/rump/tmp\n6\n' ./h sh -c \
	    'cd /rump/tmp && pwd && echo hello > greet && wc -c < greet'
	atf_check -o inline:'hello\n' ./h sh -c \
	    'exec 3< /rump/tmp/greet && cat <&3'
	# stdio on kernel descriptors: a shell's own echo, a program's.
	if command -v bash >/dev/null 2>&1; then
		atf_check ./h bash -c 'echo hi > /rump/tmp/r1; ls / > /rump/tmp/r2'
		atf_check -o inline:'hi\n' ./h cat /rump/tmp/r1
		ls / > want.ls
		./h cat /rump/tmp/r2 > got.ls
		atf_check cmp want.ls got.ls
	fi
	# Vectors at an offset, and sendfile between the sides.
	atf_check -o inline:'12 12 hello world\n' ./h python3 -c 'import os
fd = os.open("/rump/tmp/v", os.O_CREAT | os.O_RDWR)
n = os.pwritev(fd, [b"hello ", b"world\n"], 0)
a, b = bytearray(6), bytearray(6)
m = os.preadv(fd, [a, b], 0)
print(n, m, (a + b).decode(), end="")'
	atf_check ./h python3 -c 'import os
i = os.open("/rump/tmp/v", os.O_RDONLY)
o = os.open("sent", os.O_CREAT | os.O_WRONLY)
assert os.sendfile(o, i, 0, 100) == 12'
	atf_check -o inline:'hello world\n' cat sent
	# Programs that close every descriptor they do not know.
	if command -v python3 >/dev/null 2>&1; then
		atf_check -o inline:'0\nhello\n' ./h python3 -c 'import subprocess
print(subprocess.run(["/bin/true"]).returncode)
print(open("/rump/tmp/greet").read(), end="")'
	fi

	atf_check "$BIN/rump.umount" /mnt
	halt
	atf_check -o ignore "@RUMPTOP@/bin/fsck_ffs" -n -F ffs.img
}
files_cleanup() {
	cleanup_server
}

atf_test_case net cleanup
net_head() {
	atf_set descr "nc both ways and curl, against servers in the kernel"
	atf_set timeout 300
}
net_body() {
	command -v nc >/dev/null 2>&1 || atf_skip "nc not installed"
	command -v curl >/dev/null 2>&1 || atf_skip "curl not installed"
	server -l rumpnet_netinet -l rumpnet_local

	# nc to nc, over the kernel's loopback.
	./h nc -l 127.0.0.1 8080 > got &
	sleep 1
	head -c 200000 /dev/urandom > data
	atf_check ./h nc -N 127.0.0.1 8080 < data
	wait
	atf_check cmp data got

	# curl against an HTTP answer that nc serves in the kernel.
	printf 'HTTP/1.0 200 OK\r\nContent-Length: 6\r\n\r\nrump!\n' |
	    ./h nc -l 127.0.0.1 8081 > request &
	sleep 1
	atf_check -o inline:'rump!\n' ./h curl -sS http://127.0.0.1:8081/page
	wait
	atf_check -o match:'^GET /page HTTP' cat request
	# Waiting on kernel and host descriptors at once.
	atf_check ./h "$(atf_get_srcdir)/h_hijack_poll"
	# The host's own network is not the kernel's.
	atf_check -s not-exit:0 -e ignore curl -sS --max-time 2 \
	    http://127.0.0.1:8081/page
	halt
}
net_cleanup() {
	cleanup_server
}

atf_init_test_cases() {
	atf_add_test_case files
	atf_add_test_case net
}
