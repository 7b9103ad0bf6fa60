# rump.incs.mk: install public headers INCS (found through .PATH) into
# rump/include/rump.

INCSDIR?=	${RUMPTOP}/include/rump
_INCT=		${INCS:U:T:S,^,${INCSDIR}/,}

incs: ${_INCT}
.for _i in ${INCS:U}
${INCSDIR}/${_i:T}: ${_i}
	@mkdir -p ${.TARGET:H}
	${_Q}${INSTALL_DATA} ${.ALLSRC} ${.TARGET}
.endfor
