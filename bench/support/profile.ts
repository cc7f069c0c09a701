/**
 * How big and how long each part of a run is. `quick` keeps every result name of `full` and only
 * shrinks the seed, the iteration counts and the durations, so a quick run fits in about 45 s.
 */
export interface Profile {
  readonly name: "full" | "quick";
  readonly seed: { readonly memories: number; readonly callers: number; readonly callerUnderTest: number };
  readonly inProcess: {
    /** Each case runs in this many interleaved rounds so that machine drift hits every case alike. */
    readonly rounds: number;
    readonly warmup: number;
    /** Iterations per case over all rounds, and the time each case may take over all rounds. */
    readonly iterations: Readonly<Record<InProcessCase, number>>;
    readonly maxMsPerCase: number;
  };
  readonly http: { readonly connections: number; readonly warmupSeconds: number; readonly seconds: number };
  readonly cold: { readonly repetitions: number };
  readonly rss: {
    readonly events: Readonly<Record<BundleFunction, number>>;
    readonly maxMs: number;
    /** Lost-notification transcriptions waiting in the inbox when the sweep's stream of scheduled events starts. */
    readonly sweepBacklog: number;
  };
  /** The retrieval corpus (bench/support/retrieval-corpus.ts): callers, each with this many calls and stated facts. */
  readonly retrieval: { readonly callers: number; readonly callsPerCaller: number; readonly factsPerCaller: number };
}

export type InProcessCase =
  | "floor"
  | "client-data"
  | "retrieve"
  | "post-call-ack"
  | "post-call-ingest"
  | "mem0-client-data"
  | "mem0-retrieve"
  | "mem0-client-data-20"
  | "mem0-client-data-5k"
  | "mem0-retrieve-5k";

/** Every deployed function (adapters/function-declarations.ts); the deployment phase checks that none is missing. */
export const BUNDLE_FUNCTIONS = ["client-data", "retrieve", "remember", "post-call", "worker", "sweep"] as const;
export type BundleFunction = (typeof BUNDLE_FUNCTIONS)[number];

export const FULL: Profile = {
  name: "full",
  seed: { memories: 10_000, callers: 1_000, callerUnderTest: 200 },
  inProcess: {
    rounds: 4,
    warmup: 50,
    iterations: {
      floor: 20_000,
      "client-data": 3_000,
      retrieve: 3_000,
      "post-call-ack": 1_000,
      "post-call-ingest": 200,
      "mem0-client-data": 600,
      "mem0-retrieve": 1_000,
      "mem0-client-data-20": 600,
      "mem0-client-data-5k": 600,
      "mem0-retrieve-5k": 600,
    },
    maxMsPerCase: 12_000,
  },
  http: { connections: 100, warmupSeconds: 1, seconds: 10 },
  cold: { repetitions: 15 },
  rss: { events: { "client-data": 3_000, retrieve: 3_000, remember: 1_000, "post-call": 1_000, worker: 300, sweep: 50 }, maxMs: 15_000, sweepBacklog: 25 },
  retrieval: { callers: 200, callsPerCaller: 10, factsPerCaller: 6 },
};

export const QUICK: Profile = {
  name: "quick",
  seed: { memories: 2_000, callers: 200, callerUnderTest: 200 },
  inProcess: {
    rounds: 2,
    warmup: 20,
    iterations: {
      floor: 4_000,
      "client-data": 400,
      retrieve: 400,
      "post-call-ack": 150,
      "post-call-ingest": 30,
      "mem0-client-data": 100,
      "mem0-retrieve": 150,
      "mem0-client-data-20": 100,
      "mem0-client-data-5k": 100,
      "mem0-retrieve-5k": 100,
    },
    maxMsPerCase: 1_500,
  },
  http: { connections: 100, warmupSeconds: 0.3, seconds: 1.5 },
  cold: { repetitions: 3 },
  rss: { events: { "client-data": 300, retrieve: 300, remember: 100, "post-call": 100, worker: 30, sweep: 10 }, maxMs: 2_000, sweepBacklog: 5 },
  retrieval: { callers: 60, callsPerCaller: 10, factsPerCaller: 6 },
};
