import "reflect-metadata";
import { join } from "node:path";
import { container as rootContainer, instanceCachingFactory, type DependencyContainer } from "tsyringe";
import { AUDIO_SOURCE, type AudioSource } from "../application/ports/audio-source.port";
import type { CallerProfiles } from "../application/caller-profiles";
import { CALL_SETTINGS, type CallSettings } from "../application/call-settings";
import { withDeadline } from "../application/deadline";
import { CALLER_PROFILES, type CallerProfileStore } from "../application/ports/caller-profile-store.port";
import { CLOCK, type Clock } from "../application/ports/clock.port";
import { CONVERSATION_ARCHIVE, type ConversationArchive } from "../application/ports/conversation-archive.port";
import { CONVERSATION_READER, type ConversationReader } from "../application/ports/conversation-reader.port";
import { EVENT_INBOX, type EventInbox } from "../application/ports/event-inbox.port";
import { INGESTION_TRIGGER, type IngestionTrigger } from "../application/ports/ingestion-trigger.port";
import { MEMORY_STORE, type MemoryStore } from "../application/ports/memory-store.port";
import { SECRETS, type Secrets } from "../application/ports/secrets.port";
import { USAGE_READER, USAGE_RECORDER, type UsageReader, type UsageRecorder } from "../application/ports/usage-metrics.port";
import type { AcceptPostCall } from "../application/use-cases/accept-post-call.use-case";
import type { ApplyRetention } from "../application/use-cases/apply-retention.use-case";
import type { CheckWorkspaceKey } from "../application/use-cases/check-workspace-key.use-case";
import type { DropEvaluationMemories } from "../application/use-cases/drop-evaluation-memories.use-case";
import type { ExportCaller } from "../application/use-cases/export-caller.use-case";
import type { ForgetCaller } from "../application/use-cases/forget-caller.use-case";
import type { ImportMemories } from "../application/use-cases/import-memories.use-case";
import type { FindCallers } from "../application/use-cases/find-callers.use-case";
import type { ReadCallerDossier } from "../application/use-cases/read-caller-dossier.use-case";
import type { FailedEvents } from "../application/use-cases/failed-events.use-case";
import type { ReplayEvent } from "../application/use-cases/replay-event.use-case";
import type { IngestEvent } from "../application/use-cases/ingest-event.use-case";
import type { PrepareCallContext } from "../application/use-cases/prepare-call-context.use-case";
import type { RememberFact } from "../application/use-cases/remember-fact.use-case";
import type { SearchMemories } from "../application/use-cases/search-memories.use-case";
import type { SweepInbox } from "../application/use-cases/sweep-inbox.use-case";
import { callSettingsFrom, ConfigError, loadEnv, type Env } from "./config";
import {
  FUNCTIONS,
  MEM0_SECRETS,
  OPTIONAL_SECRETS,
  portsOf,
  wiredUseCases,
  USE_CASE_PORTS,
  type FunctionName,
  type SecretName,
  type UseCaseName,
  type UseCasesOf,
} from "./function-declarations";
import { describeError } from "../domain/error-description";
import { logger, type AppLogger } from "./logging/logger";
import { LazyMemoryStore } from "./outbound/lazy-memory-store";
import { NO_USAGE_RECORDER, QuietUsageRecorder } from "./outbound/quiet-usage-recorder";
import { SecretReader } from "./outbound/secret-reader";
import { SystemClock } from "./outbound/system-clock";
import { REHEARSAL_CALLER_ID } from "./rehearsal-caller";

/** Every use case, by the name declarations use. */
interface UseCases {
  readonly checkWorkspaceKey: CheckWorkspaceKey;
  readonly prepareCallContext: PrepareCallContext;
  readonly searchMemories: SearchMemories;
  readonly rememberFact: RememberFact;
  readonly acceptPostCall: AcceptPostCall;
  readonly ingestEvent: IngestEvent;
  readonly sweepInbox: SweepInbox;
  readonly forgetCaller: ForgetCaller;
  readonly exportCaller: ExportCaller;
  readonly applyRetention: ApplyRetention;
  readonly dropEvaluationMemories: DropEvaluationMemories;
  readonly importMemories: ImportMemories;
  readonly findCallers: FindCallers;
  readonly readCallerDossier: ReadCallerDossier;
  readonly failedEvents: FailedEvents;
  readonly replayEvent: ReplayEvent;
}

