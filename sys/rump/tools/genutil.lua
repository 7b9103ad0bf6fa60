-- genutil.lua: what the build's generators share.

local M = {}

-- Write text to path, creating its directory, unless the file already
-- holds exactly that text: an unchanged output keeps its timestamp, so
-- nothing that depends on it is rebuilt.
function M.emit(path, text)
	local f = io.open(path, "r")
	if f then
		local old = f:read("a")
		f:close()
		if old == text then
			return
		end
	end
	os.execute("mkdir -p '" .. path:match("^(.*)/") .. "'")
	f = assert(io.open(path, "w"))
	f:write(text)
	f:close()
end

return M
