// Independent parsers read what the bot serves. The C# tests (tests/Rollout.Bot.Tests/Status) write the seeded
// bot's /feed.atom, /calendar.ics and /status into fixtures-generated/; run them first:
//   dotnet test tests/Rollout.Bot.Tests --filter "FullyQualifiedName~Rollout.Bot.Tests.Status"
//   cd tests/interop && npm ci && npm run test:feeds
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdirSync, existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import ICAL from 'ical.js';
import { chromium } from 'playwright-core';

const here = path.dirname(path.dirname(fileURLToPath(import.meta.url))); // tests/interop
const generated = path.join(here, 'fixtures-generated');
const read = (name) => {
  const file = path.join(generated, name);
  assert.ok(existsSync(file), `${file} is missing: run the C# Status tests first`);
  return readFileSync(file, 'utf8');
};

test('the Atom feed is well-formed and has what RFC 4287 requires', () => {
  const xml = read('feed.atom');
  assert.equal(XMLValidator.validate(xml), true);
  const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', isArray: (name) => ['entry', 'link'].includes(name) }).parse(xml);
  const feed = doc.feed;
  assert.equal(feed['@xmlns'], 'http://www.w3.org/2005/Atom');
  for (const field of ['id', 'title', 'updated']) assert.ok(feed[field], `feed has ${field}`);
  assert.ok(feed.author?.name, 'feed has an author name');
  assert.ok(feed.link.some((l) => l['@rel'] === 'self' && l['@href'].endsWith('/feed.atom')), 'feed links to itself');
  assert.ok(feed.entry.length >= 1);
  const ids = new Set();
  for (const entry of feed.entry) {
    assert.match(entry.id, /^tag:[a-z0-9.-]+,\d{4}:release\/\d+$/);
    assert.ok(!ids.has(entry.id), 'entry ids are unique');
    ids.add(entry.id);
    assert.ok(entry.title && entry.summary);
    assert.ok(!Number.isNaN(Date.parse(entry.updated)), `entry updated is a date: ${entry.updated}`);
    assert.match(entry.link[0]['@href'], /^https?:\/\//);
  }
  assert.ok(!xml.includes('dpm'), 'no restricted release');
});

test('the calendar parses with ical.js and every event has a UID, DTSTAMP and start', () => {
  const text = read('calendar.ics');
  const calendar = new ICAL.Component(ICAL.parse(text));
  assert.equal(calendar.name, 'vcalendar');
  assert.equal(calendar.getFirstPropertyValue('version'), '2.0');
  assert.ok(calendar.getFirstPropertyValue('prodid'));
  const events = calendar.getAllSubcomponents('vevent').map((v) => new ICAL.Event(v));
  assert.ok(events.length >= 3);
  const uids = events.map((e) => e.uid);
  assert.equal(new Set(uids).size, uids.length, 'UIDs are unique');
  for (const vevent of calendar.getAllSubcomponents('vevent')) assert.ok(vevent.getFirstPropertyValue('dtstamp'));
  const report = events.find((e) => e.uid.startsWith('ticket-6-site-'));
  assert.equal(report.summary, 'Report due: #6 apel 5.0 at Alpha');
  assert.equal(report.startDate.toJSDate().toISOString(), '2026-03-09T12:00:00.000Z');
  assert.ok(!events.some((e) => e.uid.startsWith('ticket-3-')), 'no restricted release');
});

test('the status page renders in Chromium with its three plots', async () => {
  read('status.html');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
    await page.goto(pathToFileURL(path.join(generated, 'status.html')).href);
    const plots = await page.$$eval('svg', (svgs) => svgs.map((s) => { const r = s.getBoundingClientRect(); return [r.width, r.height]; }));
    assert.equal(plots.length, 3);
    for (const [w, h] of plots) assert.ok(w > 100 && h > 50, `plot drawn at ${w}x${h}`);
    assert.ok(await page.locator('rect').count() > 5, 'bars are drawn');
    mkdirSync(path.join(here, 'artifacts'), { recursive: true });
    await page.screenshot({ path: path.join(here, 'artifacts', 'status.png'), fullPage: true });
  } finally {
    await browser.close();
  }
});
