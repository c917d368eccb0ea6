'use strict';
// The Teams app package: manifest.json against Microsoft's own published schema (shipped in
// @microsoft/app-manifest), and the icon rules Teams checks at upload. That the commands match the bot's
// CommandRegistry is checked by the xunit test TeamsManifestTests, which can see the running app.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const Ajv = require('ajv-draft-04');
const addFormats = require('ajv-formats');
const { readPng } = require('./png');

const folder = path.resolve(__dirname, '../../manifests/teams');
const template = fs.readFileSync(path.join(folder, 'manifest.json'), 'utf8');
const packageScript = fs.readFileSync(path.join(folder, 'package.sh'), 'utf8');

const SAMPLE_VALUES = {
  TEAMS_APP_ID: '0b6c3a52-6f0e-4d4f-9a57-3b1f3f0e2a11',
  MICROSOFT_APP_ID: '7d1f0c5e-2b9a-4c1e-8f3d-5a6b7c8d9e0f',
  DEVELOPER_WEBSITE_URL: 'https://rollout.example.org',
  PRIVACY_URL: 'https://rollout.example.org/privacy',
  TERMS_OF_USE_URL: 'https://rollout.example.org/terms',
};

const placeholders = () => [...new Set([...template.matchAll(/\{\{([A-Z0-9_]+)\}\}/g)].map((m) => m[1]))].sort();

function filled(overrides = {}) {
  const text = template.replace(/\{\{([A-Z0-9_]+)\}\}/g, (_, name) => SAMPLE_VALUES[name]);
  return { ...JSON.parse(text), ...overrides };
}

function officialValidator(manifestVersion) {
  const schemaFile = require.resolve(
    `@microsoft/app-manifest/build/json-schemas/teams/v${manifestVersion}/MicrosoftTeams.schema.json`);
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(JSON.parse(fs.readFileSync(schemaFile, 'utf8')));
}

const errorsOf = (validate) => (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('\n');

test('every placeholder in the manifest is one that package.sh fills and checks', () => {
  assert.ok(placeholders().length > 0, 'the app ids should be placeholders, not committed ids');
  for (const name of placeholders()) {
    assert.ok(name in SAMPLE_VALUES, `{{${name}}} has no sample value in this test`);
    assert.match(packageScript, new RegExp(`\\b${name}\\b`), `{{${name}}} is not filled by manifests/teams/package.sh`);
  }
});

test('the filled manifest is valid against the official schema of its manifestVersion', () => {
  const manifest = filled();
  assert.equal(manifest.$schema,
    `https://developer.microsoft.com/json-schemas/teams/v${manifest.manifestVersion}/MicrosoftTeams.schema.json`);
  const validate = officialValidator(manifest.manifestVersion);
  assert.ok(validate(manifest), errorsOf(validate));
});

test('the schema check rejects a bot scope Teams does not know', () => {
  const manifest = filled();
  const validate = officialValidator(manifest.manifestVersion);
  const broken = filled({ bots: [{ ...manifest.bots[0], scopes: ['personal', 'everywhere'] }] });
  assert.equal(validate(broken), false);
  assert.match(errorsOf(validate), /\/bots\/0\/scopes\/1/);
});

test('the bot is offered in personal chats, teams and group chats, with a command menu for each scope', () => {
  const [bot, ...others] = filled().bots;
  assert.equal(others.length, 0);
  assert.deepEqual([...bot.scopes].sort(), ['groupChat', 'personal', 'team']);
  assert.equal(bot.botId, SAMPLE_VALUES.MICROSOFT_APP_ID);
  // Each scope has exactly one menu (personal chats and shared rooms offer different commands).
  const scopes = bot.commandLists.flatMap((list) => list.scopes).sort();
  assert.deepEqual(scopes, ['groupChat', 'personal', 'team']);
  for (const list of bot.commandLists) {
    assert.ok(list.commands.length >= 1 && list.commands.length <= 10, `Teams shows at most 10 commands, found ${list.commands.length}`);
    for (const command of list.commands) {
      assert.ok(command.title.length <= 32, `'${command.title}' is longer than 32 characters`);
      assert.ok(command.description.length <= 128, `the description of '${command.title}' is longer than 128 characters`);
    }
  }
});

test('color.png is a 192x192 PNG', () => {
  const manifest = filled();
  const icon = readPng(fs.readFileSync(path.join(folder, manifest.icons.color)));
  assert.deepEqual([icon.width, icon.height], [192, 192]);
});

test('outline.png is a 32x32 PNG, white on transparent', () => {
  const manifest = filled();
  const icon = readPng(fs.readFileSync(path.join(folder, manifest.icons.outline)));
  assert.deepEqual([icon.width, icon.height], [32, 32]);
  let white = 0;
  let clear = 0;
  for (let y = 0; y < 32; y++) {
    for (let x = 0; x < 32; x++) {
      const [r, g, b, a] = icon.pixel(x, y);
      if (a === 0) clear++;
      else if (r === 255 && g === 255 && b === 255) white++;
      else assert.fail(`pixel (${x},${y}) is rgba(${r},${g},${b},${a}): only white or fully transparent is allowed`);
    }
  }
  assert.ok(white > 0 && clear > 0, `expected both white and transparent pixels, got ${white} white and ${clear} clear`);
});
