#!/usr/bin/env python3
"""Notice benches for issue #16, through Microsoft's botbuilder ChannelServiceRoutes channel (channel-botbuilder.js).

    python3 tests/bench/notices.py LABEL=BOT_OUTPUT_DIR [LABEL=BOT_OUTPUT_DIR ...]

Each build, side by side in one run, loopback only, every scenario bounded in time:
  fanout   one notice to each of 1,000 conversations, 10% of sends answered 429 Retry-After: 1 (FANOUT_THROTTLE=10)
  one      150 notices to one conversation under the same 429s: sends per one-second window, order kept
  hung     a notice to a conversation whose channel answers after HUNG_MS (default 15 s), then one to another
  commit   commit -> send: a `/comment` turn's HTTP answer (after its commit) to its notice reaching the channel
  kill     kill -9 during a fan-out of 300 notices with the channel answering in 800 ms: duplicates and losses
Notices are seeded straight into the SQLite file (user conversations + pending notices) of a bot that migrated it
and was stopped, so that the dispatcher alone is measured when the bot starts again.
"""
import json, os, signal, sqlite3, subprocess, sys, tempfile, time, urllib.request, statistics

HERE = os.path.dirname(os.path.abspath(__file__))
CH_PORT, BOT_PORT = 5994, 5995
CH = f"http://127.0.0.1:{CH_PORT}/"
HUNG_MS = int(os.environ.get("HUNG_MS", "15000"))
# FANOUT_THROTTLE=0 gives the fan-out's time without 429s: what sending alone takes, for the bound.
FANOUT_THROTTLE = int(os.environ.get("FANOUT_THROTTLE", "10"))

def get(url, timeout=5):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.loads(r.read() or b"null")

