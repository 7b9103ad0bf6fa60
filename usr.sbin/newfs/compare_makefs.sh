#!/bin/sh
# compare_makefs.sh: make the same empty file system with Debian's makefs
# and with newfs (same version, block and fragment size, size and bytes
# per inode) and show how their superblocks, cylinder groups, maps, summary
# arrays and root inodes differ.  Times, ids, in-core fields and inode
# generation numbers are left out.  Expect no difference for UFS1 with
# eight fragments to a block; for UFS2 newfs's superblock is at 65536,
# makefs's at 8192, which moves sblkno, cblkno, iblkno, dblkno and csaddr
# and changes group 0's counts (newfs.8, NOTES).
#
# usage: compare_makefs.sh [-O 1|2] [-b bsize] [-f fsize] [-s size] [dir]
#	size: bytes, or with a suffix k, m or g.  dir keeps mk.img,
#	nf.img and their dumps (default: a temporary one, removed).
#	Exit 0: no difference.

set -eu
V=2 B=8192 F=1024 S=64m
while getopts O:b:f:s: opt; do
	case $opt in
	O) V=$OPTARG ;; b) B=$OPTARG ;; f) F=$OPTARG ;; s) S=$OPTARG ;;
	*) sed -n 's/^# usage: /usage: /p' "$0"; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
if [ $# -gt 0 ]; then
	DIR=$1
else
	DIR=$(mktemp -d)
	trap 'rm -rf "$DIR"' EXIT
fi
NEWFS=${NEWFS:-$(dirname "$0")/../../rump/bin/newfs}
case $S in *[0-9]) NS=${S}b ;; *) NS=$S ;; esac	# newfs: plain = sectors

mkdir -p "$DIR/empty"
rm -f "$DIR/mk.img" "$DIR/nf.img"
makefs -t ffs -o version=$V,bsize=$B,fsize=$F,density=$((4 * F)) -s $S \
    "$DIR/mk.img" "$DIR/empty" >/dev/null
"$NEWFS" -q -F -O $V -b $B -f $F -i $((4 * F)) -s $NS "$DIR/nf.img"

# Every field by name (sys/fs/ffs/ffs_format.h), and the maps in hex.
cat >"$DIR/dump.py" <<'END'
import struct, sys
SKIP = {'old_time', 'id', 'incore', 'time'}
SB = ('i:firstfield i:unused_1 i:sblkno i:cblkno i:iblkno i:dblkno '
    'i:old_cgoffset i:old_cgmask i:old_time i:old_size i:old_dsize i:ncg '
    'i:bsize i:fsize i:frag i:minfree i:old_rotdelay i:old_rps i:bmask '
    'i:fmask i:bshift i:fshift i:maxcontig i:maxbpg i:fragshift i:fsbtodb '
    'i:sbsize 2i:spare1 i:nindir i:inopb i:old_nspf i:optim i:old_npsect '
    'i:old_interleave i:old_trackskew 2i:id i:old_csaddr i:cssize i:cgsize '
    'i:spare2 i:old_nsect i:old_spc i:old_ncyl i:old_cpg i:ipg i:fpg '
    '4i:old_cstotal b:fmod b:clean b:ronly B:old_flags 468s:fsmnt '
    '32s:volname Q:swuid i:pad i:cgrotor 128s:incore i:old_cpc i:maxbsize '
    '17q:sparecon64 q:sblockloc 8q:cstotal q:time q:size q:dsize q:csaddr '
    'q:pendingblocks i:pendinginodes 20i:snapinum i:avgfilesize '
    'i:avgfpdir i:save_cgsize 26i:sparecon32 I:flags i:contigsumsize '
    'i:maxsymlinklen i:old_inodefmt Q:maxfilesize q:qbmask q:qfmask '
    'i:state i:old_postblformat i:old_nrpos 2i:spare5 i:magic')
CG = ('i:firstfield i:magic i:old_time i:cgx h:old_ncyl h:old_niblk '
    'i:ndblk 4i:cs i:rotor i:frotor i:irotor 8i:frsum i:old_btotoff '
    'i:old_boff i:iusedoff i:freeoff i:nextfreeoff i:clustersumoff '
    'i:clusteroff i:nclusterblks i:niblk i:initediblk 3i:sparecon32 '
    'q:time 3q:sparecon64')

def dump(what, fields, img, off):
    d = {}
    for f in fields.split():
        fmt, name = f.split(':')
        v = struct.unpack_from('<' + fmt, img, off)
        off += struct.calcsize('<' + fmt)
        d[name] = v[0] if len(v) == 1 else v
        if name not in SKIP:
            print(what, name, d[name])
    return d

img = open(sys.argv[1], 'rb').read()
for loc in (65536, 8192):	# the primary says where it is
    if struct.unpack_from('<q', img, loc + 1000)[0] == loc:
        break
fs = dump('sb', SB, img, loc)
F = fs['fsize']
for c in range(fs['ncg']):
    off = (fs['fpg'] * c + fs['cblkno']) * F
    cg = dump('cg%d' % c, CG, img, off)
    print('cg%d maps' % c,
        img[off + cg['iusedoff']:off + cg['nextfreeoff']].hex())
print('csum', struct.unpack_from('<%di' % (4 * fs['ncg']), img,
    fs['csaddr'] * F))
isz = 256 if fs['magic'] == 0x19540119 else 128
ino = fs['iblkno'] * F + 2 * isz
print('root mode, nlink', struct.unpack_from('<Hh', img, ino))
print('root size, blocks, db[0]', struct.unpack_from('<QQ', img, ino + 16)
    + struct.unpack_from('<q', img, ino + 112) if isz == 256 else
    struct.unpack_from('<Q', img, ino + 8) +
    struct.unpack_from('<I', img, ino + 104) +
    struct.unpack_from('<i', img, ino + 40))
END
python3 "$DIR/dump.py" "$DIR/mk.img" >"$DIR/mk.txt"
python3 "$DIR/dump.py" "$DIR/nf.img" >"$DIR/nf.txt"
if diff -u "$DIR/mk.txt" "$DIR/nf.txt"; then
	echo "UFS$V $B/$F $S: the same as makefs's"
else
	exit 1
fi
