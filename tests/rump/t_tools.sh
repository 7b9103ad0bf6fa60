#! /usr/bin/env atf-sh
# The rump.* tools against a rump_server: rump.sysctl's values (and
# setting them), rump.mount and rump.umount, rump.halt; every tool's -h.

BIN=${RUMP_TEST_BIN:-@RUMPTOP@/bin}
export RUMP_SERVER=unix://$(pwd)/sock

server() {
	atf_check "$BIN/rump_server" "$@" "$RUMP_SERVER"
}

cleanup_server() {
	[ -S sock ] && RUMP_SERVER=unix://$(pwd)/sock \
	    "@RUMPTOP@/bin/rump.halt" -n 2>/dev/null
	return 0
}

atf_test_case help
help_head() {
	atf_set descr "every rump.* tool and rump_server answer -h with usage"
}
help_body() {
	for t in rump_server rump.halt rump.mount rump.umount rump.sysctl \
	    rump.ifconfig rump.route rump.ping rump.netstat; do
		atf_check -o match:"^usage: $t" "$BIN/$t" -h
		[ -f "@RUMPTOP@/share/man/man8/$t.8" ] ||
		    atf_fail "no manual page for $t"
	done
}

atf_test_case sysctl cleanup
sysctl_head() {
	atf_set descr "rump.sysctl: the kernel's values, set and shown"
	atf_set timeout 300
}
sysctl_body() {
	server -l rumpfs_tmpfs -l rumpnet_netinet
	atf_check -o inline:'kern.ostype = anykernel\n' "$BIN/rump.sysctl" \
	    kern.ostype
	atf_check -o inline:'kern.hostname = box7\n' "$BIN/rump.sysctl" \
	    kern.hostname=box7
	atf_check -o inline:'box7\n' "$BIN/rump.sysctl" -n kern.hostname
	n=$("$BIN/rump.sysctl" -n vm.meminuse)
	[ "$n" -gt 0 ] || atf_fail "vm.meminuse is $n"
	atf_check -o match:'rump.sysctl \(remote\)$' "$BIN/rump.sysctl" \
	    kern.proc
	atf_check -e match:'Operation not permitted' -s exit:1 \
	    "$BIN/rump.sysctl" hw.ncpu=5
	atf_check -e match:'no such node' -s exit:1 "$BIN/rump.sysctl" no.such
	atf_check -e match:'not a number' -s exit:1 "$BIN/rump.sysctl" \
	    net.inet.ip.forwarding=yes

	# Mounts come and go in vfs.mounts.
	atf_check env LD_PRELOAD=@RUMPTOP@/lib/librumphijack.so mkdir /rump/m
	atf_check "$BIN/rump.mount" -t tmpfs -o size=2m tmpfs /m
	atf_check -o match:'^vfs.mounts: tmpfs on /m type tmpfs, 512 of 512 ' \
	    "$BIN/rump.sysctl" vfs.mounts
	atf_check -e match:'busy' -s exit:1 "$BIN/rump.umount" /
	atf_check "$BIN/rump.umount" /m
	atf_check -o not-match:'type tmpfs' "$BIN/rump.sysctl" vfs.mounts

	# The network: the loopback, its address and route, forwarding.
	atf_check -o match:'^net.interfaces: lo0 index 1 ' \
	    "$BIN/rump.sysctl" net.interfaces
	atf_check -o match:'^net.ifaddrs: lo0 127.0.0.1/8$' \
	    "$BIN/rump.sysctl" net.ifaddrs
	atf_check -o match:'^net.route: 127.0.0.0/8 via 0.0.0.0 dev lo0 ' \
	    "$BIN/rump.sysctl" net.route
	atf_check -o inline:'net.inet.ip.forwarding = 1\n' \
	    "$BIN/rump.sysctl" net.inet.ip.forwarding=1
	atf_check -o inline:'1\n' "$BIN/rump.sysctl" -n net.inet.ip.forwarding
	atf_check -o match:'^kern.version = ' -o match:'^net.route: ' \
	    "$BIN/rump.sysctl" -a
	atf_check "$BIN/rump.halt"
}
sysctl_cleanup() {
	cleanup_server
}

