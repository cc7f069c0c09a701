import "reflect-metadata";
import { join } from "node:path";
import { container as rootContainer, instanceCachingFactory, type DependencyContainer } from "tsyringe";
import { CALL_SETTINGS, type CallSettings } from "../application/ports/call-settings.port";
import { CLOCK, type Clock } from "../application/ports/clock.port";
import { CONVERSATION_ARCHIVE, type ConversationArchive } from "../application/ports/conversation-archive.port";
import { EVENT_INBOX, type EventInbox } from "../application/ports/event-inbox.port";
import { INGESTION_TRIGGER, type IngestionTrigger } from "../application/ports/ingestion-trigger.port";
import { MEMORY_STORE, type MemoryStore } from "../application/ports/memory-store.port";
import { SECRETS, type SecretName, type Secrets } from "../application/ports/secrets.port";
import { AcceptPostCall } from "../application/use-cases/accept-post-call.use-case";
import { ApplyRetention } from "../application/use-cases/apply-retention.use-case";
import { CheckWorkspaceKey } from "../application/use-cases/check-workspace-key.use-case";
import { ExportCaller } from "../application/use-cases/export-caller.use-case";
import { ForgetCaller } from "../application/use-cases/forget-caller.use-case";
import { IngestEvent } from "../application/use-cases/ingest-event.use-case";
import { PrepareCallContext } from "../application/use-cases/prepare-call-context.use-case";
import { SearchMemories } from "../application/use-cases/search-memories.use-case";
import { callSettingsFrom, ConfigError, loadEnv, type Env } from "./config";
import { logger, type AppLogger } from "./logging/logger";
import { StaticSecrets } from "./outbound/env-secrets";
import { SystemClock } from "./outbound/system-clock";

/** Everything an inbound adapter (Lambda handler, local server, CLI) needs, built once per process. */
export interface App {
  readonly env: Env;
  readonly settings: CallSettings;
  readonly logger: AppLogger;
  readonly backends: { readonly memory: string; readonly archive: string };
  readonly checkWorkspaceKey: CheckWorkspaceKey;
  readonly prepareCallContext: PrepareCallContext;
  readonly searchMemories: SearchMemories;
  readonly acceptPostCall: AcceptPostCall;
  readonly ingestEvent: IngestEvent;
  /** Operator use cases (the CLI): erasure, export, retention. */
  readonly forgetCaller: ForgetCaller;
  readonly exportCaller: ExportCaller;
  readonly applyRetention: ApplyRetention;
  readonly secrets: Secrets;
  readonly memories: MemoryStore;
  readonly inbox: EventInbox;
  readonly archive: ConversationArchive;
  close(): Promise<void>;
}

export const CHECK_WORKSPACE_KEY = Symbol("CheckWorkspaceKey");
export const PREPARE_CALL_CONTEXT = Symbol("PrepareCallContext");
export const SEARCH_MEMORIES = Symbol("SearchMemories");
export const ACCEPT_POST_CALL = Symbol("AcceptPostCall");
export const INGEST_EVENT = Symbol("IngestEvent");
export const FORGET_CALLER = Symbol("ForgetCaller");
export const EXPORT_CALLER = Symbol("ExportCaller");
export const APPLY_RETENTION = Symbol("ApplyRetention");

/** Replaceable parts: the local server brings its worker as trigger; tests may bring a clock or secrets. */
export interface AppOverrides {
  readonly trigger?: IngestionTrigger;
  readonly clock?: Clock;
  readonly secrets?: Secrets;
}

const noTrigger: IngestionTrigger = { notify: () => undefined };

async function ssmSecrets(parameterNames: Partial<Record<SecretName, string>>) {
  const { SsmSecrets } = await import("./outbound/aws/ssm-secrets");
  const { createSsmClient } = await import("./outbound/aws/aws-clients");
  return new SsmSecrets({ ssm: createSsmClient(), parameterNames });
}

/** Mem0 credentials from the environment, or from SSM when only their parameter names are given (Lambda). */
async function mem0Settings(env: Env, ssm: { getParameters(names: readonly string[]): Promise<Record<string, string>> } | undefined) {
  const params = [env.MEM0_API_KEY_PARAM, env.MEM0_ORG_ID_PARAM, env.MEM0_PROJECT_ID_PARAM].filter((p): p is string => p !== undefined);
  const stored = ssm !== undefined && params.length > 0 ? await ssm.getParameters(params) : {};
  const pick = (value: string | undefined, param: string | undefined) => value ?? (param === undefined ? undefined : stored[param]);
  const apiKey = pick(env.MEM0_API_KEY, env.MEM0_API_KEY_PARAM);
  if (apiKey === undefined) throw new ConfigError("MEMORY_BACKEND=mem0 needs MEM0_API_KEY (or MEM0_API_KEY_PARAM naming an SSM parameter)");
  const orgId = pick(env.MEM0_ORG_ID, env.MEM0_ORG_ID_PARAM);
  const projectId = pick(env.MEM0_PROJECT_ID, env.MEM0_PROJECT_ID_PARAM);
  return {
    apiKey,
    ...(env.MEM0_HOST === undefined ? {} : { host: env.MEM0_HOST }),
    ...(orgId === undefined ? {} : { orgId }),
    ...(projectId === undefined ? {} : { projectId }),
  };
}

/**
 * The composition root: the one place that picks adapters from the typed config and wires the use
 * cases with tsyringe. Adapters for a backend that is not selected are never imported (and are
 * loaded lazily, so `mem0ai` only ever loads after telemetry is switched off).
 */