/** What every scope carries besides its use cases. */
interface ScopeBase {
  readonly env: Env;
  readonly settings: CallSettings;
  readonly logger: AppLogger;
  /** Where the handler records its one metric event per request; never fails. */
  readonly metrics: UsageRecorder;
  close(): Promise<void>;
}

/** What one function's handler gets: exactly the use cases it declares. */
export type Scope<U extends UseCaseName> = Pick<UseCases, U> & ScopeBase;

/** A deployed function's scope, which its initialisation can finish ahead of its first event. */
export type FunctionScope<U extends UseCaseName> = Scope<U> & {
  /**
   * Finish what the first event would otherwise wait for: the declared secrets read from SSM; where
   * every event uses memories, the Mem0 client built and its connection open (its ping answered);
   * where the function keeps caller profiles, the profile store's connection open (by reading the
   * profile of the fictional {@link REHEARSAL_CALLER_ID}). Each connection is waited for at most
   * {@link CONNECT_WAIT_MS} (see {@link primeOnLambda}). Never rejects: a step that fails is done
   * again, and reported, when an event needs it.
   */
  prime(): Promise<void>;
};

/** The local server and the operator CLI run every use case and reach the ports directly. */
export interface App extends Scope<UseCaseName> {
  readonly backends: { readonly memory: string; readonly archive: string; readonly metrics: "embedded" | "cloudwatch" };
  readonly secrets: SecretReader;
  readonly memories: MemoryStore;
  readonly inbox: EventInbox;
  readonly archive: ConversationArchive;
  /** The recorded metric events, summarised for the dashboard: DATA_DIR/metrics.db, or CloudWatch where METRICS_NAMESPACE is set. */
  readonly usage: UsageReader;
  /** Where {@link App.usage} reads, in words for a page: `DATA_DIR/metrics.db` or the CloudWatch namespace. */
  readonly usageSource: string;
}

/** Explicit tokens, one per use case (tsyringe cannot see types at run time). */
const USE_CASE_TOKENS: Readonly<Record<UseCaseName, symbol>> = {
  checkWorkspaceKey: Symbol("CheckWorkspaceKey"),
  prepareCallContext: Symbol("PrepareCallContext"),
  searchMemories: Symbol("SearchMemories"),
  rememberFact: Symbol("RememberFact"),
  acceptPostCall: Symbol("AcceptPostCall"),
  ingestEvent: Symbol("IngestEvent"),
  sweepInbox: Symbol("SweepInbox"),
  forgetCaller: Symbol("ForgetCaller"),
  exportCaller: Symbol("ExportCaller"),
  applyRetention: Symbol("ApplyRetention"),
  dropEvaluationMemories: Symbol("DropEvaluationMemories"),
  importMemories: Symbol("ImportMemories"),
  findCallers: Symbol("FindCallers"),
  readCallerDossier: Symbol("ReadCallerDossier"),
  failedEvents: Symbol("FailedEvents"),
  replayEvent: Symbol("ReplayEvent"),
};

/** Replaceable parts: the local server brings its worker as trigger; tests may bring a clock. */
export interface ScopeOverrides {
  readonly trigger?: IngestionTrigger;
  readonly clock?: Clock;
}

const noTrigger: IngestionTrigger = { notify: () => undefined };
const ALL_USE_CASES = Object.keys(USE_CASE_PORTS) as UseCaseName[];
const ALL_SECRETS: readonly SecretName[] = [
  "ELEVENLABS_WORKSPACE_KEY",
  "ELEVENLABS_HMAC_KEY",
  "ELEVENLABS_API_KEY",
  ...MEM0_SECRETS,
];