atf_test_case shmif cleanup
shmif_head() {
	atf_set descr "two rump_servers on a shmif bus, configured only with \
rump.ifconfig and rump.route, tested with rump.ping, hijacked nc and \
rump.netstat"
	atf_set timeout 300
}
shmif_body() {
	command -v nc >/dev/null 2>&1 || atf_skip "nc not installed"
	A=unix://$(pwd)/a B=unix://$(pwd)/b
	H="env LD_PRELOAD=@RUMPTOP@/lib/librumphijack.so"
	for s in $A $B; do
		atf_check "$BIN/rump_server" -l rumpnet_netinet \
		    -l rumpnet_shmif "$s"
	done
	RUMP_SERVER=$A atf_check "$BIN/rump.ifconfig" shmif0 linkstr \
	    "$(pwd)/bus" inet 10.0.0.1/24 up
	RUMP_SERVER=$B atf_check "$BIN/rump.ifconfig" shmif0 linkstr \
	    "$(pwd)/bus" inet 10.0.0.2/24 up
	# B has a second network, behind itself, that A reaches by a route.
	RUMP_SERVER=$B atf_check "$BIN/rump.ifconfig" lo0 inet 10.9.9.9/32
	RUMP_SERVER=$A atf_check -o match:'inet 10.0.0.1/24' \
	    -o match:'^shmif0: flags=.*<UP' "$BIN/rump.ifconfig" shmif0
	RUMP_SERVER=$A atf_check -o match:'icmp_seq=1 ttl=64' \
	    "$BIN/rump.ping" -c 2 -i 0.2 10.0.0.2
	RUMP_SERVER=$A atf_check -s exit:2 -o ignore -e ignore \
	    "$BIN/rump.ping" -c 1 -W 0.5 10.9.9.9
	RUMP_SERVER=$A atf_check "$BIN/rump.route" add 10.9.9.0/24 10.0.0.2
	RUMP_SERVER=$A atf_check -o match:'^10.9.9.0/24 +10.0.0.2 +UG +shmif0' \
	    "$BIN/rump.route" show
	RUMP_SERVER=$A atf_check -o match:'from 10.9.9.9: icmp_seq=0' \
	    "$BIN/rump.ping" -c 1 10.9.9.9

	# TCP across the bus and the route, with the hosts' own nc.
	RUMP_SERVER=$B $H nc -l 10.9.9.9 7000 > got &
	i=0
	until RUMP_SERVER=$B "$BIN/rump.netstat" | grep -q '10.9.9.9.7000 .*LISTEN'
	do
		[ $i -lt 100 ] || atf_fail "nc does not listen in B"
		sleep 0.1
		i=$((i + 1))
	done
	head -c 300000 /dev/urandom > data
	RUMP_SERVER=$A atf_check $H nc -N 10.9.9.9 7000 < data
	wait
	atf_check cmp data got
	RUMP_SERVER=$A atf_check -o match:'^shmif0 +1500 +[1-9][0-9]+ ' \
	    "$BIN/rump.netstat" -i
	RUMP_SERVER=$A atf_check -o match:'^10.9.9.0/24 +10.0.0.2 ' \
	    "$BIN/rump.netstat" -r

	RUMP_SERVER=$A atf_check "$BIN/rump.route" delete 10.9.9.0/24
	RUMP_SERVER=$A atf_check -s exit:2 -o ignore -e ignore \
	    "$BIN/rump.ping" -c 1 -W 0.5 10.9.9.9
	RUMP_SERVER=$A atf_check "$BIN/rump.ifconfig" shmif0 inet 10.0.0.1 \
	    delete
	RUMP_SERVER=$A atf_check -o not-match:'inet 10.0.0.1' \
	    "$BIN/rump.ifconfig" shmif0
	RUMP_SERVER=$A atf_check "$BIN/rump.ifconfig" shmif0 destroy
	RUMP_SERVER=$A atf_check -s exit:1 -e match:'no such interface' \
	    "$BIN/rump.ifconfig" shmif0
	for s in $A $B; do
		RUMP_SERVER=$s atf_check "$BIN/rump.halt"
	done
}
shmif_cleanup() {
	for s in a b; do
		[ -S $s ] && RUMP_SERVER=unix://$(pwd)/$s \
		    "@RUMPTOP@/bin/rump.halt" -n 2>/dev/null
	done
	return 0
}

atf_init_test_cases() {
	atf_add_test_case help
	atf_add_test_case sysctl
	atf_add_test_case shmif
}
