// Bench probe, run by plain `node` (no tsx, no TypeScript): import one Lambda bundle and serve it
// events the way the Lambda runtime would, one at a time, with a context counting down the function's
// timeout. Its environment is the function's own (the parent passes exactly that), so everything
// the probe needs comes from its config file:
//
//   node bench/probes/bundle-probe.mjs <config.json>
//
// With `events: 1` it is the cold-start proxy: the parent times it from spawn to the IPC message the
// probe sends once the first event is answered, and the probe writes where the time went (`timingsFile`).
// With `warmEvent` set it then waits for the parent's `{ next: true }` (the parent stores what that event
// needs meanwhile) and answers event number `warmEvent` as the warm instance it now is, timed the same
// way, so the parent can tell the work of an event from what being cold added to it. With more events
// it samples its own RSS and reports the peak over IPC. It exits non-zero on any answer that is not the
// one a working deployment gives (a degraded client-data, an empty retrieve, a parked event): a figure
// measured on a failure path would describe something else.
//
// The probe stands in for the Lambda runtime and should cost the cold start nothing of its own: it
// uses node's globals (process, Buffer, performance, timers) and loads the built-ins it needs as node's
// own modules, not as ES modules. node builds a built-in's ES module by reading each of its exports,
// every lazy getter included: `node:process` alone builds `allowedNodeEnvironmentFlags` and opens
// stdin, stdout and stderr. Imported as ES modules, this probe's built-ins took ~14 ms of every
// sample before the bundle's import (spawn to IPC on Node 22, 25 rounds); crypto waits for its first
// use, after the import, as the bundle's own load of it is part of what is measured.
/* global process, Buffer, performance, setInterval, clearInterval -- node's globals (above) */
const { readFileSync, writeFileSync } = process.getBuiltinModule("node:fs");
const { pathToFileURL } = process.getBuiltinModule("node:url");
/** @returns {typeof import("node:crypto")} */
const nodeCrypto = () => process.getBuiltinModule("node:crypto");

// Before anything else: how long node itself took to get here.
const bootMs = performance.now();

/**
 * @typedef {{ kind: "status-200" }
 *   | { kind: "returning-caller", firstMemoryCount: number }
 *   | { kind: "memories-found" }
 *   | { kind: "fact-stored" }
 *   | { kind: "worker-ingested" }
 *   | { kind: "sweep-ingested", firstRedriven: number, warmRedriven?: number }} Expectation
 *
 * @typedef {object} ProbeConfig
 * @property {string} bundle              absolute path of <task dir>/index.mjs
 * @property {string} functionName
 * @property {number} timeoutMs           the function's timeout: the context's remaining time counts down from it
 * @property {"http" | "s3" | "schedule"} kind  API Gateway v2 events, S3 notifications or EventBridge scheduled events
 * @property {Record<string, any>} template  the first event, built by the parent
 * @property {Expectation} expect         what every answer must show
 * @property {number} events
 * @property {number} maxMs
 * @property {string} [timingsFile]       with events: 1, where to write { bootMs, importMs, firstEventMs, endMs, warmEventMs? } (ms, from node's time origin)
 * @property {number} [warmEvent]         with events: 1, the event answered warm after the parent's go-ahead (its index)
 * @property {string[]} [bodies]          HTTP bodies, cycled
 * @property {{ fixture: string, hmacKey: string, conversationPrefix: string, callers: string[] }} [postCall]
 * @property {{ keyPrefix: string }} [s3]
 * @property {string} [invokeCgroupProcs]  the cgroup to join once the bundle is imported (BENCH_LAMBDA_CPU=1): events run at the function's share of a CPU
 */

/** @type {ProbeConfig} */
const config = JSON.parse(readFileSync(process.argv[2] ?? "", "utf8"));

/** @type {Record<string, any> | undefined} */
let transcription;

/** @param {number} i */
function postCallBody(i) {
  const p = config.postCall;
  if (p === undefined) throw new Error("postCall settings missing");
  transcription ??= JSON.parse(readFileSync(p.fixture, "utf8"));
  const caller = p.callers[i % p.callers.length];
  transcription.data.conversation_id = `${p.conversationPrefix}${i}`;
  transcription.data.metadata.phone_call.external_number = caller;
  transcription.data.conversation_initiation_client_data.dynamic_variables.system__caller_id = caller;
  return JSON.stringify(transcription);
}

/**
 * The i-th event: the template with a fresh body (and signature), object key, id or time.
 * @param {number} i
 */
function eventAt(i) {
  const template = config.template;
  if (config.kind === "s3") {
    const record = template.Records[0];
    const key = `${config.s3?.keyPrefix ?? ""}${i}.json`;
    return { Records: [{ ...record, eventTime: new Date().toISOString(), s3: { ...record.s3, object: { ...record.s3.object, key } } }] };
  }
  if (config.kind === "schedule") return { ...template, id: nodeCrypto().randomUUID(), time: new Date().toISOString().replace(/\.\d{3}Z$/, "Z") };
  const headers = { ...template.headers };
  let body;
  if (config.postCall !== undefined) {
    body = postCallBody(i);
    const t = Math.floor(Date.now() / 1000);
    headers["elevenlabs-signature"] = `t=${t},v0=${nodeCrypto().createHmac("sha256", config.postCall.hmacKey).update(`${t}.${body}`).digest("hex")}`;
  } else {
    const bodies = config.bodies ?? [];
    body = bodies[i % bodies.length];
  }
  headers["content-length"] = String(Buffer.byteLength(body ?? ""));
  const now = Date.now();
  return {
    ...template,
    headers,
    body,
    requestContext: { ...template.requestContext, requestId: nodeCrypto().randomUUID(), time: new Date(now).toISOString(), timeEpoch: now },
  };
}