/** The caller-profile service the call-start and ingestion use cases share, from its ports (its module loaded on demand). */
async function callerProfiles(): Promise<(r: DependencyContainer) => CallerProfiles> {
  const { CallerProfiles } = await import("../application/caller-profiles");
  return (r) =>
    new CallerProfiles(r.resolve<MemoryStore>(MEMORY_STORE), r.resolve<CallerProfileStore>(CALLER_PROFILES), r.resolve<CallSettings>(CALL_SETTINGS), r.resolve<Clock>(CLOCK));
}

/**
 * How each use case is built from its ports (the constructor's parameters, by token). Each use case's
 * module is imported only when a scope declares it: a function's bundle entry then carries no use
 * case, and a cold start loads (and compiles) its own use cases and the domain rules they need, not
 * every other function's (post-call never loads the caller-name rules).
 */
const USE_CASE_FACTORIES: { readonly [U in UseCaseName]: () => Promise<(r: DependencyContainer) => UseCases[U]> } = {
  checkWorkspaceKey: async () => {
    const { CheckWorkspaceKey } = await import("../application/use-cases/check-workspace-key.use-case");
    return (r) => new CheckWorkspaceKey(r.resolve<Secrets>(SECRETS));
  },
  prepareCallContext: async () => {
    const [{ PrepareCallContext }, profiles] = await Promise.all([import("../application/use-cases/prepare-call-context.use-case"), callerProfiles()]);
    return (r) => new PrepareCallContext(profiles(r), r.resolve<CallSettings>(CALL_SETTINGS));
  },
  searchMemories: async () => {
    const { SearchMemories } = await import("../application/use-cases/search-memories.use-case");
    return (r) => new SearchMemories(r.resolve<MemoryStore>(MEMORY_STORE), r.resolve<CallSettings>(CALL_SETTINGS));
  },
  rememberFact: async () => {
    const [{ RememberFact }, profiles] = await Promise.all([import("../application/use-cases/remember-fact.use-case"), callerProfiles()]);
    return (r) => new RememberFact(r.resolve<MemoryStore>(MEMORY_STORE), profiles(r), r.resolve<Clock>(CLOCK), r.resolve<CallSettings>(CALL_SETTINGS));
  },
  acceptPostCall: async () => {
    const { AcceptPostCall } = await import("../application/use-cases/accept-post-call.use-case");
    return (r) =>
      new AcceptPostCall(r.resolve<Secrets>(SECRETS), r.resolve<EventInbox>(EVENT_INBOX), r.resolve<IngestionTrigger>(INGESTION_TRIGGER), r.resolve<Clock>(CLOCK));
  },
  ingestEvent: async () => {
    const [{ IngestEvent }, profiles] = await Promise.all([import("../application/use-cases/ingest-event.use-case"), callerProfiles()]);
    return (r) =>
      new IngestEvent(
        r.resolve<EventInbox>(EVENT_INBOX),
        r.resolve<ConversationReader>(CONVERSATION_READER),
        r.resolve<ConversationArchive>(CONVERSATION_ARCHIVE),
        r.resolve<MemoryStore>(MEMORY_STORE),
        r.resolve<Clock>(CLOCK),
        profiles(r),
        r.resolve<CallSettings>(CALL_SETTINGS),
      );
  },
  sweepInbox: async () => {
    const { SweepInbox } = await import("../application/use-cases/sweep-inbox.use-case");
    return (r) =>
      new SweepInbox(
        r.resolve<EventInbox>(EVENT_INBOX),
        r.resolve<IngestEvent>(USE_CASE_TOKENS.ingestEvent),
        r.resolve<ConversationArchive>(CONVERSATION_ARCHIVE),
        r.resolve<AudioSource>(AUDIO_SOURCE),
        r.resolve<Clock>(CLOCK),
      );
  },
  forgetCaller: async () => {
    const { ForgetCaller } = await import("../application/use-cases/forget-caller.use-case");
    return (r) =>
      new ForgetCaller(
        r.resolve<MemoryStore>(MEMORY_STORE),
        r.resolve<ConversationArchive>(CONVERSATION_ARCHIVE),
        r.resolve<EventInbox>(EVENT_INBOX),
        r.resolve<ConversationReader>(CONVERSATION_READER),
        r.resolve<CallerProfileStore>(CALLER_PROFILES),
        r.resolve<CallSettings>(CALL_SETTINGS),
      );
  },
  exportCaller: async () => {
    const { ExportCaller } = await import("../application/use-cases/export-caller.use-case");
    return (r) =>
      new ExportCaller(
        r.resolve<MemoryStore>(MEMORY_STORE),
        r.resolve<ConversationArchive>(CONVERSATION_ARCHIVE),
        r.resolve<ConversationReader>(CONVERSATION_READER),
        r.resolve<Clock>(CLOCK),
        r.resolve<CallerProfileStore>(CALLER_PROFILES),
      );
  },
  applyRetention: async () => {
    const { ApplyRetention } = await import("../application/use-cases/apply-retention.use-case");
    return (r) =>
      new ApplyRetention(
        r.resolve<MemoryStore>(MEMORY_STORE),
        r.resolve<ConversationArchive>(CONVERSATION_ARCHIVE),
        r.resolve<EventInbox>(EVENT_INBOX),
        r.resolve<ConversationReader>(CONVERSATION_READER),
        r.resolve<Clock>(CLOCK),
        r.resolve<CallerProfileStore>(CALLER_PROFILES),
        r.resolve<CallSettings>(CALL_SETTINGS),
      );
  },
  dropEvaluationMemories: async () => {
    const { DropEvaluationMemories } = await import("../application/use-cases/drop-evaluation-memories.use-case");
    return (r) => new DropEvaluationMemories(r.resolve<MemoryStore>(MEMORY_STORE), r.resolve<CallerProfileStore>(CALLER_PROFILES));
  },
  importMemories: async () => {
    const [{ ImportMemories }, profiles] = await Promise.all([import("../application/use-cases/import-memories.use-case"), callerProfiles()]);
    return (r) => new ImportMemories(r.resolve<MemoryStore>(MEMORY_STORE), profiles(r), r.resolve<Clock>(CLOCK));
  },
  findCallers: async () => {
    const { FindCallers } = await import("../application/use-cases/find-callers.use-case");
    return (r) => new FindCallers(r.resolve<CallerProfileStore>(CALLER_PROFILES), r.resolve<MemoryStore>(MEMORY_STORE), r.resolve<CallSettings>(CALL_SETTINGS));
  },
  readCallerDossier: async () => {
    const { ReadCallerDossier } = await import("../application/use-cases/read-caller-dossier.use-case");
    return (r) =>
      new ReadCallerDossier(
        r.resolve<MemoryStore>(MEMORY_STORE),
        r.resolve<CallerProfileStore>(CALLER_PROFILES),
        r.resolve<ConversationArchive>(CONVERSATION_ARCHIVE),
        r.resolve<ConversationReader>(CONVERSATION_READER),
      );
  },
  failedEvents: async () => {
    const { FailedEvents } = await import("../application/use-cases/failed-events.use-case");
    return (r) => new FailedEvents(r.resolve<EventInbox>(EVENT_INBOX));
  },
  replayEvent: async () => {
    const { ReplayEvent } = await import("../application/use-cases/replay-event.use-case");
    return (r) => new ReplayEvent(r.resolve<EventInbox>(EVENT_INBOX), r.resolve<IngestEvent>(USE_CASE_TOKENS.ingestEvent));
  },
};


