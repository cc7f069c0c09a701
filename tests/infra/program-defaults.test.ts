// The prod stack with nothing but the three required secrets: every default, every property of issue 6.
import { beforeAll, describe, expect, it } from "vitest";
import {
  ACCOUNT_ID,
  type ProgramRun,
  REGION,
  T,
  policyDocument,
  ref,
  runProgram,
  secretValue,
} from "./program-harness";

const P = "elevenlabs-agentic-memory-prod";
const AT = `${REGION}:${ACCOUNT_ID}`;
const BUCKET = `${P}-archive-${ACCOUNT_ID}`;
const BUCKET_ARN = `arn:aws:s3:::${BUCKET}`;
const KEY_ARN = `arn:aws:kms:${AT}:key/${P}-secrets`;
const DLQ_ARN = `arn:aws:sqs:${AT}:${P}-worker-dlq`;
const API_ID = `${P}-api-id`;
const BASE_URL = `https://${API_ID}.execute-api.${REGION}.amazonaws.com`;
const FUNCTIONS = ["client-data", "retrieve", "remember", "post-call", "worker", "sweep"] as const;
type Fn = (typeof FUNCTIONS)[number];

const paramName = (secret: string) => `/elevenlabs-agentic-memory/prod/${secret}`;
const paramArn = (secret: string) => `arn:aws:ssm:${AT}:parameter${paramName(secret)}`;
const logGroupName = (fn: Fn) => `/aws/lambda/${P}-${fn}`;
const functionArn = (fn: Fn) => `arn:aws:lambda:${AT}:function:${P}-${fn}`;

const SECRETS = {
  mem0ApiKey: "mem0-api-key-plaintext",
  elevenlabsWorkspaceKey: "workspace-key-plaintext",
  elevenlabsHmacKey: "hmac-key-plaintext",
};

let run: ProgramRun;
beforeAll(async () => {
  run = await runProgram("prod", {}, SECRETS);
});

const fnInputs = (fn: Fn) => run.get(T.function, `${P}-${fn}`).inputs;
const statementsOf = (fn: Fn) => policyDocument(run.get(T.rolePolicy, `${P}-${fn}`)).Statement;
const asList = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

