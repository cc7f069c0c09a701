/**
 * What each Lambda function needs, declared once. The composition root wires a function from its
 * declaration (only these use cases, secrets and ports), and the Pulumi program derives the
 * function's environment variables, IAM statements and trigger from the very same object, so the
 * code and its deployment cannot drift apart. The deploy-parity test runs every built bundle with
 * what Pulumi derives from here and checks each AWS call it makes against the derived policy.
 *
 * Pure data: imported by the runtime (adapters), the build script and the Pulumi program alike.
 */
import { ARCHIVE_ROOTS } from "../application/ports/conversation-archive.port";

/** The use cases a function can run, by the name the composition root resolves them under. */
export type UseCaseName =
  | "checkWorkspaceKey"
  | "prepareCallContext"
  | "searchMemories"
  | "rememberFact"
  | "acceptPostCall"
  | "ingestEvent"
  | "sweepInbox"
  | "forgetCaller"
  | "exportCaller"
  | "applyRetention"
  | "dropEvaluationMemories"
  | "importMemories"
  | "findCallers"
  | "readCallerDossier"
  | "failedEvents"
  | "replayEvent";

/**
 * The outbound ports behind the use cases (clock, settings and the ingestion trigger are always there).
 * `conversationReader` (the ElevenLabs wire read into a `Conversation`) is pure: it needs no
 * environment, secret or grant, only its code in the bundle.
 */
export type PortName = "secrets" | "memoryStore" | "callerProfiles" | "eventInbox" | "conversationArchive" | "audioSource" | "conversationReader";

/** Which ports each use case's constructor takes: the composition root loads adapters for these only. */
export const USE_CASE_PORTS: Readonly<Record<UseCaseName, readonly PortName[]>> = {
  checkWorkspaceKey: ["secrets"],
  prepareCallContext: ["memoryStore", "callerProfiles"],
  searchMemories: ["memoryStore"],
  rememberFact: ["memoryStore", "callerProfiles"],
  acceptPostCall: ["secrets", "eventInbox"],
  ingestEvent: ["eventInbox", "conversationReader", "conversationArchive", "memoryStore", "callerProfiles"],
  sweepInbox: ["eventInbox", "conversationReader", "conversationArchive", "memoryStore", "callerProfiles", "audioSource"],
  forgetCaller: ["memoryStore", "callerProfiles", "conversationArchive", "eventInbox", "conversationReader"],
  exportCaller: ["memoryStore", "callerProfiles", "conversationArchive", "conversationReader"],
  applyRetention: ["memoryStore", "callerProfiles", "conversationArchive", "eventInbox", "conversationReader"],
  dropEvaluationMemories: ["memoryStore", "callerProfiles"],
  importMemories: ["memoryStore", "callerProfiles"],
  // The operator dashboard's reads and its replay: the local server and CLI only, in no function.
  findCallers: ["callerProfiles", "memoryStore"],
  readCallerDossier: ["memoryStore", "callerProfiles", "conversationArchive", "conversationReader"],
  failedEvents: ["eventInbox"],
  replayEvent: ["eventInbox", "conversationReader", "conversationArchive", "memoryStore", "callerProfiles"],
};

/** Secrets by the name the code reads them under; on AWS each is an SSM SecureString named by `<NAME>_PARAM`. */
export type SecretName =
  | "ELEVENLABS_WORKSPACE_KEY"
  | "ELEVENLABS_HMAC_KEY"
  | "ELEVENLABS_API_KEY"
  | "MEM0_API_KEY";

/** Secrets a function may run without (its feature is then off); every other declared secret must be configured. */
export const OPTIONAL_SECRETS: ReadonlySet<SecretName> = new Set<SecretName>(["ELEVENLABS_API_KEY"]);

/**
 * Mem0 Cloud credentials: needed wherever memories are read or written on AWS. The API key alone: it
 * belongs to one project, and Mem0's v3 API takes no `org_id` / `project_id` (platform-v2-to-v3.mdx).
 */
export const MEM0_SECRETS = ["MEM0_API_KEY"] as const satisfies readonly SecretName[];

