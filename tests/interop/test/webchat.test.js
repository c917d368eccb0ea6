// Microsoft's Web Chat (the bundle the bot serves at /) in headless Chromium, talking to the bot's Direct Line.
'use strict';
const assert = require('node:assert/strict');
const { after, before, test } = require('node:test');
const { startBot } = require('./bot');
const { launch, screenshot, join, say } = require('./browser');

let bot;
let browser;
before(async () => {
  bot = await startBot();
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await bot?.stop();
});

/** A rendered message bubble containing the text (the transcript also holds screen-reader copies). */
const bubble = (page, text) => page.locator('.webchat__bubble__content').filter({ hasText: text }).first();

test('Web Chat: a person picks a name, types help and sees the answer', async () => {
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', error => errors.push(error.message));
  await join(page, bot.url, { id: 'web-alice', name: 'Alice Adams' });
  await say(page, 'help');

  const answer = bubble(page, 'you hold no role yet');
  await answer.waitFor({ timeout: 20000 });
  assert.equal(await answer.locator('strong', { hasText: 'Everyone' }).count(), 1, 'markdown **Everyone** rendered bold');
  assert.match(await answer.textContent(), /\/help/);
  assert.match(await page.locator('#where').textContent(), /Alice Adams \(web-alice\) in a personal chat/);
  const file = await screenshot(page, 'webchat-help.png');
  assert.ok(file.endsWith('.png'));
  // Web Chat shows "Send failed" when the echo of its clientActivityID does not come back.
  assert.equal(await page.getByText(/send failed/i).count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test('Web Chat: two people in the same room both see a message', async () => {
  const alice = await browser.context.newPage();
  const bob = await browser.context.newPage();
  await join(bob, bot.url, { id: 'room-bob', name: 'Bob', room: 'Release Train' });
  await join(alice, bot.url, { id: 'room-alice', name: 'Alice', room: 'release train' });

  const text = `staging looks green ${Date.now()}`;
  await say(alice, text);
  await bubble(bob, text).waitFor({ timeout: 20000 });
  // Bob's page names who spoke; Alice's own message stays as she typed it.
  assert.match(await bubble(bob, text).textContent(), new RegExp(`^Alice: ${text}`));
  await bubble(alice, text).waitFor({ timeout: 20000 });
  await screenshot(bob, 'webchat-room-bob.png');
  await bob.close();
  await alice.close();
});

test('Web Chat: a message the bot updates (PUT) shows its new version in place of the old', async () => {
  const page = await browser.context.newPage();
  await join(page, bot.url, { id: 'web-carol', name: 'Carol' });
  await bubble(page, 'Welcome, Carol').waitFor({ timeout: 20000 }); // the conversation has started
  const conversation = encodeURIComponent('personal:web-carol');
  // What the bot's ConnectorClient does: send, then replace, at the serviceUrl (its own base URL), signed as the bot
  // (the local Connector routes answer nobody else; issue #12 item 2).
  const headers = { 'Content-Type': 'application/json', Authorization: `Bearer ${botToken(bot.dataFolder)}` };
  const forged = await fetch(`${bot.url}/v3/conversations/${conversation}/activities`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ type: 'message', text: 'forged' })
  });
  assert.equal(forged.status, 401);
  const sent = await fetch(`${bot.url}/v3/conversations/${conversation}/activities`, {
    method: 'POST', headers,
    body: JSON.stringify({ type: 'message', text: 'Ticket 42: waiting for sites' })
  });
  assert.equal(sent.status, 200);
  const { id } = await sent.json();
  await bubble(page, 'Ticket 42: waiting for sites').waitFor({ timeout: 20000 });

  const updated = await fetch(`${bot.url}/v3/conversations/${conversation}/activities/${encodeURIComponent(id)}`, {
    method: 'PUT', headers,
    body: JSON.stringify({ type: 'message', id, text: 'Ticket 42: rolling out at 3 sites' })
  });
  assert.equal(updated.status, 200);
  await bubble(page, 'Ticket 42: rolling out at 3 sites').waitFor({ timeout: 20000 });
  assert.equal(await page.locator('.webchat__bubble__content').filter({ hasText: 'waiting for sites' }).count(), 0);
  await screenshot(page, 'webchat-update.png');
  await page.close();
});

/** The token the bot signs its own Connector calls with: an HS256 grant for the bot, keyed by the data folder's Direct Line key. */
function botToken(dataFolder) {
  const crypto = require('node:crypto');
  const key = require('node:fs').readFileSync(require('node:path').join(dataFolder, 'directline.key'));
  const part = value => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signed = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ conv: 'bot:connector', user: 'rollout-bot', name: null, room: null, exp: Math.floor(Date.now() / 1000) + 600 })}`;
  return `${signed}.${crypto.createHmac('sha256', key).update(signed).digest('base64url')}`;
}
