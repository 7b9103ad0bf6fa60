# rump.subdir.mk: descend into SUBDIR, in order, for every target.

.include "${.PARSEDIR}/rump.init.mk"

.for _t in all clean
${_t}: ${_t}-subdir
${_t}-subdir: .PHONY
.  for _d in ${SUBDIR}
	@${MAKE} -C ${.CURDIR}/${_d} ${_t}
.  endfor
.endfor
