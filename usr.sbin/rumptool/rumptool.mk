# rumptool.mk: a rump.* tool.  Its Makefile sets PROG; the tool is
# built from PROG.c and rumptool.c on librumpclient, and installed into
# rump/bin with its manual page PROG.8.

PROGS=		${PROG}
BINDIR=		${RUMPTOP}/bin
SRCS.${PROG}=	${PROG}.c ../rumptool/rumptool.c
CPPFLAGS.${PROG}= -I${.CURDIR}/../rumptool
RUMPLIBS=	-lrumpclient
MAN=		${PROG}.8

.include "../../mk/rump.prog.mk"
.include "../../mk/rump.man.mk"