/** Plain settings a function reads from its environment when the stack sets them (secrets aside). */
export type SettingName = "AGENT_BASE_PROMPT" | "AGENT_LANGUAGE" | "AGENT_OVERRIDES" | "GREETINGS" | "RETRIEVE_REQUIRE_KEY" | "DEFAULT_REGION";

/** The S3 actions our adapters use. */
export type BucketAction = "s3:GetObject" | "s3:PutObject" | "s3:DeleteObject" | "s3:ListBucket";

/**
 * Access to one key prefix of the archive bucket. `s3:ListBucket` becomes a bucket-level grant bound
 * to the prefix by the `s3:prefix` condition (listing exactly a key is how the adapters ask whether
 * it exists); the object actions are granted on `<bucket>/<prefix>*`.
 */
interface BucketGrant {
  readonly prefix: string;
  readonly actions: readonly BucketAction[];
  /** Why the function touches this prefix (ends up as the statement's comment in tests and docs). */
  readonly why: string;
}

/** What starts the function. */
export type FunctionTrigger =
  | { readonly kind: "http"; readonly method: "POST"; readonly path: string }
  | { readonly kind: "s3"; readonly events: "s3:ObjectCreated:*"; readonly prefix: string }
  | { readonly kind: "schedule"; readonly expression: string };

export interface FunctionDeclaration {
  /** Also the bundle directory (`dist/lambda/<name>`) and the suffix of every AWS name. */
  readonly name: string;
  /** Source of the handler module, relative to the project root (bundled by `npm run build`). */
  readonly entry: string;
  readonly trigger: FunctionTrigger;
  /** Seconds. HTTP functions stay under API Gateway's 30 s integration limit. */
  readonly timeoutSeconds: number;
  readonly useCases: readonly UseCaseName[];
  readonly secrets: readonly SecretName[];
  readonly settings: readonly SettingName[];
  readonly bucket: readonly BucketGrant[];
  /** Failed asynchronous invocations go to the stack's dead-letter queue (Lambda sends them with the function's role). */
  readonly deadLetterQueue: boolean;
  /** Reserved concurrency when it must not follow the stack's setting (one sweep at a time). */
  readonly reservedConcurrency?: number;
  /**
   * Records one metric event per request (per ingested event for the worker) under `METRICS_NAMESPACE`,
   * which the Pulumi program sets to the stack's namespace. On AWS an event is an Embedded Metric Format
   * line in the function's log: no grant beyond writing its own log group.
   */
  readonly recordsMetrics: boolean;
  /**
   * Every event, or nearly, reads or writes memories: the Mem0 client is built with the function's
   * scope (on Lambda during its initialisation, see primeOnLambda), not when a first memory call waits
   * for it. The worker counts: its audio events need no memory, but a call's transcription is its
   * usual first event. False where an event may need none: client-data answers a caller with a profile
   * from S3 alone, and most sweeps find nothing to do; a sweep that takes up a transcription starts
   * the build then (IngestEvent).
   */
  readonly memoryOnEveryEvent: boolean;
}

const http = (path: string) => ({ kind: "http", method: "POST", path }) as const satisfies FunctionTrigger;

/** Where `S3EventInbox` keeps events: pending raw bodies, done markers, parked failures and audio-wait markers. */
export const INBOX_PREFIXES = {
  pending: "inbox/",
  done: "processed/",
  failed: "failed/",
  awaitingAudio: "awaiting-audio/",
} as const;

/** Where the archive keeps the record of each call (the key layout is the application's). */
export const ARCHIVE_PREFIXES = ARCHIVE_ROOTS;

/** Where `S3CallerProfileStore` keeps one profile per caller (`profiles/<caller id>.json`). */
export const PROFILES_PREFIX = "profiles/";

/**
 * Reading a caller's profile: whether it exists is asked by listing exactly its key, because S3
 * answers a GetObject of a missing key with 403, not 404, to a role that may not list it.
 */
