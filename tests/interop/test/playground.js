// Microsoft 365 Agents Playground (Microsoft's Teams emulator, npm @microsoft/m365agentsplayground) in front of the
// bot, with a config of our own: fixed conversation ids and a cast of Teams users, so that the people the page
// cannot play (it has one signed-in user) can be played through its own "Mock an Activity" endpoint.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const cli = require.resolve('@microsoft/m365agentsplayground/cli.js');

const tenantId = '00000000-0000-0000-0000-0000000000001';
const bot = { id: '28:rollout-bot', name: 'Rollout.Bot' };
const person = (id, given, surname, n) => ({
  id, name: `${given} ${surname}`, userPrincipleName: `${given.toLowerCase()}@example.org`,
  aadObjectId: `00000000-0000-0000-0000-00000000002${n}`, givenName: given, surname, email: `${given.toLowerCase()}@example.org`
});
// The one user the page plays, and five more (the config takes exactly five): they are in the group chat and the team.
const alex = person('29:alex', 'Alex', 'Wilber', 0);
const users = [person('29:megan', 'Megan', 'Bowen', 1), person('29:adele', 'Adele', 'Vance', 2),
  person('29:isaiah', 'Isaiah', 'Langer', 3), person('29:patti', 'Patti', 'Fernandez', 4), person('29:lynne', 'Lynne', 'Robbins', 5)];
const ids = { personal: 'a:personal-alex', group: '19:release-group@thread.v2', team: '19:ea-general@thread.tacv2' };

function config() {
  const user = u => `  - id: "${u.id}"\n    name: ${u.name}\n    userPrincipleName: ${u.userPrincipleName}\n` +
    `    aadObjectId: ${u.aadObjectId}\n    givenName: ${u.givenName}\n    surname: ${u.surname}\n    email: ${u.email}\n`;
  return `version: "0.1.1"\ntenantId: ${tenantId}\nbot:\n  id: "${bot.id}"\n  name: ${bot.name}\n` +
    `currentUser:\n${user(alex).replace(/^  - /, '    ').replace(/^ {4}/gm, '  ')}` +
    `users:\n${users.map(user).join('')}personalChat:\n  id: "${ids.personal}"\ngroupChat:\n  id: "${ids.group}"\n  name: Release chat\n` +
    `team:\n  id: "${ids.team}"\n  name: Early Adopters\n  aadGroupId: 00000000-0000-0000-0000-000000000031\n` +
    `  channels:\n    - id: "19:ea-announcements@thread.tacv2"\n      name: Announcements\n`;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts the playground against `botUrl` and resolves once it listens. */
async function startPlayground(botUrl) {
  const port = await freePort();
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'rollout-playground-'));
  fs.writeFileSync(path.join(folder, '.m365agentsplayground.yml'), config());
  const url = `http://127.0.0.1:${port}`;
  const log = [];
  const child = spawn(process.execPath, [cli, '-e', `${botUrl}/api/messages`, '-c', 'msteams', '-p', String(port), '--dt',
    '--su', `${url}/_connector`], {
    cwd: folder,
    // Never open a browser of its own; keep its log file in the throw-away folder.
    env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none', M365_AGENTS_PLAYGROUND_LOGFILE: path.join(folder, 'playground.log') },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  child.stdout.on('data', chunk => log.push(chunk.toString()));
  child.stderr.on('data', chunk => log.push(chunk.toString()));
  const deadline = Date.now() + 20000;
  while (!log.join('').includes(`Listening on ${port}`)) {
    if (child.exitCode !== null) throw new Error(`The playground exited with ${child.exitCode}:\n${log.join('')}`);
    if (Date.now() > deadline) throw new Error(`The playground did not listen within 20 s:\n${log.join('')}`);
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  return {
    url,
    log,
    serviceUrl: `${url}/_connector`,
    /** Posts an activity as `from` through the playground's "Mock an Activity" (it forwards it to the bot as is). */
    async mock(activity) {
      const response = await fetch(`${url}/_internal/v1/customActivities`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(activity)
      });
      if (!response.ok) throw new Error(`Mock an Activity answered ${response.status}: ${await response.text()}`);
    },
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise(resolve => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(folder, { recursive: true, force: true });
    }
  };
}

/** An activity as Teams would post it from `user` into one of the playground's conversations. */
function activityFrom(playground, user, conversation, fields) {
  return {
    id: `mock-${Date.now()}-${Math.random().toString(16).slice(2)}`,
    timestamp: new Date().toISOString(),
    channelId: 'msteams',
    serviceUrl: playground.serviceUrl,
    from: { id: user.id, name: user.name, aadObjectId: user.aadObjectId },
    recipient: bot,
    conversation: { tenantId, ...conversation },
    channelData: { tenant: { id: tenantId }, ...(conversation.conversationType === 'channel'
      ? { team: { id: ids.team }, channel: { id: ids.team } } : {}) },
    locale: 'en-US',
    ...fields
  };
}

module.exports = { startPlayground, activityFrom, alex, users, ids, bot, tenantId };