/** The Lambda context of one invocation (the fields our handlers and Powertools read). */
function contextFor() {
  const deadline = Date.now() + config.timeoutMs;
  return {
    functionName: config.functionName,
    awsRequestId: nodeCrypto().randomUUID(),
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

/** @param {any} answer */
function jsonBody(answer) {
  try {
    return JSON.parse(answer?.body ?? "null");
  } catch {
    return null;
  }
}

/**
 * Why the answer is not the one a working deployment gives, or undefined when it is.
 * @param {any} answer
 * @param {number} i
 * @returns {string | undefined}
 */
function problemWith(answer, i) {
  const expect = config.expect;
  switch (expect.kind) {
    case "status-200":
      return answer?.statusCode === 200 ? undefined : "status is not 200";
    case "returning-caller": {
      if (answer?.statusCode !== 200) return "status is not 200";
      const variables = jsonBody(answer)?.dynamic_variables;
      // A new-caller answer for a seeded caller means Mem0 was not reached (client-data degrades, it never fails).
      if (variables?.returning_caller !== "yes") return "a seeded caller was answered as a new caller";
      if (i === 0 && variables.memory_count !== String(expect.firstMemoryCount)) return `memory_count is not ${expect.firstMemoryCount}`;
      return undefined;
    }
    case "memories-found": {
      if (answer?.statusCode !== 200) return "status is not 200";
      const memories = jsonBody(answer)?.memories;
      return Array.isArray(memories) && memories.length > 0 ? undefined : "no memories found (retrieve answers [] when Mem0 fails)";
    }
    case "fact-stored":
      return answer?.statusCode === 200 && jsonBody(answer)?.status === "stored" ? undefined : "the fact was not stored (remember answers not_stored when Mem0 fails)";
    case "worker-ingested":
      return answer?.processed === 1 && answer?.parked === 0 ? undefined : "the event was not processed";
    case "sweep-ingested": {
      const redriven = answer?.pending?.redriven;
      if (!Array.isArray(redriven)) return "no sweep report";
      if (redriven.some((r) => r?.status !== "ingested")) return "the sweep did not ingest every event it re-drove";
      if (i === 0 && redriven.length !== expect.firstRedriven) return `the first sweep re-drove ${redriven.length} events, not ${expect.firstRedriven}`;
      // The warm sweep is timed doing the same work as the cold one, not finding nothing to do.
      if (i === config.warmEvent && redriven.length !== expect.warmRedriven) return `the warm sweep re-drove ${redriven.length} events, not ${expect.warmRedriven}`;
      return undefined;
    }
    default:
      return `unknown expectation ${JSON.stringify(expect)}`;
  }
}

/**
 * @param {any} answer
 * @param {number} i
 */
function check(answer, i) {
  const problem = problemWith(answer, i);
  if (problem === undefined) return;
  process.stderr.write(`${config.functionName} event ${i}: ${problem}; answer: ${JSON.stringify(answer).slice(0, 400)}\n`);
  process.exit(2);
}

const first = eventAt(0);
// Set by the Lambda runtime in every function's environment (the handlers prime their scope at import where it is set).
process.env.AWS_LAMBDA_FUNCTION_NAME = config.functionName;
const importStart = performance.now();
const { handler } = await import(pathToFileURL(config.bundle).href);
const importMs = performance.now() - importStart;
// Lambda initialises an on-demand function on a full vCPU and runs its events at its memory's share of one.
if (config.invokeCgroupProcs !== undefined) writeFileSync(config.invokeCgroupProcs, String(process.pid));
const firstStart = performance.now();
check(await handler(first, contextFor()), 0);
const firstEventMs = performance.now() - firstStart;

if (config.events > 1) {
  let peak = process.memoryUsage.rss();
  const sample = () => {
    const rss = process.memoryUsage.rss();
    if (rss > peak) peak = rss;
  };
  const sampler = setInterval(sample, 5);
  const start = performance.now();
  let served = 1;
  while (served < config.events && performance.now() - start < config.maxMs) {
    check(await handler(eventAt(served), contextFor()), served);
    served += 1;
    sample();
  }
  clearInterval(sampler);
  const report = { peakRss: peak, served, ms: performance.now() - start };
  if (process.send) process.send(report, undefined, {}, () => process.exit(0));
  else process.exit(0);
} else {
  // The cold start ends here, with the answer: a Lambda instance is frozen after it, never exited.
  const answeredMs = performance.now();
  const timings = { bootMs, importMs, firstEventMs, endMs: answeredMs };
  if (config.warmEvent === undefined || !process.send) {
    if (config.timingsFile !== undefined) writeFileSync(config.timingsFile, JSON.stringify(timings));
    if (process.send) process.send({ answered: true }, undefined, {}, () => process.exit(0));
    else process.exit(0);
  } else {
    const next = new Promise((resolve) => process.once("message", resolve));
    process.send({ answered: true });
    await next;
    const warm = eventAt(config.warmEvent);
    const warmStart = performance.now();
    check(await handler(warm, contextFor()), config.warmEvent);
    const warmEventMs = performance.now() - warmStart;
    if (config.timingsFile !== undefined) writeFileSync(config.timingsFile, JSON.stringify({ ...timings, warmEventMs }));
    process.exit(0);
  }
}
