import "reflect-metadata";
import { join } from "node:path";
import { container as rootContainer, instanceCachingFactory, type DependencyContainer } from "tsyringe";
import { AUDIO_SOURCE, type AudioSource } from "../application/ports/audio-source.port";
import { CallerProfiles } from "../application/caller-profiles";
import { CALL_SETTINGS, type CallSettings } from "../application/call-settings";
import { CALLER_PROFILES, type CallerProfileStore } from "../application/ports/caller-profile-store.port";
import { CLOCK, type Clock } from "../application/ports/clock.port";
import { CONVERSATION_ARCHIVE, type ConversationArchive } from "../application/ports/conversation-archive.port";
import { CONVERSATION_READER, type ConversationReader } from "../application/ports/conversation-reader.port";
import { EVENT_INBOX, type EventInbox } from "../application/ports/event-inbox.port";
import { INGESTION_TRIGGER, type IngestionTrigger } from "../application/ports/ingestion-trigger.port";
import { MEMORY_STORE, type MemoryStore } from "../application/ports/memory-store.port";
import { SECRETS, type Secrets } from "../application/ports/secrets.port";
import { AcceptPostCall } from "../application/use-cases/accept-post-call.use-case";
import { ApplyRetention } from "../application/use-cases/apply-retention.use-case";
import { CheckWorkspaceKey } from "../application/use-cases/check-workspace-key.use-case";
import { DropEvaluationMemories } from "../application/use-cases/drop-evaluation-memories.use-case";
import { ExportCaller } from "../application/use-cases/export-caller.use-case";
import { ForgetCaller } from "../application/use-cases/forget-caller.use-case";
import { ImportMemories } from "../application/use-cases/import-memories.use-case";
import { IngestEvent } from "../application/use-cases/ingest-event.use-case";
import { PrepareCallContext } from "../application/use-cases/prepare-call-context.use-case";
import { RememberFact } from "../application/use-cases/remember-fact.use-case";
import { SearchMemories } from "../application/use-cases/search-memories.use-case";
import { SweepInbox } from "../application/use-cases/sweep-inbox.use-case";
import { callSettingsFrom, ConfigError, loadEnv, type Env } from "./config";
import {
  FUNCTIONS,
  MEM0_SECRETS,
  OPTIONAL_SECRETS,
  portsOf,
  USE_CASE_PORTS,
  type FunctionName,
  type SecretName,
  type UseCaseName,
  type UseCasesOf,
} from "./function-declarations";
import { logger, type AppLogger } from "./logging/logger";
import { LazyMemoryStore } from "./outbound/lazy-memory-store";
import { SecretReader } from "./outbound/secret-reader";
import { SystemClock } from "./outbound/system-clock";

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
}

/** What every scope carries besides its use cases. */
interface ScopeBase {
  readonly env: Env;
  readonly settings: CallSettings;
  readonly logger: AppLogger;
  close(): Promise<void>;
}

/** What one function's handler gets: exactly the use cases it declares. */
export type Scope<U extends UseCaseName> = Pick<UseCases, U> & ScopeBase;

