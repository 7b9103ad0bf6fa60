#! /usr/bin/env atf-sh
# The newcomer path: every C example of README.md, built with the
# command line the README gives right after it and run; the output
# must show what the example's comments promise.

TOP=@TOP@
RUMPTOP=@RUMPTOP@

# Extract example NAME.c and the shell block that builds it (the one
# with a line "cc NAME") into the work directory.
extract() {
	awk -v name="$1" '
	    /^```c$/ { inc = 1; getline; if ($0 == "/* " name " */") { c = 1 } else { inc = 0 } }
	    /^```sh$/ { insh = 1; buf = ""; hascc = 0; next }
	    /^```$/ { if (insh && hascc) printf "%s", buf > "build.sh"
		inc = 0; c = 0; insh = 0; next }
	    c { print > name }
	    insh { buf = buf $0 "\n"; if ($0 ~ ("^cc " name)) hascc = 1 }
	' "$TOP/README.md"
	[ -s "$1" ] || atf_fail "README.md has no example $1"
	[ -s build.sh ] || atf_fail "README.md has no command line for $1"
	ln -sfn "$RUMPTOP" rump
	# A sanitizer build's libraries need the sanitizer in the program.
	for s in address thread undefined; do
		lib=lib$(echo $s | sed 's/address/asan/; s/thread/tsan/;
		    s/undefined/ubsan/')
		if readelf -d "$RUMPTOP"/lib/librump.so* 2>/dev/null |
		    grep -q "NEEDED.*$lib\."; then
			sed -i "s/^cc /cc -fsanitize=$s /" build.sh
		fi
	done
}

# Extract the shell block of README.md that has a line starting with
# "$1" into the file $2.
extract_sh() {
	awk -v pat="$1" '
	    /^```sh$/ { insh = 1; buf = ""; hit = 0; next }
	    /^```$/ { if (insh && hit) printf "%s", buf; insh = 0; next }
	    insh { buf = buf $0 "\n"; if (index($0, pat) == 1) hit = 1 }
	' "$TOP/README.md" > "$2"
	[ -s "$2" ] || atf_fail "README.md has no shell block with $1"
}

atf_test_case hello
hello_head() {
	atf_set descr "README's hello.c builds with its command line and runs"
}
hello_body() {
	extract hello.c
	atf_check -o save:out sh build.sh
	grep -q '^pid inside the kernel: 1$' out || atf_fail "$(cat out)"
	grep -q '^setuid(0): Operation not permitted$' out ||
	    atf_fail "$(cat out)"
}

atf_test_case files
files_head() {
	atf_set descr "README's files.c builds with its command line and \
behaves as its comments say"
}
files_body() {
	extract files.c
	atf_check -o save:out sh build.sh
	for l in 'hello, kernel' 'size 14, mode 100644' \
	    'again: File exists' 'rmdir /tmp: Device or resource busy'; do
		grep -qx "$l" out || atf_fail "no '$l' in: $(cat out)"
	done
}

atf_test_case disk
disk_head() {
	atf_set descr "README's disk.c: images partitioned with sfdisk (GPT, \
MBR) and disklabel, newfs, the program mounting each partition \
read-write, fsck_ffs clean"
}
disk_body() {
	[ -x /usr/sbin/sfdisk ] || atf_skip "sfdisk is not installed"
	extract disk.c
	atf_check -o save:out -e save:err sh -e build.sh
	grep -qx 'hello, disk' out || atf_fail "$(cat out err)"
	grep -qx 'unmounted cleanly' out || atf_fail "$(cat out err)"
	# The same program on a disklabel and an MBR partition, as the
	# next block says; fsck_ffs finds both clean.
	extract_sh 'rump/bin/disklabel -w' more.sh
	atf_check -o save:out2 -e save:err2 sh -e more.sh
	[ "$(grep -cx 'hello, disk' out2)" = 2 ] || atf_fail "$(cat out2 err2)"
	[ "$(grep -cx 'unmounted cleanly' out2)" = 2 ] ||
	    atf_fail "$(cat out2 err2)"
	atf_check -o ignore rump/bin/fsck_ffs -n -F 'bsd.img%DISKLABEL:a%'
	atf_check -o ignore rump/bin/fsck_ffs -n -F 'mbr.img%MBR:1%'
}

atf_test_case ukfs
ukfs_head() {
	atf_set descr "README's ukfs.c reads back what disk.c wrote, and says \
what is wrong with a missing image"
}
ukfs_body() {
	[ -x /usr/sbin/sfdisk ] || atf_skip "sfdisk is not installed"
	extract disk.c
	atf_check -o ignore -e ignore sh -e build.sh
	extract ukfs.c
	atf_check -o save:out -e save:err sh -e build.sh
	grep -qx 'hello, disk' out || atf_fail "$(cat out err)"
	atf_check -s exit:1 -e match:'^none.img: No such file or directory$' \
	    ./a.out none.img
}

atf_test_case serve cleanup
serve_head() {
	atf_set descr "README's rump_server session: an FFS image served, \
host programs on it through librumphijack, rump.halt, fsck_ffs clean"
	atf_set timeout 300
}
serve_body() {
	extract_sh 'rump/bin/newfs -F -s 64m served.img' serve.sh
	ln -sfn "$RUMPTOP" rump
	atf_check -o save:out -e save:err sh -e serve.sh
	grep -q 'linux/types.h$' out || atf_fail "no listing: $(cat out)"
	n=$(find /usr/include/linux | wc -l)
	grep -qx "$n" out || atf_fail "tar saw other than $n files: $(cat out)"
	[ ! -S ctrl ] || atf_fail "the server is still there"
}
serve_cleanup() {
	[ -S ctrl ] && RUMP_SERVER=unix://ctrl "$RUMPTOP/bin/rump.halt" -n
	return 0
}

atf_init_test_cases() {
	atf_add_test_case hello
	atf_add_test_case files
	atf_add_test_case disk
	atf_add_test_case ukfs
	atf_add_test_case serve
}
