// Microsoft 365 Agents Playground (Microsoft's Teams emulator) in headless Chromium, in front of the built bot.
// The page plays one signed-in user, Alex Wilber (coordinator, admin of site Alpha); the others (provider,
// repository manager, the admins of Beta and Gamma) are played through the playground's own "Mock an Activity", which posts as them.
'use strict';
const assert = require('node:assert/strict');
const { after, before, test } = require('node:test');
const { startBot } = require('./bot');
const { launch, screenshot } = require('./browser');
const { startPlayground, activityFrom, alex, users, ids } = require('./playground');

const [megan, adele, isaiah, patti] = users;
const group = { id: ids.group, isGroup: true, conversationType: 'groupChat', name: 'Release chat' };
const channel = { id: ids.team, isGroup: true, conversationType: 'channel' };
const personal = { id: ids.personal, conversationType: 'personal' };

let bot;
let playground;
let browser;
before(async () => {
  bot = await startBot({ args: [`--Roles:Coordinators:0=${alex.id}`] });
  playground = await startPlayground(bot.url);
  browser = await launch();
  // Who is who, typed by Alex in his personal chat: posted straight to the bot, which answers each before the next.
  for (const text of [`/role grant user=${megan.id} role=provider`, `/role grant user=${adele.id} role=repository`,
    `/role grant user=${adele.id} role=technology-unit`, '/site add name=Alpha stack=glite', `/site admin name=Alpha user=${alex.id}`,
    '/site add name=Beta stack=glite', `/site admin name=Beta user=${isaiah.id}`, '/commit site=Alpha component=cream',
    '/commit site=Beta component=cream', '/site add name=Gamma stack=arc', `/site admin name=Gamma user=${patti.id}`,
    '/commit site=Gamma component=arc-ce']) {
    const response = await fetch(`${bot.url}/api/messages`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify(activityFrom(playground, alex, personal, { type: 'message', text }))
    });
    assert.equal(response.status, 200, `${text}: ${await response.text()}`);
  }
});
after(async () => {
  await browser?.close();
  await playground?.stop();
  await bot?.stop();
});

/** Runs a scenario on a fresh page, with a screenshot of the page if it fails. */
function scenario(name, body) {
  test(name, async () => {
    const page = await openPlayground();
    try {
      await body(page);
      assert.deepEqual(page.errors, []);
    } catch (error) {
      await screenshot(page, `failed-${name.replace(/[^a-z]+/gi, '-').slice(0, 60)}.png`).catch(() => {});
      throw error;
    } finally {
      await page.close();
    }
  });
}

/** A fresh page on the playground, wide enough for its conversation list. */
async function openPlayground() {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1400, height: 1000 });
  page.errors = [];
  page.on('pageerror', error => page.errors.push(error.message));
  await page.goto(playground.url);
  await editor(page).first().waitFor({ timeout: 20000 });
  return page;
}

const editor = page => page.locator('[data-lexical-editor="true"]');
const cards = (page, text) => page.locator('.ac-adaptiveCard').filter({ hasText: text });

/** Opens a conversation from the left rail: 'Personal Chat', 'Release chat' or a channel ('Early Adopters - General'). */
async function open(page, name) {
  await page.getByRole('treeitem', { name }).first().click();
}

async function waitForMore(page, pattern, count, timeout = 20000) {
  const locator = page.getByText(pattern);
  const deadline = Date.now() + timeout;
  while (await locator.count() <= count) {
    if (Date.now() > deadline) throw new Error(`Nothing new matching ${pattern} within ${timeout} ms`);
    await page.waitForTimeout(100);
  }
}

/** Writes in the open conversation with an @mention of the bot (a channel's new post, or the chat's box), then waits for `expect`. */
async function mention(page, text, expect, { newPost = false } = {}) {
  const before = await page.getByText(expect).count();
  await editor(page)[newPost ? 'first' : 'last']().click();
  await page.keyboard.type('@Rollout');
  // The editor's suggestion list (a menu), not the bot's name on a message.
  await page.getByRole('menuitem', { name: /Rollout\.Bot/ }).click();
  await page.keyboard.type(' ' + text);
  if (newPost) await page.getByRole('button', { name: 'Post' }).click();
  else await page.keyboard.press('Enter');
  await waitForMore(page, expect, before);
}

/** Someone other than Alex writes in the group chat (through Mock an Activity); the bot's answer shows in the page. */
async function mockSay(page, user, text, expect) {
  const before = await page.getByText(expect).count();
  await playground.mock(activityFrom(playground, user, group, { type: 'message', text }));
  await waitForMore(page, expect, before);
}

