import type { ExecutionResult, GraphQLError } from 'graphql';
import { resultTooLarge } from '../errors.js';

/**
 * MAX_RESULT_ITEMS: how many interactions, channels and events one operation's answer may hold.
 * The document cannot say that (one interaction holds 42 events, another 10,000, and
 * `Event.channel` leads back to the channel's events), so a static cost limit would either
 * refuse ordinary dashboards or let a 60 MB answer through. Instead resolvers count each list
 * as they return it, before graphql-js builds its entries: the list that would go over the limit
 * is never built, nor is any list after it, and the operation is then refused whole, with one
 * error and no data (`settle`), rather than sent with holes that read as "not found".
 */
export class ResultLimit {
  private served = 0;
  private refusal: GraphQLError | undefined;

  constructor(private readonly max: number) {}

  /** Counts `items` into the answer and returns them; throws once the answer would hold too many. */
  serve<T>(items: T[]): T[] {
    if (this.refusal) throw this.refusal;
    this.served += items.length;
    if (this.served > this.max) {
      this.refusal = resultTooLarge(this.max);
      throw this.refusal;
    }
    return items;
  }

  /** The operation's result, or its refusal once it went over the limit. */
  settle(result: ExecutionResult): ExecutionResult {
    return this.refusal ? { data: null, errors: [this.refusal] } : result;
  }
}
