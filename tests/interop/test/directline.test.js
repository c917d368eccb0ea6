// Microsoft's Direct Line client (botframework-directlinejs) against the running bot, nothing of ours between.
'use strict';
global.XMLHttpRequest = require('xhr2');
global.WebSocket = require('ws');
const { DirectLine, ConnectionStatus } = require('botframework-directlinejs');
const assert = require('node:assert/strict');
const { after, before, test } = require('node:test');
const { startBot } = require('./bot');

let bot;
before(async () => { bot = await startBot(); });
after(async () => { await bot?.stop(); });

async function token(user, room) {
  const response = await fetch(`${bot.url}/v3/directline/tokens/generate`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user, room })
  });
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()).token;
}

function connect(tokenValue, webSocket) {
  return new DirectLine({ token: tokenValue, domain: `${bot.url}/v3/directline`, webSocket, pollingInterval: 200 });
}

/** The first activity matching `predicate`, or a failure after `ms`. */
function waitFor(directLine, predicate, ms = 15000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { subscription.unsubscribe(); reject(new Error(`No matching activity within ${ms} ms`)); }, ms);
    const subscription = directLine.activity$.subscribe({
      next: activity => {
        if (predicate(activity)) { clearTimeout(timer); subscription.unsubscribe(); resolve(activity); }
      },
      error: error => { clearTimeout(timer); reject(error); }
    });
  });
}

function send(directLine, activity) {
  return new Promise((resolve, reject) => directLine.postActivity(activity).subscribe({ next: resolve, error: reject }));
}

for (const webSocket of [false, true]) {
  test(`directlinejs (${webSocket ? 'WebSocket' : 'polling'}) gets the /help answer`, async () => {
    const user = { id: `dljs-${webSocket ? 'ws' : 'poll'}`, name: 'Direct Line JS' };
    const directLine = connect(await token(user), webSocket);
    try {
      const answer = waitFor(directLine, a => a.from.role === 'bot' && /\*\*Everyone\*\*/.test(a.text || ''));
      const id = await send(directLine, { type: 'message', from: user, text: '/help' });
      assert.match(id, /\|\d+$/);
      const reply = await answer;
      assert.match(reply.text, /\/help/);
      assert.equal(reply.replyToId, id);
      assert.equal(directLine.connectionStatus$.getValue(), ConnectionStatus.Online);
    } finally {
      directLine.end();
    }
  });
}

test('two users in the same room both see a message, and the answer meant for one is pointed to, not told to the room', async () => {
  const alice = { id: 'room-alice', name: 'Alice' };
  const bob = { id: 'room-bob', name: 'Bob' };
  const a = connect(await token(alice, 'Interop Room'), true);
  const b = connect(await token(bob, 'interop room'), false);
  try {
    const text = `hello from alice ${Date.now()}`;
    const bobSeesAlice = waitFor(b, x => x.text === text && x.from.id === alice.id);
    const aliceSeesEcho = waitFor(a, x => x.text === text);
    // What the bot answers is for Alice alone: the room reads one line pointing her to her personal chat.
    const bobSeesPointer = waitFor(b, x => x.from.role === 'bot' && /personal chat/.test(x.text || ''));
    const bobHeard = [];
    const listening = b.activity$.subscribe({ next: x => { if (x.from.role === 'bot') bobHeard.push(x.text || ''); }, error: () => {} });
    // Bob must be in the room (his stream open) before Alice speaks.
    await waitForStatus(b, ConnectionStatus.Online);
    await waitForStatus(a, ConnectionStatus.Online);
    await send(a, { type: 'message', from: alice, text });
    const seen = await bobSeesAlice;
    await aliceSeesEcho;
    await bobSeesPointer;
    listening.unsubscribe();
    assert.ok(!bobHeard.some(t => /I don't know 'hello'/.test(t)), `the room was told Alice's answer: ${bobHeard.join(' | ')}`);
    assert.equal(seen.conversation.id, 'room:interop room');
    assert.equal(seen.conversation.isGroup, true);
    assert.equal(seen.from.name, 'Alice');
  } finally {
    a.end();
    b.end();
  }
});

function waitForStatus(directLine, status, ms = 10000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`Connection never reached status ${status}`)), ms);
    const subscription = directLine.connectionStatus$.subscribe(value => {
      if (value === status) { clearTimeout(timer); setImmediate(() => subscription.unsubscribe()); resolve(); }
    });
  });
}
