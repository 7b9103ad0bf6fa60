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
	ln -s "$RUMPTOP" rump
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
	atf_set descr "README's disk.c: an image partitioned with sfdisk, \
newfs, the program mounting the partition read-write, fsck_ffs clean"
}
disk_body() {
	[ -x /usr/sbin/sfdisk ] || atf_skip "sfdisk is not installed"
	extract disk.c
	atf_check -o save:out -e save:err sh -e build.sh
	grep -qx 'hello, disk' out || atf_fail "$(cat out err)"
	grep -qx 'unmounted cleanly' out || atf_fail "$(cat out err)"
}

atf_init_test_cases() {
	atf_add_test_case hello
	atf_add_test_case files
	atf_add_test_case disk
}