/** The local server and the operator CLI run every use case and reach the ports directly. */
export interface App extends Scope<UseCaseName> {
  readonly backends: { readonly memory: string; readonly archive: string };
  readonly secrets: SecretReader;
  readonly memories: MemoryStore;
  readonly inbox: EventInbox;
  readonly archive: ConversationArchive;
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

/** The caller-profile service the call-start and ingestion use cases share, from its ports. */
const callerProfiles = (r: DependencyContainer): CallerProfiles =>
  new CallerProfiles(r.resolve<MemoryStore>(MEMORY_STORE), r.resolve<CallerProfileStore>(CALLER_PROFILES), r.resolve<CallSettings>(CALL_SETTINGS), r.resolve<Clock>(CLOCK));

/** How each use case is built from its ports (the constructor's parameters, by token). */
const USE_CASE_FACTORIES: { readonly [U in UseCaseName]: (r: DependencyContainer) => UseCases[U] } = {
  checkWorkspaceKey: (r) => new CheckWorkspaceKey(r.resolve<Secrets>(SECRETS)),
  prepareCallContext: (r) => new PrepareCallContext(callerProfiles(r), r.resolve<CallSettings>(CALL_SETTINGS)),
  searchMemories: (r) => new SearchMemories(r.resolve<MemoryStore>(MEMORY_STORE), r.resolve<CallSettings>(CALL_SETTINGS)),
  rememberFact: (r) => new RememberFact(r.resolve<MemoryStore>(MEMORY_STORE), callerProfiles(r), r.resolve<Clock>(CLOCK), r.resolve<CallSettings>(CALL_SETTINGS)),
  acceptPostCall: (r) =>
    new AcceptPostCall(r.resolve<Secrets>(SECRETS), r.resolve<EventInbox>(EVENT_INBOX), r.resolve<IngestionTrigger>(INGESTION_TRIGGER), r.resolve<Clock>(CLOCK)),
  ingestEvent: (r) =>
    new IngestEvent(
      r.resolve<EventInbox>(EVENT_INBOX),
      r.resolve<ConversationReader>(CONVERSATION_READER),
      r.resolve<ConversationArchive>(CONVERSATION_ARCHIVE),
      r.resolve<MemoryStore>(MEMORY_STORE),
      r.resolve<Clock>(CLOCK),
      callerProfiles(r),
      r.resolve<CallSettings>(CALL_SETTINGS),
    ),
  sweepInbox: (r) =>
    new SweepInbox(
      r.resolve<EventInbox>(EVENT_INBOX),
      r.resolve<IngestEvent>(USE_CASE_TOKENS.ingestEvent),
      r.resolve<ConversationArchive>(CONVERSATION_ARCHIVE),
      r.resolve<AudioSource>(AUDIO_SOURCE),
      r.resolve<Clock>(CLOCK),
    ),
  forgetCaller: (r) =>
    new ForgetCaller(
      r.resolve<MemoryStore>(MEMORY_STORE),
      r.resolve<ConversationArchive>(CONVERSATION_ARCHIVE),
      r.resolve<EventInbox>(EVENT_INBOX),
      r.resolve<ConversationReader>(CONVERSATION_READER),
      r.resolve<CallerProfileStore>(CALLER_PROFILES),
      r.resolve<CallSettings>(CALL_SETTINGS),
    ),
  exportCaller: (r) =>
    new ExportCaller(
      r.resolve<MemoryStore>(MEMORY_STORE),
      r.resolve<ConversationArchive>(CONVERSATION_ARCHIVE),
      r.resolve<ConversationReader>(CONVERSATION_READER),
      r.resolve<Clock>(CLOCK),
      r.resolve<CallerProfileStore>(CALLER_PROFILES),
    ),
  applyRetention: (r) =>
    new ApplyRetention(
      r.resolve<MemoryStore>(MEMORY_STORE),
      r.resolve<ConversationArchive>(CONVERSATION_ARCHIVE),
      r.resolve<EventInbox>(EVENT_INBOX),
      r.resolve<ConversationReader>(CONVERSATION_READER),
      r.resolve<Clock>(CLOCK),
      r.resolve<CallerProfileStore>(CALLER_PROFILES),
      r.resolve<CallSettings>(CALL_SETTINGS),
    ),
  dropEvaluationMemories: (r) => new DropEvaluationMemories(r.resolve<MemoryStore>(MEMORY_STORE), r.resolve<CallerProfileStore>(CALLER_PROFILES)),
  importMemories: (r) => new ImportMemories(r.resolve<MemoryStore>(MEMORY_STORE), callerProfiles(r), r.resolve<Clock>(CLOCK)),
};

/** Use cases a use case builds on (resolved through the container, so they must be registered too). */
const USE_CASE_DEPENDENCIES: Partial<Record<UseCaseName, readonly UseCaseName[]>> = { sweepInbox: ["ingestEvent"] };

interface Composed {
  readonly container: DependencyContainer;
  readonly secrets: SecretReader;
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
  const wanted = [...new Set(useCases.flatMap((u) => [u, ...(USE_CASE_DEPENDENCIES[u] ?? [])]))];
  const ports = portsOf(wanted);
  const c = rootContainer.createChildContainer();
  const closers: (() => Promise<void> | void)[] = [];
  const memoryBackend = ports.has("memoryStore") ? env.MEMORY_BACKEND : null;
  // Mem0 credentials are needed only where memories live in Mem0.
  const required = checkSecrets
    ? secretNames.filter((name) => !OPTIONAL_SECRETS.has(name) && (memoryBackend === "mem0" || !isMem0Secret(name)))
    : [];
  const secrets = new SecretReader(env, secretNames, required);

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
      const apiKey = await secrets.get("MEM0_API_KEY");
      const { createMem0MemoryStore } = await import("./outbound/mem0/mem0-memory-store");
      return createMem0MemoryStore({ apiKey, ...(env.MEM0_HOST === undefined ? {} : { host: env.MEM0_HOST }) });
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
      const { createS3Client } = await import("./outbound/aws/s3-client");
      const { S3CallerProfileStore } = await import("./outbound/aws/s3-caller-profile-store");
      c.register(CALLER_PROFILES, { useValue: new S3CallerProfileStore({ s3: createS3Client(), bucket: env.ARCHIVE_BUCKET, sse: env.ARCHIVE_SSE }) });
    } else {
      const { SqliteCallerProfileStore } = await import("./outbound/embedded/sqlite-caller-profile-store");
      const profiles = new SqliteCallerProfileStore(join(env.DATA_DIR, "profiles.db"));
      closers.push(() => profiles.close());
      c.register(CALLER_PROFILES, { useValue: profiles });
    }
  }

  if (ports.has("eventInbox") || ports.has("conversationArchive")) {
    if (env.ARCHIVE_BUCKET !== undefined) {
      const { createS3Client } = await import("./outbound/aws/s3-client");
      const { S3EventInbox } = await import("./outbound/aws/s3-event-inbox");
      const { S3ConversationArchive } = await import("./outbound/aws/s3-conversation-archive");
      const bucket = { s3: createS3Client(), bucket: env.ARCHIVE_BUCKET, sse: env.ARCHIVE_SSE };
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
    const apiKey = await secrets.find("ELEVENLABS_API_KEY");
    const { ElevenLabsAudioSource, NO_AUDIO_SOURCE } = await import("./outbound/elevenlabs/elevenlabs-audio-source");
    c.register(AUDIO_SOURCE, { useValue: apiKey === undefined ? NO_AUDIO_SOURCE : new ElevenLabsAudioSource({ apiKey, host: env.ELEVENLABS_API_HOST }) });
  }

  for (const useCase of wanted) {
    const factory = USE_CASE_FACTORIES[useCase] as (r: DependencyContainer) => unknown;
    c.register(USE_CASE_TOKENS[useCase], { useFactory: instanceCachingFactory(factory) });
  }
  return { container: c, secrets, closers };
}

