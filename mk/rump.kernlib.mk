# rump.kernlib.mk: a kernel library (a faction or a component).
#
# A component Makefile sets LIB (the name without "lib"), SRCS (kernel
# sources, through .PATH), optionally HOSTSRCS (host-side code that
# belongs to the library, such as generated system call stubs), LIBDEPS
# (the libraries it needs, as -l flags), and INCS (public headers).
# The kernel objects are linked into one relocatable object and every
# global symbol not matching RUMP_SYMKEEP is renamed rumpns_<name>, so
# kernel names never meet the host's (DESIGN.md rule 4).  Host objects
# are added unrenamed.  Set NOINST=yes for a library used only by tests:
# it is then built in obj/, as a static archive only, and not installed.

.include "${.PARSEDIR}/rump.compile.mk"

.if defined(NOINST) && ${NOINST} == "yes"
LIBDIR=		${O}
.else
LIBDIR=		${RUMPTOP}/lib
.endif
_KREL=		${O}/lib${LIB}_kern.o
_LIBA=		${LIBDIR}/lib${LIB}.a
_LIBSO=		${LIBDIR}/lib${LIB}.so

.if defined(NOINST) && ${NOINST} == "yes"
all: ${_LIBA}
.else
all: ${_LIBA} ${_LIBSO} incs
.endif

${_KREL}: ${KOBJS}
	${_MSG} "  RENAME  ${RELDIR}/lib${LIB}"
	${_Q}${LD} -r -o ${.TARGET}.tmp ${KOBJS}
	${_Q}${NM} -g ${.TARGET}.tmp | \
	    awk '$$NF !~ /${RUMP_SYMKEEP}/ { print $$NF, "rumpns_" $$NF }' | \
	    sort -u > ${.TARGET}.syms
	${_Q}${OBJCOPY} --redefine-syms=${.TARGET}.syms ${.TARGET}.tmp \
	    ${.TARGET}
	@rm -f ${.TARGET}.tmp

${_LIBA}: ${_KREL} ${HOBJS}
	${_MSG} "  AR      lib${LIB}.a"
	@mkdir -p ${.TARGET:H}
	${_Q}rm -f ${.TARGET} && ${AR} rcs ${.TARGET} ${.ALLSRC}

${_LIBSO}: ${_KREL} ${HOBJS} ${FLAGSTAMP}
	${_MSG} "  LD      lib${LIB}.so"
	@mkdir -p ${.TARGET:H}
	${_Q}${CC} -shared -o ${.TARGET} -Wl,-soname,lib${LIB}.so \
	    ${SHLIB_LDFLAGS} ${.ALLSRC:M*.o} -L${RUMPTOP}/lib ${LIBDEPS:U} \
	    ${HOST_LDFLAGS} -lpthread

.include "${.PARSEDIR}/rump.incs.mk"