def post(text, user, conv):
    body = json.dumps({"type": "message", "id": f"b-{time.time_ns()}", "channelId": "bench", "serviceUrl": CH,
                       "from": {"id": user}, "recipient": {"id": "bot"}, "conversation": {"id": conv}, "text": text}).encode()
    req = urllib.request.Request(f"http://127.0.0.1:{BOT_PORT}/api/messages", body, {"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        r.read()

def wait_until(check, limit):
    end = time.time() + limit
    while time.time() < end:
        try:
            if check():
                return True
        except Exception:
            pass
        time.sleep(0.05)
    return False

class Bot:
    def __init__(self, folder, data):
        self.folder, self.data, self.proc = folder, data, None
    running = set()

    def start(self):
        self.proc = subprocess.Popen(["dotnet", "Rollout.Bot.dll", "--urls", f"http://127.0.0.1:{BOT_PORT}", "--DataFolder", self.data,
            "--MicrosoftAppId=", "--Roles:Coordinators:0=bench-coord", "--Logging:LogLevel:Default=Warning", "--Scheduling:Enabled=false"],
            cwd=self.folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env={**os.environ, "ASPNETCORE_ENVIRONMENT": "Production"})
        self.started = time.time()
        Bot.running.add(self)
        if not wait_until(lambda: urllib.request.urlopen(f"http://127.0.0.1:{BOT_PORT}/healthz", timeout=2).status == 200, 120):
            raise SystemExit("bot did not start")
    def stop(self, sig=signal.SIGTERM):
        self.proc.send_signal(sig)
        self.proc.wait(60)
        Bot.running.discard(self)

def seed(data, notices):
    """notices: list of (user/conversation id, text). Each user gets a personal conversation of the same id."""
    db = sqlite3.connect(os.path.join(data, "rollout.db"))
    users = sorted({u for u, _ in notices})
    db.executemany("INSERT OR IGNORE INTO user_conversations (user_id, channel_id, service_url, conversation_id, updated_at) VALUES (?, 'bench', ?, ?, 0)",
                   [(u, CH, u) for u in users])
    db.executemany("INSERT INTO notices (dedupe_key, recipient, kind, payload_json, state, attempts, next_attempt_at, created_at) "
                   "VALUES (?, ?, 'send', ?, 'pending', 0, 0, 0)",
                   [(f"bench:{i}", f"user:{u}", json.dumps({"type": "message", "text": t})) for i, (u, t) in enumerate(notices)])
    db.commit()
    db.close()

def fresh(folder):
    data = tempfile.mkdtemp(prefix="notices-bench-")
    bot = Bot(folder, data)
    bot.start()   # migrates the schema
    bot.stop()
    return bot

def channel(path):
    return get(CH + path)

def sent(log):
    return [e for e in log if e[3] == 200]

def fanout(folder, n=1000):
    bot = fresh(folder)
    seed(bot.data, [(f"fan-{i:04}", f"notice {i}") for i in range(n)])
    channel("reset"); channel(f"throttle?percent={FANOUT_THROTTLE}"); channel("slow?ms=0")
    bot.start()
    t0 = bot.started
    wait_until(lambda: len({e[0] for e in sent(channel("log"))}) >= n, 120)
    log = channel("log"); ok = sent(log)
    bot.stop(); channel("throttle?percent=0")
    convs = [e[0] for e in ok]
    first = min(e[2] for e in log) / 1000
    last = max(e[2] for e in ok) / 1000
    return {"delivered": len(set(convs)), "duplicates": len(convs) - len(set(convs)), "429s": len(log) - len(ok),
            "first send after start s": round(first - t0, 2), "last delivered after first send s": round(last - first, 2)}

def one(folder, n=150):
    bot = fresh(folder)
    seed(bot.data, [("one", f"n{i:03}") for i in range(n)])
    channel("reset"); channel("throttle?percent=10")
    bot.start()
    wait_until(lambda: len(sent(channel("log"))) >= n, 120)
    log = channel("log"); bot.stop(); channel("throttle?percent=0")
    ok = sent(log)
    texts = [e[1] for e in ok]
    overtaken = sum(1 for i, t in enumerate(texts) if any(u < t for u in texts[i + 1:]))
    def worst(entries):
        times = sorted(e[2] for e in entries)
        return max(sum(1 for x in times if t <= x < t + 1000) for t in times) if times else 0
    return {"delivered": len(set(texts)), "max accepted in a 1 s window": worst(ok), "max attempts in a 1 s window": worst(log),
            "notices overtaken by newer ones": overtaken, "took s": round((max(e[2] for e in ok) - min(e[2] for e in log)) / 1000, 2)}

def hung(folder):
    bot = fresh(folder)
    seed(bot.data, [("slow-1", "to the slow conversation"), ("fast-1", "unrelated")])
    channel("reset"); channel(f"slow?ms={HUNG_MS}")
    bot.start()
    wait_until(lambda: any(e[0] == "fast-1" for e in sent(channel("log"))), HUNG_MS / 1000 + 120)
    fast = next(e for e in sent(channel("log")) if e[0] == "fast-1")[2] / 1000
    time.sleep(HUNG_MS / 1000 + 3)
    slow_copies = sum(1 for e in sent(channel("log")) if e[0] == "slow-1")
    bot.stop(); channel("slow?ms=0")
    return {"unrelated delivered after start s": round(fast - bot.started, 2), f"copies of the slow one after {HUNG_MS / 1000 + 3:.0f} s": slow_copies}

def commit(folder, n=20):
    bot = fresh(folder)
    channel("reset"); bot.start()
    # Newer builds want `new-component=yes` for a component not in the catalogue, older ones refuse the key: one opens #1.
    for flag in (" new-component=yes", ""):
        post("/release new component=cream version=1.2.3 stack=glite type=minor notes=https://rel.example.org/notes "
             "changelog=https://rel.example.org/changes cert=https://rel.example.org/cert" + flag, "bench-coord", "bench-coord")
    time.sleep(1)
    lags = []
    for i in range(-2, n):  # the first two warm the path up (JIT, EF query compilation) and are not counted
        before = len([e for e in channel("log") if e[0] == "bench-coord"])
        post(f"/comment #1 lag probe {i}", "user-1", "user-1")
        answered = time.time()
        if not wait_until(lambda: len([e for e in channel("log") if e[0] == "bench-coord"]) > before, 120):
            continue
        notice = [e for e in channel("log") if e[0] == "bench-coord"][before]
        if i >= 0:
            lags.append(notice[2] / 1000 - answered)
        time.sleep(0.3)
    bot.stop()
    return {"commit->send p50 ms": round(statistics.median(lags) * 1000), "max ms": round(max(lags) * 1000)}

def kill(folder, n=300):
    bot = fresh(folder)
    seed(bot.data, [(f"slow-{i:03}", f"notice {i}") for i in range(n)])
    channel("reset"); channel("slow?ms=800")
    bot.start()
    wait_until(lambda: len(sent(channel("log"))) >= 50, 60)
    bot.stop(signal.SIGKILL)
    bot.start()
    wait_until(lambda: len({e[0] for e in sent(channel("log"))}) >= n, 120)
    time.sleep(2)
    convs = [e[0] for e in sent(channel("log"))]
    bot.stop(); channel("slow?ms=0")
    return {"delivered": len(set(convs)), "lost": n - len(set(convs)), "duplicates": len(convs) - len(set(convs))}

def main():
    ch = subprocess.Popen(["node", os.path.join(HERE, "channel-botbuilder.js")], env={**os.environ, "CHANNEL_PORT": str(CH_PORT)},
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until(lambda: get(CH + "count") is not None, 30)
        scenarios = os.environ.get("SCENARIOS", "fanout one hung commit kill").split()
        for spec in sys.argv[1:]:
            label, folder = spec.split("=", 1)
            for name in scenarios:
                try:
                    print(f"| {label} | {name} | {json.dumps(globals()[name](os.path.abspath(folder)))} |", flush=True)
                except Exception as e:  # one scenario failing must not leave its bot running or stop the others
                    print(f"| {label} | {name} | failed: {e!r} |", flush=True)
                finally:
                    for bot in list(Bot.running):
                        bot.stop(signal.SIGKILL)
        print(f"load average {open('/proc/loadavg').read().split()[:3]} on {os.cpu_count()} cores (shared machine)")
    finally:
        ch.terminate()

main()
