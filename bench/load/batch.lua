-- HTTP batch ingest: LOAD_BATCH readings per request, each request its own second after LOAD_T0
-- (UTC epoch seconds), devices taken in turn from LOAD_ENTITIES entities.
local prefix = os.getenv("LOAD_ENTITY_PREFIX")
local count = tonumber(os.getenv("LOAD_ENTITIES"))
local batch = tonumber(os.getenv("LOAD_BATCH"))
local t0 = tonumber(os.getenv("LOAD_T0"))
local n = 0
-- wrk.format replaces wrk.headers (Host, Authorization from -H) with the table it is given: copy them.
local headers = {}
init = function(args)
  for k, v in pairs(wrk.headers) do headers[k] = v end
  headers["Content-Type"] = "application/json"
end
request = function()
  n = n + 1
  local at = os.date("!%Y-%m-%dT%H:%M:%SZ", t0 + n)
  local first = (n * batch) % count
  local parts = {}
  for i = 0, batch - 1 do
    parts[#parts + 1] = '{"device":"' .. prefix .. string.format("%05d", (first + i) % count) ..
      '","observedAt":"' .. at .. '","values":{"status":"' .. ((i % 2 == 0) and "free" or "occupied") .. '"}}'
  end
  return wrk.format("POST", nil, headers, '{"readings":[' .. table.concat(parts, ",") .. ']}')
end