const PROFILE_READ: BucketGrant = {
  prefix: PROFILES_PREFIX,
  actions: ["s3:GetObject", "s3:ListBucket"],
  why: "read the caller's profile the call starts from; does the caller have one",
};

/** Rebuilding a caller's profile: read the version, write conditionally on it (after a call, or a fact remembered in one). */
const PROFILE_REBUILD: BucketGrant = {
  prefix: PROFILES_PREFIX,
  actions: ["s3:GetObject", "s3:PutObject", "s3:ListBucket"],
  why: "rebuild the caller's profile (conditional write on the version read)",
};

/** Reading one stored event and its state (the worker and the sweep). */
const INGEST_GRANTS: readonly BucketGrant[] = [
  { prefix: INBOX_PREFIXES.pending, actions: ["s3:GetObject", "s3:ListBucket"], why: "read the stored event; is it still pending" },
  { prefix: INBOX_PREFIXES.done, actions: ["s3:PutObject", "s3:ListBucket"], why: "mark the event done; was it done before" },
  { prefix: INBOX_PREFIXES.failed, actions: ["s3:PutObject", "s3:ListBucket"], why: "park an event that cannot be ingested; was it parked" },
  {
    prefix: INBOX_PREFIXES.awaitingAudio,
    actions: ["s3:PutObject", "s3:DeleteObject"],
    why: "remember a transcription whose audio has not come yet; forget it once the audio is archived",
  },
  { prefix: ARCHIVE_PREFIXES.transcripts, actions: ["s3:PutObject"], why: "archive the transcript" },
  { prefix: ARCHIVE_PREFIXES.audio, actions: ["s3:PutObject"], why: "archive the recording" },
  PROFILE_REBUILD,
];

/** What the sweep does beyond ingesting: find what is still pending, and every call still waiting for its audio. */
const SWEEP_EXTRAS: Readonly<Record<string, BucketGrant>> = {
  [INBOX_PREFIXES.pending]: { prefix: INBOX_PREFIXES.pending, actions: ["s3:GetObject", "s3:ListBucket"], why: "list and read what is still pending" },
  [INBOX_PREFIXES.awaitingAudio]: {
    prefix: INBOX_PREFIXES.awaitingAudio,
    actions: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:ListBucket"],
    why: "list and read the calls still waiting for their audio; settle them",
  },
};

