// The release notice card in Microsoft's Web Chat: set up a rollout by typing commands as the right people, then an
// early-adopter site admin clicks Accept on the card (Action.Submit) and sees that very card change in place.
'use strict';
const assert = require('node:assert/strict');
const { after, before, test } = require('node:test');
const { startBot } = require('./bot');
const { launch, screenshot, join, say } = require('./browser');

let bot;
let browser;
before(async () => {
  bot = await startBot({ args: ['--Roles:Coordinators:0=wc-coord'] });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await bot?.stop();
});

const bubbles = (page, text) => page.locator('.webchat__bubble__content').filter({ hasText: text });

/** Says something and waits for one more bubble matching `expect` (a phrase of the bot's answer, not of the command) than before. */
async function ask(page, text, expect) {
  const before = await bubbles(page, expect).count();
  await say(page, text);
  await page.waitForFunction(
    ([pattern, n]) => [...document.querySelectorAll('.webchat__bubble__content')]
      .filter(b => new RegExp(pattern).test(b.textContent)).length > n,
    [expect.source, before], { timeout: 20000 });
}

test('Web Chat: a site admin clicks Accept on the release notice card and the card changes in place', async () => {
  const coord = await browser.context.newPage();
  const alice = await browser.context.newPage();
  const errors = [];
  alice.on('pageerror', error => errors.push(error.message));
  await join(coord, bot.url, { id: 'wc-coord', name: 'Cora', room: 'EA glite' });
  await join(alice, bot.url, { id: 'wc-alice', name: 'Alice', room: 'EA glite' });

  await ask(coord, '/channel bind early-adopters stack=glite', /now receives/);
  for (const role of ['provider', 'repository', 'technology-unit'])
    await ask(coord, `/role grant user=wc-coord role=${role}`, new RegExp(`role ${role}`));
  await ask(coord, '/site add name=Alpha stack=glite', /Site Alpha added/);
  await ask(coord, '/site admin name=Alpha user=wc-alice', /is now an admin of Alpha/);
  await ask(coord, '/commit site=Alpha component=cream', /Alpha is committed to cream/);
  await ask(coord, '/release new component=cream version=1.2.3 stack=glite type=minor notes=https://rel.example.org/n ' +
    'changelog=https://rel.example.org/c cert=https://rel.example.org/r', /Opened ticket #1/);
  await ask(coord, '/unverified #1', /now unverified/);
  await ask(coord, '/verify #1 repo=https://repo.example.org/sr/1', /is verified/);

  const card = alice.locator('.ac-adaptiveCard').filter({ hasText: 'ready for staged rollout' });
  await card.waitFor({ timeout: 20000 });
  assert.equal(await card.locator('button', { hasText: 'Report' }).count(), 0, 'nothing to report before accepting');
  await card.locator('button', { hasText: 'Accept' }).click();

  // The confirmation is Alice's alone: the room reads a pointer to her personal chat, not the confirmation.
  const answer = bubbles(alice, /personal chat/).first();
  await answer.waitFor({ timeout: 20000 });
  assert.doesNotMatch(await answer.textContent(), /accepted/);
  const changed = alice.locator('.ac-adaptiveCard').filter({ hasText: 'Alpha: taking part' });
  await changed.waitFor({ timeout: 20000 });
  assert.match(await changed.textContent(), /in staged rollout/);
  assert.equal(await changed.locator('button', { hasText: 'Report' }).count(), 1, 'Report appears once the site has accepted');
  assert.equal(await alice.locator('.ac-adaptiveCard').filter({ hasText: 'ready for staged rollout' }).count(), 0,
    'the old card was replaced, not followed by a new one');
  await screenshot(alice, 'webchat-notice-accepted.png');
  assert.deepEqual(errors, []);
  await coord.close();
  await alice.close();
});
