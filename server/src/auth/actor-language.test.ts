import { describe, expect, it } from 'vitest';
import { type Actor, actorLanguage, inActorLanguage } from './actor.ts';

const actor = (over: Partial<Actor>): Actor => ({
  userId: 'u',
  email: 'u@example.com',
  name: 'A user',
  isAdmin: false,
  via: 'session',
  memberships: new Map(),
  ...over,
});

describe('texts Praxis writes into a record for an actor', () => {
  it('are worded in the language of the actor’s request: the setting, else Accept-Language, else English', () => {
    const reason = { key: 'written:change.reason.treatment', params: { treatment: 'TRT-0001', risk: 'RSK-0002', title: 'Phishing' } };
    expect(inActorLanguage(actor({ acceptLanguage: 'de-DE,de;q=0.9,en;q=0.5' }), reason)).toBe(
      'Behandlung TRT-0001 des Risikos RSK-0002 Phishing',
    );
    expect(inActorLanguage(actor({ language: 'en', acceptLanguage: 'de' }), reason)).toBe('Treatment TRT-0001 of risk RSK-0002 Phishing');
    expect(inActorLanguage(actor({}), reason)).toBe('Treatment TRT-0001 of risk RSK-0002 Phishing');
    expect(inActorLanguage(null, { key: 'written:change.reason.lesson', params: { incident: 'INC-0003' } })).toBe(
      'Lesson learned from INC-0003',
    );
    expect(actorLanguage(actor({ acceptLanguage: 'fr-FR, de;q=0.8' }))).toBe('de');
  });
});
