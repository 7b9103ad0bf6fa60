-- makesyscalls.lua: generate everything that lists system calls from
-- syscalls.master, the one table of them (DESIGN.md rule 7).
--
-- usage: lua5.4 makesyscalls.lua syscalls.master OBJTOP
--
-- Writes, below OBJTOP:
--   sys/sys/syscall.h          SYS_<name> numbers (kernel)
--   sys/sys/syscallargs.h      argument structures and sys_<name>() prototypes
--   sys/kern/init_sysent.c     the dispatch table sysent[] (kernel)
--   include/rump/rump_syscalls.h  the public rump_sys_<name>() prototypes
--   sys/rump/librump/rumpkern/rump_syscalls.c  host-side stubs: translate
--                              arguments to the kernel ABI, enter the
--                              kernel, translate the result and errno back
--   lib/librumpclient/rumpclient_calls.c  what each call reads from the
--                              caller's memory (remote calls send it along)
-- A file is rewritten only when its contents change.

-- The shared helpers live beside this script.
package.path = (arg[0]:match("^(.*)/") or ".") .. "/?.lua;" .. package.path
local emit = require("genutil").emit

local master, objtop = arg[1], arg[2]
if not master or not objtop then
	io.stderr:write("usage: makesyscalls.lua syscalls.master OBJTOP\n")
	os.exit(2)
end

-- How an argument crosses the boundary: a handler holds C templates for
-- the host-side stub (all optional):
--   locals   declarations
--   pre      code before the call; fails with "return finish(error, 0);"
--   post     code after the call: error holds the kernel errno and rv[0]
--            the kernel's result; runs on failure too
--   va       on the argument just before "...": code that reads the
--            variadic argument from `ap'; the argument's own pre then
--            runs after it (and after va_end)
--   vaowns   the conversion also sets the variadic argument's slot (its
--            type's handler is not used)
--   holds    pre acquires what post releases: pre runs after every other
--            argument's pre, so that no early return leaks it
--   asserts  _Static_assert lines for the stubs (layouts they rely on)
--   hdr      a host header the stubs need (and <rump/rump_syscalls.h>,
--            when the type is not a struct pointer)
--   kabi     (plain values) the kernel's type: usable as a return type
-- Templates name ${arg} (the argument), ${slot} (its register_t slot),
-- ${va}, ${vatype}, ${vaslot} (the variadic argument), and any other
-- argument of the call by its name; naming one the call lacks is an
-- error.  The kernel side never sees any of this: syscallargs.h declares
-- every argument with its type as written.

-- The value is the kernel's as it stands: copied into its slot.
local function plain(kty)
	return { kabi = kty, pre = "\tSETARG(${slot}, " .. kty .. ", ${arg});\n" }
end

-- A pointer passed through; asserts show that the pointee has the same
-- layout on both sides.
local function ptr(asserts)
	return { pre = "\tSETARG(${slot}, const void *, ${arg});\n",
	    asserts = asserts }
end

-- The assertions that host type h and kernel type k have one layout:
-- the same size, and each named field at the same offset and size.
local function samelayout(h, k, fields)
	local function check(e)
		return string.format("_Static_assert(%s,\n    \"%s differs " ..
		    "from the kernel's\");\n", e, h)
	end
	local a = { check(string.format("sizeof(%s) == sizeof(%s)", h, k)) }
	for _, f in ipairs(fields or {}) do
		a[#a + 1] = check(string.format("offsetof(%s, %s) ==\n" ..
		    "    offsetof(%s, %s)", h, f, k, f))
		a[#a + 1] = check(string.format("sizeof(((%s *)0)->%s) ==\n" ..
		    "    sizeof(((%s *)0)->%s)", h, f, k, f))
	end
	return a
end

-- A value translated by rumpuser_abi_<conv>_tokern(host, &kernel), which
-- returns 0 or a kernel errno.
local function value(conv, kty)
	return {
		locals = "\t" .. kty .. " k_${arg};\n",
		pre = "\terror = rumpuser_abi_" .. conv ..
		    "_tokern(${arg}, &k_${arg});\n" ..
		    "\tif (error != 0)\n\t\treturn finish(error, 0);\n" ..
		    "\tSETARG(${slot}, " .. kty .. ", k_${arg});\n",
	}
end

-- A structure the program passes in: a struct kabi_<s> copy made by
-- rumpuser_abi_<s>_tokern().
local function instruct(s)
	return {
		locals = "\tstruct kabi_" .. s .. " k_${arg};\n",
		pre = "\tif (${arg} != NULL)\n" ..
		    "\t\trumpuser_abi_" .. s .. "_tokern(${arg}, &k_${arg});\n" ..
		    "\tSETARG(${slot}, const void *, " ..
		    "${arg} != NULL ? &k_${arg} : NULL);\n",
	}
end

-- A structure the kernel fills: a struct kabi_<s> that
-- rumpuser_abi_<s>_tohost() copies out after a successful call.
local function outstruct(s)
	return {
		locals = "\tstruct kabi_" .. s .. " k_${arg};\n",
		pre = "\tSETARG(${slot}, void *, ${arg} != NULL ? &k_${arg} : NULL);\n",
		post = "\tif (error == 0 && ${arg} != NULL)\n" ..
		    "\t\trumpuser_abi_" .. s .. "_tohost(&k_${arg}, ${arg});\n",
	}
end

-- Argument and return types, as written in syscalls.master.  `conv'
-- names the conversion (below) a type gets when its argument names none.
local argtypes = {
	["int"] =			plain("int"),
	["unsigned int"] =		plain("unsigned int"),
	["unsigned long"] =		plain("unsigned long"),
	["pid_t"] =			plain("kabi_pid_t"),
	["uid_t"] =			plain("kabi_uid_t"),
	["gid_t"] =			plain("kabi_gid_t"),
	["mode_t"] =			plain("kabi_mode_t"),
	["off_t"] =			plain("kabi_off_t"),
	["size_t"] =			plain("size_t"),
	["ssize_t"] =			plain("ssize_t"),
	["nfds_t"] =			{ kabi = "kabi_nfds_t", hdr = "poll.h",
	    pre = "\tSETARG(${slot}, kabi_nfds_t, ${arg});\n" },
	["clockid_t"] =			{ conv = "clockid" },
	["dev_t"] =			{ conv = "devt" },
	["char *"] =			ptr(),
	["const char *"] =		ptr(),
	["void *"] =			ptr(),
	["const void *"] =		ptr(),
	["int *"] =			ptr(),
	["size_t *"] =			ptr(),
	["gid_t *"] =			ptr(samelayout("gid_t", "kabi_gid_t")),
	["const gid_t *"] =		ptr(samelayout("gid_t", "kabi_gid_t")),
	["const struct iovec *"] =	ptr(samelayout("struct iovec",
	    "struct kabi_iovec", { "iov_base", "iov_len" })),
	["struct timespec *"] =		outstruct("timespec"),
	["const struct timespec *"] =	instruct("timespec"),
	["const struct timeval *"] =	instruct("timeval"),
	["fd_set *"] =			{ conv = "fdset", hdr = "sys/select.h" },
	["struct stat *"] =		outstruct("stat"),
	["struct statvfs *"] =		outstruct("statvfs"),
	["struct pollfd *"] =		{ conv = "pollfds" },
	["socklen_t"] =			{ kabi = "kabi_socklen_t",
	    hdr = "sys/socket.h",
	    pre = "\tSETARG(${slot}, kabi_socklen_t, ${arg});\n" },
	["socklen_t *"] =		{ conv = "byother" },
	["const struct sockaddr *"] =	{ conv = "sockaddr" },
	["struct sockaddr *"] =		{ conv = "sockaddr_out" },
	["const struct msghdr *"] =	{ conv = "msghdr_in" },
	["struct msghdr *"] =		{ conv = "msghdr_out" },
}
argtypes["const struct iovec *"].hdr = "sys/uio.h"

