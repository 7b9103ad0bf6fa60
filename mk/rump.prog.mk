# rump.prog.mk: host programs linked against the usable tree, the way a
# user's program is (README.md).  A Makefile sets PROGS (each built from
# PROG.c, or from SRCS.PROG), LDADD (libraries, as -l flags, before
# the kernel's) and BINDIR (default: obj only; rump/bin for tools).
# The kernel is RUMPLIBS, -lrump -lrumpuser; a client of a remote
# kernel sets RUMPLIBS (or RUMPLIBS.PROG) to -lrumpclient.

.include "${.PARSEDIR}/rump.init.mk"

BINDIR?=	${O}
RUMPLIBS?=	-lrump -lrumpuser
PROG_CFLAGS=	${HOST_CFLAGS:N-I${TOP}/lib/librumpuser:N-I${OBJTOP}/hinclude} \
		-I${RUMPTOP}/include
PROG_LDFLAGS=	${HOST_LDFLAGS} -L${RUMPTOP}/lib -Wl,-rpath,${RUMPTOP}/lib

all: ${PROGS:S,^,${BINDIR}/,}

.for _p in ${PROGS}
SRCS.${_p}?=	${_p}.c
${BINDIR}/${_p}: ${SRCS.${_p}} ${FLAGSTAMP} ${PROGDEPS:U}
	${_MSG} "  CCLD    ${RELDIR}/${_p}"
	@mkdir -p ${.TARGET:H} ${O}
	${_Q}${CC} ${PROG_CFLAGS} ${CPPFLAGS.${_p}:U} -MMD -MP \
	    -MF ${O}/${_p}.d -o ${.TARGET} ${.ALLSRC:M*.c:O:u} \
	    ${PROG_LDFLAGS} ${LDADD.${_p}:U} ${LDADD:U} \
	    ${RUMPLIBS.${_p}:U${RUMPLIBS}} -lpthread
.  -include "${O}/${_p}.d"
.endfor