interface Composed {
  readonly container: DependencyContainer;
  readonly secrets: SecretReader;
  /** Settles once the declared secrets kept in SSM were read (or failed to be), for a deployed function. */
  readonly secretsRead: Promise<void>;
  readonly closers: readonly (() => Promise<void> | void)[];
}

/**
 * The composition root: a child container holding only what `useCases` need. Adapters are imported
 * lazily and only for the ports those use cases take, so a function never loads (or configures, or
 * needs the secrets of) a backend it does not use: post-call never touches Mem0.
 */
async function compose(
  useCases: readonly UseCaseName[],
  secretNames: readonly SecretName[],
  env: Env,
  overrides: ScopeOverrides,
  checkSecrets = true,
): Promise<Composed> {
  const wanted = wiredUseCases(useCases);
  const ports = portsOf(wanted);
  const c = rootContainer.createChildContainer();
  const closers: (() => Promise<void> | void)[] = [];
  const memoryBackend = ports.has("memoryStore") ? env.MEMORY_BACKEND : null;
  // Mem0 credentials are needed only where memories live in Mem0.
  const required = checkSecrets
    ? secretNames.filter((name) => !OPTIONAL_SECRETS.has(name) && (memoryBackend === "mem0" || !isMem0Secret(name)))
    : [];
  const secrets = new SecretReader(env, secretNames, required);
  // A deployed function (its secrets checked at start) reads what it declared: from SSM, all at once, from here.
  const secretsRead = checkSecrets ? secrets.prefetch() : Promise.resolve();

  c.register(CALL_SETTINGS, { useValue: callSettingsFrom(env) });
  c.register(CLOCK, { useValue: overrides.clock ?? new SystemClock() });
  c.register(INGESTION_TRIGGER, { useValue: overrides.trigger ?? noTrigger });
  if (ports.has("secrets")) c.register(SECRETS, { useValue: secrets });

  if (memoryBackend === "mem0") {
    if (env.MEM0_API_KEY === undefined && env.MEM0_API_KEY_PARAM === undefined) {
      throw new ConfigError("MEMORY_BACKEND=mem0 needs MEM0_API_KEY (or MEM0_API_KEY_PARAM naming an SSM parameter)");
    }
    // Built on first use: a call answered from the caller's profile never needs Mem0 (nor its key, nor mem0ai).
    const store = new LazyMemoryStore(async () => {
      const { createMem0MemoryStore } = await import("./outbound/mem0/mem0-memory-store");
      return createMem0MemoryStore({ apiKey: secrets.get("MEM0_API_KEY"), ...(env.MEM0_HOST === undefined ? {} : { host: env.MEM0_HOST }) });
    });
    c.register(MEMORY_STORE, { useValue: store });
  } else if (memoryBackend === "embedded") {
    const { SqliteMemoryStore } = await import("./outbound/embedded/sqlite-memory-store");
    const store = new SqliteMemoryStore(join(env.DATA_DIR, "memories.db"));
    closers.push(() => store.close());
    c.register(MEMORY_STORE, { useValue: store });
  }

  if (ports.has("callerProfiles")) {
    // Beside the archive: in the bucket on AWS, in the embedded database locally (whatever the memory backend).
    if (env.ARCHIVE_BUCKET !== undefined) {
      const { s3Access } = await import("./outbound/aws/s3-access");
      const { S3CallerProfileStore } = await import("./outbound/aws/s3-caller-profile-store");
      c.register(CALLER_PROFILES, { useValue: new S3CallerProfileStore({ ...s3Access(process.env, env.ARCHIVE_BUCKET), bucket: env.ARCHIVE_BUCKET, sse: env.ARCHIVE_SSE }) });
    } else {
      const { SqliteCallerProfileStore } = await import("./outbound/embedded/sqlite-caller-profile-store");
      const profiles = new SqliteCallerProfileStore(join(env.DATA_DIR, "profiles.db"));
      closers.push(() => profiles.close());
      c.register(CALLER_PROFILES, { useValue: profiles });
    }
  }

  if (ports.has("eventInbox") || ports.has("conversationArchive")) {
    if (env.ARCHIVE_BUCKET !== undefined) {
      const { s3Access } = await import("./outbound/aws/s3-access");
      const { S3EventInbox } = await import("./outbound/aws/s3-event-inbox");
      const { S3ConversationArchive } = await import("./outbound/aws/s3-conversation-archive");
      const bucket = { ...s3Access(process.env, env.ARCHIVE_BUCKET), bucket: env.ARCHIVE_BUCKET, sse: env.ARCHIVE_SSE };
      c.register(EVENT_INBOX, { useValue: new S3EventInbox(bucket) });
      c.register(CONVERSATION_ARCHIVE, { useValue: new S3ConversationArchive(bucket) });
    } else {
      const { FsEventInbox } = await import("./outbound/embedded/fs-event-inbox");
      const { FsConversationArchive } = await import("./outbound/embedded/fs-conversation-archive");
      c.register(EVENT_INBOX, { useValue: new FsEventInbox(env.DATA_DIR) });
      c.register(CONVERSATION_ARCHIVE, { useValue: new FsConversationArchive(env.DATA_DIR) });
    }
  }

  if (ports.has("conversationReader")) {
    const { ElevenLabsConversationReader } = await import("./inbound/elevenlabs/elevenlabs-conversation-reader");
    c.register(CONVERSATION_READER, { useValue: new ElevenLabsConversationReader() });
  }

  if (ports.has("audioSource")) {
    const { ElevenLabsAudioSource, NO_AUDIO_SOURCE } = await import("./outbound/elevenlabs/elevenlabs-audio-source");
    // Whether the key is configured decides; its value is read when a recording is first fetched, so a
    // sweep's start never waits for SSM (nor fails on a key only the fetching of recordings needs).
    const source = secrets.isConfigured("ELEVENLABS_API_KEY")
      ? new ElevenLabsAudioSource({ apiKey: () => secrets.get("ELEVENLABS_API_KEY"), host: env.ELEVENLABS_API_HOST })
      : NO_AUDIO_SOURCE;
    c.register(AUDIO_SOURCE, { useValue: source });
  }

  const factories = await Promise.all(wanted.map((useCase) => USE_CASE_FACTORIES[useCase]() as Promise<(r: DependencyContainer) => unknown>));
  wanted.forEach((useCase, i) => c.register(USE_CASE_TOKENS[useCase], { useFactory: instanceCachingFactory(factories[i] as (r: DependencyContainer) => unknown) }));
  return { container: c, secrets, secretsRead, closers };
}

