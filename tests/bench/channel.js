'use strict';
// The local channel both bots reply to: it accepts the Connector calls a bot makes to answer a turn
// (POST /v3/conversations/:cid/activities[/:aid] → 200 {id}) and counts them. GET /count reads the count.
const http = require('node:http');

const port = Number(process.env.CHANNEL_PORT || 5980);
let received = 0;
const route = /^\/v3\/conversations\/[^/]+\/activities(\/[^/]+)?\/?$/;

http.createServer((req, res) => {
  if (req.method === 'GET' && req.url === '/count') {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ received }));
    return;
  }
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const path = req.url.split('?')[0];
    if (req.method !== 'POST' || !route.test(path)) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'NotFound', message: `${req.method} ${path} is not a route of this channel` } }));
      return;
    }
    JSON.parse(Buffer.concat(chunks).toString('utf8')); // a reply that is not JSON should fail loudly, not count
    received += 1;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ id: `r-${received}` }));
  });
}).listen(port, '127.0.0.1', () => console.log(`channel listening on 127.0.0.1:${port}`));