describe("functions", () => {
  const timeouts: Record<Fn, number> = { "client-data": 30, retrieve: 30, remember: 30, "post-call": 30, worker: 60, sweep: 300 };

  it("deploys exactly the six bundles on nodejs22.x with 256 MB, 30/30/30/30/60/300 s and reserved concurrency 10 (the sweep 1)", async () => {
    expect(run.ofType(T.function).map((r) => r.name).sort()).toEqual(FUNCTIONS.map((fn) => `${P}-${fn}`).sort());
    for (const fn of FUNCTIONS) {
      const inputs = fnInputs(fn);
      expect(inputs).toMatchObject({
        name: `${P}-${fn}`,
        runtime: "nodejs22.x",
        handler: "index.handler",
        memorySize: 256,
        timeout: timeouts[fn],
        reservedConcurrentExecutions: fn === "sweep" ? 1 : 10,
        role: `arn:aws:iam::${ACCOUNT_ID}:role/${P}-${fn}-role`,
      });
      const code = inputs.code as { path: Promise<string> };
      expect(await code.path).toBe(`dist/lambda/${fn}`);
    }
  });

  it("creates each log group with 7-day retention before its function and logs the function there", () => {
    for (const fn of FUNCTIONS) {
      const logGroup = run.get(T.logGroup, `${P}-${fn}`);
      expect(logGroup.inputs).toMatchObject({ name: logGroupName(fn), retentionInDays: 7 });
      const fnResource = run.get(T.function, `${P}-${fn}`);
      expect(fnResource.dependsOn).toContain(ref(T.logGroup, `${P}-${fn}`));
      expect(fnResource.inputs.loggingConfig).toEqual({ logFormat: "Text", logGroup: logGroupName(fn) });
    }
  });

  it("creates each function after its role policy, so the first invocation has its permissions", () => {
    for (const fn of FUNCTIONS) {
      expect(run.get(T.function, `${P}-${fn}`).dependsOn).toContain(ref(T.rolePolicy, `${P}-${fn}`));
    }
  });

  it("gives each function exactly its environment: its backends, the SSM parameter names of the secrets it declares, and where it records metric events", () => {
    const base = { POWERTOOLS_SERVICE_NAME: "agentic-memory", LOG_LEVEL: "INFO" };
    const common = { ...base, METRICS_NAMESPACE: P };
    const mem0 = { MEMORY_BACKEND: "mem0", MEM0_TELEMETRY: "false", MEM0_DIR: "/tmp/.mem0", MEM0_API_KEY_PARAM: paramName("MEM0_API_KEY") };
    const env = (fn: Fn) => (fnInputs(fn).environment as { variables: Record<string, string> }).variables;
    // Client-data reads the caller's profile from the bucket.
    expect(env("client-data")).toEqual({ ...common, ...mem0, ARCHIVE_BUCKET: BUCKET, ELEVENLABS_WORKSPACE_KEY_PARAM: paramName("ELEVENLABS_WORKSPACE_KEY") });
    expect(env("retrieve")).toEqual({ ...common, ...mem0, RETRIEVE_REQUIRE_KEY: "true", ELEVENLABS_WORKSPACE_KEY_PARAM: paramName("ELEVENLABS_WORKSPACE_KEY") });
    // Post-call stores raw events: no memory backend, no Mem0 secret.
    expect(env("post-call")).toEqual({ ...common, ARCHIVE_BUCKET: BUCKET, ELEVENLABS_HMAC_KEY_PARAM: paramName("ELEVENLABS_HMAC_KEY") });
    expect(env("worker")).toEqual({ ...common, ...mem0, ARCHIVE_BUCKET: BUCKET });
    // The sweep records no metric events.
    expect(env("sweep")).toEqual({ ...base, ...mem0, ARCHIVE_BUCKET: BUCKET });
  });

  it("never puts a secret value into a function, role or policy", () => {
    const carriers = [...run.ofType(T.function), ...run.ofType(T.role), ...run.ofType(T.rolePolicy)];
    const text = JSON.stringify(carriers.map((r) => r.inputs));
    for (const value of Object.values(SECRETS)) expect(text).not.toContain(value);
  });

  it("gives each function its own role that only Lambda can assume", () => {
    expect(run.ofType(T.role)).toHaveLength(FUNCTIONS.length);
    expect(run.ofType(T.rolePolicy)).toHaveLength(FUNCTIONS.length);
    for (const fn of FUNCTIONS) {
      const role = run.get(T.role, `${P}-${fn}`);
      expect(role.inputs.name).toBe(`${P}-${fn}-role`);
      expect(policyDocument(role, "assumeRolePolicy").Statement).toEqual([
        { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
      ]);
      expect(run.get(T.rolePolicy, `${P}-${fn}`).inputs.role).toBe(`${P}-${fn}-id`);
    }
  });
});

// Whether each grant is exactly what a function's code uses is shown by tests/deploy/deploy-parity.test.ts,
// which runs every bundle with these policies and evaluates each AWS call it makes. Here: the shape.
describe("IAM", () => {
  it("grants secrets only to the functions that declare them: workspace key to client-data and retrieve, HMAC key to post-call", () => {
    const parametersOf = (fn: Fn) => statementsOf(fn).filter((s) => s.Sid === "ReadOwnSecrets").flatMap((s) => asList(s.Resource));
    expect(parametersOf("client-data")).toEqual([paramArn("ELEVENLABS_WORKSPACE_KEY"), paramArn("MEM0_API_KEY")]);
    expect(parametersOf("retrieve")).toEqual([paramArn("ELEVENLABS_WORKSPACE_KEY"), paramArn("MEM0_API_KEY")]);
    expect(parametersOf("post-call")).toEqual([paramArn("ELEVENLABS_HMAC_KEY")]);
    expect(parametersOf("worker")).toEqual([paramArn("MEM0_API_KEY")]);
  });

  it("grants the bucket only to the functions that store or ingest events or read or rebuild profiles, and the dead-letter queue only to the worker", () => {
    const touchesBucket = (fn: Fn) => statementsOf(fn).some((s) => asList(s.Action).some((a) => a.startsWith("s3:")));
    expect(FUNCTIONS.filter(touchesBucket)).toEqual(["client-data", "remember", "post-call", "worker", "sweep"]);
    // Remember rebuilds the caller's profile: profiles only, no event, transcript or recording.
    const remember = statementsOf("remember").filter((s) => asList(s.Action).some((a) => a.startsWith("s3:")));
    expect(JSON.stringify(remember)).not.toMatch(/inbox\/|processed\/|failed\/|transcripts\/|audio\//);
    // Client-data only reads profiles: nothing else of the bucket, and never a write.
    const clientData = statementsOf("client-data").filter((s) => asList(s.Action).some((a) => a.startsWith("s3:")));
    expect(clientData.flatMap((s) => asList(s.Action)).sort()).toEqual(["s3:GetObject", "s3:ListBucket"]);
    expect(JSON.stringify(clientData)).not.toMatch(/inbox\/|processed\/|transcripts\/|audio\//);
    const sendsDeadLetters = (fn: Fn) => statementsOf(fn).some((s) => asList(s.Action).includes("sqs:SendMessage"));
    expect(FUNCTIONS.filter(sendsDeadLetters)).toEqual(["worker"]);
    expect(statementsOf("worker").find((s) => s.Sid === "DeadLetter")?.Resource).toEqual([DLQ_ARN]);
  });

  it("never grants S3, SSM or KMS on a wildcard resource, and kms:Decrypt only on the secrets key", () => {
    for (const fn of FUNCTIONS) {
      for (const statement of statementsOf(fn)) {
        const actions = asList(statement.Action);
        const resources = asList(statement.Resource);
        expect(statement.Effect).toBe("Allow");
        expect(actions.every((action) => !action.includes("*"))).toBe(true);
        if (actions.some((action) => /^(ssm|kms):/.test(action))) {
          for (const resource of resources) expect(resource).not.toContain("*");
        }
        if (actions.some((action) => action.startsWith("s3:"))) {
          // The bucket itself (listing, prefix-bound) or objects under one named prefix, never the whole bucket.
          for (const resource of resources) expect(resource).toMatch(new RegExp(`^${BUCKET_ARN}(/[a-z-]+/\\*)?$`));
        }
        if (actions.includes("kms:Decrypt")) expect(resources).toEqual([KEY_ARN]);
      }
    }
  });
});

describe("secrets", () => {
  it("stores each set secret as an SSM SecureString under the stack's path, encrypted with the stack key", () => {
    const expected = {
      MEM0_API_KEY: SECRETS.mem0ApiKey,
      ELEVENLABS_WORKSPACE_KEY: SECRETS.elevenlabsWorkspaceKey,
      ELEVENLABS_HMAC_KEY: SECRETS.elevenlabsHmacKey,
    };
    expect(run.ofType(T.parameter)).toHaveLength(3);
    for (const [secret, value] of Object.entries(expected)) {
      expect(run.get(T.parameter, `${P}-${secret}`).inputs).toMatchObject({
        name: paramName(secret),
        type: "SecureString",
        keyId: KEY_ARN,
      });
      expect(secretValue(run.get(T.parameter, `${P}-${secret}`).inputs.value)).toEqual({ secret: true, value });
    }
  });

  it("uses one customer-managed key with rotation, aliased by stack", () => {
    expect(run.ofType(T.key)).toHaveLength(1);
    expect(run.get(T.key, `${P}-secrets`).inputs).toMatchObject({ enableKeyRotation: true });
    expect(run.get(T.alias, `${P}-secrets`).inputs).toMatchObject({
      name: `alias/${P}-secrets`,
      targetKeyId: `${P}-secrets-key-id`,
    });
  });
});

describe("storage", () => {
  const BUCKET_ID = `${P}-archive-id`;

  it("names the bucket after the stack and the account", () => {
    expect(run.ofType(T.bucket)).toHaveLength(1);
    expect(run.get(T.bucket, `${P}-archive`).inputs.bucket).toBe(BUCKET);
  });

  it("encrypts by default (SSE-S3)", () => {
    expect(run.get(T.bucketEncryption, `${P}-archive`).inputs).toEqual({
      bucket: BUCKET_ID,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
  });

  it("blocks all public access", () => {
    expect(run.get(T.bucketPublicAccessBlock, `${P}-archive`).inputs).toEqual({
      bucket: BUCKET_ID,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
  });

  it("denies every request that is not over TLS", () => {
    const policy = run.get(T.bucketPolicy, `${P}-archive`);
    expect(policy.inputs.bucket).toBe(BUCKET_ID);
    expect(policyDocument(policy).Statement).toEqual([
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ]);
    expect(policy.dependsOn).toContain(ref(T.bucketPublicAccessBlock, `${P}-archive`));
  });

  it("versions objects by default and keeps them until told otherwise, but for settled audio-wait markers and replaced profiles", () => {
    expect(run.get(T.bucketVersioning, `${P}-archive`).inputs).toEqual({
      bucket: BUCKET_ID,
      versioningConfiguration: { status: "Enabled" },
    });
    // A settled marker names the caller's folder: its old versions and delete markers go after a day.
    expect(run.get(T.bucketLifecycle, `${P}-archive`).inputs).toEqual({
      bucket: BUCKET_ID,
      rules: [
        {
          id: "settled-awaiting-audio",
          status: "Enabled",
          filter: { prefix: "awaiting-audio/" },
          noncurrentVersionExpiration: { noncurrentDays: 1 },
          expiration: { expiredObjectDeleteMarker: true },
        },
        // Each call rewrites the caller's profile; the version it replaces quotes older notes.
        { id: "replaced-profiles", status: "Enabled", filter: { prefix: "profiles/" }, noncurrentVersionExpiration: { noncurrentDays: 1 } },
      ],
    });
  });
});

describe("API", () => {
  const routes = ["client-data", "retrieve", "remember", "post-call"] as const;

  it("is one HTTP API with exactly POST /client-data, POST /retrieve, POST /remember and POST /post-call", () => {
    expect(run.ofType(T.api)).toHaveLength(1);
    expect(run.get(T.api, `${P}-api`).inputs).toMatchObject({ name: `${P}-api`, protocolType: "HTTP" });
    expect(run.ofType(T.route).map((r) => r.inputs.routeKey).sort()).toEqual(
      ["POST /client-data", "POST /post-call", "POST /remember", "POST /retrieve"],
    );
  });

  it("proxies each route to its function with payload format 2.0, invocable only from that route", () => {
    for (const fn of routes) {
      expect(run.get(T.route, `${P}-${fn}`).inputs).toMatchObject({
        apiId: API_ID,
        routeKey: `POST /${fn}`,
        target: `integrations/${P}-${fn}-id`,
      });
      expect(run.get(T.integration, `${P}-${fn}`).inputs).toMatchObject({
        apiId: API_ID,
        integrationType: "AWS_PROXY",
        integrationMethod: "POST",
        integrationUri: functionArn(fn),
        payloadFormatVersion: "2.0",
      });
      expect(run.get(T.permission, `${P}-${fn}-apigateway`).inputs).toMatchObject({
        action: "lambda:InvokeFunction",
        function: `${P}-${fn}`,
        principal: "apigateway.amazonaws.com",
        sourceArn: `arn:aws:execute-api:${AT}:${API_ID}/*/POST/${fn}`,
      });
    }
  });

  it("serves an auto-deployed $default stage with throttling 50 rps / burst 100", () => {
    const stage = run.get(T.stage, `${P}-api`);
    expect(stage.inputs).toMatchObject({
      apiId: API_ID,
      name: "$default",
      autoDeploy: true,
      defaultRouteSettings: { throttlingRateLimit: 50, throttlingBurstLimit: 100 },
    });
    for (const fn of routes) expect(stage.dependsOn).toContain(ref(T.route, `${P}-${fn}`));
  });

  it("writes JSON access logs, without bodies or headers, to a 7-day log group", () => {
    const accessLogs = run.get(T.logGroup, `${P}-api-access`);
    expect(accessLogs.inputs).toMatchObject({ name: `/aws/apigateway/${P}-api`, retentionInDays: 7 });
    const settings = run.get(T.stage, `${P}-api`).inputs.accessLogSettings as { destinationArn: string; format: string };
    expect(settings.destinationArn).toBe(`arn:aws:logs:${AT}:log-group:/aws/apigateway/${P}-api`);
    const format = JSON.parse(settings.format) as Record<string, string>;
    expect(format).toMatchObject({ requestId: "$context.requestId", routeKey: "$context.routeKey", status: "$context.status" });
    expect(settings.format).not.toMatch(/requestBody|header|querystring/i);
  });
});

describe("events", () => {
  it("invokes the worker for objects created under inbox/ only", () => {
    const notification = run.get(T.bucketNotification, `${P}-archive`);
    expect(notification.inputs).toEqual({
      bucket: `${P}-archive-id`,
      lambdaFunctions: [{ lambdaFunctionArn: functionArn("worker"), events: ["s3:ObjectCreated:*"], filterPrefix: "inbox/" }],
    });
    expect(notification.dependsOn).toContain(ref(T.permission, `${P}-worker-s3`));
    expect(run.get(T.permission, `${P}-worker-s3`).inputs).toMatchObject({
      action: "lambda:InvokeFunction",
      function: `${P}-worker`,
      principal: "s3.amazonaws.com",
      sourceArn: BUCKET_ARN,
      sourceAccount: ACCOUNT_ID,
    });
  });

  it("retries a failed worker invocation twice within an hour, then sends it to the dead-letter queue", () => {
    const invokeConfig = run.get(T.eventInvokeConfig, `${P}-worker`);
    expect(invokeConfig.inputs).toEqual({
      functionName: `${P}-worker`,
      maximumRetryAttempts: 2,
      maximumEventAgeInSeconds: 3600,
      destinationConfig: { onFailure: { destination: DLQ_ARN } },
    });
    // Lambda checks the role may send to the destination when the config is saved.
    expect(invokeConfig.dependsOn).toContain(ref(T.rolePolicy, `${P}-worker`));
    expect(run.ofType(T.eventInvokeConfig)).toHaveLength(1);
  });

  it("runs the sweep every 10 minutes from an EventBridge schedule that alone may invoke it", () => {
    const rule = run.get("aws:cloudwatch/eventRule:EventRule", `${P}-sweep`);
    expect(rule.inputs).toMatchObject({ name: `${P}-sweep`, scheduleExpression: "rate(10 minutes)" });
    const target = run.get("aws:cloudwatch/eventTarget:EventTarget", `${P}-sweep`);
    expect(target.inputs).toMatchObject({ rule: `${P}-sweep`, arn: functionArn("sweep") });
    expect(target.dependsOn).toContain(ref(T.permission, `${P}-sweep-schedule`));
    expect(run.get(T.permission, `${P}-sweep-schedule`).inputs).toMatchObject({
      action: "lambda:InvokeFunction",
      function: `${P}-sweep`,
      principal: "events.amazonaws.com",
      sourceArn: `arn:aws:mock:${AT}:${P}-sweep`,
    });
  });

  it("keeps the dead-letter queue encrypted for 14 days", () => {
    expect(run.get(T.queue, `${P}-worker-dlq`).inputs).toMatchObject({
      name: `${P}-worker-dlq`,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: 1_209_600,
    });
  });
});

describe("alarms", () => {
  interface AlarmInputs {
    comparisonOperator: string;
    threshold: number;
    alarmActions: string[];
    metricName?: string;
    namespace?: string;
    dimensions?: Record<string, string>;
    statistic?: string;
    extendedStatistic?: string;
    period?: number;
    metricQueries?: { id: string; expression?: string; returnData?: boolean; metric?: Record<string, unknown> }[];
  }
  const alarm = (suffix: string) => run.get(T.alarm, `${P}-${suffix}`).inputs as unknown as AlarmInputs;

  it("has exactly the per-function, API and dead-letter alarms", () => {
    const expected = [
      ...FUNCTIONS.flatMap((fn) => [`${fn}-error-rate`, `${fn}-duration`, `${fn}-throttles`]),
      "api-5xx",
      "worker-dlq-not-empty",
    ].map((suffix) => `${P}-${suffix}`);
    expect(run.ofType(T.alarm).map((r) => r.inputs.name).sort()).toEqual(expected.sort());
  });

  it("alarms per function on error rate > 1 % (Errors / Invocations * 100)", () => {
    for (const fn of FUNCTIONS) {
      const a = alarm(`${fn}-error-rate`);
      expect(a).toMatchObject({ comparisonOperator: "GreaterThanThreshold", threshold: 1 });
      const metric = (name: string) => ({
        namespace: "AWS/Lambda",
        metricName: name,
        dimensions: { FunctionName: `${P}-${fn}` },
        period: 300,
        stat: "Sum",
      });
      expect(a.metricQueries).toEqual([
        { id: "errors", metric: metric("Errors"), returnData: false },
        { id: "invocations", metric: metric("Invocations"), returnData: false },
        { id: "error_rate", expression: "100 * errors / invocations", label: "Error rate (%)", returnData: true },
      ]);
    }
  });

  it("alarms per function on p99 duration > 25 s and on any throttle", () => {
    for (const fn of FUNCTIONS) {
      expect(alarm(`${fn}-duration`)).toMatchObject({
        namespace: "AWS/Lambda",
        metricName: "Duration",
        dimensions: { FunctionName: `${P}-${fn}` },
        extendedStatistic: "p99",
        comparisonOperator: "GreaterThanThreshold",
        threshold: 25_000,
      });
      expect(alarm(`${fn}-throttles`)).toMatchObject({
        namespace: "AWS/Lambda",
        metricName: "Throttles",
        dimensions: { FunctionName: `${P}-${fn}` },
        statistic: "Sum",
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
      });
    }
  });

  it("alarms on more than 5 API 5xx responses and on a non-empty dead-letter queue", () => {
    expect(alarm("api-5xx")).toMatchObject({
      namespace: "AWS/ApiGateway",
      metricName: "5xx",
      dimensions: { ApiId: API_ID },
      statistic: "Sum",
      comparisonOperator: "GreaterThanThreshold",
      threshold: 5,
    });
    expect(alarm("worker-dlq-not-empty")).toMatchObject({
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: `${P}-worker-dlq` },
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
    });
  });

  it("evaluates every alarm over one 5-minute period and treats no traffic as OK", () => {
    for (const r of run.ofType(T.alarm)) {
      expect(r.inputs).toMatchObject({ evaluationPeriods: 1, treatMissingData: "notBreaching" });
      const a = r.inputs as unknown as AlarmInputs;
      if (a.metricQueries === undefined) expect(a.period).toBe(300);
      else expect(a).not.toHaveProperty("period");
    }
  });

  it("creates no topic and no actions without alarmEmail", () => {
    expect(run.ofType(T.topic)).toHaveLength(0);
    expect(run.ofType(T.subscription)).toHaveLength(0);
    for (const r of run.ofType(T.alarm)) expect(r.inputs.alarmActions).toEqual([]);
  });
});

describe("outputs", () => {
  it("exports the four URLs to paste into ElevenLabs, the bucket name, the dead-letter queue URL and where the metrics are", () => {
    expect(run.outputs).toEqual({
      clientDataUrl: `${BASE_URL}/client-data`,
      retrieveUrl: `${BASE_URL}/retrieve`,
      rememberUrl: `${BASE_URL}/remember`,
      postCallUrl: `${BASE_URL}/post-call`,
      bucketName: BUCKET,
      deadLetterQueueUrl: expect.stringMatching(/^https:\/\/sqs\.[a-z0-9-]+\.amazonaws\.com\/\d+\/elevenlabs-agentic-memory-[a-z0-9-]+-worker-dlq$/),
      metricsNamespace: P,
      usageDashboardUrl: `https://${REGION}.console.aws.amazon.com/cloudwatch/home?region=${REGION}#dashboards/dashboard/${P}-usage`,
    });
  });
});
