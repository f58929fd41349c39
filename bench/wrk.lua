-- wrk script for bench/run.py. Arguments after `--` are key=value pairs:
--   body=FILE   POST the file's contents as application/json
--   paths=FILE  request one path per line of FILE, round robin (e.g. many profiles)
-- When done it prints one line "BENCH {json}" with the figures bench/run.py reads.

local paths = nil
local next_path = 0
local static = nil

function init(args)
  for _, arg in ipairs(args) do
    local key, value = arg:match("^(%w+)=(.*)$")
    if key == "body" then
      local f = assert(io.open(value, "rb"))
      wrk.method = "POST"
      wrk.body = f:read("*a")
      wrk.headers["Content-Type"] = "application/json"
      f:close()
    elseif key == "paths" then
      paths = {}
      for line in io.lines(value) do
        if #line > 0 then table.insert(paths, line) end
      end
    end
  end
end

function request()
  if paths then
    next_path = next_path % #paths + 1
    return wrk.format(nil, paths[next_path])
  end
  static = static or wrk.format()
  return static
end

function done(summary, latency, requests)
  local e = summary.errors
  -- 1,000 quantiles (0.1% apart) let bench/run.py merge the parts of an endpoint into one
  -- distribution: the p50 and p99 of all its requests, not of one part.
  local quantiles = {}
  for i = 1, 1000 do
    quantiles[i] = string.format("%d", latency:percentile(i / 10))
  end
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, ' ..
    '"socket_errors": %d, "status_errors": %d, "quantiles_us": [%s]}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status, table.concat(quantiles, ",")))
end
