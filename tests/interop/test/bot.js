// Starts the built bot (bin/.../Rollout.Bot.dll) on a free loopback port with a throw-away data folder,
// waits for /healthz, and stops it again. Build first: `dotnet build` from the repository root.
'use strict';
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const repo = path.resolve(__dirname, '..', '..', '..');

/** The most recently built Rollout.Bot.dll (Debug or Release), so a stale configuration is never tested. */
function findDll() {
  const bin = path.join(repo, 'bot', 'bin');
  const built = ['Release', 'Debug']
    .map(config => path.join(bin, config, 'net10.0', 'Rollout.Bot.dll'))
    .filter(dll => fs.existsSync(dll))
    .sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  if (built.length === 0) throw new Error(`No Rollout.Bot.dll under ${bin}: run 'dotnet build' in ${repo} first.`);
  return built[0];
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitForHealth(url, child, log, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`The bot exited with ${child.exitCode}:\n${log.join('')}`);
    try {
      const response = await fetch(url + '/healthz');
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 100));
  }
  throw new Error(`The bot did not answer /healthz within ${timeoutMs} ms:\n${log.join('')}`);
}

/** Starts the bot; `dataFolder` lets a second start reuse the first one's database; `args` adds settings. */
async function startBot({ dataFolder, args = [] } = {}) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const folder = dataFolder || fs.mkdtempSync(path.join(os.tmpdir(), 'rollout-interop-'));
  const log = [];
  const child = spawn('dotnet', [findDll(), '--urls', url, '--DataFolder', folder, ...args], {
    // The project folder is the content root, as with `dotnet run --project bot`: its appsettings.json applies.
    cwd: path.join(repo, 'bot'),
    env: { ...process.env, ASPNETCORE_ENVIRONMENT: 'Production', Logging__LogLevel__Default: 'Warning' },
    stdio: ['ignore', 'pipe', 'pipe']
  });
  child.stdout.on('data', chunk => log.push(chunk.toString()));
  child.stderr.on('data', chunk => log.push(chunk.toString()));
  await waitForHealth(url, child, log, 30000);

  return {
    url,
    dataFolder: folder,
    log,
    async stop({ keepData = false } = {}) {
      if (child.exitCode === null) {
        const exited = new Promise(resolve => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      if (!keepData && !dataFolder) fs.rmSync(folder, { recursive: true, force: true });
    }
  };
}

module.exports = { startBot, repo };
