#! /usr/bin/env atf-sh
# fsck_ffs against images made by Debian's makefs: clean ones check
# clean; each named damage (ffs_damage.py) is reported by -n (exit 4),
# repaired by -y (exit 1) and gone afterwards (exit 0); seeded random
# damage (ffs_fuzz.py) only ever gets the documented exit statuses.

TOP=@TOP@
# Under ./buildrump.sh test --valgrind, a wrapper running it under memcheck.
FSCK=${RUMP_TEST_BIN:-@RUMPTOP@/bin}/fsck_ffs
HERE=$TOP/tests/usr.sbin/fsck_ffs

need_tools() {
	for t in makefs python3; do
		command -v $t >/dev/null 2>&1 || atf_skip "$t not installed"
	done
}

# A tree with files of many sizes, directories, short and long symlinks,
# hard links, a file past its direct blocks and one past its single
# indirect block (with 4 KiB blocks).
mktree() {
	python3 - "$1" <<'PY'
import os, random, sys
r = sys.argv[1]
random.seed(1)
for d in range(12):
    dp = os.path.join(r, 'dir%02d' % d)
    os.makedirs(os.path.join(dp, 'sub', 'deeper'))
    for f in range(12):
        with open(os.path.join(dp, 'f%03d' % f), 'wb') as fh:
            fh.write(os.urandom(random.choice([0, 1, 513, 4096, 9000, 70000])))
    os.symlink('f000', os.path.join(dp, 'short'))
    os.symlink('x' * 150 + '/target', os.path.join(dp, 'long'))
    os.link(os.path.join(dp, 'f001'), os.path.join(dp, 'sub', 'hard1'))
    os.link(os.path.join(dp, 'f001'), os.path.join(r, 'hard%02d' % d))
for name, size in (('twelve', 200000), ('bigfile', 5 * 1024 * 1024)):
    with open(os.path.join(r, name), 'wb') as fh:
        fh.write(os.urandom(size))
os.makedirs(os.path.join(r, 'manyfiles'))
for i in range(200):
    open(os.path.join(r, 'manyfiles', 'n%04d_%s' % (i, 'y' * (i % 40))),
         'w').write('z' * (i % 7))
PY
}

# makefs IMAGE VERSION BSIZE FSIZE SIZE
mkimg() {
	makefs -t ffs -o version=$2,bsize=$3,fsize=$4 -s $5 "$1" tree \
	    >/dev/null 2>&1 || atf_fail "makefs $*"
}

atf_test_case usage
usage_head() {
	atf_set descr "usage errors and operational errors exit 8"
}
usage_body() {
	atf_check -s exit:0 -o match:usage "$FSCK" -h
	atf_check -s exit:8 -e match:usage "$FSCK"
	atf_check -s exit:8 -e match:usage "$FSCK" -n -y -F x
	atf_check -s exit:8 -e ignore "$FSCK" -n -F /nonexistent
	echo hello > notfs
	atf_check -s exit:8 -e match:"use -F" "$FSCK" -n notfs
	truncate -s 1M zeros
	atf_check -s exit:8 -o ignore -e match:"no usable superblock" \
	    "$FSCK" -n -F zeros
}

atf_test_case clean
clean_head() {
	atf_set descr "makefs images of UFS1 and UFS2, many block sizes, \
check clean and -y leaves them byte for byte"
}
clean_body() {
	need_tools
	mktree tree
	for v in 1 2; do
		for bf in 4096,512 4096,4096 8192,1024 16384,2048 \
		    32768,4096 65536,8192; do
			img=v${v}_${bf%,*}_${bf#*,}
			mkimg $img $v ${bf%,*} ${bf#*,} 40m
			atf_check -s exit:0 -o match:"files, " \
			    "$FSCK" -n -F $img
			cp $img $img.y
			atf_check -s exit:0 -o ignore "$FSCK" -y -F $img.y
			cmp -s $img $img.y || atf_fail "-y changed clean $img"
		done
	done
}

atf_test_case partition
partition_head() {
	atf_set descr "a file system in an MBR partition, by magic suffix"
}
partition_body() {
	need_tools
	command -v sfdisk >/dev/null 2>&1 || atf_skip "sfdisk not installed"
	mkdir tree && echo hi > tree/a
	makefs -t ffs -o version=2 -s 8m part.img tree >/dev/null 2>&1
	truncate -s 20M disk.img
	printf 'label: dos\nstart=2048, size=16384, type=a5\n' |
	    sfdisk -q disk.img || atf_fail "sfdisk"
	dd if=part.img of=disk.img bs=512 seek=2048 conv=notrunc 2>/dev/null
	atf_check -s exit:0 -o ignore "$FSCK" -n -F 'disk.img%MBR:1%'
	atf_check -s exit:8 -o ignore -e ignore "$FSCK" -n -F 'disk.img%MBR:2%'
}

atf_test_case damage
damage_head() {
	atf_set descr "each named damage: -n exits 4, -y 1, then -n 0"
	atf_set timeout 900
}
damage_body() {
	need_tools
	mktree tree
	mkimg v1.img 1 8192 1024 40m
	mkimg v2.img 2 4096 512 40m
	for img in v1.img v2.img; do
		for k in $(python3 "$HERE/ffs_damage.py" list); do
			cp $img d.img
			python3 "$HERE/ffs_damage.py" d.img $k ||
			    atf_fail "damage $k"
			"$FSCK" -n -F d.img > n1 2>&1; r1=$?
			"$FSCK" -y -F d.img > y 2>&1; r2=$?
			"$FSCK" -n -F d.img > n2 2>&1; r3=$?
			[ $r1 = 4 ] && [ $r2 = 1 ] && [ $r3 = 0 ] || {
				cat n1 y n2
				atf_fail "$img $k: exits $r1 $r2 $r3"
			}
		done
	done
}

atf_test_case fuzz
fuzz_head() {
	atf_set descr "seeded random damage to metadata: exits 0, 1, 4 or \
8 only, and a repaired image checks clean"
	atf_set timeout 1800
}
fuzz_body() {
	need_tools
	mkdir tree tree/a tree/a/b
	for i in $(seq 1 30); do
		head -c $((i * 997)) /dev/urandom > tree/a/f$i
	done
	head -c 300000 /dev/urandom > tree/ind
	ln -s f1 tree/sl
	mkimg s1.img 1 4096 512 4m
	mkimg s2.img 2 8192 1024 6m
	# Under memcheck (RUMP_TEST_BIN) each run costs some 50 times more.
	seeds=${FSCK_FUZZ_SEEDS:-$([ -n "${RUMP_TEST_BIN:-}" ] && echo 20 ||
	    echo 100)}
	for s in $(seq 1 $seeds); do
		for img in s1.img s2.img; do
			cp $img f.img
			python3 "$HERE/ffs_fuzz.py" f.img $s > what
			for opt in -n -y -n; do
				timeout 120 "$FSCK" $opt -F f.img > out 2>&1
				r=$?
				case $r in
				0|1|4|8) ;;
				*) cat what out
				   atf_fail "seed $s $img $opt: exit $r";;
				esac
			done
			[ $r = 0 ] || [ $r = 8 ] || {
				cat what out
				atf_fail "seed $s $img: not clean after -y"
			}
		done
	done
}

atf_init_test_cases() {
	atf_add_test_case usage
	atf_add_test_case clean
	atf_add_test_case partition
	atf_add_test_case damage
	atf_add_test_case fuzz
}
