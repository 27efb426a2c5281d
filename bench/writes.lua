-- The write load's requests (bench/writes.py): each wrk thread posts comments as its own share of the
-- students, one after another, and tallies the responses by kind and the comments accepted.
-- Arguments: the data file bench/writes.py wrote (the mark that starts every benchmark comment; the comment
-- addresses of the essays, tab-separated; then a session cookie and form token per student) and the number
-- of threads.

local threads = {}

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

local function form_encoded(text)
  return (text:gsub("[^%w%-%._~ ]", function(c) return string.format("%%%02X", string.byte(c)) end):gsub(" ", "+"))
end

function init(args)
  local file = assert(io.open(args[1]))
  local thread_count = tonumber(args[2])
  mark = file:read("*l")
  essays = {}
  for address in file:read("*l"):gmatch("[^\t]+") do
    table.insert(essays, address)
  end
  logins = {}
  local n = 0
  for line in file:lines() do
    if n % thread_count == id then
      local cookie, token = line:match("([^\t]+)\t([^\t]+)")
      table.insert(logins, {cookie = cookie, token = form_encoded(token)})
    end
    n = n + 1
  end
  file:close()
  turn, accepted, limited, errors, refused, ids = 0, 0, 0, 0, {}, {}
  words = string.rep("the archive shows a different story in the letters ", 6)
end

function request()
  turn = turn + 1
  local login = logins[(turn - 1) % #logins + 1]
  local essay = essays[(id * 7 + turn) % #essays + 1]
  local body = "body=" .. form_encoded(string.format("%s %d-%d: %s", mark, id, turn, words)) ..
    "&csrf_token=" .. login.token .. "&parent_id="
  return wrk.format("POST", essay, {["Cookie"] = "session=" .. login.cookie,
    ["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end

function response(status, headers, body)
  if status == 302 or status == 303 then
    accepted = accepted + 1
    table.insert(ids, (headers["Location"] or ""):match("#comment%-(%d+)$") or "none")
  elseif status == 429 then
    limited = limited + 1
  elseif status >= 500 then
    errors = errors + 1
  else
    refused["refused_" .. status] = (refused["refused_" .. status] or 0) + 1
  end
end

-- A person's think time is long; this is the gap between the students of one connection.
function delay()
  return 20
end

function done(summary, latency, requests)
  local failed = summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout
  local tally = {accepted = 0, limited = 0, errors = failed}
  local accepted_ids = {}
  for _, thread in ipairs(threads) do
    for _, comment_id in ipairs(thread:get("ids")) do
      table.insert(accepted_ids, comment_id)
    end
    tally.accepted = tally.accepted + thread:get("accepted")
    tally.limited = tally.limited + thread:get("limited")
    tally.errors = tally.errors + thread:get("errors")
    for kind, count in pairs(thread:get("refused")) do
      tally[kind] = (tally[kind] or 0) + count
    end
  end
  local fields = {}
  for kind, count in pairs(tally) do
    table.insert(fields, string.format('"%s": %d', kind, count))
  end
  io.write("TALLY {" .. table.concat(fields, ", ") .. "}\n")
  -- The comment each accepted post was redirected to: all of them must be in the database.
  io.write("ACCEPTED " .. table.concat(accepted_ids, " ") .. "\n")
end