/**
 * Where metric events go: to CloudWatch where `METRICS_NAMESPACE` names a namespace (EMF log lines,
 * read back with GetMetricData), else to `DATA_DIR/metrics.db`. The recorder handlers get never fails a
 * request; a function that cannot build its recorder logs why and records nothing rather than failing
 * every request. The CloudWatch reader (the operator CLI's) loads its SDK client on the first read.
 */
async function withUsage(composed: Composed, env: Env, use: "none" | "record" | "record-and-read"): Promise<Composed> {
  const c = composed.container;
  c.register(USAGE_RECORDER, { useValue: NO_USAGE_RECORDER });
  if (use === "none") return composed;
  const namespace = env.METRICS_NAMESPACE;
  try {
    if (namespace !== undefined) {
      const { EmfUsageRecorder } = await import("./outbound/aws/emf-usage-recorder");
      c.register(USAGE_RECORDER, { useValue: new QuietUsageRecorder(new EmfUsageRecorder(namespace), logger) });
      if (use === "record-and-read") c.register(USAGE_READER, { useValue: cloudWatchUsageReader(namespace) });
      return composed;
    }
    const { SqliteUsageStore } = await import("./outbound/embedded/sqlite-usage-store");
    const store = new SqliteUsageStore(join(env.DATA_DIR, "metrics.db"));
    c.register(USAGE_RECORDER, { useValue: new QuietUsageRecorder(store, logger) });
    c.register(USAGE_READER, { useValue: store });
    return { ...composed, closers: [...composed.closers, () => store.close()] };
  } catch (error) {
    if (use === "record-and-read") throw error;
    logger.warn("metric events will not be recorded", { error: describeError(error) });
    return composed;
  }
}

