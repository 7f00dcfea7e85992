/** The sizes one token's window may take. */
export interface WindowBounds {
  /** Where a token starts, clamped to `min` and `max`. */
  initial: number;
  min: number;
  max: number;
}

/**
 * How many Stats API requests one token may have in flight, learned from upstream the way TCP
 * learns a congestion window. Upstream's fair-usage limit is not published and is shared by
 * everything the account calls, so the gateway cannot be told it: it finds it. Until upstream
 * first pushes back the window grows by one for each attempt answered while the token was using
 * all of it (doubling each round trip); after that by one per window of such answers. Pushback
 * halves it, once per window: attempts already in flight when it shrank were sent at the old
 * size, so their answers, pushback or not, say nothing about the new one.
 *
 * Latency is deliberately not a signal: what the gateway measures includes its own event loop,
 * so a busy gateway would shrink windows that upstream was happy with.
 */
export class TokenWindow {
  inFlight = 0;
  size: number;
  /** Counts decreases; an attempt remembers the one it started in. */
  epoch = 0;
  /** When the token last had nothing in flight or waiting; `undefined` while it has. */
  idleSince: number | undefined;
  private probing = true;
  /** Answers counted towards the next step of additive increase. */
  private credit = 0;

  constructor(private readonly bounds: WindowBounds) {
    this.size = Math.min(bounds.max, Math.max(bounds.min, bounds.initial));
  }

  hasRoom(): boolean {
    return this.inFlight < this.size;
  }

  /**
   * An attempt started in `epoch` was answered without pushback; `inFlight` still counts it, so
   * the token was using its whole window if `inFlight` has reached the size.
   */
  answered(epoch: number): void {
    if (epoch !== this.epoch || this.inFlight < this.size || this.size >= this.bounds.max) return;
    if (this.probing || ++this.credit >= this.size) {
      this.size++;
      this.credit = 0;
    }
  }

  /** Upstream pushed back on an attempt started in `epoch`: the size before, if it shrank. */
  pushedBack(epoch: number): number | undefined {
    if (epoch !== this.epoch) return undefined;
    const before = this.size;
    this.epoch++;
    this.probing = false;
    this.credit = 0;
    this.size = Math.max(this.bounds.min, Math.floor(before / 2));
    return this.size < before ? before : undefined;
  }
}