const isMem0Secret = (name: SecretName) => (MEM0_SECRETS as readonly SecretName[]).includes(name);

function scopeOf<U extends UseCaseName>(useCases: readonly U[], composed: Composed, env: Env): Scope<U> {
  const resolved = Object.fromEntries(useCases.map((u) => [u, composed.container.resolve(USE_CASE_TOKENS[u])])) as Pick<UseCases, U>;
  return {
    ...resolved,
    env,
    settings: composed.container.resolve<CallSettings>(CALL_SETTINGS),
    logger,
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
export async function buildFunctionScope<F extends FunctionName>(name: F, env: Env, overrides: ScopeOverrides = {}): Promise<Scope<UseCasesOf<F>>> {
  const declaration = FUNCTIONS[name];
  const useCases = declaration.useCases as readonly UseCasesOf<F>[];
  return scopeOf(useCases, await compose(useCases, declaration.secrets, env, overrides), env);
}

/**
 * The scope of a Lambda entry point: built from the environment on the first event of a cold start,
 * then reused; a failed build is retried on the next event.
 */
export function lambdaScope<F extends FunctionName>(name: F): () => Promise<Scope<UseCasesOf<F>>> {
  let scope: Promise<Scope<UseCasesOf<F>>> | undefined;
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
  const composed = await compose(ALL_USE_CASES, ALL_SECRETS, env, overrides, false);
  const c = composed.container;
  return {
    ...scopeOf(ALL_USE_CASES, composed, env),
    backends: { memory: env.MEMORY_BACKEND, archive: env.ARCHIVE_BUCKET === undefined ? "filesystem" : "s3" },
    secrets: composed.secrets,
    memories: c.resolve<MemoryStore>(MEMORY_STORE),
    inbox: c.resolve<EventInbox>(EVENT_INBOX),
    archive: c.resolve<ConversationArchive>(CONVERSATION_ARCHIVE),
  };
}
