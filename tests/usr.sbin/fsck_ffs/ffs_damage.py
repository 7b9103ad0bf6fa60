#!/usr/bin/env python3
"""
Damage an FFS image (made by makefs from a known tree) in one named
way, for the fsck_ffs tests: ffs_damage.py IMAGE KIND.  Knows just
enough of the on-disk format (sys/fs/ffs/ffs_format.h) to find the
superblock, groups, inodes and directory entries.
"""
import struct
import sys


class FFS:
    def __init__(self, path):
        self.f = open(path, 'r+b')
        for loc in (8192, 65536, 262144):
            if self.i32(loc + 1372) in (0x011954, 0x19540119):
                break
        self.sbloc = loc
        self.ufs2 = self.i32(loc + 1372) == 0x19540119
        g = lambda o: self.i32(loc + o)
        self.sblkno, self.cblkno, self.iblkno, self.dblkno = g(8), g(12), g(16), g(20)
        self.ncg, self.bsize, self.fsize, self.frag = g(44), g(48), g(52), g(56)
        self.ipg, self.fpg, self.inopb = g(184), g(188), g(120)
        self.size = self.i64(loc + 1080)
        self.isize = 256 if self.ufs2 else 128

    def rd(self, off, n):
        self.f.seek(off)
        return self.f.read(n)

    def wr(self, off, data):
        self.f.seek(off)
        self.f.write(data)

    def i32(self, off):
        return struct.unpack('<i', self.rd(off, 4))[0]

    def i64(self, off):
        return struct.unpack('<q', self.rd(off, 8))[0]

    def put(self, off, fmt, v):
        self.wr(off, struct.pack('<' + fmt, v))

    def cgoff(self, c):
        return (c * self.fpg + self.cblkno) * self.fsize

    def ioff(self, ino):
        c, i = divmod(ino, self.ipg)
        fsb = c * self.fpg + self.iblkno + (i // self.inopb) * self.frag
        return fsb * self.fsize + (i % self.inopb) * self.isize

    # Inode fields: (offset, format) per format.
    def field(self, name):
        t2 = {'mode': (0, 'H'), 'nlink': (2, 'h'), 'size': (16, 'q'),
              'blocks': (24, 'q'), 'db': (112, 'q'), 'ib': (208, 'q')}
        t1 = {'mode': (0, 'H'), 'nlink': (2, 'h'), 'size': (8, 'q'),
              'blocks': (104, 'I'), 'db': (40, 'i'), 'ib': (88, 'i')}
        return (t2 if self.ufs2 else t1)[name]

    def iget(self, ino, name, idx=0):
        o, fmt = self.field(name)
        sz = struct.calcsize(fmt)
        return struct.unpack('<' + fmt, self.rd(self.ioff(ino) + o + idx * sz, sz))[0]

    def iset(self, ino, name, v, idx=0):
        o, fmt = self.field(name)
        self.put(self.ioff(ino) + o + idx * struct.calcsize(fmt), fmt, v)

    def entries(self, dino):
        """(name, ino, byte offset on disk, chunk start, previous entry offset)."""
        size = self.iget(dino, 'size')
        out = []
        for lbn in range((size + self.bsize - 1) // self.bsize):
            if lbn >= 12:
                break
            fsb = self.iget(dino, 'db', lbn)
            n = min(self.bsize, size - lbn * self.bsize)
            for c in range(0, n, 512):
                base = fsb * self.fsize + c
                chunk = self.rd(base, 512)
                o, prev = 0, None
                while o < 512:
                    ino, rl, typ, nl = struct.unpack_from('<IHBB', chunk, o)
                    if rl == 0:
                        break
                    if ino:
                        out.append((chunk[o + 8:o + 8 + nl].decode(), ino, base + o, base, prev))
                    prev = base + o
                    o += rl
        return out

    def lookup(self, path):
        ino = 2
        for part in path.strip('/').split('/'):
            ino = [e[1] for e in self.entries(ino) if e[0] == part][0]
        return ino

    def entry(self, path):
        d, name = path.rsplit('/', 1)
        dino = self.lookup(d) if d else 2
        return [e for e in self.entries(dino) if e[0] == name][0]

    def free_inode(self):
        for c in range(self.ncg):
            cg = self.cgoff(c)
            iused = self.i32(cg + 92)
            for i in range(self.ipg):
                if c == 0 and i < 3:
                    continue
                b = self.rd(cg + iused + i // 8, 1)[0]
                if not b & (1 << (i % 8)):
                    return c * self.ipg + i
        raise SystemExit('no free inode')


def damage(fs, kind):
    if kind == 'cgfree':            # a held fragment marked free
        fsb = fs.iget(fs.lookup('/dir00/f005'), 'db')
        c, f = divmod(fsb, fs.fpg)
        off = fs.cgoff(c) + fs.i32(fs.cgoff(c) + 96) + f // 8
        fs.wr(off, bytes([fs.rd(off, 1)[0] ^ (1 << (f % 8))]))
    elif kind == 'cgcount':         # cs_nbfree of group 1
        fs.put(fs.cgoff(1 if fs.ncg > 1 else 0) + 28, 'i',
               fs.i32(fs.cgoff(1 if fs.ncg > 1 else 0) + 28) + 3)
    elif kind == 'nlink':
        ino = fs.lookup('/dir03/f002')
        fs.iset(ino, 'nlink', fs.iget(ino, 'nlink') + 1)
    elif kind == 'freeino':         # an entry naming a free inode
        name, ino, off, base, prev = fs.entry('/dir02/f007')
        fs.put(off, 'I', fs.free_inode())
    elif kind == 'range':           # a block pointer past the end
        fs.iset(fs.lookup('/twelve'), 'db', fs.size + 1000, 3)
    elif kind == 'dup':             # one block held by two files
        a, b = fs.lookup('/dir01/f004'), fs.lookup('/dir05/f004')
        big = [i for i in (fs.lookup('/twelve'), fs.lookup('/bigfile'))]
        fs.iset(big[1], 'db', fs.iget(big[0], 'db', 2), 2)
    elif kind == 'unref':           # a file with data but no name
        name, ino, off, base, prev = fs.entry('/dir04/f006')
        if prev is None:
            fs.put(off, 'I', 0)
        else:
            rl = struct.unpack('<H', fs.rd(off + 4, 2))[0]
            fs.put(prev + 4, 'H', struct.unpack('<H', fs.rd(prev + 4, 2))[0] + rl)
    elif kind == 'unrefdir':        # a directory with no name
        name, ino, off, base, prev = fs.entry('/dir06')
        rl = struct.unpack('<H', fs.rd(off + 4, 2))[0]
        fs.put(prev + 4, 'H', struct.unpack('<H', fs.rd(prev + 4, 2))[0] + rl)
        root = 2
        fs.iset(root, 'nlink', fs.iget(root, 'nlink') - 1)
    elif kind == 'dotdot':          # '..' naming the wrong directory
        sub = fs.lookup('/dir00/sub')
        e = [x for x in fs.entries(sub) if x[0] == '..'][0]
        fs.put(e[2], 'I', fs.lookup('/dir01'))
    elif kind == 'reclen':          # a damaged entry in a directory
        name, ino, off, base, prev = fs.entry('/manyfiles/n0100_' + 'y' * 20)
        fs.put(off + 4, 'H', 3)
    elif kind == 'dtype':
        name, ino, off, base, prev = fs.entry('/dir07/f001')
        fs.wr(off + 6, bytes([4]))
    elif kind == 'blocks':
        ino = fs.lookup('/dir08/f003')
        fs.iset(ino, 'blocks', fs.iget(ino, 'blocks') + 16)
    elif kind == 'sbmagic':         # the primary superblock destroyed
        fs.put(fs.sbloc + 1372, 'i', 0)
    elif kind == 'cgmagic':
        fs.put(fs.cgoff(0) + 4, 'i', 0x1234)
    elif kind == 'unclean':
        fs.wr(fs.sbloc + 209, bytes([0]))
    elif kind == 'dot':             # '.' naming another inode
        e = [x for x in fs.entries(fs.lookup('/dir09')) if x[0] == '.'][0]
        fs.put(e[2], 'I', 5)
    elif kind == 'badtype':         # an inode of no known type
        fs.iset(fs.lookup('/dir10/f009'), 'mode', 0o170644)
    elif kind == 'emptyunref':      # an allocated empty inode nobody names
        ino = fs.free_inode()
        fs.iset(ino, 'mode', 0o100644)
        fs.iset(ino, 'nlink', 1)
        c, i = divmod(ino, fs.ipg)
        off = fs.cgoff(c) + fs.i32(fs.cgoff(c) + 92) + i // 8
        fs.wr(off, bytes([fs.rd(off, 1)[0] | (1 << (i % 8))]))
    elif kind == 'rootdir':         # the root's only block pointer gone
        fs.iset(2, 'mode', 0)
    else:
        raise SystemExit('unknown damage ' + kind)


KINDS = ['cgfree', 'cgcount', 'nlink', 'freeino', 'range', 'dup', 'unref',
         'unrefdir', 'dotdot', 'reclen', 'dtype', 'blocks', 'sbmagic',
         'cgmagic', 'unclean', 'dot', 'badtype', 'emptyunref', 'rootdir']

if __name__ == '__main__':
    if len(sys.argv) == 2 and sys.argv[1] == 'list':
        print(' '.join(KINDS))
        sys.exit(0)
    fs = FFS(sys.argv[1])
    damage(fs, sys.argv[2])
