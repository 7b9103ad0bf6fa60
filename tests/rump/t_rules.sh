#! /usr/bin/env atf-sh
# The anykernel rules, checked on the sources and the installed libraries:
# renamed kernel symbols (rule 4) and kernel code that neither includes
# host headers nor calls hypercalls (rule 1).

TOP=@TOP@
RUMPTOP=@RUMPTOP@
KDIRS="sys/kern sys/fs sys/dev sys/net sys/netinet sys/lib"

atf_test_case renamed_symbols
renamed_symbols_head() {
	atf_set descr "every global symbol of a kernel library is rumpns_ \
or public"
}
renamed_symbols_body() {
	found=0
	for lib in "$RUMPTOP"/lib/librump*.so.0; do
		found=$((found + 1))
		bad=$(nm -D --defined-only "$lib" | awk '$2 ~ /[A-Z]/ { print $3 }' |
		    grep -Ev '^(rumpns_|rump_|rumpuser_|__odr_asan\.|_init$|_fini$|_edata$|_end$|__bss_start$)' |
		    tr '\n' ' ' || true)
		[ -z "$bad" ] || atf_fail "$lib exports unrenamed symbols: $bad"
		bad=$(nm -D --undefined-only "$lib" | awk '{ print $2 }' |
		    grep -Ev '^(rumpns_|rumpuser_|rump_|__)' |
		    grep -Ev '^(_ITM_|(memset|memcpy)(@|$))' |
		    tr '\n' ' ' || true)
		[ -z "$bad" ] || atf_fail "$lib uses host symbols: $bad"
	done
	[ "$found" -gt 0 ] || atf_fail "no kernel libraries in $RUMPTOP/lib"
	nm -D --defined-only "$RUMPTOP/lib/librump.so.0" | grep -q ' T rumpns_kmem_alloc$' ||
	    atf_fail "rumpns_kmem_alloc missing from librump.so.0"
	nm -D --defined-only "$RUMPTOP/lib/librump.so.0" | grep -q ' T rump_sys_getpid$' ||
	    atf_fail "rump_sys_getpid missing from librump.so.0"
}

atf_test_case kernel_isolation
kernel_isolation_head() {
	atf_set descr "kernel directories include no host header and make \
no hypercall"
}
kernel_isolation_body() {
	cd "$TOP" || atf_fail "no source tree at $TOP"
	dirs=$(for d in $KDIRS; do [ -d "$d" ] && echo "$d"; done)
	[ -n "$dirs" ] || atf_fail "no kernel directories"
	bad=$(grep -rln --include='*.[ch]' 'rumpuser_' $dirs | tr '\n' ' ' || true)
	[ -z "$bad" ] || atf_fail "hypercalls in kernel code: $bad"
	# Only the project's headers, and the memcheck client requests.
	bad=$(grep -rhoE --include='*.[ch]' '^#[[:space:]]*include[[:space:]]*<[^>]+>' $dirs |
	    sed -E 's/.*<([^>]+)>.*/\1/' | sort -u |
	    grep -Ev '^(sys/|fs/|net/|netinet/|lib/libkern/|valgrind/memcheck\.h$)' | tr '\n' ' ' || true)
	[ -z "$bad" ] || atf_fail "host headers in kernel code: $bad"
	for h in $(grep -rhoE --include='*.[ch]' '^#[[:space:]]*include[[:space:]]*<(sys|net|netinet)/[^>]+>' $dirs |
	    sed -E 's/.*<([^>]+)>.*/\1/' | sort -u); do
		[ -f "sys/$h" ] || [ "$h" = sys/syscall.h ] ||
		    [ "$h" = sys/syscallargs.h ] ||
		    atf_fail "<$h> is not a header of ours"
	done
}

atf_init_test_cases() {
	atf_add_test_case renamed_symbols
	atf_add_test_case kernel_isolation
}
