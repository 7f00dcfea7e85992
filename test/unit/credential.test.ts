import { credentialKey } from '../../src/upstream/credential.js';

describe('credentialKey', () => {
  it('is one key for every spelling of one bearer token', () => {
    const spellings = ['Bearer tok', 'bearer tok', 'BEARER tok', 'Bearer  tok', ' Bearer\ttok '];
    expect(new Set(spellings.map(credentialKey)).size).toBe(1);
  });

  it('keeps tokens that differ only in case apart', () => {
    expect(credentialKey('Bearer tok')).not.toBe(credentialKey('Bearer TOK'));
  });

  it('keeps other schemes and bare tokens apart from bearer ones', () => {
    const keys = ['Bearer tok', 'Basic tok', 'tok'].map(credentialKey);
    expect(new Set(keys).size).toBe(3);
  });

  it('holds no trace of the token', () => {
    const key = credentialKey('Bearer secret-token-value');
    expect(key).not.toContain('secret');
    expect(key).toMatch(/^[\w-]{43}$/);
  });
});
