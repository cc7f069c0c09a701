// A dev stack with every option set: each config key must reach the resource it governs.
import { beforeAll, describe, expect, it } from "vitest";
import { callSettingsFrom, loadEnv } from "../../adapters/config";
import { ACCOUNT_ID, type ProgramRun, REGION, T, policyDocument, runProgram } from "./program-harness";

const P = "elevenlabs-agentic-memory-dev";
const AT = `${REGION}:${ACCOUNT_ID}`;
const FUNCTIONS = ["client-data", "retrieve", "remember", "post-call", "worker", "sweep"] as const;
type Fn = (typeof FUNCTIONS)[number];

const paramName = (secret: string) => `/elevenlabs-agentic-memory/dev/${secret}`;
const paramArn = (secret: string) => `arn:aws:ssm:${AT}:parameter${paramName(secret)}`;

const CONFIG = {
  bundleDir: "build/lambdas",
  memorySize: "512",
  reservedConcurrency: "3",
  logRetentionDays: "14",
  logLevel: "DEBUG",
  agentBasePrompt: "You are Ava, the receptionist.",
  agentLanguage: "es",
  agentOverrides: "first_message,prompt,language",
  greetings: JSON.stringify({ es: { returningNamed: "¡Buenas, {name}!" } }),
  retrieveRequireKey: "false",
  defaultRegion: "GB",
  bucketVersioning: "false",
  retentionDays: "30",
  alarmEmail: "ops@example.com",
  throttleRateLimit: "20",
  throttleBurstLimit: "40",
  workerMaximumRetryAttempts: "1",
  workerMaximumEventAgeInSeconds: "900",
};
const SECRETS = {
  mem0ApiKey: "mem0-api-key-plaintext",
  elevenlabsWorkspaceKey: "workspace-key-plaintext",
  elevenlabsHmacKey: "hmac-key-plaintext",
};

let run: ProgramRun;
beforeAll(async () => {
  run = await runProgram("dev", CONFIG, SECRETS);
});

const fnInputs = (fn: Fn) => run.get(T.function, `${P}-${fn}`).inputs;
const env = (fn: Fn) => (fnInputs(fn).environment as { variables: Record<string, string> }).variables;

describe("function settings from config", () => {
  it("applies bundleDir, memorySize, reservedConcurrency and logLevel to every function", async () => {
    for (const fn of FUNCTIONS) {
      expect(fnInputs(fn)).toMatchObject({ memorySize: 512, reservedConcurrentExecutions: fn === "sweep" ? 1 : 3 });
      expect(await (fnInputs(fn).code as { path: Promise<string> }).path).toBe(`build/lambdas/${fn}`);
      expect(env(fn).LOG_LEVEL).toBe("DEBUG");
    }
  });

  it("applies logRetentionDays to the function log groups and the API access logs", () => {
    expect(run.ofType(T.logGroup)).toHaveLength(FUNCTIONS.length + 1);
    for (const logGroup of run.ofType(T.logGroup)) expect(logGroup.inputs.retentionInDays).toBe(14);
  });

  it("gives the agent base prompt to client-data only and the key requirement to the two server tools only", () => {
    expect(env("client-data").AGENT_BASE_PROMPT).toBe(CONFIG.agentBasePrompt);
    expect(env("retrieve").RETRIEVE_REQUIRE_KEY).toBe("false");
    expect(env("remember").RETRIEVE_REQUIRE_KEY).toBe("false");
    for (const fn of ["retrieve", "remember", "post-call", "worker", "sweep"] as const) expect(env(fn)).not.toHaveProperty("AGENT_BASE_PROMPT");
    for (const fn of ["client-data", "post-call", "worker", "sweep"] as const) expect(env(fn)).not.toHaveProperty("RETRIEVE_REQUIRE_KEY");
  });

  it("gives client-data, and only client-data, the operator's language, overrides and greetings, which it accepts at start", () => {
    const clientData = env("client-data");
    expect([clientData.AGENT_LANGUAGE, clientData.AGENT_OVERRIDES, clientData.GREETINGS]).toEqual([CONFIG.agentLanguage, CONFIG.agentOverrides, CONFIG.greetings]);
    for (const fn of ["retrieve", "remember", "post-call", "worker", "sweep"] as const) {
      for (const name of ["AGENT_LANGUAGE", "AGENT_OVERRIDES", "GREETINGS"]) expect(env(fn)).not.toHaveProperty(name);
    }
    const settings = callSettingsFrom(loadEnv(clientData));
    expect(settings).toMatchObject({ language: "es", overrides: ["first_message", "prompt", "language"] });
    expect(settings.greetingsByLanguage.es?.returningNamed).toBe("¡Buenas, {name}!");
  });

  it("gives the default region to every function that reads caller ids, and not to post-call, which stores events unread", () => {
    for (const fn of ["client-data", "retrieve", "remember", "worker", "sweep"] as const) expect(env(fn).DEFAULT_REGION).toBe("GB");
    expect(env("post-call")).not.toHaveProperty("DEFAULT_REGION");
  });
});

