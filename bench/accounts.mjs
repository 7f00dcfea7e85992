import { generateInteractions, referenceInteraction } from '../dist/demo/demoData.js';

// The benchmark's data set, built the same way in the stand-in's process and in the runner's,
// so the runner can compute every expected answer without asking anyone. The clock is fixed:
// the same interactions, windows and answers on every run.

export const NOW = new Date('2024-03-04T12:00:00.000Z');

/** The token of scenarios 1 to 4: the reference sample plus a generated day. */
export const MAIN_TOKEN = 'bench-token';
/** Scenario 5's callers, each with an account of its own. */
export const MIXED_TOKENS = ['bench-token-1', 'bench-token-2', 'bench-token-3', 'bench-token-4'];

export function buildAccounts() {
  const accounts = {
    [MAIN_TOKEN]: [referenceInteraction(), ...generateInteractions(200, NOW, 7)],
  };
  MIXED_TOKENS.forEach((token, i) => {
    accounts[token] = generateInteractions(200, NOW, 101 + i);
  });
  return accounts;
}
