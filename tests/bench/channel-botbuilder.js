'use strict';
// The same local channel as channel.js, but built from Microsoft's own channel side: botbuilder's
// ChannelServiceRoutes + ChannelServiceHandler (what a skill host exposes to the bots it calls) on express.
// Both bots' Connector calls go through Microsoft's routing, activity validation and (disabled) authentication.
// Answers send/reply with 200 {id} and counts them; GET /count reads the count, GET /slow?ms=N makes sends to
// conversations whose id starts with "slow" wait N ms before answering (for the notice benches);
// GET /throttle?percent=P answers that share of sends 429 with Retry-After: 1.
const express = require('express');
const { ChannelServiceHandler, ChannelServiceRoutes } = require('botbuilder');
const { SimpleCredentialProvider, AuthenticationConfiguration } = require('botframework-connector');

const port = Number(process.env.CHANNEL_PORT || 5980);
let received = 0;
let slowMs = 0;
let throttlePercent = 0;
let seq = 0;
const log = []; // [conversationId, text, time ms, status] of every send, for the notice benches

class CountingChannel extends ChannelServiceHandler {
  async onSendToConversation(_claims, conversationId, activity) { return this.take(conversationId, activity); }
  async onReplyToActivity(_claims, conversationId, _activityId, activity) { return this.take(conversationId, activity); }
  async onUpdateActivity(_claims, _conversationId, activityId) { received += 1; return { id: activityId }; }
  async take(conversationId, activity) {
    if (throttlePercent > 0 && (seq++ % 100) < throttlePercent) {
      log.push([conversationId, activity.text || '', Date.now(), 429]);
      const error = new Error('throttled');
      error.statusCode = 429;
      throw error;
    }
    if (slowMs > 0 && conversationId.startsWith('slow')) await new Promise((r) => setTimeout(r, slowMs));
    received += 1;
    log.push([conversationId, activity.text || '', Date.now(), 200]);
    return { id: `r-${received}` };
  }
}

const app = express();
app.use(express.json({ limit: '2mb' }));
// ChannelServiceRoutes answers a handler's thrown error with its statusCode; Retry-After is added for the 429s.
app.use((req, res, next) => {
  const end = res.end;
  res.end = function (...args) {
    if (res.statusCode === 429 && !res.headersSent) res.setHeader('Retry-After', '1');
    return end.apply(this, args);
  };
  next();
});

app.get('/count', (_req, res) => res.json({ received }));
app.get('/log', (_req, res) => res.json(log));
app.get('/reset', (_req, res) => { received = 0; log.length = 0; seq = 0; res.json({ received }); });
app.get('/slow', (req, res) => { slowMs = Number(req.query.ms || 0); res.json({ slowMs }); });
app.get('/throttle', (req, res) => { throttlePercent = Number(req.query.percent || 0); seq = 0; res.json({ throttlePercent }); });
const handler = new CountingChannel(new SimpleCredentialProvider('', ''), new AuthenticationConfiguration());
new ChannelServiceRoutes(handler).register(app);
app.listen(port, '127.0.0.1', () => console.log(`botbuilder ChannelServiceRoutes channel on 127.0.0.1:${port}`));
