import { signatureHeader } from "../../../domain/webhook-signature";
import { integerFlag, positional } from "./arguments";
import type { CliCommand } from "./cli-context";
import { readInput } from "./post-call-request";

/** `sign <file>`: the `ElevenLabs-Signature` header for a payload. */
export const signCommand: CliCommand = {
  name: "sign",
  summary: "print the ElevenLabs-Signature header value for a payload",
  options: { timestamp: { type: "string" }, json: { type: "boolean" } },
  usage: `Usage: agentic-memory sign <file|-> [--timestamp UNIX_SECONDS] [--json]

Prints the ElevenLabs-Signature header value (t=<unix>,v0=<hex HMAC-SHA256 of "t.body">) for the
file's exact bytes ("-" reads stdin), keyed with ELEVENLABS_HMAC_KEY (environment, .env, the dev
keys in DATA_DIR, or SSM through ELEVENLABS_HMAC_KEY_PARAM). The server accepts it for 30 minutes.

  f=tests/fixtures/post-call-transcription.json
  curl -s localhost:3000/post-call -H 'content-type: application/json' \\
    -H "ElevenLabs-Signature: $(npx agentic-memory sign $f)" --data-binary @$f

Options:
  --timestamp N   sign for this unix time instead of now
  --json          print {"header", "timestamp"}`,
  async run(context) {
    const [path = ""] = positional(context, "file");
    const timestamp = integerFlag(context, "timestamp", { min: 0, max: 253_402_300_799 }) ?? Math.floor(Date.now() / 1000);
    const body = await readInput(path);
    const header = signatureHeader(await context.secret("ELEVENLABS_HMAC_KEY"), body, timestamp);
    context.out(context.json ? JSON.stringify({ header, timestamp }) : header);
    return 0;
  },
};
