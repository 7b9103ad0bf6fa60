-- mkkabi.lua: mirror the kernel's ABI for host-side code and programs.
--
-- usage: lua5.4 mkkabi.lua TOP HOSTDIR PUBDIR header...
--            [--pub NAME.h header...]...
--
-- Host code (the boundary translation in rumpuser_abi.c, the generated
-- rump_sys_*() stubs) needs the kernel's constants, types and structure
-- layouts, but may not include kernel headers (their names clash with the
-- host's).  This reads the kernel headers named (paths below TOP/sys) and
-- writes into HOSTDIR (host-side build headers, not installed):
--   kabi.h        every object-like numeric #define as KABI_<NAME>,
--                 every typedef marked /* kabi */ as kabi_<name>, and every
--                 struct marked /* kabi */ as struct kabi_<name>;
--   kabi_errno.h  one table row per kernel errno name, { kernel value,
--                 host value }, where the host value is the host's macro of
--                 the same name, or -1 if the host has none;
-- and into PUBDIR one public header (installed for programs) per --pub:
--   NAME.h        the constants of the headers listed after it as
--                 RUMP_<NAME>, and their kabi structs under their kernel
--                 names with fixed-width <stdint.h> fields.
-- The headers of every --pub are in kabi.h too.  The kernel headers stay
-- the only source of these facts.
--
-- A #define's value may be a number, a character constant, or an
-- expression of them, of names defined before it in the same header, of
-- function-like macros of any earlier header, and of sizeof and casts of
-- C types and earlier kabi structs.  Function-like macros of that kind
-- are mirrored too (ioctl encodings: KABI__IOW(...)).  Anything else is
-- the kernel's own business and is left out.

-- The shared helpers live beside this script.
package.path = (arg[0]:match("^(.*)/") or ".") .. "/?.lua;" .. package.path
local emit = require("genutil").emit

-- What each public header is for: its opening comment.
local pubdesc = {
	["rumpdefs.h"] = "Constants of the rump kernel with no host equivalent, for\n" ..
	    "programs: pass them to rump_sys_*() calls as they are.",
	["rump_mount.h"] = "Mount flags and file system argument structures for\n" ..
	    "rump_sys_mount() and rump_sys_unmount(), in the kernel's ABI:\n" ..
	    "pass them as they are.  Constants are named RUMP_<kernel name>\n" ..
	    "(RUMP_MNT_RDONLY, RUMP_TMPFS_ARGS_VERSION); structures keep their\n" ..
	    "kernel names (struct tmpfs_args).",
	["rump_sysctl.h"] = "The records of rump_sys_sysctl()'s structure nodes\n" ..
	    "(vfs.mounts, net.interfaces, net.route, ...), in the kernel's ABI:\n" ..
	    "an array of one of these per node.  Addresses are bytes in\n" ..
	    "network order.",
}

local function usage()
	io.stderr:write("usage: mkkabi.lua TOP HOSTDIR PUBDIR header... " ..
	    "[--pub NAME.h header...]...\n")
	os.exit(2)
end

local function fail(msg)
	io.stderr:write("mkkabi: " .. msg .. "\n")
	os.exit(1)
end

local top, hostdir, pubdir = arg[1], arg[2], arg[3]
local headers, pubs = {}, {}
local i = 4
while i <= #arg do
	if arg[i] == "--pub" then
		local name = arg[i + 1]
		if not name or not name:match("^[%w_]+%.h$") then
			usage()
		end
		if not pubdesc[name] then
			fail("no description of public header " .. name ..
			    ": add one to pubdesc")
		end
		pubs[#pubs + 1] = { name = name, headers = {} }
		i = i + 2
	else
		local into = #pubs > 0 and pubs[#pubs].headers or headers
		into[#into + 1] = arg[i]
		i = i + 1
	end
end
if not pubdir or #headers == 0 then
	usage()
end

local function trim(s)
	return (s:gsub("^%s+", ""):gsub("%s+$", ""))
end

-- Function-like macros seen so far, in any header (name -> true): ioctl
-- encodings (_IOW and friends) that later headers use.
local funcs = {}

-- Every kabi struct seen so far (name -> true).
local structs = {}

-- C type words that may appear in casts and sizeof().
local ctypewords = { unsigned = true, signed = true, long = true, int = true,
    short = true, char = true, sizeof = true }

-- Split a #define's value into parts: text, and names of earlier
-- definitions ({ ref = name }).  params: a function-like macro's
-- parameters, kept as they are.  Returns nil if it is not a constant.
local function parsevalue(v, known, params)
	local parts, pos, any = {}, 1, false
	while pos <= #v do
		local num = v:match("^0[xX]%x+[uUlL]*", pos) or
		    v:match("^%d+[uUlL]*", pos) or v:match("^'[^'\\]'", pos)
		local st = not num and v:match("^struct%s+[%a_][%w_]*", pos)
		local id = not num and not st and v:match("^[%a_][%w_]*", pos)
		local op = not num and not st and not id and
		    v:match("^[%s%(%),%+%-%*/%%<>|&~^]+", pos)
		if num then
			parts[#parts + 1] = num
			any, pos = true, pos + #num
		elseif st then
			local sname = st:match("([%a_][%w_]*)$")
			if not structs[sname] then
				return nil
			end
			parts[#parts + 1] = "struct kabi_" .. sname
			pos = pos + #st
		elseif id then
			if params and params[id] or ctypewords[id] then
				parts[#parts + 1] = id
			elseif known[id] or funcs[id] then
				parts[#parts + 1] = { ref = id }
			else
				return nil
			end
			any, pos = true, pos + #id
		elseif op then
			parts[#parts + 1] = op
			pos = pos + #op
		else
			return nil
		end
	end
	return any and parts or nil
end

-- The C base types a kabi structure field may have.
local basetypes = {}
for _, ty in ipairs({ "char", "signed char", "unsigned char", "short",
    "unsigned short", "int", "unsigned int", "long", "unsigned long",
    "long long", "unsigned long long", "void", "size_t", "int8_t",
    "int16_t", "int32_t", "int64_t", "uint8_t", "uint16_t", "uint32_t",
    "uint64_t", "intptr_t", "uintptr_t" }) do
	basetypes[ty] = true
end

-- Every kabi typedef (name -> its base type) seen so far, in the order
-- of the command line.
local typedefs = {}

-- Parse one field declaration "type [*]name[[N]]".
local function parsefield(decl, where)
	local dim = decl:match("(%[%s*%d+%s*%])%s*$")
	if dim then
		decl = decl:sub(1, #decl - #decl:match("%[%s*%d+%s*%]%s*$"))
	end
	local ty, name = decl:match("^(.-)%s*([%a_][%w_]*)%s*$")
	if not ty or ty == "" or ty:match(",") then
		fail(where .. ": kabi struct fields must be 'type name;' " ..
		    "or 'type name[N];'")
	end
	local stars = select(2, ty:gsub("%*", ""))
	local base = trim(ty:gsub("%*", ""):gsub("%s+", " "))
	local const = base:match("^const ") ~= nil
	if const then
		base = base:sub(7)
	end
	local kind
	if basetypes[base] then
		kind = "base"
	elseif typedefs[base] then
		kind = "typedef"
	elseif base:match("^struct [%w_]+$") and structs[base:sub(8)] then
		kind = "struct"
	else
		fail(where .. ": unknown type '" .. base .. "' (kabi structs may " ..
		    "use C types, kabi typedefs and earlier kabi structs)")
	end
	if base == "void" and stars == 0 then
		fail(where .. ": a void field")
	end
	return { base = base, kind = kind, stars = string.rep("*", stars),
	    const = const and "const " or "",
	    name = name, dim = dim and dim:gsub("%s", "") or "" }
end

-- Parse one header into its constants (in order), kabi typedefs and
-- kabi structs; registers the typedefs and structs as it goes.
local parsed = {}
local function parse(hdr)
	if parsed[hdr] then
		return parsed[hdr]
	end
	local path = top .. "/sys/" .. hdr
	local f = io.open(path, "r")
	if not f then
		fail("cannot read " .. path)
	end
	local res = { defs = {}, typedefs = {}, structs = {} }
	local known = {}
	local cur
	local lineno = 0
	local pending = ""
	for line in f:lines() do
		lineno = lineno + 1
		local where = path .. ":" .. lineno
		-- A #define continued with backslashes is one line.
		if line:match("\\%s*$") and (pending ~= "" or
		    line:match("^#define")) then
			pending = pending .. line:gsub("\\%s*$", " ")
			goto continue
		end
		line, pending = pending .. line, ""
		if cur then
			local body = trim(line:gsub("/%*.-%*/", ""))
			if line:match("^};") then
				res.structs[#res.structs + 1] = cur
				structs[cur.name] = true
				cur = nil
			elseif body ~= "" then
				local decl = body:match("^(.-)%s*;$")
				if not decl then
					fail(where .. ": kabi struct fields must be " ..
					    "one per line, 'type name;'")
				end
				local fl = parsefield(decl, where)
				fl.comment = line:match("/%*%s*(.-)%s*%*/")
				cur.fields[#cur.fields + 1] = fl
			end
		else
			local fname, plist, frest = line:match(
			    "^#define%s+([%u_][%u%d_]*)%(([%w_,%s]*)%)%s+(.*)$")
			if fname and not frest:match("\\%s*$") then
				local params, plistout = {}, {}
				for pname in plist:gmatch("[%a_][%w_]*") do
					params[pname] = true
					plistout[#plistout + 1] = pname
				end
				local parts = parsevalue(trim(frest:gsub("/%*.-%*/",
				    "")), known, params)
				if parts then
					funcs[fname] = true
					res.defs[#res.defs + 1] = { name = fname,
					    params = table.concat(plistout, ", "),
					    parts = parts }
				end
			end
			local name, rest = line:match("^#define%s+([%u_][%u%d_]*)%s+(.*)$")
			if name and not name:match("^_") and not rest:match("\\%s*$") then
				local comment = rest:match("/%*%s*(.-)%s*%*/%s*$")
				local parts = parsevalue(trim(rest:gsub("/%*.-%*/", "")),
				    known)
				if parts then
					known[name] = true
					res.defs[#res.defs + 1] = { name = name,
					    parts = parts, comment = comment }
				end
			end
			local tty, tname = line:match(
			    "^typedef%s+([%w_ ]-)%s+([%w_]+);%s*/%*%s*kabi%s*%*/")
			if tty then
				if not basetypes[tty] and not typedefs[tty] then
					fail(where .. ": unknown type '" .. tty .. "'")
				end
				res.typedefs[#res.typedefs + 1] = { ty = tty, name = tname }
				typedefs[tname] = typedefs[tty] or tty
			end
			local sname = line:match("^struct%s+([%w_]+)%s*{%s*/%*%s*kabi%s*%*/")
			if sname then
				cur = { name = sname, fields = {} }
			end
		end
		::continue::
	end
	f:close()
	if cur then
		fail(path .. ": struct " .. cur.name .. " does not end")
	end
	parsed[hdr] = res
	return res
end

-- The #define line of d, its names prefixed; a comment if asked for.
local function defline(prefix, d, withcomment)
	local v = {}
	for _, p in ipairs(d.parts) do
		v[#v + 1] = type(p) == "table" and prefix .. p.ref or p
	end
	local s = string.format("#define %s%s%s\t%s", prefix, d.name,
	    d.params and "(" .. d.params .. ")" or "", table.concat(v))
	if withcomment and d.comment then
		s = s .. "\t/* " .. d.comment .. " */"
	end
	return s .. "\n"
end

-- A struct for kabi.h: kabi typedefs and structs get their kabi_ names.
local function kabistruct(s)
	local t = { string.format("struct kabi_%s {\n", s.name) }
	for _, fl in ipairs(s.fields) do
		local ty = fl.base
		if fl.kind == "typedef" then
			ty = "kabi_" .. ty
		elseif fl.kind == "struct" then
			ty = "struct kabi_" .. ty:sub(8)
		end
		t[#t + 1] = string.format("\t%s%s %s%s%s;\n", fl.const, ty,
		    fl.stars, fl.name, fl.dim)
	end
	t[#t + 1] = "};\n"
	return table.concat(t)
end

-- A struct for a public header: its kernel name, typedefs resolved to
-- their base types; a struct field must be one this header exports.
local function pubstruct(s, exported, hdr)
	local t = { string.format("struct %s {\n", s.name) }
	for _, fl in ipairs(s.fields) do
		local ty = fl.base
		if fl.kind == "typedef" then
			ty = typedefs[ty]
		elseif fl.kind == "struct" and not exported[ty:sub(8)] then
			fail(hdr .. ": struct " .. s.name .. " uses " .. ty ..
			    ", which its public header does not export")
		end
		local decl = string.format("%s%s %s%s%s;", fl.const, ty,
		    fl.stars, fl.name, fl.dim)
		if fl.comment then
			decl = decl .. "\t/* " .. fl.comment .. " */"
		end
		t[#t + 1] = "\t" .. decl .. "\n"
	end
	t[#t + 1] = "};\n"
	return table.concat(t)
end

local kabi = { "/* Generated by sys/rump/tools/mkkabi.lua: do not edit. */\n",
    "/* The kernel's ABI, as host code sees it. */\n\n",
    "#ifndef _KABI_H_\n#define _KABI_H_\n\n#include <stddef.h>\n" ..
    "#include <stdint.h>\n\n" }
local errtab = { "/* Generated by sys/rump/tools/mkkabi.lua: do not edit. */\n",
    "/* Rows { kernel errno, host errno or -1, name }. */\n\n" }
local all = {}
for _, h in ipairs(headers) do
	all[#all + 1] = h
end
for _, p in ipairs(pubs) do
	for _, h in ipairs(p.headers) do
		all[#all + 1] = h
	end
end
for _, h in ipairs(all) do
	local p = parse(h)
	kabi[#kabi + 1] = "/* " .. h .. " */\n"
	for _, d in ipairs(p.defs) do
		kabi[#kabi + 1] = defline("KABI_", d)
		local num = #d.parts == 1 and type(d.parts[1]) == "string" and
		    d.parts[1]
		if h == "sys/errno.h" and num and d.name ~= "ELAST" then
			errtab[#errtab + 1] = string.format(
			    "#ifdef %s\n\t{ %s, %s, \"%s\" },\n#else\n" ..
			    "\t{ %s, -1, \"%s\" },\n#endif\n",
			    d.name, num, d.name, d.name, num, d.name)
		end
	end
	for _, td in ipairs(p.typedefs) do
		local ty = td.ty
		if not basetypes[ty] then
			ty = "kabi_" .. ty
		end
		kabi[#kabi + 1] = string.format("typedef %s kabi_%s;\n", ty, td.name)
	end
	for _, s in ipairs(p.structs) do
		kabi[#kabi + 1] = kabistruct(s)
	end
	kabi[#kabi + 1] = "\n"
end
kabi[#kabi + 1] = "#endif /* !_KABI_H_ */\n"
emit(hostdir .. "/kabi.h", table.concat(kabi))
emit(hostdir .. "/kabi_errno.h", table.concat(errtab))

for _, pub in ipairs(pubs) do
	local guard = "_RUMP_" .. pub.name:upper():gsub("%.", "_") .. "_"
	local t = { "/* Generated by sys/rump/tools/mkkabi.lua: do not edit. */\n\n",
	    "/*\n * " .. pubdesc[pub.name]:gsub("\n", "\n * ") .. "\n */\n\n",
	    "#ifndef " .. guard .. "\n#define " .. guard .. "\n\n" }
	local body, exported = {}, {}
	for _, h in ipairs(pub.headers) do
		local p = parse(h)
		body[#body + 1] = "/* " .. h .. " */\n"
		for _, d in ipairs(p.defs) do
			body[#body + 1] = defline("RUMP_", d, true)
		end
		for _, s in ipairs(p.structs) do
			body[#body + 1] = "\n" .. pubstruct(s, exported, h)
			exported[s.name] = true
		end
		body[#body + 1] = "\n"
	end
	if next(exported) then
		t[#t + 1] = "#include <stdint.h>\n\n"
	end
	t[#t + 1] = table.concat(body)
	t[#t + 1] = "#endif /* !" .. guard .. " */\n"
	emit(pubdir .. "/" .. pub.name, table.concat(t))
end
