-- wrk script of benchmarks/ingest.sh: GET deposit postbacks that cycle through the clicks created beforehand, each with a
-- fresh transaction id, so every request is a new, credited deposit (not a duplicate, not unattributed).
-- The query has the parameters of a 1Win set's deposit URL: clickid, fields.user_id, fields.country, amount, tid.
-- Arguments (after wrk's "--"): the deposit path (/api/postbacks/<token>/deposit), the file of click ids (one a line),
-- and a run id that keeps transaction ids unique across runs against the same store.

local counter = 1
local threads = {}

function setup(thread)
  -- Each wrk thread has its own Lua state; a thread number keeps their transaction ids apart.
  thread:set("thread_id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  path = args[1]
  run_id = args[3]
  clicks = {}
  for line in io.lines(args[2]) do
    if #line > 0 then
      clicks[#clicks + 1] = line
    end
  end
  if #clicks == 0 then
    error("no click ids in " .. args[2])
  end
  -- Threads start at different clicks, so they do not all hit the same one at the same time.
  counter = thread_id * 7919
end

function request()
  counter = counter + 1
  local click = clicks[(counter % #clicks) + 1]
  return wrk.format("GET", path .. "?clickid=" .. click .. "&fields.user_id=" .. counter
    .. "&fields.country=BR&amount=25.50&tid=" .. run_id .. "-" .. thread_id .. "-" .. counter)
end
