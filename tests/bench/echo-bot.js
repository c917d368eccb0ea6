'use strict';
// The peer: Bot Framework's own JS SDK (botbuilder CloudAdapter) as an echo bot with no app id (anonymous,
// like Rollout.Bot with MicrosoftAppId empty). It answers every message through the Connector at serviceUrl.
const express = require('express');
const { CloudAdapter, ConfigurationBotFrameworkAuthentication } = require('botbuilder');

const port = Number(process.env.BOT_PORT || 5981);
const adapter = new CloudAdapter(new ConfigurationBotFrameworkAuthentication({}));
adapter.onTurnError = async (context, error) => {
  console.error(`turn failed: ${error.message}`);
};

const app = express();
app.use(express.json());
app.post('/api/messages', (req, res) => adapter.process(req, res, async (context) => {
  if (context.activity.type === 'message') await context.sendActivity(`Echo: ${context.activity.text}`);
}));
app.listen(port, '127.0.0.1', () => console.log(`echo bot listening on 127.0.0.1:${port}`));
