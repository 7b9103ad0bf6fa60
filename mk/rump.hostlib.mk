# rump.hostlib.mk: a host library (librumpuser, later librumpclient).
# A Makefile sets LIB, HOSTSRCS, LIBDEPS and INCS.  Nothing is renamed:
# host libraries call the host's libc by its own names.

.include "${.PARSEDIR}/rump.compile.mk"

LIBDIR=		${RUMPTOP}/lib
_LIBA=		${LIBDIR}/lib${LIB}.a
_LIBSO=		${LIBDIR}/lib${LIB}.so

all: ${_LIBA} ${_LIBSO} incs

${_LIBA}: ${HOBJS}
	${_MSG} "  AR      lib${LIB}.a"
	@mkdir -p ${.TARGET:H}
	${_Q}rm -f ${.TARGET} && ${AR} rcs ${.TARGET} ${.ALLSRC}

${_LIBSO}: ${HOBJS} ${FLAGSTAMP}
	${_MSG} "  LD      lib${LIB}.so"
	@mkdir -p ${.TARGET:H}
	${_Q}${CC} -shared -o ${.TARGET} -Wl,-soname,lib${LIB}.so \
	    ${SHLIB_LDFLAGS} ${.ALLSRC:M*.o} -L${RUMPTOP}/lib ${LIBDEPS:U} \
	    ${HOST_LDFLAGS} -lpthread

.include "${.PARSEDIR}/rump.incs.mk"