export async function buildApp(env: Env, overrides: AppOverrides = {}): Promise<App> {
  const c: DependencyContainer = rootContainer.createChildContainer();
  const closers: (() => Promise<void> | void)[] = [];

  c.register(CALL_SETTINGS, { useValue: callSettingsFrom(env) });
  c.register(CLOCK, { useValue: overrides.clock ?? new SystemClock() });
  c.register(INGESTION_TRIGGER, { useValue: overrides.trigger ?? noTrigger });
  const secretParams = { ELEVENLABS_WORKSPACE_KEY: env.ELEVENLABS_WORKSPACE_KEY_PARAM, ELEVENLABS_HMAC_KEY: env.ELEVENLABS_HMAC_KEY_PARAM };
  const usesSsm = [env.ELEVENLABS_WORKSPACE_KEY_PARAM, env.ELEVENLABS_HMAC_KEY_PARAM, env.MEM0_API_KEY_PARAM, env.MEM0_ORG_ID_PARAM, env.MEM0_PROJECT_ID_PARAM].some(
    (name) => name !== undefined,
  );
  const ssm = usesSsm ? await ssmSecrets(secretParams) : undefined;
  const secrets: Secrets =
    overrides.secrets ??
    (ssm !== undefined && (secretParams.ELEVENLABS_WORKSPACE_KEY !== undefined || secretParams.ELEVENLABS_HMAC_KEY !== undefined)
      ? ssm
      : new StaticSecrets({ ELEVENLABS_WORKSPACE_KEY: env.ELEVENLABS_WORKSPACE_KEY, ELEVENLABS_HMAC_KEY: env.ELEVENLABS_HMAC_KEY }));
  c.register(SECRETS, { useValue: secrets });

  if (env.MEMORY_BACKEND === "mem0") {
    const mem0 = await mem0Settings(env, ssm);
    const { createMem0MemoryStore } = await import("./outbound/mem0/mem0-memory-store");
    c.register(MEMORY_STORE, { useValue: await createMem0MemoryStore(mem0) });
  } else {
    const { SqliteMemoryStore } = await import("./outbound/embedded/sqlite-memory-store");
    const store = new SqliteMemoryStore(join(env.DATA_DIR, "memories.db"));
    closers.push(() => store.close());
    c.register(MEMORY_STORE, { useValue: store });
  }

  if (env.ARCHIVE_BUCKET !== undefined) {
    const { createS3Client } = await import("./outbound/aws/aws-clients");
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

  c.register(CHECK_WORKSPACE_KEY, { useFactory: instanceCachingFactory((r) => new CheckWorkspaceKey(r.resolve(SECRETS))) });
  c.register(PREPARE_CALL_CONTEXT, {
    useFactory: instanceCachingFactory((r) => new PrepareCallContext(r.resolve(MEMORY_STORE), r.resolve(CALL_SETTINGS))),
  });
  c.register(SEARCH_MEMORIES, {
    useFactory: instanceCachingFactory((r) => new SearchMemories(r.resolve(MEMORY_STORE), r.resolve(CALL_SETTINGS))),
  });
  c.register(ACCEPT_POST_CALL, {
    useFactory: instanceCachingFactory(
      (r) => new AcceptPostCall(r.resolve(SECRETS), r.resolve(EVENT_INBOX), r.resolve(INGESTION_TRIGGER), r.resolve(CLOCK)),
    ),
  });
  c.register(INGEST_EVENT, {
    useFactory: instanceCachingFactory(
      (r) => new IngestEvent(r.resolve(EVENT_INBOX), r.resolve(CONVERSATION_ARCHIVE), r.resolve(MEMORY_STORE), r.resolve(CLOCK)),
    ),
  });
  c.register(FORGET_CALLER, {
    useFactory: instanceCachingFactory((r) => new ForgetCaller(r.resolve(MEMORY_STORE), r.resolve(CONVERSATION_ARCHIVE), r.resolve(EVENT_INBOX))),
  });
  c.register(EXPORT_CALLER, {
    useFactory: instanceCachingFactory((r) => new ExportCaller(r.resolve(MEMORY_STORE), r.resolve(CONVERSATION_ARCHIVE), r.resolve(CLOCK))),
  });
  c.register(APPLY_RETENTION, {
    useFactory: instanceCachingFactory(
      (r) => new ApplyRetention(r.resolve(MEMORY_STORE), r.resolve(CONVERSATION_ARCHIVE), r.resolve(EVENT_INBOX), r.resolve(CLOCK)),
    ),
  });

  return {
    env,
    settings: c.resolve(CALL_SETTINGS),
    logger,
    backends: { memory: env.MEMORY_BACKEND, archive: env.ARCHIVE_BUCKET === undefined ? "filesystem" : "s3" },
    checkWorkspaceKey: c.resolve(CHECK_WORKSPACE_KEY),
    prepareCallContext: c.resolve(PREPARE_CALL_CONTEXT),
    searchMemories: c.resolve(SEARCH_MEMORIES),
    acceptPostCall: c.resolve(ACCEPT_POST_CALL),
    ingestEvent: c.resolve(INGEST_EVENT),
    forgetCaller: c.resolve(FORGET_CALLER),
    exportCaller: c.resolve(EXPORT_CALLER),
    applyRetention: c.resolve(APPLY_RETENTION),
    secrets,
    memories: c.resolve(MEMORY_STORE),
    inbox: c.resolve(EVENT_INBOX),
    archive: c.resolve(CONVERSATION_ARCHIVE),
    close: async () => {
      for (const close of closers) await close();
      await c.dispose();
    },
  };
}

let app: Promise<App> | undefined;

/** The process-wide app for Lambda entry points: built on the first event of a cold start, then reused. */
export function getApp(): Promise<App> {
  app ??= buildApp(loadEnv()).catch((error: unknown) => {
    app = undefined;
    throw error;
  });
  return app;
}
