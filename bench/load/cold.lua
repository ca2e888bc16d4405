-- Every request asks for a URL no cache has seen: a parameter that only varies the cache key.
local salt = os.getenv("LOAD_SALT") or "0"
local n = 0
request = function()
  n = n + 1
  return wrk.format(nil, wrk.path .. "&cold=" .. salt .. "-" .. n)
end
