# rump.compile.mk: the compile rules.  A Makefile sets SRCS (kernel C,
# found through .PATH) and/or HOSTSRCS (host C); this fragment defines
# KOBJS and HOBJS and one rule per object, with header dependencies
# tracked through the compiler's .d files.  Sources are named by their
# file name alone, so two sources of one library must not share a name.

.include "${.PARSEDIR}/rump.init.mk"

KOBJS=		${SRCS:U:@_s@${O}/${_s:T:R}.o@}
HOBJS=		${HOSTSRCS:U:@_s@${O}/h_${_s:T:R}.o@}
# Generated headers every object waits for (set by the Makefile).
GENHDRS?=

.for _s in ${SRCS:U}
${O}/${_s:T:R}.o: ${_s} ${FLAGSTAMP} ${GENHDRS}
	${_MSG} "  CC(k)   ${RELDIR}/${_s:T}"
	@mkdir -p ${.TARGET:H}
	${_Q}${CC} ${KERN_CFLAGS} ${CPPFLAGS.${_s:T}:U} ${KCPPFLAGS:U} \
	    -MMD -MP -MF ${.TARGET:R}.d -c ${.ALLSRC:M*.c:[1]} -o ${.TARGET}
.endfor

.for _s in ${HOSTSRCS:U}
${O}/h_${_s:T:R}.o: ${_s} ${FLAGSTAMP} ${GENHDRS}
	${_MSG} "  CC      ${RELDIR}/${_s:T}"
	@mkdir -p ${.TARGET:H}
	${_Q}${CC} ${HOST_CFLAGS} ${CPPFLAGS.${_s:T}:U} ${HCPPFLAGS:U} \
	    -MMD -MP -MF ${.TARGET:R}.d -c ${.ALLSRC:M*.c:[1]} -o ${.TARGET}
.endfor

.for _o in ${KOBJS} ${HOBJS}
.  -include "${_o:R}.d"
.endfor
