import { answeredCall, endedCall, incomingCall } from '../dist/demo/liveCalls.js';

// The benchmarks' moving calls, the same every run: each token starts with five calls waiting,
// and each step answers one waiting call, ends one answered call and brings in a new one.

/** Five waiting calls per token, as a map from token to its calls in progress. */
export function startingCalls(tokens, next, now = Date.now()) {
  return new Map(tokens.map((t) => [t, [1, 2, 3, 4, 5].map(() => incomingCall(next, now))]));
}

/** One step for every token, each change put to the stand-in with `put(token, call)`. */
export function changeCalls(calls, next, put, now = Date.now()) {
  for (const [token, list] of calls) {
    const queued = list.findIndex((c) => c.channels.length === 1);
    if (queued >= 0) put(token, (list[queued] = answeredCall(list[queued], next, now)));
    const ending = list.findIndex((c) => c.channels.length > 1);
    if (ending >= 0) {
      put(token, endedCall(list[ending], now));
      list.splice(ending, 1);
    }
    const call = incomingCall(next, now);
    list.push(call);
    put(token, call);
  }
}
