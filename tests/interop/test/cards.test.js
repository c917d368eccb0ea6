// Every card the bot builds, parsed by Microsoft's adaptivecards 3.0.6 (the renderer Web Chat and Teams web use).
// The cards are written by the xunit test CardContractTests.EveryCard_IsWrittenForTheAdaptiveCardsParserAndFitsTeams:
// run `dotnet test` first.
'use strict';
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { test } = require('node:test');
const AC = require('adaptivecards/dist/adaptivecards.min.js');

const folder = path.join(__dirname, '..', 'cards-generated');
const files = fs.existsSync(folder) ? fs.readdirSync(folder).filter(f => f.endsWith('.json')).sort() : [];

test('the xunit run wrote the cards to parse', () => {
  assert.ok(files.length >= 4, `expected the generated cards in ${folder}; run dotnet test first`);
});

for (const file of files) {
  test(`card ${file} parses as Adaptive Card 1.5 with no errors or warnings`, () => {
    const json = JSON.parse(fs.readFileSync(path.join(folder, file), 'utf8'));
    const card = new AC.AdaptiveCard();
    const context = new AC.SerializationContext();
    card.parse(json, context);
    const events = [];
    for (let i = 0; i < context.eventCount; i++) {
      const e = context.getEventAt(i);
      events.push(`${AC.ValidationEvent[e.event]}: ${e.message}`);
    }
    assert.deepEqual(events, [], 'parse events');
    const failures = card.validateProperties().validationEvents
      .map(e => `${AC.ValidationEvent[e.event]} in ${e.source ? e.source.getJsonTypeName() : 'card'}: ${e.message}`);
    assert.deepEqual(failures, [], 'validateProperties');
    assert.equal(card.version.toString(), '1.5');
  });
}
