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
#
# The shared library is lib${LIB}.so.0; lib${LIB}.so, what -l${LIB}
# finds, is a linker script that adds it together with lib${LIB}.ref.o,
# an object that refers to the library's marker symbol rump_lib_${LIB}.
# A program often names none of a component's symbols (components
# register themselves from constructors), and a linker run with
# --as-needed would drop the library; the reference from a regular
# object keeps it.

.include "${.PARSEDIR}/rump.compile.mk"

.if defined(NOINST) && ${NOINST} == "yes"
LIBDIR=		${O}
.else
LIBDIR=		${RUMPTOP}/lib
.endif
_KREL=		${O}/lib${LIB}_kern.o
_LIBA=		${LIBDIR}/lib${LIB}.a
_LIBSO=		${LIBDIR}/lib${LIB}.so
_LIBSO0=	${LIBDIR}/lib${LIB}.so.0
_LIBREF=	${LIBDIR}/lib${LIB}.ref.o
_MARK=		${O}/h_libmark.o

.if defined(NOINST) && ${NOINST} == "yes"
all: ${_LIBA}
.else
all: ${_LIBA} ${_LIBSO} ${_LIBSO0} ${_LIBREF} incs
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

# The marker symbol, in the library, and the reference to it (built
# without sanitizer flags: it goes into the user's program).
${_MARK}: ${FLAGSTAMP}
	@mkdir -p ${.TARGET:H}
	${_Q}echo 'const int rump_lib_${LIB} = 1;' > ${.TARGET:R}.c
	${_Q}${CC} ${HOST_CFLAGS} -c ${.TARGET:R}.c -o ${.TARGET}

${_LIBREF}: ${FLAGSTAMP}
	${_MSG} "  CC      lib${LIB}.ref.o"
	@mkdir -p ${.TARGET:H} ${O}
	${_Q}printf '%s\n' 'extern const int rump_lib_${LIB};' \
	    'static const void *const ref __attribute__((used)) =' \
	    '    &rump_lib_${LIB};' > ${O}/libref.c
	${_Q}${CC} -fPIC -c ${O}/libref.c -o ${.TARGET}

${_LIBSO0}: ${_KREL} ${HOBJS} ${_MARK} ${FLAGSTAMP}
	${_MSG} "  LD      lib${LIB}.so.0"
	@mkdir -p ${.TARGET:H}
	${_Q}${CC} -shared -o ${.TARGET} -Wl,-soname,lib${LIB}.so.0 \
	    ${SHLIB_LDFLAGS} ${.ALLSRC:M*.o} -L${RUMPTOP}/lib ${LIBDEPS:U} \
	    ${HOST_LDFLAGS} -lpthread

${_LIBSO}: ${_LIBSO0} ${_LIBREF}
	@mkdir -p ${.TARGET:H}
	${_Q}printf '%s\n' '/* GNU ld script: see mk/rump.kernlib.mk */' \
	    'INPUT(lib${LIB}.ref.o lib${LIB}.so.0)' > ${.TARGET}

.include "${.PARSEDIR}/rump.incs.mk"
