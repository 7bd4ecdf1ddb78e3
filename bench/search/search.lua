-- wrk script for bench/search.sh: GET /api/search, cycling through request paths.
-- BENCH_PATHS names a file with one request path a line (already percent-encoded),
-- e.g. /api/search?q=%E8%A8%AD%E5%AE%9A&limit=20. The Authorization header comes from
-- wrk's -H option. Each thread (and so each connection group) starts at its own place
-- in the list, so concurrent clients ask different queries.
local paths = {}
local file = os.getenv("BENCH_PATHS")
if file then
    for line in io.lines(file) do
        if line ~= "" then paths[#paths + 1] = line end
    end
end
if #paths == 0 then
    error("bench/search/search.lua: no request paths (set BENCH_PATHS to a file of paths)")
end

local counter = 0
local thread_no = 0

function setup(thread)
    thread:set("start", thread_no)
    thread_no = thread_no + 1
end

function init(args)
    counter = (tonumber(start) or 0) * 7
end

function request()
    counter = counter + 1
    return wrk.format("GET", paths[(counter % #paths) + 1])
end
