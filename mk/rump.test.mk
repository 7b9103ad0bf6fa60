# rump.test.mk: ATF-C test programs.  A test directory's Makefile sets
# TESTS (programs, each from TEST.c) and the usual LDADD; the programs and
# the directory's Kyuafile land in obj/, where kyua runs them.

PROGS=		${TESTS}
LDADD+=		-latf-c

.include "${.PARSEDIR}/rump.prog.mk"

all: ${O}/Kyuafile
${O}/Kyuafile: Kyuafile
	@mkdir -p ${.TARGET:H}
	${_Q}cp ${.ALLSRC} ${.TARGET}
