#!/usr/bin/env python3
"""
Seeded random damage to the metadata of an FFS image, for the fsck_ffs
tests: ffs_fuzz.py IMAGE SEED [MAX].  Picks up to MAX places (default
8) among the superblock, the group blocks, the inode blocks, the
directory blocks and the indirect blocks, and changes bytes, bits or
whole 32-bit words there.  Prints what it did.
"""
import random
import struct
import sys

sys.path.insert(0, __file__.rsplit('/', 1)[0])
from ffs_damage import FFS  # noqa: E402


def regions(fs):
    """(name, offset, length) of the metadata worth damaging."""
    out = [('superblock', fs.sbloc, 1376)]
    cgsize = fs.i32(fs.sbloc + 160)
    for c in range(fs.ncg):
        out.append(('cg%d' % c, fs.cgoff(c), cgsize))
    dirs, files = [2], []
    seen = set()
    while dirs:
        d = dirs.pop()
        if d in seen:
            continue
        seen.add(d)
        size = fs.iget(d, 'size')
        for lbn in range(min(12, (size + fs.bsize - 1) // fs.bsize)):
            fsb = fs.iget(d, 'db', lbn)
            out.append(('dir%d' % d, fsb * fs.fsize, min(fs.bsize, size - lbn * fs.bsize)))
        for name, ino, off, base, prev in fs.entries(d):
            if name in ('.', '..'):
                continue
            if fs.iget(ino, 'mode') & 0o170000 == 0o040000:
                dirs.append(ino)
            else:
                files.append(ino)
    for ino in list(seen) + files:
        out.append(('inode%d' % ino, fs.ioff(ino), fs.isize))
        for i in range(3):
            ib = fs.iget(ino, 'ib', i)
            if ib:
                out.append(('ind%d' % ino, ib * fs.fsize, fs.bsize))
    return out


def main():
    path, seed = sys.argv[1], int(sys.argv[2])
    rnd = random.Random(seed)
    fs = FFS(path)
    regs = regions(fs)
    most = int(sys.argv[3]) if len(sys.argv) > 3 else 8
    for _ in range(rnd.randint(1, most)):
        name, off, n = rnd.choice(regs)
        at = off + rnd.randrange(n)
        how = rnd.randrange(4)
        if how == 0:
            fs.wr(at, bytes([rnd.randrange(256)]))
        elif how == 1:
            b = fs.rd(at, 1)[0]
            fs.wr(at, bytes([b ^ (1 << rnd.randrange(8))]))
        else:
            at -= (at - off) % 4
            v = rnd.choice([0, 1, 2, -1, 0x7fffffff, rnd.randrange(1 << 32),
                            rnd.randrange(64), fs.size - 1, fs.size])
            fs.wr(at, struct.pack('<I', v & 0xffffffff))
        print('%s+%d how %d' % (name, at - off, how))


if __name__ == '__main__':
    main()
