import { cpSync, existsSync, mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { DeleteObjectsCommand, paginateListObjectsV2, PutBucketVersioningCommand, S3Client } from "@aws-sdk/client-s3";
import { SSMClient } from "@aws-sdk/client-ssm";
import { S3EventInbox } from "../../adapters/outbound/aws/s3-event-inbox";
import { inboxEventId, type InboxEventState } from "../../application/ports/event-inbox.port";
import { createBucket, putSecureStrings, startAwsEndpoint, type AwsEndpoint } from "../../tests/support/aws-endpoint";
import { startElevenLabsStandIn, type ElevenLabsStandIn } from "../../tests/support/elevenlabs-stand-in";
import { startMem0StandIn, type Mem0StandIn } from "../../tests/support/mem0-stand-in";
import { PhaseProcess, REPO_ROOT } from "./child";
import { transcriptionBody } from "./events";
import { BUNDLE_FUNCTIONS, type BundleFunction, type Profile } from "./profile";
import type { Deployment, DeploymentConfig } from "./result";
import { CallerProfiles } from "../../application/caller-profiles";
import { callSettingsFrom, loadEnv } from "../../adapters/config";
import { S3CallerProfileStore } from "../../adapters/outbound/aws/s3-caller-profile-store";
import { createMem0MemoryStore } from "../../adapters/outbound/mem0/mem0-memory-store";
import { SystemClock } from "../../adapters/outbound/system-clock";
import { CALLER_UNDER_TEST, seedBatches } from "./seed-data";

export interface Keys {
  readonly workspaceKey: string;
  readonly hmacKey: string;
}

/** The stack whose wiring is measured: what production runs. */
const STACK = "prod";
const DEPLOYMENT_TIMEOUT_MS = 120_000;
/** Objects removed per DeleteObjects call (the S3 maximum). */
const DELETE_BATCH = 1_000;
/** Listing-and-deleting rounds to empty the bucket (one is enough unless something writes meanwhile), and their time. */
const CLEAR_ROUNDS = 5;
const CLEAR_TIMEOUT_MS = 60_000;
const STORE_CONCURRENCY = 25;
/** The bench's own S3 calls fail instead of hanging when the emulator stalls (the SDK has no deadline by default). */
const CLIENT_LIMITS = { maxAttempts: 2, requestHandler: { connectionTimeout: 2_000, requestTimeout: 10_000 } } as const;

/**
 * The bundles wired as deployed. Each function runs with the environment the Pulumi program
 * generates for it plus only what points it at the stand-ins (see {@link DeployedWorld.envFor}):
 * moto for S3 and SSM (the SecureStrings and the bucket the program declares, in its region), the
 * Mem0 stand-in seeded like the in-process phase, and the ElevenLabs stand-in. Each bundle is
 * copied out of the project (`<root>/task/<fn>`, as Lambda unpacks it into /var/task), so nothing
 * can resolve from the project's node_modules.
 *
 * @example
 * const world = new DeployedWorld({ root, keys, profile });
 * try { await world.start(); ...world.envFor("worker") } finally { await world.stop(); }
 */
export class DeployedWorld {
  private aws: AwsEndpoint | undefined;
  private mem0: Mem0StandIn | undefined;
  private elevenlabs: ElevenLabsStandIn | undefined;
  private s3: S3Client | undefined;
  private inbox: S3EventInbox | undefined;
  private deployed: Deployment | undefined;
  /** Directories the functions' environment names (MEM0_DIR) that did not exist before: removed at the end. */
  private readonly createdDirs: string[] = [];
  /** What the run should say about how it was wired. */
  readonly notes: string[] = [];

  constructor(private readonly options: { readonly root: string; readonly keys: Keys; readonly profile: Profile }) {}

  async start(): Promise<void> {
    this.mem0 = await startMem0StandIn();
    for (const batch of seedBatches(this.options.profile.seed)) {
      for (const d of batch) this.mem0.seed({ userId: d.userId, text: d.text, metadata: { ...d.metadata, draft_key: d.key }, createdAt: d.metadata.timestamp });
    }
    this.elevenlabs = await startElevenLabsStandIn();
    const { keys } = this.options;
    const secrets = {
      mem0ApiKey: this.mem0.apiKey,
      elevenlabsWorkspaceKey: keys.workspaceKey,
      elevenlabsHmacKey: keys.hmacKey,
      elevenlabsApiKey: this.elevenlabs.apiKey,
    };
    // Both slow (seconds), so side by side; whichever started is stopped by stop() even if the other failed.
    const settled = await Promise.allSettled([this.startEmulator(), this.deploy({ stack: STACK, secrets })]);
    for (const outcome of settled) if (outcome.status === "rejected") throw outcome.reason;
    const aws = this.awsEndpoint();
    const deployment = this.deployment;
    // The deployed MEM0_DIR (/tmp/.mem0, where mem0ai keeps an anonymous id) is shared with the machine: leave it as found.
    for (const dir of new Set(BUNDLE_FUNCTIONS.flatMap((fn) => deployment.functions[fn].environment.MEM0_DIR ?? []))) {
      if (!existsSync(dir)) this.createdDirs.push(dir);
    }

    this.s3 = new S3Client({ ...aws.clientConfig, ...CLIENT_LIMITS });
    await createBucket(this.s3, deployment.bucket);
    if (deployment.bucketVersioning) {
      await this.s3.send(new PutBucketVersioningCommand({ Bucket: deployment.bucket, VersioningConfiguration: { Status: "Enabled" } }));
    }
    // In the functions' region: SSM parameters are regional.
    const ssm = new SSMClient({ ...aws.clientConfig, ...CLIENT_LIMITS, region: deployment.region });
    try {
      await putSecureStrings(ssm, deployment.parameters);
    } finally {
      ssm.destroy();
    }
    // The same adapter (and so the same object layout and metadata) as the post-call function's.
    this.inbox = new S3EventInbox({ s3: this.s3, bucket: deployment.bucket, sse: "AES256" });
    const memoryCount = await this.storeProfileOfCallerUnderTest();
    this.notes.push(`client-data's cold start answers ${CALLER_UNDER_TEST} from the profile in S3 (${memoryCount} memories, written from the Mem0 stand-in by the worker's code)`);

    // The whole function directory, as it is zipped and deployed (source maps included).
    mkdirSync(join(this.options.root, "task"), { recursive: true });
    for (const fn of BUNDLE_FUNCTIONS) {
      const source = join(REPO_ROOT, "dist", "lambda", fn);
      if (!existsSync(join(source, "index.mjs"))) throw new Error(`${source}/index.mjs is missing`);
      cpSync(source, this.taskDir(fn), { recursive: true });
    }

    const sample = deployment.functions["client-data"];
    this.notes.push(
      `bundles wired as deployed: the ${deployment.stack} stack's environment from the Pulumi program (Pulumi.${deployment.stack}.yaml settings, ` +
        `runtime ${sample.runtime}, ${sample.memorySize} MB), against ${aws.kind} for S3/SSM and the Mem0 and ElevenLabs stand-ins, all on 127.0.0.1`,
    );
  }

  /**
   * The profile the worker would have written after the caller under test's last call, written by
   * the same code from the same Mem0 memories: client-data's cold start is timed for a returning
   * caller as production sees one (one S3 read), not for one whose calls predate profiles. Stored
   * again before each client-data sample, since the other functions' samples empty the bucket.
   * Returns how many memories the profile counts.
   */
  async storeProfileOfCallerUnderTest(): Promise<number> {
    if (this.s3 === undefined || this.mem0 === undefined) throw new Error("start the emulator and the Mem0 stand-in first");
    const memories = await createMem0MemoryStore({ apiKey: this.mem0.apiKey, host: this.mem0.host });
    const profiles = new S3CallerProfileStore({ s3: this.s3, bucket: this.deployment.bucket, sse: "AES256" });
    const profile = await new CallerProfiles(memories, profiles, callSettingsFrom(loadEnv({})), new SystemClock()).refresh(CALLER_UNDER_TEST, null);
    return profile.memoryCount;
  }

  /** Stop the emulator and the stand-ins, whichever started. */
  async stop(): Promise<void> {
    this.s3?.destroy();
    await Promise.allSettled([this.aws?.stop(), this.mem0?.close(), this.elevenlabs?.close()]);
    this.aws = undefined;
    this.mem0 = undefined;
    this.elevenlabs = undefined;
    for (const dir of this.createdDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }

  get deployment(): Deployment {
    if (this.deployed === undefined) throw new Error("the deployment is not known yet: call start() first");
    return this.deployed;
  }

  /** The memory (MB) the program deploys `fn` with. */
  memorySizeOf(fn: BundleFunction): number {
    return this.deployment.functions[fn].memorySize;
  }

  /** The Lambda runtime the Pulumi program gives the function, `nodejs22.x`. */
  runtimeOf(fn: BundleFunction): string {
    return this.deployment.functions[fn].runtime;
  }

  /** Where the function's bundle was unpacked: its working directory and the home of `index.mjs`. */
  taskDir(fn: BundleFunction): string {
    return join(this.options.root, "task", fn);
  }

  /**
   * Exactly the environment Pulumi generated for `fn`, plus where AWS is (the emulator, dummy
   * credentials, the region the program deploys into) and the stand-ins' hosts for the functions that
   * call Mem0 or ElevenLabs. Nothing is inherited from the bench's own environment.
   */
  envFor(fn: BundleFunction): Record<string, string> {
    const generated = this.deployment.functions[fn].environment;
    const aws = this.awsEndpoint();
    return {
      ...generated,
      AWS_ENDPOINT_URL: aws.endpoint,
      AWS_REGION: this.deployment.region,
      AWS_ACCESS_KEY_ID: aws.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: aws.credentials.secretAccessKey,
      ...(generated.MEMORY_BACKEND !== undefined ? { MEM0_HOST: this.standIn().host } : {}),
      ...(generated.ELEVENLABS_API_KEY_PARAM !== undefined ? { ELEVENLABS_API_HOST: this.elevenlabsStandIn().host } : {}),
    };
  }

  /** Remove every current object, so a process sees only what its sample stored (the sweep lists whole prefixes). */
  async clearBucket(): Promise<void> {
    const s3 = this.s3Client();
    const bucket = this.deployment.bucket;
    const deadline = Date.now() + CLEAR_TIMEOUT_MS;
    for (let round = 0; round < CLEAR_ROUNDS && Date.now() < deadline; round += 1) {
      const keys: string[] = [];
      for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket })) {
        for (const object of page.Contents ?? []) if (object.Key !== undefined) keys.push(object.Key);
      }
      if (keys.length === 0) return;
      for (let start = 0; start < keys.length; start += DELETE_BATCH) {
        const batch = keys.slice(start, start + DELETE_BATCH).map((Key) => ({ Key }));
        const out = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch, Quiet: true } }));
        if ((out.Errors ?? []).length > 0) throw new Error(`could not empty the bucket: ${JSON.stringify(out.Errors?.slice(0, 3))}`);
      }
    }
    throw new Error(`the bucket is still not empty after ${CLEAR_ROUNDS} rounds or ${CLEAR_TIMEOUT_MS} ms`);
  }

  /**
   * Store post-call transcriptions in the inbox as the post-call function does (same adapter), each
   * for a fresh caller; `ageSecs` back-dates their arrival (`received-at`), as for events whose S3
   * notification was lost.
   */
  async storeTranscriptions(conversationIds: readonly string[], callerOf: (i: number) => string, ageSecs = 0): Promise<void> {
    const inbox = this.inboxAdapter();
    const receivedAt = Math.floor(Date.now() / 1000) - ageSecs;
    for (let start = 0; start < conversationIds.length; start += STORE_CONCURRENCY) {
      const batch = conversationIds.slice(start, start + STORE_CONCURRENCY);
      await Promise.all(
        batch.map(async (conversationId, k) => {
          const rawBody = transcriptionBody(conversationId, callerOf(start + k));
          const id = inboxEventId("post_call_transcription", conversationId);
          const { duplicate } = await inbox.store({ id, eventType: "post_call_transcription", conversationId, receivedAt, rawBody });
          if (duplicate) throw new Error(`${id} was already in the inbox`);
        }),
      );
    }
  }

  /** The inbox state of a stored transcription: `done` once a function ingested it. */
  transcriptionState(conversationId: string): Promise<InboxEventState | null> {
    return this.inboxAdapter().state(inboxEventId("post_call_transcription", conversationId));
  }

  /** How many events wait in the inbox, neither done nor parked. */
  async pendingCount(): Promise<number> {
    return (await this.inboxAdapter().listPending()).length;
  }

  /** Requests the Mem0 stand-in has answered so far. */
  mem0Requests(): number {
    return this.standIn().requests.length;
  }

  /** The caller's memories in the Mem0 stand-in. */
  memoryCount(callerId: string): number {
    return this.standIn().memories(callerId).length;
  }

  private async startEmulator(): Promise<void> {
    // moto unless the developer chose an emulator (AWS_ENDPOINT_URL or AWS_TEST_EMULATOR): never a container by surprise.
    const chosen = (process.env.AWS_ENDPOINT_URL?.trim() ?? "") !== "" || (process.env.AWS_TEST_EMULATOR?.trim() ?? "") !== "";
    const saved = process.env.AWS_TEST_EMULATOR;
    if (!chosen) process.env.AWS_TEST_EMULATOR = "moto";
    try {
      this.aws = await startAwsEndpoint();
    } finally {
      if (saved === undefined) delete process.env.AWS_TEST_EMULATOR;
      else process.env.AWS_TEST_EMULATOR = saved;
    }
    if (this.aws.kind !== "moto") this.notes.push(`S3/SSM emulator: ${this.aws.kind} at ${this.aws.endpoint} (chosen by AWS_ENDPOINT_URL / AWS_TEST_EMULATOR), not moto`);
  }

  private async deploy(config: DeploymentConfig): Promise<void> {
    const phase = new PhaseProcess("deployment.phase.ts", config, process.env);
    try {
      this.deployed = (await phase.next("deployment", DEPLOYMENT_TIMEOUT_MS)).deployment;
    } finally {
      await phase.stop();
    }
  }

  private awsEndpoint(): AwsEndpoint {
    if (this.aws === undefined) throw new Error("the AWS emulator is not running");
    return this.aws;
  }

  private standIn(): Mem0StandIn {
    if (this.mem0 === undefined) throw new Error("the Mem0 stand-in is not running");
    return this.mem0;
  }

  private elevenlabsStandIn(): ElevenLabsStandIn {
    if (this.elevenlabs === undefined) throw new Error("the ElevenLabs stand-in is not running");
    return this.elevenlabs;
  }

  private s3Client(): S3Client {
    if (this.s3 === undefined) throw new Error("the bucket is not prepared");
    return this.s3;
  }

  private inboxAdapter(): S3EventInbox {
    if (this.inbox === undefined) throw new Error("the bucket is not prepared");
    return this.inbox;
  }
}
