/** DI token for {@link Clock}. */
export const CLOCK = Symbol("Clock");

/** The only source of "now" for use cases, so tests can control time. */
export interface Clock {
  /** Milliseconds since the epoch. */
  nowMs(): number;
}

export const nowSeconds = (clock: Clock): number => Math.floor(clock.nowMs() / 1000);