/** The deployed functions, in the order the Pulumi program creates them. */
export const FUNCTIONS = {
  "client-data": {
    name: "client-data",
    entry: "adapters/inbound/lambda/client-data.handler.ts",
    trigger: http("/client-data"),
    timeoutSeconds: 30,
    useCases: ["checkWorkspaceKey", "prepareCallContext"],
    secrets: ["ELEVENLABS_WORKSPACE_KEY", ...MEM0_SECRETS],
    settings: ["AGENT_BASE_PROMPT", "AGENT_LANGUAGE", "AGENT_OVERRIDES", "GREETINGS", "DEFAULT_REGION"],
    bucket: [PROFILE_READ],
    deadLetterQueue: false,
    recordsMetrics: true,
    memoryOnEveryEvent: false,
  },
  retrieve: {
    name: "retrieve",
    entry: "adapters/inbound/lambda/retrieve.handler.ts",
    trigger: http("/retrieve"),
    timeoutSeconds: 30,
    useCases: ["checkWorkspaceKey", "searchMemories"],
    secrets: ["ELEVENLABS_WORKSPACE_KEY", ...MEM0_SECRETS],
    settings: ["RETRIEVE_REQUIRE_KEY", "DEFAULT_REGION"],
    bucket: [],
    deadLetterQueue: false,
    recordsMetrics: true,
    memoryOnEveryEvent: true,
  },
  remember: {
    name: "remember",
    entry: "adapters/inbound/lambda/remember.handler.ts",
    trigger: http("/remember"),
    timeoutSeconds: 30,
    useCases: ["checkWorkspaceKey", "rememberFact"],
    secrets: ["ELEVENLABS_WORKSPACE_KEY", ...MEM0_SECRETS],
    settings: ["RETRIEVE_REQUIRE_KEY", "DEFAULT_REGION"],
    bucket: [PROFILE_REBUILD],
    deadLetterQueue: false,
    recordsMetrics: true,
    memoryOnEveryEvent: true,
  },
  "post-call": {
    name: "post-call",
    entry: "adapters/inbound/lambda/post-call.handler.ts",
    trigger: http("/post-call"),
    timeoutSeconds: 30,
    useCases: ["acceptPostCall"],
    secrets: ["ELEVENLABS_HMAC_KEY"],
    settings: [],
    bucket: [
      { prefix: INBOX_PREFIXES.pending, actions: ["s3:PutObject"], why: "store the raw signed event (conditional write)" },
      { prefix: INBOX_PREFIXES.done, actions: ["s3:ListBucket"], why: "a re-delivery of an ingested event is a duplicate" },
      { prefix: INBOX_PREFIXES.failed, actions: ["s3:ListBucket"], why: "a re-delivery of a parked event is a duplicate" },
    ],
    deadLetterQueue: false,
    recordsMetrics: true,
    memoryOnEveryEvent: false,
  },
  worker: {
    name: "worker",
    entry: "adapters/inbound/lambda/worker.handler.ts",
    trigger: { kind: "s3", events: "s3:ObjectCreated:*", prefix: INBOX_PREFIXES.pending },
    timeoutSeconds: 60,
    useCases: ["ingestEvent"],
    secrets: MEM0_SECRETS,
    // A stored event whose caller id is national and that names no number of ours is read in it.
    settings: ["DEFAULT_REGION"],
    bucket: INGEST_GRANTS,
    deadLetterQueue: true,
    recordsMetrics: true,
    memoryOnEveryEvent: true,
  },
  sweep: {
    name: "sweep",
    entry: "adapters/inbound/lambda/sweep.handler.ts",
    trigger: { kind: "schedule", expression: "rate(10 minutes)" },
    timeoutSeconds: 300,
    useCases: ["sweepInbox"],
    secrets: [...MEM0_SECRETS, "ELEVENLABS_API_KEY"],
    settings: ["DEFAULT_REGION"],
    bucket: INGEST_GRANTS.map((grant) => SWEEP_EXTRAS[grant.prefix] ?? grant),
    deadLetterQueue: false,
    // Its re-drives of lost notifications are rare and not requests of a route the dashboard shows.
    recordsMetrics: false,
    memoryOnEveryEvent: false,
    reservedConcurrency: 1,
  },
} as const satisfies Record<string, FunctionDeclaration>;

export type FunctionName = keyof typeof FUNCTIONS;

/** The functions API Gateway routes to (each at its declared `POST /<path>`). */
export type HttpFunctionName = { [F in FunctionName]: (typeof FUNCTIONS)[F]["trigger"]["kind"] extends "http" ? F : never }[FunctionName];

export const HTTP_FUNCTIONS = (Object.keys(FUNCTIONS) as FunctionName[]).filter(
  (name): name is HttpFunctionName => FUNCTIONS[name].trigger.kind === "http",
);

/** The use cases of one declared function, as a type (what its handler may resolve). */
export type UseCasesOf<F extends FunctionName> = (typeof FUNCTIONS)[F]["useCases"][number];

/** Use cases a use case builds on (resolved through the container, so they are wired with it). */
const USE_CASE_DEPENDENCIES: Partial<Record<UseCaseName, readonly UseCaseName[]>> = { sweepInbox: ["ingestEvent"], replayEvent: ["ingestEvent"] };

/** Every use case a scope of `useCases` wires: those and the ones they build on. */
export function wiredUseCases(useCases: readonly UseCaseName[]): UseCaseName[] {
  return [...new Set(useCases.flatMap((useCase) => [useCase, ...(USE_CASE_DEPENDENCIES[useCase] ?? [])]))];
}

/** The ports a set of use cases needs. */
export function portsOf(useCases: readonly UseCaseName[]): ReadonlySet<PortName> {
  return new Set(useCases.flatMap((useCase) => USE_CASE_PORTS[useCase]));
}