function cloudWatchUsageReader(namespace: string): UsageReader {
  let reader: Promise<UsageReader> | undefined;
  return {
    overview: async (nowMs) => {
      reader ??= Promise.all([import("./outbound/aws/cloudwatch-usage-reader"), import("./outbound/aws/cloudwatch-client")]).then(
        ([{ CloudWatchUsageReader }, { buildCloudWatchClient }]) => new CloudWatchUsageReader({ cloudwatch: buildCloudWatchClient(), namespace }),
      );
      return (await reader).overview(nowMs);
    },
  };
}

const isMem0Secret = (name: SecretName) => (MEM0_SECRETS as readonly SecretName[]).includes(name);

function scopeOf<U extends UseCaseName>(useCases: readonly U[], composed: Composed, env: Env): Scope<U> {
  const resolved = Object.fromEntries(useCases.map((u) => [u, composed.container.resolve(USE_CASE_TOKENS[u])])) as Pick<UseCases, U>;
  return {
    ...resolved,
    env,
    settings: composed.container.resolve<CallSettings>(CALL_SETTINGS),
    logger,
    metrics: composed.container.resolve<UsageRecorder>(USAGE_RECORDER),
    close: async () => {
      for (const close of composed.closers) await close();
      await composed.container.dispose();
    },
  };
}

