# fstest.mk: for test directories whose programs run one body against
# every file system of fstest.c's table.  Include it after setting
# TESTS and before rump.test.mk: each program is built from TEST.c and
# fstest.c (set SRCS.TEST first to add sources; keep fstest.c in it)
# and linked with the component library of every file system in the
# table.

_FSTEST_DIR:=	${.PARSEDIR:tA}
.PATH:		${_FSTEST_DIR}

# One library per file system of fstest_filesystems[], then the VFS.
FSTEST_LIBS=	-lrumpfs_tmpfs -lrumpfs_ffs -lrumpdev_disk -lrumpdev -lrumpvfs

.for _t in ${TESTS}
SRCS.${_t}?=	${_t}.c fstest.c diskimg.c
CPPFLAGS.${_t}+= -I${_FSTEST_DIR} -DRUMPTOP=\"${RUMPTOP}\"
.endfor
LDADD+=		${FSTEST_LIBS}
