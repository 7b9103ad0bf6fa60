#! /usr/bin/env atf-sh
# disklabel: a label it writes is what util-linux's sfdisk and fdisk
# read (they know BSD disklabels; we did not write them), the kernel
# finds each partition, newfs and fsck_ffs work in them, and bad
# requests and damaged labels are errors with one line.

# The tools; under ./buildrump.sh test --valgrind, wrappers running them
# under memcheck.
BIN=${RUMP_TEST_BIN:-@RUMPTOP@/bin}

need_sfdisk() {
	command -v sfdisk >/dev/null 2>&1 || atf_skip "sfdisk not installed"
}

atf_test_case write
write_head() {
	atf_set descr "a written label as sfdisk and fdisk read it"
}
write_body() {
	need_sfdisk
	truncate -s 64m disk.img
	atf_check -o save:out "$BIN/disklabel" -w disk.img a:32m d:40m:8m b:*
	sfdisk -d disk.img > dump || atf_fail "sfdisk cannot read the label"
	grep -qx 'label: bsd' dump || atf_fail "$(cat dump)"
	# sfdisk lists the slices in label order, a, b, d.
	sed -n 's/.*start= *\([0-9]*\), size= *\([0-9]*\), type=\(.*\)/\1 \2 \3/p' \
	    dump > parts
	printf '2048 65536 7\n98304 32768 7\n81920 16384 7\n' > want
	cmp -s parts want || atf_fail "sfdisk sees $(cat parts)"
	fdisk -l disk.img | grep -q '^Disklabel type: bsd' ||
	    atf_fail "fdisk does not see a BSD label"
	# Printing gives the same table.
	atf_check -o save:out2 "$BIN/disklabel" disk.img
	cmp -s out out2 || atf_fail "printed differently: $(cat out out2)"
	grep -q '^ d: *16384 *81920  4.2BSD' out || atf_fail "$(cat out)"
}

atf_test_case filesystems
filesystems_head() {
	atf_set descr "UFS1 and UFS2 in two partitions, each fsck-clean, \
the label intact"
}
filesystems_body() {
	truncate -s 64m disk.img
	atf_check -o ignore "$BIN/disklabel" -w disk.img a:32m b:*
	"$BIN/disklabel" disk.img > before
	atf_check -o ignore "$BIN/newfs" -O 1 -F 'disk.img%DISKLABEL:a%'
	atf_check -o ignore "$BIN/newfs" -O 2 -F 'disk.img%DISKLABEL:b%'
	atf_check -o ignore "$BIN/fsck_ffs" -n -F 'disk.img%DISKLABEL:a%'
	atf_check -o ignore "$BIN/fsck_ffs" -n -F 'disk.img%DISKLABEL:b%'
	atf_check -o file:before "$BIN/disklabel" disk.img
}

atf_test_case errors
errors_head() {
	atf_set descr "bad requests, missing and damaged labels"
}
errors_body() {
	truncate -s 16m disk.img
	atf_check -s exit:1 -e match:'no disklabel' "$BIN/disklabel" disk.img
	atf_check -s exit:1 -e match:'overlap' \
	    "$BIN/disklabel" -w disk.img a:8m b:4m:2m
	atf_check -s exit:1 -e match:'the label' \
	    "$BIN/disklabel" -w disk.img a:4k:1m
	atf_check -s exit:1 -e match:'past the end' \
	    "$BIN/disklabel" -w disk.img a:20m
	atf_check -s exit:2 -e match:'multiple of 512' \
	    "$BIN/disklabel" -w disk.img a:1000
	atf_check -s exit:2 -e match:'given twice' \
	    "$BIN/disklabel" -w disk.img a:1m a:1m
	atf_check -s exit:2 -e match:'a to p' "$BIN/disklabel" -w disk.img q:1m
	atf_check -s exit:2 -e match:usage "$BIN/disklabel"
	atf_check -s exit:1 -e match:'none.img: no such file' "$BIN/disklabel" none.img
	# One flipped byte in a partition entry: the checksum says so, to
	# the tool and to the kernel.
	atf_check -o ignore "$BIN/disklabel" -w disk.img a:8m
	printf '\001' | dd of=disk.img bs=1 seek=$((512 + 148 + 1)) \
	    conv=notrunc 2>/dev/null
	atf_check -s exit:1 -e match:'checksum' "$BIN/disklabel" disk.img
	atf_check -s not-exit:0 -o ignore -e match:'bad checksum' \
	    "$BIN/fsck_ffs" -n -F 'disk.img%DISKLABEL:a%'
}

atf_test_case help
help_head() {
	atf_set descr "-h fits a screen and exits 0"
}
help_body() {
	atf_check -o save:out "$BIN/disklabel" -h
	[ "$(wc -l < out)" -le 24 ] || atf_fail "-h is too long"
}

atf_init_test_cases() {
	atf_add_test_case write
	atf_add_test_case filesystems
	atf_add_test_case errors
	atf_add_test_case help
}
