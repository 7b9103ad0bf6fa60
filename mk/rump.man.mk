# rump.man.mk: install manual pages MAN (section from the file name)
# into rump/share/man.

_MANT=		${MAN:U:@_m@${RUMPTOP}/share/man/man${_m:E}/${_m}@}

all: ${_MANT}
.for _m in ${MAN:U}
${RUMPTOP}/share/man/man${_m:E}/${_m}: ${_m}
	@mkdir -p ${.TARGET:H}
	${_Q}${INSTALL_DATA} ${.ALLSRC} ${.TARGET}
.endfor
