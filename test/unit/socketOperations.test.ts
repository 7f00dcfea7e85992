import { parseConfig } from '../../src/config.js';
import { createSchema } from '../../src/graphql/schema.js';
import { operationChecker, type CheckedOperation } from '../../src/http/socketOperations.js';

// Operations over WebSocket are checked as Apollo checks HTTP requests, and valid documents are
// kept by their text: dashboards sending the same subscription share one parsed document.

describe('operationChecker', () => {
  const schema = createSchema();
  const limits = parseConfig({}).limits;
  const FEED = 'subscription { interactionUpdates { guid status } }';

  it('parses and validates a text once, however many sockets send it', () => {
    const check = operationChecker({ schema, limits });
    const first = check({ query: FEED }) as CheckedOperation;
    const again = check({ query: FEED }) as CheckedOperation;
    expect(first.subscription).toBe('interactionUpdates');
    expect(again.document).toBe(first.document);
  });

  it('keeps at most 512 KiB of texts, the least recently used going first', () => {
    const check = operationChecker({ schema, limits });
    const first = check({ query: FEED }) as CheckedOperation;
    // 600 distinct texts of about 1 KiB each.
    for (let i = 0; i < 600; i++) {
      check({ query: `query Q${i} { __typename } # ${'x'.repeat(1000)}` });
    }
    expect((check({ query: FEED }) as CheckedOperation).document).not.toBe(first.document);
  });
});
