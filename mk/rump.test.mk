# rump.test.mk: ATF tests.  A test directory's Makefile sets TESTS
# (ATF-C programs, each from TEST.c, with the usual LDADD) and/or
# SCRIPTS (atf-sh scripts, each from SCRIPT.sh, with @TOP@ and
# @RUMPTOP@ filled in), and HELPERS (programs the tests run, built like
# TESTS but not listed in the Kyuafile); the tests and the directory's
# Kyuafile land in obj/, where kyua runs them.

.if defined(TESTS) || defined(HELPERS)
PROGS=		${TESTS:U} ${HELPERS:U}
LDADD+=		-latf-c
.  include "${.PARSEDIR}/rump.prog.mk"
.else
.  include "${.PARSEDIR}/rump.init.mk"
.endif

all: ${O}/Kyuafile
${O}/Kyuafile: Kyuafile
	@mkdir -p ${.TARGET:H}
	${_Q}cp ${.ALLSRC} ${.TARGET}

.if defined(SCRIPTS)
all: ${SCRIPTS:S,^,${O}/,}
.endif
.for _s in ${SCRIPTS:U}
${O}/${_s}: ${_s}.sh
	@mkdir -p ${.TARGET:H}
	${_Q}sed 's,@TOP@,${TOP},g; s,@RUMPTOP@,${RUMPTOP},g' ${.ALLSRC} \
	    > ${.TARGET} && chmod +x ${.TARGET}
.endfor