-- The conversions an argument names after a colon ("int flags:oflags"),
-- each with the types it applies to.  The functions they call are in
-- lib/librumpuser/rumpuser_abi.c.
local function conv(types, h)
	h.types = types
	return h
end
local convs = {
	-- Host clock ids.
	clockid =	conv({ "clockid_t" }, value("clockid", "int")),
	-- Host dev_t (major, minor) -> the kernel's makedev().
	devt =		conv({ "dev_t" }, value("devt", "kabi_dev_t")),
	-- *at() directory descriptors: AT_FDCWD.
	atfd =		conv({ "int" }, value("atfd", "int")),
	-- AT_* flags of the *at() calls, and of faccessat() (AT_EACCESS).
	atflags =	conv({ "int" }, value("atflags", "int")),
	accflags =	conv({ "int" }, value("accflags", "int")),
	-- renameat2() RENAME_* flags.
	renameflags =	conv({ "unsigned int" },
			    value("renameflags", "unsigned int")),
	-- access() modes R_OK, W_OK, X_OK.
	accmode =	conv({ "int" }, value("accmode", "int")),
	-- lseek() SEEK_*.
	whence =	conv({ "int" }, value("whence", "int")),
	-- open() flags; "..." after them is the mode, read as libc does.
	oflags =	conv({ "int" }, {
		locals = "\tint k_${arg};\n",
		va = "\tif (rumpuser_abi_oflags_needmode(${arg}))\n" ..
		    "\t\t${va} = va_arg(ap, ${vatype});\n",
		pre = value("oflags", "int").pre,
	}),
	-- fcntl(): the command decides the type of the variadic argument and
	-- of the result.
	fcntlcmd =	conv({ "int" }, {
		vaowns = true,
		locals = "\tint k_${arg};\n\tvoid *k_${va};\n" ..
		    "\tstruct kabi_flock k_flock;\n" ..
		    "\tstruct flock *h_flock = NULL;\n",
		va = "\terror = rumpuser_abi_fcntl_tokern(${arg}, &ap, " ..
		    "&k_${arg}, &k_${va},\n\t    &k_flock, &h_flock);\n",
		pre = "\tif (error != 0)\n\t\treturn finish(error, 0);\n" ..
		    "\tSETARG(${slot}, int, k_${arg});\n" ..
		    "\tSETARG(${vaslot}, void *, k_${va});\n",
		post = "\tif (error == 0)\n" ..
		    "\t\terror = rumpuser_abi_fcntl_tohost(${arg}, &rv[0], " ..
		    "&k_flock, h_flock);\n",
	}),
	-- select(): a kernel copy of a descriptor set, its first
	-- ${nd} descriptors; the result copied back.
	fdset =		conv({ "fd_set *" }, {
		locals = "\tstruct kabi_fd_set k_${arg};\n",
		pre = "\tif (${arg} != NULL) {\n" ..
		    "\t\terror = rumpuser_abi_fdset_tokern(${arg}, ${nd}, " ..
		    "&k_${arg});\n" ..
		    "\t\tif (error != 0)\n\t\t\treturn finish(error, 0);\n" ..
		    "\t}\n" ..
		    "\tSETARG(${slot}, void *, ${arg} != NULL ? &k_${arg} : NULL);\n",
		post = "\tif (error == 0 && ${arg} != NULL)\n" ..
		    "\t\trumpuser_abi_fdset_tohost(&k_${arg}, ${nd}, ${arg});\n",
	}),
	-- ioctl(): the command decides the argument's structure; the
	-- kernel gets its own copy, results come back after.
	ioctlcmd =	conv({ "unsigned long" }, {
		vaowns = true,
		holds = true,
		locals = "\tstruct rumpuser_abi_ioctl k_${arg};\n" ..
		    "\tvoid *${va};\n",
		va = "\t${va} = va_arg(ap, void *);\n",
		pre = "\terror = rumpuser_abi_ioctl_tokern(${arg}, ${va}, " ..
		    "&k_${arg});\n" ..
		    "\tif (error != 0)\n\t\treturn finish(error, 0);\n" ..
		    "\tSETARG(${slot}, unsigned long, k_${arg}.kcmd);\n" ..
		    "\tSETARG(${vaslot}, void *, k_${arg}.karg);\n",
		post = "\terror = rumpuser_abi_ioctl_tohost(${arg}, error, " ..
		    "&k_${arg}, ${va});\n",
	}),
	-- utimensat(), futimens(): NULL or two timespecs with UTIME_*.
	timespec2 =	conv({ "const struct timespec *" }, {
		locals = "\tstruct kabi_timespec k_${arg}[2];\n",
		pre = "\tif (${arg} != NULL)\n" ..
		    "\t\trumpuser_abi_timespec2_tokern(${arg}, k_${arg});\n" ..
		    "\tSETARG(${slot}, const void *, " ..
		    "${arg} != NULL ? k_${arg} : NULL);\n",
	}),
	-- getdents(): kernel records rewritten in place as the host's.
	dirents =	conv({ "char *" }, {
		pre = "\tSETARG(${slot}, void *, ${arg});\n",
		post = "\tif (error == 0)\n" ..
		    "\t\terror = rumpuser_abi_dirents_tohost(${arg}, ${count}, " ..
		    "&rv[0]);\n",
	}),
	-- An argument another argument's conversion sets (a length, the
	-- level and name of an option): nothing of its own.
	byother =	conv({ "int", "socklen_t", "socklen_t *" }, { pre = "" }),
	-- Socket domains (AF_*), types with their SOCK_NONBLOCK and
	-- SOCK_CLOEXEC flags, and accept4()'s flags.
	sockdomain =	conv({ "int" }, value("sockdomain", "int")),
	socktype =	conv({ "int" }, value("socktype", "int")),
	sockflags =	conv({ "int" }, value("sockflags", "int")),
	-- send() and recv() MSG_* flags.
	msgflags =	conv({ "int" }, value("msgflags", "int")),
	-- A socket address in, with its length in ${addrlen}.
	sockaddr =	conv({ "const struct sockaddr *" }, {
		locals = "\tstruct kabi_sockaddr_storage k_${arg};\n" ..
		    "\tkabi_socklen_t k_${arg}len = 0;\n",
		pre = "\tif (${arg} != NULL) {\n" ..
		    "\t\terror = rumpuser_abi_sockaddr_tokern(${arg}, " ..
		    "${addrlen}, &k_${arg},\n\t\t    &k_${arg}len);\n" ..
		    "\t\tif (error != 0)\n\t\t\treturn finish(error, 0);\n" ..
		    "\t}\n" ..
		    "\tSETARG(${slot}, const void *, " ..
		    "${arg} != NULL ? &k_${arg} : NULL);\n" ..
		    "\tSETARG(${slot:addrlen}, kabi_socklen_t, k_${arg}len);\n",
	}),
	-- A socket address out, into ${addrlen} bytes: the kernel fills a
	-- whole one, converted and cut to the host's buffer afterwards.
	sockaddr_out =	conv({ "struct sockaddr *" }, {
		locals = "\tstruct kabi_sockaddr_storage k_${arg};\n" ..
		    "\tkabi_socklen_t k_${arg}len = sizeof(k_${arg});\n",
		pre = "\tSETARG(${slot}, void *, " ..
		    "${arg} != NULL ? &k_${arg} : NULL);\n" ..
		    "\tSETARG(${slot:addrlen}, void *, " ..
		    "${arg} != NULL ? &k_${arg}len : NULL);\n",
		post = "\tif (error == 0 && ${arg} != NULL && ${addrlen} != NULL)\n" ..
		    "\t\terror = rumpuser_abi_sockaddr_tohost(&k_${arg}, " ..
		    "k_${arg}len, ${arg},\n\t\t    ${addrlen});\n",
	}),
	-- sendmsg(), recvmsg(): the header, its address; no control data.
	msghdr_in =	conv({ "const struct msghdr *" }, {
		locals = "\tstruct kabi_msghdr k_${arg};\n" ..
		    "\tstruct kabi_sockaddr_storage k_${arg}name;\n",
		pre = "\terror = rumpuser_abi_msghdr_tokern(${arg}, &k_${arg}, " ..
		    "&k_${arg}name);\n" ..
		    "\tif (error != 0)\n\t\treturn finish(error, 0);\n" ..
		    "\tSETARG(${slot}, const void *, &k_${arg});\n",
	}),
	msghdr_out =	conv({ "struct msghdr *" }, {
		locals = "\tstruct kabi_msghdr k_${arg};\n" ..
		    "\tstruct kabi_sockaddr_storage k_${arg}name;\n",
		pre = "\terror = rumpuser_abi_msghdr_out_tokern(${arg}, &k_${arg}, " ..
		    "&k_${arg}name);\n" ..
		    "\tif (error != 0)\n\t\treturn finish(error, 0);\n" ..
		    "\tSETARG(${slot}, void *, &k_${arg});\n",
		post = "\tif (error == 0)\n" ..
		    "\t\terror = rumpuser_abi_msghdr_tohost(&k_${arg}, " ..
		    "&k_${arg}name, ${arg});\n",
	}),
	-- setsockopt(), getsockopt(): level, name and value together.
	sockopt_in =	conv({ "const void *" }, {
		locals = "\tint k_${arg}level, k_${arg}name;\n" ..
		    "\tchar k_${arg}[RUMPUSER_ABI_SOCKOPT_MAX];\n" ..
		    "\tkabi_socklen_t k_${arg}size;\n",
		pre = "\terror = rumpuser_abi_sockopt_tokern(${level}, ${name}, " ..
		    "${arg}, ${valsize},\n\t    &k_${arg}level, &k_${arg}name, " ..
		    "k_${arg}, &k_${arg}size);\n" ..
		    "\tif (error != 0)\n\t\treturn finish(error, 0);\n" ..
		    "\tSETARG(${slot:level}, int, k_${arg}level);\n" ..
		    "\tSETARG(${slot:name}, int, k_${arg}name);\n" ..
		    "\tSETARG(${slot}, const void *, k_${arg});\n" ..
		    "\tSETARG(${slot:valsize}, kabi_socklen_t, k_${arg}size);\n",
	}),
	sockopt_out =	conv({ "void *" }, {
		locals = "\tint k_${arg}level, k_${arg}name;\n" ..
		    "\tchar k_${arg}[RUMPUSER_ABI_SOCKOPT_MAX];\n" ..
		    "\tkabi_socklen_t k_${arg}size = sizeof(k_${arg});\n",
		pre = "\terror = rumpuser_abi_sockoptname_tokern(${level}, " ..
		    "${name},\n\t    &k_${arg}level, &k_${arg}name);\n" ..
		    "\tif (error != 0)\n\t\treturn finish(error, 0);\n" ..
		    "\tSETARG(${slot:level}, int, k_${arg}level);\n" ..
		    "\tSETARG(${slot:name}, int, k_${arg}name);\n" ..
		    "\tSETARG(${slot}, void *, k_${arg});\n" ..
		    "\tSETARG(${slot:valsize}, void *, &k_${arg}size);\n",
		post = "\tif (error == 0)\n" ..
		    "\t\terror = rumpuser_abi_sockopt_tohost(${level}, ${name}, " ..
		    "k_${arg},\n\t\t    k_${arg}size, ${arg}, ${valsize});\n",
	}),
	-- poll(): a kernel copy of the array, event bits translated.
	pollfds =	conv({ "struct pollfd *" }, {
		holds = true,
		locals = "\tstruct kabi_pollfd k_${arg}_small" ..
		    "[RUMPUSER_ABI_POLL_SMALL], *k_${arg};\n",
		pre = "\terror = rumpuser_abi_pollfds_tokern(${arg}, ${nfds}, " ..
		    "k_${arg}_small,\n\t    RUMPUSER_ABI_POLL_SMALL, &k_${arg});\n" ..
		    "\tif (error != 0)\n\t\treturn finish(error, 0);\n" ..
		    "\tSETARG(${slot}, void *, k_${arg});\n",
		post = "\tif (error == 0)\n" ..
		    "\t\trumpuser_abi_pollfds_tohost(k_${arg}, ${arg}, ${nfds});\n" ..
		    "\trumpuser_abi_pollfds_free(k_${arg}, k_${arg}_small);\n",
	}),
}

