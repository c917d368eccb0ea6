// Round trips through the local Direct Line: N users each post a message and wait for the bot's answer on
// their WebSocket stream, as fast as they can, for a fixed time. Usage: node bench.js [users] [seconds] [url]
// (without a url it starts the built bot itself). Prints round trips per second and latency percentiles.
'use strict';
const WebSocket = require('ws');
const { startBot } = require('./test/bot');

async function user(base, index, deadline, latencies) {
  const generated = await (await fetch(`${base}/v3/directline/tokens/generate`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: { id: `bench-${index}-${Date.now()}`, name: `Bench ${index}` } })
  })).json();
  const auth = { Authorization: `Bearer ${generated.token}`, 'Content-Type': 'application/json' };
  const started = await (await fetch(`${base}/v3/directline/conversations`, { method: 'POST', headers: auth })).json();
  const socket = new WebSocket(started.streamUrl);
  // The answer can arrive on the stream before the POST that caused it returns: remember early ones.
  const waiting = new Map();
  const early = new Set();
  socket.on('message', data => {
    if (!data.length) return;
    for (const activity of JSON.parse(data).activities) {
      if (!activity.replyToId) continue;
      const resolve = waiting.get(activity.replyToId);
      if (resolve) { waiting.delete(activity.replyToId); resolve(); } else early.add(activity.replyToId);
    }
  });
  await new Promise((resolve, reject) => { socket.once('open', resolve); socket.once('error', reject); });
  const url = `${base}/v3/directline/conversations/${encodeURIComponent(started.conversationId)}/activities`;
  while (Date.now() < deadline) {
    const begin = performance.now();
    let answered;
    const answer = new Promise(resolve => { answered = resolve; });
    const response = await fetch(url, { method: 'POST', headers: auth, body: JSON.stringify({ type: 'message', text: '/help' }) });
    const { id } = await response.json();
    if (early.delete(id)) answered(); else waiting.set(id, answered);
    await Promise.race([answer, new Promise((_, reject) => setTimeout(() => reject(new Error('no answer in 10 s')), 10000))]);
    latencies.push(performance.now() - begin);
  }
  socket.close();
}

(async () => {
  const users = Number(process.argv[2] || 10);
  const seconds = Number(process.argv[3] || 10);
  const bot = process.argv[4] ? null : await startBot();
  const base = process.argv[4] || bot.url;
  try {
    const warm = [];
    await user(base, 'warmup', Date.now() + 2000, warm);
    const latencies = [];
    const begin = Date.now();
    await Promise.all(Array.from({ length: users }, (_, i) => user(base, i, begin + seconds * 1000, latencies)));
    const elapsed = (Date.now() - begin) / 1000;
    latencies.sort((a, b) => a - b);
    const at = p => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(1);
    console.log(`${users} users, ${elapsed.toFixed(1)} s: ${latencies.length} round trips, ${(latencies.length / elapsed).toFixed(0)}/s; ` +
      `latency ms p50 ${at(0.5)} p90 ${at(0.9)} p99 ${at(0.99)} max ${latencies[latencies.length - 1].toFixed(1)}`);
  } finally {
    await bot?.stop();
  }
})().catch(error => { console.error(error); process.exit(1); });