/** The invoke Teams sends when `user` clicks an Action.Execute button, played through Mock an Activity. */
async function mockClick(user, conversation, verb, data) {
  await playground.mock(activityFrom(playground, user, conversation, {
    type: 'invoke', name: 'adaptiveCard/action',
    value: { action: { type: 'Action.Execute', verb, data: { ...data, verb } }, trigger: 'manual' }
  }));
}

/** Opens and verifies a release in the group chat, as the provider and the repository manager would. */
async function verifiedRelease(page, number, release) {
  await open(page, 'Release chat');
  await mockSay(page, megan, `/release new ${release} type=minor notes=https://rel.example.org/n changelog=https://rel.example.org/c ` +
    'cert=https://rel.example.org/r', new RegExp(`Opened ticket #${number}`));
  await mockSay(page, adele, `/unverified #${number}`, /now unverified/);
  await mockSay(page, adele, `/verify #${number} repo=https://repo.example.org/sr/${number}`, new RegExp(`#${number} is verified`));
}

scenario('Playground team channel: bind, the notice card in its own thread, My actions, Accept, reports and Close from the cards update it in place', async page => {
  await open(page, 'Early Adopters - General');
  // In a channel the bot hears only messages that @mention it.
  await mention(page, '/channel bind early-adopters stack=glite', /now receives/, { newPost: true });

  await verifiedRelease(page, 1, 'component=cream version=1.2.3 stack=glite');
  await open(page, 'Early Adopters - General');
  const card = cards(page, '#1 cream 1.2.3: ready for staged rollout');
  await card.waitFor({ timeout: 20000 });
  // The card alone: its headline is not repeated in a text message of its own.
  assert.equal(await page.getByText('#1 cream 1.2.3: ready for staged rollout').count(), 1);
  // It tells each site what it needs: the committed sites expected, by when, in the site's zone, named.
  assert.match(await card.textContent(), /Alpha: expected, accept by \w{3} \d+ \w{3} \d\d:\d\d Europe\/Zurich/);
  assert.match(await card.textContent(), /Beta: expected, accept by/);
  await screenshot(page, 'playground-channel-notice.png');

  // The card everyone sees holds no button meant for some sites only: "My actions" answers with Alex's own card, which
  // replaces the shared one on his screen alone (Teams would also fetch it by itself: he is in the card's refresh list).
  assert.equal(await card.getByRole('button', { name: 'Accept' }).count(), 0);
  await card.getByRole('button', { name: 'My actions' }).click();
  const mine = cards(page, 'For Alpha: accept it, or say not this time.');
  await mine.waitFor({ timeout: 20000 });
  await screenshot(page, 'playground-channel-my-actions.png');

  // Alex accepts for Alpha on his card (an Action.Execute invoke). The invoke's answer shows on the card only until
  // the card is updated for everyone, so what is waited for is the update: the shared card again.
  await mine.getByRole('button', { name: 'Accept' }).click();
  const shared = cards(page, 'Alpha: taking part').filter({ has: page.getByRole('button', { name: 'My actions' }) });
  await shared.waitFor({ timeout: 20000 });
  // Beta is still expected, yet Alpha took part: Alex's own card now offers the report and no Accept.
  await shared.getByRole('button', { name: 'My actions' }).click();
  const after = cards(page, 'For Alpha: report how it went.');
  await after.waitFor({ timeout: 20000 });
  assert.equal(await after.getByRole('button', { name: 'Accept' }).count(), 0);
  await screenshot(page, 'playground-channel-no-accept-after-taking-part.png');

  // Isaiah accepts for Beta on his own screen; Alex's copy of the card follows (the shared card).
  await mockClick(isaiah, channel, 'ticket.accept', { ticket: '1' });
  const both = cards(page, 'Beta: taking part');
  await both.waitFor({ timeout: 20000 });
  assert.match(await both.textContent(), /Alpha: taking part, report due/);
  // Every expected site has answered: nobody is left to accept.
  assert.equal(await both.getByRole('button', { name: 'Accept' }).count(), 0);

  // Alex reports from the form on his own card.
  await both.getByRole('button', { name: 'My actions' }).click();
  const form = cards(page, 'For Alpha: report how it went.');
  await form.waitFor({ timeout: 20000 });
  await form.getByRole('button', { name: 'Report' }).click();
  await form.getByRole('combobox', { name: /Outcome/ }).click();
  await page.getByRole('option', { name: 'success' }).click();
  await form.getByLabel('Hours spent').fill('2.5');
  await form.getByLabel(/What you did and found/).fill('Installed on two CEs; jobs ran.');
  await form.getByRole('button', { name: 'Send report' }).click();
  const reported = cards(page, 'Alpha: done: success');
  await reported.waitFor({ timeout: 20000 });
  assert.match(await reported.textContent(), /Beta: taking part/);
  assert.equal(await cards(page, '#1 cream 1.2.3').count(), 1, 'one card, updated in place, not a new one');
  await screenshot(page, 'playground-channel-reported.png');

  // Isaiah reports for Beta from his card; then Alex, as the coordinator, closes the rollout from his own card.
  await mockClick(isaiah, channel, 'ticket.report', { ticket: '1', outcome: 'success', notes: 'Fine on our CE.' });
  const allDone = cards(page, 'Beta: done: success');
  await allDone.waitFor({ timeout: 20000 });
  await allDone.getByRole('button', { name: 'My actions' }).click();
  const closing = cards(page, 'as a coordinator, close the staged rollout');
  await closing.waitFor({ timeout: 20000 });
  await closing.getByRole('button', { name: 'Close', exact: true }).click();
  await closing.getByRole('combobox', { name: /Outcome of the staged rollout/ }).click();
  await page.getByRole('option', { name: 'success' }).click();
  await closing.getByLabel(/Summary/).fill('Fine at Alpha and Beta.');
  await closing.getByRole('button', { name: 'Close the staged rollout' }).click();
  const closed = cards(page, '#1 cream 1.2.3: staged rollout closed, released');
  await closed.waitFor({ timeout: 20000 });
  assert.equal(await closed.getByRole('button').count(), 0, 'a closed release offers nothing more');
  assert.equal(await cards(page, '#1 cream 1.2.3').count(), 1);
  await screenshot(page, 'playground-channel-closed.png');
});