describe("Mem0 credentials", () => {
  const mem0 = ["MEM0_API_KEY"];

  it("are the API key alone: no org or project id parameter (Mem0's v3 API has none)", () => {
    expect(run.ofType(T.parameter).map((r) => r.inputs.name).sort()).toEqual(
      ["ELEVENLABS_HMAC_KEY", "ELEVENLABS_WORKSPACE_KEY", "MEM0_API_KEY"].map(paramName).sort(),
    );
  });

  it("reach the environment and IAM grants of the Mem0 users only", () => {
    for (const fn of ["client-data", "retrieve", "remember", "worker", "sweep"] as const) {
      for (const secret of mem0) expect(env(fn)[`${secret}_PARAM`]).toBe(paramName(secret));
    }
    for (const secret of mem0) expect(env("post-call")).not.toHaveProperty(`${secret}_PARAM`);

    const grants = (fn: Fn) =>
      policyDocument(run.get(T.rolePolicy, `${P}-${fn}`)).Statement.find((s) => s.Sid === "ReadOwnSecrets")?.Resource;
    expect(grants("client-data")).toEqual(["ELEVENLABS_WORKSPACE_KEY", ...mem0].map(paramArn));
    expect(grants("retrieve")).toEqual(["ELEVENLABS_WORKSPACE_KEY", ...mem0].map(paramArn));
    expect(grants("remember")).toEqual(["ELEVENLABS_WORKSPACE_KEY", ...mem0].map(paramArn));
    expect(grants("worker")).toEqual(mem0.map(paramArn));
    expect(grants("sweep")).toEqual(mem0.map(paramArn));
    expect(grants("post-call")).toEqual([paramArn("ELEVENLABS_HMAC_KEY")]);
  });
});

describe("bucket options", () => {
  it("leaves versioning off when bucketVersioning is false", () => {
    expect(run.ofType(T.bucketVersioning)).toHaveLength(0);
  });

  it("expires inbox/, processed/, transcripts/, audio/ and caller profiles after retentionDays", () => {
    expect(run.get(T.bucketLifecycle, `${P}-archive`).inputs).toEqual({
      bucket: `${P}-archive-id`,
      rules: ["inbox", "processed", "transcripts", "audio", "profiles"].map((prefix) => ({
        id: `expire-${prefix}`,
        status: "Enabled",
        filter: { prefix: `${prefix}/` },
        expiration: { days: 30 },
      })),
    });
  });
});

describe("API and worker options", () => {
  it("throttles the stage with throttleRateLimit and throttleBurstLimit", () => {
    expect(run.get(T.stage, `${P}-api`).inputs.defaultRouteSettings).toEqual({
      throttlingRateLimit: 20,
      throttlingBurstLimit: 40,
    });
  });

  it("bounds worker retries and event age from config", () => {
    expect(run.get(T.eventInvokeConfig, `${P}-worker`).inputs).toMatchObject({
      maximumRetryAttempts: 1,
      maximumEventAgeInSeconds: 900,
    });
  });
});

describe("alarm e-mail", () => {
  const TOPIC_ARN = `arn:aws:sns:${AT}:${P}-alarms`;

  it("creates an SNS topic with an e-mail subscription", () => {
    expect(run.get(T.topic, `${P}-alarms`).inputs).toMatchObject({ name: `${P}-alarms` });
    expect(run.get(T.subscription, `${P}-alarms-email`).inputs).toMatchObject({
      topic: TOPIC_ARN,
      protocol: "email",
      endpoint: "ops@example.com",
    });
  });

  it("sends every alarm to the topic", () => {
    // Three per function, API 5xx, dead-letter queue.
    expect(run.ofType(T.alarm)).toHaveLength(FUNCTIONS.length * 3 + 2);
    for (const alarm of run.ofType(T.alarm)) expect(alarm.inputs.alarmActions).toEqual([TOPIC_ARN]);
  });
});
