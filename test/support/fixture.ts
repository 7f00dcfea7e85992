import { referenceInteraction } from '../../src/demo/demoData.js';
import type { InteractionDto } from '../../src/upstream/types.js';

export { referenceInteraction };

/** The reference sample's guid, and a copy of it under another guid and content. */
export const SAMPLE_GUID = '016f7e44-7556-4747-9982-de543dfbe27f';

export function variant(guid: string, changes: Partial<InteractionDto> = {}): InteractionDto {
  return { ...referenceInteraction(), guid, ...changes };
}