scenario('Playground group chat: the notice card is one message, and an Accept updates it in place for everyone', async page => {
  await open(page, 'Release chat');
  await mention(page, '/channel bind early-adopters stack=arc', /now receives/);

  await verifiedRelease(page, 2, 'component=arc-ce version=7.1 stack=arc');
  const card = cards(page, '#2 arc-ce 7.1: ready for staged rollout');
  await card.waitFor({ timeout: 20000 });
  assert.equal(await page.getByText('#2 arc-ce 7.1: ready for staged rollout').count(), 1);
  // Patti, Gamma's admin, clicks Accept on her screen; Alex's copy of the card follows.
  await mockClick(patti, group, 'ticket.accept', { ticket: '2' });
  await cards(page, 'Gamma: taking part').waitFor({ timeout: 20000 });
  assert.equal(await cards(page, '#2 arc-ce 7.1').count(), 1, 'the card was updated, not posted again');
  await screenshot(page, 'playground-group-accepted.png');
});

scenario('Playground personal chat: a restricted release reaches the admin privately, and Accept updates that card', async page => {
  await verifiedRelease(page, 3, 'component=cream version=1.2.4 stack=glite security=https://sec.example.org/adv/3');
  // Restricted: not in the channel, but in the personal chat of each committed admin.
  await open(page, 'Personal Chat');
  const card = cards(page, '#3 cream 1.2.4: ready for staged rollout');
  await card.waitFor({ timeout: 20000 });
  assert.match(await card.textContent(), /Restricted/);
  await card.getByRole('button', { name: 'My actions' }).click();
  const mine = cards(page, 'For Alpha: accept it');
  await mine.waitFor({ timeout: 20000 });
  await mine.getByRole('button', { name: 'Accept' }).click();
  await cards(page, 'Alpha: taking part').filter({ hasText: '#3' }).waitFor({ timeout: 20000 });
  assert.equal(await cards(page, '#3 cream 1.2.4').count(), 1);
  await open(page, 'Early Adopters - General');
  assert.equal(await cards(page, '#3').count(), 0, 'a restricted release is never shown in the channel');
  await screenshot(page, 'playground-personal-accepted.png');
});

scenario('Playground team channel: the help says to @mention the bot, and a refusal is said to the asker alone', async page => {
  await open(page, 'Early Adopters - General');
  await mention(page, 'help', /What you can do/, { newPost: true });
  await page.getByText('@mention me first').first().waitFor({ timeout: 20000 });

  // There is no ticket #99: the channel reads a pointer, Alex's personal chat the refusal.
  await mention(page, '/accept #99', /I answered you in our personal chat/, { newPost: true });
  // The post (its question and the bot's pointer) holds no refusal; the page's log panel and chat list preview do show
  // what went to the personal chat, so the check is on the smallest block holding the post and its answer.
  const postClean = await page.evaluate(() => [...document.querySelectorAll('div')]
    .filter(d => d.textContent.includes('/accept #99') && d.textContent.includes('I answered you in our personal chat'))
    .some(d => !d.textContent.includes('There is no ticket #99')));
  assert.ok(postClean, 'the refusal is not shown in the channel');
  await open(page, 'Personal Chat');
  await page.getByText(/There is no ticket #99/).first().waitFor({ timeout: 20000 });
  await screenshot(page, 'playground-private-refusal.png');
});