-- Names the stubs use for themselves.
local reserved = { rv = true, args = true, error = true, ap = true }

local function die(lineno, msg)
	io.stderr:write(string.format("%s:%d: %s\n", master, lineno, msg))
	os.exit(1)
end

local function trim(s)
	return (s:gsub("^%s+", ""):gsub("%s+$", ""))
end

-- Split "const struct timespec *rqtp" into type and name.
local function split_decl(decl, lineno)
	local ty, name = decl:match("^(.-)%s*([%a_][%w_]*)$")
	if not ty or ty == "" then
		die(lineno, "cannot parse argument '" .. decl .. "'")
	end
	ty = trim(ty:gsub("%s*%*", " *"))
	return ty, name
end

-- Parse one argument: "[...] type name[:conversion]".
local function parse_arg(text, lineno)
	local a = {}
	text = trim(text)
	local rest = text:match("^%.%.%.%s*(.*)$")
	if rest then
		a.variadic, text = true, rest
	end
	local decl, cname = text:match("^(.-)%s*:%s*([%a_][%w_]*)$")
	decl = decl or text
	a.ty, a.name = split_decl(decl, lineno)
	a.decl = a.ty:match("%*$") and a.ty .. a.name or a.ty .. " " .. a.name
	local at = argtypes[a.ty]
	if not at then
		die(lineno, "unknown argument type '" .. a.ty .. "': teach argtypes")
	end
	if reserved[a.name] or a.name:match("^[kh]_") then
		die(lineno, "argument name '" .. a.name .. "' is the stubs' own")
	end
	cname = cname or at.conv
	if cname then
		local cv = convs[cname]
		if not cv then
			die(lineno, "unknown conversion '" .. cname .. "': teach convs")
		end
		local ok = false
		for _, t in ipairs(cv.types) do
			ok = ok or t == a.ty
		end
		if not ok then
			die(lineno, "conversion '" .. cname .. "' does not apply to '" ..
			    a.ty .. "'")
		end
		a.conv, a.h = cname, cv
	else
		a.h = at
	end
	return a
