# rump.init.mk: settings shared by every Makefile of the tree: where the
# sources, objects and the usable tree are, the build knobs, and the
# compiler flags that follow from them.  Included first by every other
# fragment; nothing here builds anything.

.if !defined(_RUMP_INIT_MK_)
_RUMP_INIT_MK_=	1

TOP:=		${.PARSEDIR:H:tA}
RELDIR:=	${.CURDIR:tA:S,^${TOP},,:S,^/,,}
OBJTOP?=	${TOP}/obj
RUMPTOP?=	${TOP}/rump
O:=		${OBJTOP}/${RELDIR}

# The build knobs.  Anything else given on the command line is an error,
# so a typo never silently builds the wrong thing.
RUMP_DEBUG?=	no		# yes: -O0 -g3
RUMP_SANITIZE?=	none		# none, address, undefined or thread
_RUMP_KNOBS=	RUMP_DEBUG RUMP_SANITIZE OBJTOP RUMPTOP CC V
.for _v in ${.MAKEOVERRIDES:N.*:NMAKE*:O:u}
.  if empty(_RUMP_KNOBS:M${_v})
.    error unknown build knob ${_v} (known: ${_RUMP_KNOBS})
.  endif
.endfor
.if ${RUMP_DEBUG} != "yes" && ${RUMP_DEBUG} != "no"
.  error RUMP_DEBUG must be yes or no, not ${RUMP_DEBUG}
.endif
.if empty(RUMP_SANITIZE:Mnone) && empty(RUMP_SANITIZE:Maddress) && \
    empty(RUMP_SANITIZE:Mundefined) && empty(RUMP_SANITIZE:Mthread)
.  error RUMP_SANITIZE must be none, address, undefined or thread
.endif

CC?=		cc
LD=		ld
AR=		ar
NM=		nm
OBJCOPY=	objcopy
LUA=		lua5.4
INSTALL_DATA=	install -m 0644

# Quiet by default; V=1 shows every command.
.if defined(V) && ${V} == "1"
_Q=
_MSG=		@:
.else
_Q=		@
_MSG=		@echo
.endif

.if ${RUMP_DEBUG} == "yes"
_OPT=		-O0 -g3
.else
_OPT=		-O2 -g
.endif
.if ${RUMP_SANITIZE} != "none"
_SAN=		-fsanitize=${RUMP_SANITIZE} -fno-omit-frame-pointer
.else
_SAN=
.endif

WARNS=		-Wall -Wextra -Wno-unused-parameter -Wmissing-prototypes \
		-Wstrict-prototypes -Wshadow -Werror
CSTD=		-std=gnu11

# Kernel code: freestanding, only the project's headers plus the
# compiler's own freestanding ones and <valgrind/*.h> (memcheck client
# requests, see sys/sys/memcheck.h).
GCCINC!=	${CC} -print-file-name=include
.if exists(/usr/include/valgrind/memcheck.h)
_MEMCHECK!=	mkdir -p ${OBJTOP}/kinclude && \
		ln -sfn /usr/include/valgrind ${OBJTOP}/kinclude/valgrind && \
		echo -DRUMP_MEMCHECK
.endif
KERN_CFLAGS=	${CSTD} ${_OPT} ${_SAN} ${WARNS} -ffreestanding -nostdinc \
		-isystem ${GCCINC} -isystem ${OBJTOP}/kinclude \
		-fno-stack-protector -fno-common -fPIC ${_MEMCHECK:U} \
		-D_KERNEL -DDIAGNOSTIC -I${TOP}/sys -I${OBJTOP}/sys \
		-I${TOP}/sys/rump/include

# Host code: librumpuser, the ABI translation, tools, tests.
HOST_CFLAGS=	${CSTD} ${_OPT} ${_SAN} ${WARNS} -fPIC -D_GNU_SOURCE \
		-I${TOP}/sys/rump/include -I${OBJTOP}/include \
		-I${OBJTOP}/hinclude -I${TOP}/lib/librumpuser
HOST_LDFLAGS=	${_SAN}
# Shared libraries find each other in their own directory, and must
# resolve every symbol, except against a sanitizer runtime, which only
# the program links.
SHLIB_LDFLAGS=	-Wl,-rpath,'$$ORIGIN'
.if ${RUMP_SANITIZE} == "none"
SHLIB_LDFLAGS+=	-Wl,-z,defs
.endif

# Global symbols that keep their names when a kernel library is renamed:
# the public interface, the hypercalls, and the compiler's and linker's
# reserved names.  Everything else gets the prefix rumpns_ (rule 4).
RUMP_SYMKEEP=	^(rump_|rumpuser_|rumpns_|__|_GLOBAL_OFFSET_TABLE_$$)

# Objects are rebuilt when the flags change.
FLAGSTAMP=	${OBJTOP}/.flags
_FLAGS_NOW=	${KERN_CFLAGS} ${HOST_CFLAGS} ${HOST_LDFLAGS}
_FLAGS_OLD!=	cat ${FLAGSTAMP} 2>/dev/null || true
.if "${_FLAGS_NOW}" != "${_FLAGS_OLD}"
_FLAGS_MKDIR!=	mkdir -p ${OBJTOP} && echo "${_FLAGS_NOW}" > ${FLAGSTAMP}
.endif

.MAIN: all

# No "--- target ---" banners in parallel builds.
.MAKE.JOB.PREFIX=

.endif # _RUMP_INIT_MK_
