// negotiator 1.x ships no types, and @types/negotiator describes 0.6, which lacks `preferred`
// (negotiator's README documents it from 1.0). Only what the gateway calls is declared.
declare module 'negotiator' {
  class Negotiator {
    constructor(request: { headers: Record<string, string | string[] | undefined> });
    /** The coding the client likes best among `available`; `preferred` breaks ties of q. */
    encoding(
      available: readonly string[],
      options?: { preferred?: readonly string[] },
    ): string | undefined;
  }
  export = Negotiator;
}
