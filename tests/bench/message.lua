-- wrk script: POST a /help message activity per request, each with a unique activity id (the bot
-- de-duplicates on channelId + conversation.id + activity id), spread over N conversations (default ten), one user each.
-- Arguments after "--": <serviceUrl> <run tag> [text] [path] [conversations], e.g.
--   wrk ... -s message.lua http://127.0.0.1:5981 -- http://127.0.0.1:5980/ rb-measure /help
local threads = 0

function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

local service_url, tag, text, path, conversations, counter = "http://127.0.0.1:5980/", "run", "/help", "/api/messages", 10, 0

function init(args)
  service_url = args[1] or service_url
  tag = args[2] or tag
  text = args[3] or text
  path = args[4] or path
  conversations = tonumber(args[5] or conversations)
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

local template = '{"type":"message","id":"%s","timestamp":"2026-01-01T00:00:00Z","channelId":"bench",' ..
  '"serviceUrl":"%s","from":{"id":"user-%d","name":"Bench user %d"},' ..
  '"recipient":{"id":"bot","name":"Rollout.Bot"},"conversation":{"id":"bench-conv-%d"},' ..
  '"text":"%s","locale":"en-GB"}'

function request()
  counter = counter + 1
  local user = counter % conversations
  local id = string.format("%s-%d-%d", tag, tid, counter)
  return wrk.format(nil, path, nil, string.format(template, id, service_url, user, user, user, text))
end

-- summary.errors.status counts answers of 400 and above, so a run that only measured errors cannot look fast.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("BENCH requests=%d http_errors=%d socket_errors=%d p50_us=%d p99_us=%d\n",
    summary.requests, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
