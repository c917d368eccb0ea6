// Headless Debian Chromium through playwright-core, with a fresh profile per launch.
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { chromium } = require('playwright-core');

const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const artifacts = path.join(__dirname, '..', 'artifacts');

async function launch() {
  if (!fs.existsSync(executablePath)) {
    throw new Error(`No Chromium at ${executablePath}: apt-get install -y chromium, or set CHROMIUM_PATH.`);
  }
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'rollout-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
    headless: true,
    viewport: { width: 1100, height: 800 },
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync']
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    }
  };
}

async function screenshot(page, name) {
  fs.mkdirSync(artifacts, { recursive: true });
  const file = path.join(artifacts, name);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Fills the page's form and waits for Web Chat's send box. */
async function join(page, url, { id, name, room }) {
  await page.goto(url);
  await page.fill('#user-id', id);
  await page.fill('#user-name', name);
  // The form remembers the last choice in localStorage, so always pick explicitly.
  if (room) {
    await page.check('input[name=where][value=room]');
    await page.fill('#room', room);
  } else {
    await page.check('input[name=where][value=personal]');
  }
  await page.click('#join');
  await page.locator('[data-id="webchat-sendbox-input"]').waitFor({ timeout: 20000 });
}

/** Types and sends; Web Chat keeps the text in the box until its connection is up, so Enter is retried until it takes. */
async function say(page, text) {
  const box = page.locator('[data-id="webchat-sendbox-input"]');
  await box.fill(text);
  for (let attempt = 0; attempt < 20; attempt++) {
    await box.press('Enter');
    try {
      await page.waitForFunction(input => input.value === '', await box.elementHandle(), { timeout: 1000 });
      return;
    } catch {
      // still connecting
    }
  }
  throw new Error(`Web Chat did not send '${text}' within 20 s`);
}

module.exports = { launch, screenshot, join, say };
