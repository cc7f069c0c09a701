// Bench probe, run by plain `node` (no tsx, no TypeScript): import one Lambda bundle from dist/ and
// serve it events the way the Lambda runtime would, one at a time.
//
//   node bench/probes/bundle-probe.mjs <config.json>
//
// With `events: 1` it is the cold-start proxy: the parent times the whole process. With more events
// it samples its own RSS and reports the peak over IPC. It exits non-zero on any unexpected answer.
import { Buffer } from "node:buffer";
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { clearInterval, setInterval } from "node:timers";
import { pathToFileURL } from "node:url";

/**
 * @typedef {object} ProbeConfig
 * @property {string} bundle            absolute path of dist/lambda/<fn>/index.mjs
 * @property {"http" | "s3"} kind       API Gateway v2 events (expects 200) or S3 notifications (expects processed: 1)
 * @property {Record<string, any>} template  the first event, built by the parent
 * @property {number} events
 * @property {number} maxMs
 * @property {string[]} [bodies]        HTTP bodies, cycled
 * @property {{ fixture: string, hmacKey: string, conversationPrefix: string, callers: string[] }} [postCall]
 * @property {{ keyPrefix: string }} [s3]
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
 * The i-th event: the template with a fresh body (and signature), request id and time.
 * @param {number} i
 */
function eventAt(i) {
  const template = config.template;
  if (config.kind === "s3") {
    const record = template.Records[0];
    const key = `${config.s3?.keyPrefix ?? ""}${i}.json`;
    return { Records: [{ ...record, eventTime: new Date().toISOString(), s3: { ...record.s3, object: { ...record.s3.object, key } } }] };
  }
  const headers = { ...template.headers };
  let body;
  if (config.postCall !== undefined) {
    body = postCallBody(i);
    const t = Math.floor(Date.now() / 1000);
    headers["elevenlabs-signature"] = `t=${t},v0=${createHmac("sha256", config.postCall.hmacKey).update(`${t}.${body}`).digest("hex")}`;
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
    requestContext: { ...template.requestContext, requestId: randomUUID(), time: new Date(now).toISOString(), timeEpoch: now },
  };
}

/**
 * @param {any} answer
 * @param {number} i
 */
function check(answer, i) {
  const ok = config.kind === "s3" ? answer?.processed === 1 : answer?.statusCode === 200;
  if (ok) return;
  process.stderr.write(`event ${i} got an unexpected answer: ${JSON.stringify(answer).slice(0, 400)}\n`);
  process.exit(2);
}

const first = eventAt(0);
const { handler } = await import(pathToFileURL(config.bundle).href);
check(await handler(first), 0);

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
    check(await handler(eventAt(served)), served);
    served += 1;
    sample();
  }
  clearInterval(sampler);
  const report = { peakRss: peak, served, ms: performance.now() - start };
  if (process.send) process.send(report, undefined, {}, () => process.exit(0));
  else process.exit(0);
} else {
  process.exit(0);
}
