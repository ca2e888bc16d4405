-- NGSI-LD PATCH /entities/{id}/attrs: one entity per request, walking through LOAD_ENTITIES entities.
local prefix = os.getenv("LOAD_ENTITY_PREFIX")
local count = tonumber(os.getenv("LOAD_ENTITIES"))
local n = 0
-- wrk.format replaces wrk.headers (Host, Authorization from -H) with the table it is given: copy them.
local headers = {}
init = function(args)
  for k, v in pairs(wrk.headers) do headers[k] = v end
  headers["Content-Type"] = "application/json"
end
request = function()
  n = n + 1
  local id = prefix .. string.format("%05d", n % count)
  local value = (n % 2 == 0) and "free" or "occupied"
  local body = '{"status":{"type":"Property","value":"' .. value .. '"}}'
  return wrk.format("PATCH", "/ngsi-ld/v1/entities/" .. id .. "/attrs", headers, body)
end
