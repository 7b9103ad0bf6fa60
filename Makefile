# The top-level Makefile: builds everything, in dependency order.
# ./buildrump.sh is the usual way in; `bmake` here works as well.

SUBDIR=		lib/librumpuser \
		sys/rump/librump/rumpkern \
		lib/librumpclient \
		lib/librumphijack \
		sys/rump/librump/rumpvfs \
		sys/rump/librump/rumpdev \
		sys/rump/librump/rumpnet \
		sys/rump/net/lib/libnet \
		sys/rump/net/lib/libnetinet \
		sys/rump/net/lib/liblocal \
		sys/rump/net/lib/libshmif/rumpuser \
		sys/rump/net/lib/libshmif \
		sys/rump/net/lib/libvirtif/rumpuser \
		sys/rump/net/lib/libvirtif \
		sys/rump/net/lib/libslirpif/rumpuser \
		sys/rump/net/lib/libslirpif \
		sys/rump/dev/lib/libdisk \
		sys/rump/fs/lib/libtmpfs \
		sys/rump/fs/lib/libffs \
		lib/libukfs \
		lib/libp2k \
		tests \
		bench \
		usr.sbin

.include "mk/rump.subdir.mk"

# pkg-config description of the usable tree (buildrump.sh install
# rewrites the prefix).
all: ${RUMPTOP}/lib/pkgconfig/rump.pc
${RUMPTOP}/lib/pkgconfig/rump.pc: Makefile
	@mkdir -p ${.TARGET:H}
	@printf '%s\n' "prefix=${RUMPTOP}" 'includedir=$${prefix}/include' \
	    'libdir=$${prefix}/lib' '' 'Name: rump' \
	    'Description: anykernel rump kernel base (librump)' \
	    'Version: 0.1' 'Cflags: -I$${includedir}' \
	    'Libs: -L$${libdir} -Wl,-rpath,$${libdir} -lrump -lrumpuser' \
	    'Libs.private: -lpthread' > ${.TARGET}