/**
 * One deployed function, wired from its declaration: its use cases, its secrets, its ports.
 *
 * @example
 * const scope = await buildFunctionScope("post-call", loadEnv()); // scope.acceptPostCall only
 */
export async function buildFunctionScope<F extends FunctionName>(name: F, env: Env, overrides: ScopeOverrides = {}): Promise<FunctionScope<UseCasesOf<F>>> {
  const declaration = FUNCTIONS[name];
  const useCases = declaration.useCases as readonly UseCasesOf<F>[];
  const composed = await withUsage(await compose(useCases, declaration.secrets, env, overrides), env, declaration.recordsMetrics ? "record" : "none");
  const memories = declaration.memoryOnEveryEvent ? composed.container.resolve<MemoryStore>(MEMORY_STORE) : undefined;
  memories?.prepare?.();
  const profiles = composed.container.isRegistered(CALLER_PROFILES) ? composed.container.resolve<CallerProfileStore>(CALLER_PROFILES) : undefined;
  const prime = async (): Promise<void> => {
    // The profile read every event of these functions makes, for a caller no one is: it opens the
    // store's connection (on AWS, the bucket's TLS session) here rather than in the first event.
    const opened = profiles === undefined ? undefined : withDeadline(profiles.get(REHEARSAL_CALLER_ID), CONNECT_WAIT_MS).catch(() => undefined);
    await composed.secretsRead;
    if (memories instanceof LazyMemoryStore) await withDeadline(memories.connect(), CONNECT_WAIT_MS).catch(() => undefined);
    await opened;
  };
  return { ...scopeOf(useCases, composed, env), prime };
}

/**
 * The longest {@link FunctionScope.prime} waits for each connection it opens (the profile store's,
 * the memory store's: Mem0's answer to its client's ping): a service that does not answer delays a
 * cold start by this at most, and the first event then connects as it did before.
 */
const CONNECT_WAIT_MS = 1_000;

/** The longest a function's initialisation waits for {@link primeOnLambda}: far inside Lambda's 10 s for an Init phase. */
const PRIME_BUDGET_MS = 3_000;

/**
 * On Lambda (the runtime sets `AWS_LAMBDA_FUNCTION_NAME`), build the function's scope and {@link FunctionScope.prime}
 * it while the handler's module is imported. Lambda initialises an on-demand function on a full vCPU
 * and runs its events at its memory's share of one (256 MB: ~14.5 %), so what the first event would
 * otherwise do (wire the adapters, read the secrets from SSM and, with them, run node's HTTP client and
 * the request signing for the first time; build the Mem0 client; open the connections) costs a fraction
 * here. Waits at most {@link PRIME_BUDGET_MS}; never throws: whatever did not finish is done, and
 * reported, by the first event.
 * `rehearse` runs the handler's pure code on sample data (see rehearsal.ts) once the scope is built and
 * the requests of its Init have left, while they are answered: in steps, with a turn of the event loop
 * between two steps, so that node's HTTP client connects, writes and reads meanwhile (a TLS handshake
 * takes several such turns; the Mem0 ping leaves once SSM has answered with its key).
 *
 * @example
 * const scope = lambdaScope("worker");
 * export const handler = createWorkerHandler(scope);
 * await primeOnLambda(scope, { rehearse: rehearseIngestion });
 */