end

-- The factions that implement system calls outside the base kernel:
-- their calls are installed when the faction boots.
local factions = { VFS = "vfs", NET = "net" }

-- Parse the master file.
local calls, maxnum = {}, -1
local lineno = 0
for line in io.lines(master) do
	lineno = lineno + 1
	if not line:match("^%s*;") and not line:match("^%s*$") then
		local num, class, faction, rest = line:match(
		    "^(%d+)%s+(%u+)%s+(%u*)%s*(.*)$")
		if not num then
			die(lineno, "expected: number class [faction] prototype")
		end
		if faction ~= "" and not factions[faction] then
			die(lineno, "unknown faction " .. faction)
		end
		num = tonumber(num)
		if num ~= maxnum + 1 then
			die(lineno, "numbers must be consecutive from 0")
		end
		maxnum = num
		local c = { num = num, class = class, args = {}, lineno = lineno,
		    faction = faction }
		if class == "STD" then
			local ret, name, args = rest:match(
			    "^{%s*(.-)%s*([%a_][%w_]*)%s*%((.*)%)%s*;%s*}$")
			if not ret then
				die(lineno, "malformed prototype")
			end
			c.ret, c.name = ret, name
			if not argtypes[ret] or not argtypes[ret].kabi then
				die(lineno, "unknown return type '" .. ret .. "'")
			end
			if trim(args) ~= "void" then
				for text in args:gmatch("[^,]+") do
					c.args[#c.args + 1] = parse_arg(text, lineno)
				end
			end
			for i, a in ipairs(c.args) do
				if a.variadic then
					local before = c.args[i - 1]
					if i ~= #c.args or not before then
						die(lineno, "'...' must come before the " ..
						    "last argument, after another")
					end
					if not before.h.va then
						die(lineno, "'...' needs the argument before " ..
						    "it to name a conversion that reads it")
					end
					c.va = a
				elseif a.h.vaowns and not (c.args[i + 1] and
				    c.args[i + 1].variadic) then
					die(lineno, "conversion '" .. a.conv ..
					    "' needs '...' after its argument")
				end
			end
		elseif class == "UNIMPL" then
			c.name = trim(rest)
		else
			die(lineno, "unknown class " .. class)
		end
		calls[#calls + 1] = c
	end
end

-- The struct tags the prototypes name, sorted.
local function structtags()
	local seen, tags = {}, {}
	for _, c in ipairs(calls) do
		for _, a in ipairs(c.args) do
			for tag in a.ty:gmatch("struct%s+([%w_]+)") do
				if not seen[tag] then
					seen[tag] = true
					tags[#tags + 1] = tag
				end
			end
		end
	end
	table.sort(tags)
	return tags
end

local banner = "/* Generated by sys/rump/tools/makesyscalls.lua from " ..
    "syscalls.master: do not edit. */\n\n"

-- sys/sys/syscall.h
local t = { banner, "#ifndef _SYS_SYSCALL_H_\n#define _SYS_SYSCALL_H_\n\n" }
for _, c in ipairs(calls) do
	if c.class == "STD" then
		t[#t + 1] = string.format("#define SYS_%s\t%d\n", c.name, c.num)
	end
end
t[#t + 1] = string.format("#define SYS_MAXSYSCALL\t%d\n\n", maxnum + 1)
t[#t + 1] = "#endif /* !_SYS_SYSCALL_H_ */\n"
emit(objtop .. "/sys/sys/syscall.h", table.concat(t))

-- sys/sys/syscallargs.h: the kernel's view, every argument as written.
t = { banner, "#ifndef _SYS_SYSCALLARGS_H_\n#define _SYS_SYSCALLARGS_H_\n\n",
    "#include <sys/types.h>\n#include <sys/select.h>\n" ..
    "#include <sys/socket.h>\n\nstruct lwp;\n" }
for _, tag in ipairs(structtags()) do
	t[#t + 1] = "struct " .. tag .. ";\n"
end
t[#t + 1] = "\n/* Every argument fills one register_t slot, value at offset 0. */\n" ..
    "#define syscallarg(t)\tunion { register_t pad; t datum; }\n" ..
    "#define SCARG(p, k)\t((p)->k.datum)\n\n"
for _, c in ipairs(calls) do
	if c.class == "STD" then
		if #c.args > 0 then
			t[#t + 1] = string.format("struct sys_%s_args {\n", c.name)
			for _, a in ipairs(c.args) do
				t[#t + 1] = string.format("\tsyscallarg(%s) %s;\n",
				    a.ty, a.name)
			end
			t[#t + 1] = "};\n"
			t[#t + 1] = string.format("int\tsys_%s(struct lwp *, " ..
			    "const struct sys_%s_args *, register_t *);\n\n",
			    c.name, c.name)
		else
			t[#t + 1] = string.format("int\tsys_%s(struct lwp *, " ..
			    "const void *, register_t *);\n\n", c.name)
		end
	end
end
t[#t + 1] = "#endif /* !_SYS_SYSCALLARGS_H_ */\n"
emit(objtop .. "/sys/sys/syscallargs.h", table.concat(t))

-- sys/kern/init_sysent.c: the base kernel's calls are in the table; a
-- faction's are NULL (ENOSYS) until the faction installs them from its
-- sys/kern/<faction>_sysent.c.
t = { banner, "#include <sys/types.h>\n#include <sys/syscall.h>\n",
    "#include <sys/syscallargs.h>\n#include <sys/sysent.h>\n\n",
    "struct sysent sysent[] = {\n" }
for _, c in ipairs(calls) do
	if c.class == "STD" and c.faction ~= "" then
		t[#t + 1] = string.format("\t{ %d, NULL, \"%s\" },\t/* %d, %s */\n",
		    #c.args, c.name, c.num, c.faction)
	elseif c.class == "STD" then
		t[#t + 1] = string.format("\t{ %d, (sy_call_t *)(void (*)(void))" ..
		    "sys_%s, \"%s\" },\t/* %d */\n", #c.args, c.name, c.name,
		    c.num)
	else
		t[#t + 1] = string.format("\t{ 0, NULL, \"%s\" },\t/* %d */\n",
		    c.name, c.num)
	end
end
t[#t + 1] = "};\n\nconst int nsysent = SYS_MAXSYSCALL;\n"
t[#t + 1] = "CTASSERT(__arraycount(sysent) == SYS_MAXSYSCALL);\n"
emit(objtop .. "/sys/kern/init_sysent.c", table.concat(t))

for fname, lower in pairs(factions) do
	t = { banner, "#include <sys/types.h>\n#include <sys/syscall.h>\n",
	    "#include <sys/syscallargs.h>\n#include <sys/sysent.h>\n\n",
	    string.format("const struct sysent_install sysent_%s[] = {\n", lower) }
	for _, c in ipairs(calls) do
		if c.class == "STD" and c.faction == fname then
			t[#t + 1] = string.format("\t{ SYS_%s, (sy_call_t *)" ..
			    "(void (*)(void))sys_%s },\n", c.name, c.name)
		end
	end
	t[#t + 1] = "\t{ -1, NULL }\n};\n"
	emit(objtop .. "/sys/kern/" .. lower .. "_sysent.c", table.concat(t))
end

-- The host headers the types need, sorted; pred picks the arguments.
local function hosthdrs(pred)
	local seen, hdrs = {}, {}
	for _, c in ipairs(calls) do
		for _, a in ipairs(c.args) do
			local h = argtypes[a.ty].hdr
			if h and not seen[h] and pred(a) then
				seen[h] = true
				hdrs[#hdrs + 1] = h
			end
		end
	end
	table.sort(hdrs)
	return hdrs
end

-- The public prototype of call c.
local function prototype(c)
	local decls = {}
	for _, a in ipairs(c.args) do
		decls[#decls + 1] = a.variadic and "..." or a.decl
	end
	return string.format("rump_sys_%s(%s)", c.name,
	    #decls > 0 and table.concat(decls, ", ") or "void")
end

-- include/rump/rump_syscalls.h
t = { banner, "#ifndef _RUMP_RUMP_SYSCALLS_H_\n#define _RUMP_RUMP_SYSCALLS_H_\n\n",
    "/*\n * The rump kernel's system calls.  They take and return the\n",
    " * host's types and set the host's errno, like the calls of libc.\n */\n\n",
    "#include <sys/types.h>\n#include <time.h>\n" }
for _, h in ipairs(hosthdrs(function(a) return not a.ty:match("^[%w ]*struct") end)) do
	t[#t + 1] = "#include <" .. h .. ">\n"
end
t[#t + 1] = "\n"
for _, tag in ipairs(structtags()) do
	t[#t + 1] = "struct " .. tag .. ";\n"
end
t[#t + 1] = "\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n"
for _, c in ipairs(calls) do
	if c.class == "STD" then
		t[#t + 1] = string.format("%s\t%s;\n", c.ret, prototype(c))
	end
end
t[#t + 1] = "\n#ifdef __cplusplus\n}\n#endif\n\n#endif /* !_RUMP_RUMP_SYSCALLS_H_ */\n"
emit(objtop .. "/include/rump/rump_syscalls.h", table.concat(t))

-- Expand a handler's template for one argument of call c.
local function expand(tmpl, vars, c)
	return (tmpl:gsub("%${([%w_:]+)}", function(k)
		if vars[k] then
			return vars[k]
		end
		-- ${slot:name}: the slot of another argument.
		local ref = k:match("^slot:([%w_]+)$")
		if ref then
			for i, a in ipairs(c.args) do
				if a.name == ref then
					return string.format("args[%d]", i - 1)
				end
			end
		end
		for _, a in ipairs(c.args) do
			if a.name == k then
				return k
			end
		end
		die(c.lineno, "the conversion of " .. c.name .. "() needs an " ..
		    "argument named '" .. k .. "'")
	end))
end

-- The stub of call c.
local function stub(c)
	local locals, pre, held, post = {}, {}, {}, {}
	local n = #c.args
	local function vars(i, a)
		local v = { arg = a.name, slot = string.format("args[%d]", i - 1) }
		if c.va then
			v.va, v.vatype = c.va.name, c.va.ty
			v.vaslot = string.format("args[%d]", n - 1)
		end
		return v
	end
	local function add(list, tmpl, v)
		if tmpl then
			list[#list + 1] = expand(tmpl, v, c)
		end
	end
	for i, a in ipairs(c.args) do
		local h, v = a.h, vars(i, a)
		local owned = a.variadic and c.args[i - 1].h.vaowns
		if not owned then
			add(locals, h.locals, v)
			add(post, h.post, v)
		end
		if a.variadic then
			-- Read earlier, by the conversion before it.
			if not owned then
				add(pre, h.pre, v)
			end
		elseif h.va and c.va then
			if not h.vaowns then
				locals[#locals + 1] = expand("\t${vatype} ${va} = 0;\n",
				    v, c)
			end
			locals[#locals + 1] = "\tva_list ap;\n"
			pre[#pre + 1] = string.format("\tva_start(ap, %s);\n", a.name)
			add(pre, h.va, v)
			pre[#pre + 1] = "\tva_end(ap);\n"
			add(pre, h.pre, v)
		else
			add(h.holds and held or pre, h.pre, v)
		end
	end
	if #held > 1 then
		die(c.lineno, c.name .. "(): more than one argument holds resources")
	end
	local s = { string.format("\n%s\n%s\n{\n", c.ret, prototype(c)),
	    "\tint64_t rv[2] = { 0, 0 };\n" }
	if n > 0 then
		s[#s + 1] = string.format("\tint64_t args[%d];\n", n)
	end
	s[#s + 1] = table.concat(locals)
	s[#s + 1] = "\tint error;\n\n"
	if n > 0 then
		s[#s + 1] = "\tmemset(args, 0, sizeof(args));\n"
	end
	s[#s + 1] = table.concat(pre)
	s[#s + 1] = table.concat(held)
	s[#s + 1] = string.format("\terror = rump_syscall(%d, %s, %s, rv);\n",
	    c.num, n > 0 and "args" or "NULL", n > 0 and "sizeof(args)" or "0")
	s[#s + 1] = table.concat(post)
	s[#s + 1] = string.format("\treturn (%s)finish(error, rv[0]);\n}\n",
	    c.ret)
	return table.concat(s)
end

-- sys/rump/librump/rumpkern/rump_syscalls.c: the host-side stubs.  They
-- are linked into librump, whose host symbols are limited to memset and
-- memcpy: everything else they need is in rumpuser_abi.c.
t = { banner,
    "/*\n * Host side of the system call boundary: each rump_sys_*() call\n",
    " * translates its arguments into the kernel's ABI (rumpuser_abi.c),\n",
    " * enters the kernel through rump_syscall(), and translates the\n",
    " * result and errno back.\n */\n\n",
    "#include <errno.h>\n#include <stdarg.h>\n#include <stddef.h>\n",
    "#include <stdint.h>\n#include <string.h>\n" }
for _, h in ipairs(hosthdrs(function() return true end)) do
	t[#t + 1] = "#include <" .. h .. ">\n"
end
t[#t + 1] = "\n#include <rump/rump.h>\n#include <rump/rump_syscalls.h>\n\n" ..
    "#include \"kabi.h\"\n#include \"rumpuser_abi.h\"\n\n" ..
    "/* Pointees passed through unconverted have the kernel's layout. */\n"
local asserted = {}
for _, c in ipairs(calls) do
	for _, a in ipairs(c.args) do
		for _, e in ipairs(a.h.asserts or {}) do
			if not asserted[e] then
				asserted[e] = true
				t[#t + 1] = e
			end
		end
	end
end
t[#t + 1] = [[

/* Store value v of kernel type ty at offset 0 of the register_t slot s. */
#define SETARG(s, ty, v) do {						\
	ty _v = (v);							\
	memcpy(&(s), &_v, sizeof(_v));					\
} while (/* CONSTCOND */ 0)

/*
 * Finish a call: a kernel errno becomes the host's errno and -1; a
 * result keeps all its 64 bits (off_t, ssize_t).
 */
static inline int64_t
finish(int error, int64_t rv)
{

	if (error != 0) {
		errno = rumpuser_abi_errno_tohost(error);
		return -1;
	}
	return rv;
}
]]
for _, c in ipairs(calls) do
	if c.class == "STD" then
		t[#t + 1] = stub(c)
	end
end
emit(objtop .. "/sys/rump/librump/rumpkern/rump_syscalls.c", table.concat(t))

-- lib/librumpclient/rumpclient_calls.c: for each call, the arguments
-- (in the kernel's ABI, as the stubs pass them) that name memory the
-- kernel will read, so that librumpclient sends it along with the call
-- instead of waiting for the server to ask.  A string (the path), a
-- buffer whose length is in another slot (write's buf and nbyte, a
-- socket address and its length, an option value and its size), or a
-- structure of a fixed size.
local function inputs(c)
	local ins = {}
	local function slot(name)
		for i, a in ipairs(c.args) do
			if a.name == name then
				return i - 1
			end
		end
		die(c.lineno, "no argument " .. name)
	end
	for i, a in ipairs(c.args) do
		local nxt = c.args[i + 1]
		if a.ty == "const char *" and not a.conv then
			ins[#ins + 1] = { slot = i - 1, kind = "RC_IN_STR" }
		elseif a.ty == "const void *" and not a.conv and nxt and
		    nxt.ty == "size_t" then
			ins[#ins + 1] = { slot = i - 1, kind = "RC_IN_BUF",
			    len = i }
		elseif a.conv == "sockaddr" then
			ins[#ins + 1] = { slot = i - 1, kind = "RC_IN_BUF",
			    len = slot("addrlen") }
		elseif a.conv == "sockopt_in" then
			ins[#ins + 1] = { slot = i - 1, kind = "RC_IN_BUF",
			    len = slot("valsize") }
		elseif a.ty == "const struct timespec *" and not a.conv then
			ins[#ins + 1] = { slot = i - 1, kind = "RC_IN_FIXED",
			    size = "sizeof(struct kabi_timespec)" }
		elseif a.conv == "timespec2" then
			ins[#ins + 1] = { slot = i - 1, kind = "RC_IN_FIXED",
			    size = "2 * sizeof(struct kabi_timespec)" }
		elseif a.ty == "const struct timeval *" then
			ins[#ins + 1] = { slot = i - 1, kind = "RC_IN_FIXED",
			    size = "sizeof(struct kabi_timeval)" }
		end
	end
	return ins
end

t = { banner,
    "/*\n * What each system call reads from the caller's memory, for\n",
    " * librumpclient (rumpclient.c) to send along with the call.\n */\n\n",
    "#include <stddef.h>\n#include <stdint.h>\n\n",
    "#include \"kabi.h\"\n#include \"rumpclient_calls.h\"\n\n",
    string.format("const struct rc_callin rc_callin[%d] = {\n", maxnum + 1) }
for _, c in ipairs(calls) do
	if c.class == "STD" then
		local ins = inputs(c)
		if #ins > 0 then
			if #ins > 3 then
				die(c.lineno, "more than 3 inputs: teach rc_callin")
			end
			local parts = {}
			for _, x in ipairs(ins) do
				parts[#parts + 1] = string.format(
				    "{ %d, %s, %d, %s }", x.slot, x.kind,
				    x.len or -1, x.size or "0")
			end
			t[#t + 1] = string.format("\t[%d] = { %d, { %s } },\t/* %s */\n",
			    c.num, #ins, table.concat(parts, ", "), c.name)
		end
	end
end
t[#t + 1] = string.format("};\nconst unsigned rc_ncallin = %d;\n", maxnum + 1)
emit(objtop .. "/lib/librumpclient/rumpclient_calls.c", table.concat(t))
