import { callerArgument, positional, stringFlag, urlArgument } from "./arguments";
import { describeError } from "../../../domain/error-description";
import type { CliCommand } from "./cli-context";
import { DEFAULT_POST_CALL_FIXTURE, parseOrText, postCallUrl, readInput, rewritePostCall, sendPostCall } from "./post-call-request";

/** `simulate-call <url>`: send a fixture as a signed post-call webhook. */
export const simulateCallCommand: CliCommand = {
  name: "simulate-call",
  summary: "send a post-call fixture as a signed webhook to a deployment",
  options: { file: { type: "string" }, caller: { type: "string" }, "conversation-id": { type: "string" }, json: { type: "boolean" } },
  usage: `Usage: agentic-memory simulate-call <url> [--file FILE] [--caller NUMBER] [--conversation-id ID] [--json]

POSTs a post-call webhook, signed with ELEVENLABS_HMAC_KEY exactly as ElevenLabs signs it, to <url>
(a base URL such as https://memory.example.com, or the full …/post-call URL), and prints the answer.
Exit code 1 when the answer is not 2xx. A webhook with the same event type and conversation id is
only ever ingested once: use --conversation-id for a new call.

Options:
  --file FILE            the event to send (default tests/fixtures/post-call-transcription.json)
  --caller NUMBER        replace the caller's number in it (+15550100123)
  --conversation-id ID   replace the conversation id in it
  --json                 print {"url", "status", "body"}`,
  async run(context) {
    const [rawUrl = ""] = positional(context, "url");
    const url = postCallUrl(urlArgument(rawUrl, "url"));
    const caller = stringFlag(context, "caller");
    const conversationId = stringFlag(context, "conversation-id");
    const raw = await readInput(stringFlag(context, "file") ?? DEFAULT_POST_CALL_FIXTURE);
    const body =
      caller === undefined && conversationId === undefined
        ? raw.toString("utf8")
        : rewritePostCall(raw, { ...(caller === undefined ? {} : { callerId: callerArgument(caller, "--caller") }), ...(conversationId === undefined ? {} : { conversationId }) });

    let answer;
    try {
      answer = await sendPostCall(url, body, await context.secret("ELEVENLABS_HMAC_KEY"));
    } catch (error) {
      context.err(`POST ${url.href} failed: ${describeError(error)}`);
      return 1;
    }
    const ok = answer.status >= 200 && answer.status < 300;
    if (context.json) context.out(JSON.stringify({ url: url.href, status: answer.status, body: parseOrText(answer.body) }));
    else context.out(`POST ${url.href} → ${answer.status} ${answer.body}`);
    return ok ? 0 : 1;
  },
};