export async function primeOnLambda(
  scope: () => Promise<{ prime(): Promise<void> }>,
  options: { readonly rehearse?: Rehearsal; readonly env?: NodeJS.ProcessEnv; readonly budgetMs?: number } = {},
): Promise<void> {
  const { env = process.env, budgetMs = PRIME_BUDGET_MS } = options;
  if (!env.AWS_LAMBDA_FUNCTION_NAME) return;
  let timer: NodeJS.Timeout | undefined;
  const budget = new Promise<void>((done) => {
    timer = setTimeout(done, budgetMs);
  });
  const primed = async (): Promise<void> => {
    const built = await scope();
    // The build started the secrets' SSM read and prime() its own requests: they leave before the rehearsal's CPU work.
    const priming = built.prime();
    await ioTurn();
    await rehearse(options.rehearse);
    await priming;
  };
  try {
    await Promise.race([primed(), budget]);
  } catch {
    // The first event builds the scope again (lambdaScope forgets a failed build) and reports why.
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Pure work on sample data (no I/O), so that its code runs for the first time during Init: a function,
 * or a generator function whose every `yield` ends a step (see {@link primeOnLambda}).
 */
type Rehearsal = () => Iterator<unknown> | void;

/**
 * One poll phase of the event loop, where node learns of finished I/O (a connection up, an answer
 * readable) and runs its callbacks (writing the request, reading the answer). One `setImmediate` alone
 * can run before the loop polls: a request started just before then reached a local server only after
 * 30 ms of CPU work that followed it, and with two, during it (Node 22, a cold process).
 */
function ioTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(() => setImmediate(resolve)));
}

async function rehearse(rehearsal: Rehearsal | undefined): Promise<void> {
  try {
    const steps = rehearsal?.();
    if (steps === undefined) return;
    while (steps.next().done !== true) await ioTurn();
  } catch {
    // A rehearsal is never worth failing an initialisation for.
  }
}

/**
 * The scope of a Lambda entry point: built from the environment once (on Lambda while the handler's
 * module is imported, {@link primeOnLambda}; elsewhere on the first event), then reused; a failed
 * build is retried on the next event.
 */
export function lambdaScope<F extends FunctionName>(name: F): () => Promise<FunctionScope<UseCasesOf<F>>> {
  let scope: Promise<FunctionScope<UseCasesOf<F>>> | undefined;
  return () => {
    scope ??= buildFunctionScope(name, loadEnv()).catch((error: unknown) => {
      scope = undefined;
      throw error;
    });
    return scope;
  };
}

/**
 * Everything, for the local server (all routes and the worker in one process) and the operator CLI.
 * Secrets are checked when first read: an operator command that needs no key runs without one.
 */
export async function buildApp(env: Env, overrides: ScopeOverrides = {}): Promise<App> {
  const composed = await withUsage(await compose(ALL_USE_CASES, ALL_SECRETS, env, overrides, false), env, "record-and-read");
  const c = composed.container;
  return {
    ...scopeOf(ALL_USE_CASES, composed, env),
    backends: {
      memory: env.MEMORY_BACKEND,
      archive: env.ARCHIVE_BUCKET === undefined ? "filesystem" : "s3",
      metrics: env.METRICS_NAMESPACE === undefined ? "embedded" : "cloudwatch",
    },
    secrets: composed.secrets,
    memories: c.resolve<MemoryStore>(MEMORY_STORE),
    inbox: c.resolve<EventInbox>(EVENT_INBOX),
    archive: c.resolve<ConversationArchive>(CONVERSATION_ARCHIVE),
    usage: c.resolve<UsageReader>(USAGE_READER),
    usageSource:
      env.METRICS_NAMESPACE === undefined ? `embedded store (${join(env.DATA_DIR, "metrics.db")})` : `CloudWatch (namespace ${env.METRICS_NAMESPACE})`,
  };
}
