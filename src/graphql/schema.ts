import { readdirSync, readFileSync } from 'node:fs';

// schema/ sits beside src/ and dist/, so the same relative URL works from src/graphql/ and dist/graphql/.
const SCHEMA_DIR = new URL('../../schema/', import.meta.url);

/** The public contract: every schema/*.graphql file, in name order. */
export function loadTypeDefs(): string {
  return readdirSync(SCHEMA_DIR)
    .filter((name) => name.endsWith('.graphql'))
    .sort()
    .map((name) => readFileSync(new URL(name, SCHEMA_DIR), 'utf8'))
    .join('\n');
}
