import { badUserInput } from '../errors.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A guid argument must be 8-4-4-4-12 hexadecimal before it may reach an upstream URL: this is
 * what keeps `../`, encoded slashes and query strings out of the Stats API path.
 */
export function checkGuid(value: string, argument: string): string {
  if (!GUID.test(value)) {
    throw badUserInput(argument, 'expected a GUID (8-4-4-4-12 hexadecimal digits)');
  }
  return value;
}
