import { readFileSync } from "node:fs";
import { join } from "node:path";
import { signatureHeader } from "../../domain/webhook-signature";

const FIXTURES = join(import.meta.dirname, "..", "fixtures");

export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES, name), "utf8");
}

export function fixture<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixtureText(name)) as T;
}

interface TranscriptionEnvelope {
  type: string;
  event_timestamp: number;
  data: {
    conversation_id: string;
    metadata: { phone_call: { external_number: string } };
    conversation_initiation_client_data: { dynamic_variables: Record<string, unknown> };
  };
}

/** The transcription fixture for another conversation and caller (fictional +1 555-01xx numbers only). */
export function transcriptionFor(options: { conversationId: string; callerId: string; eventTimestamp?: number }): string {
  const event = fixture<TranscriptionEnvelope>("post-call-transcription.json");
  event.data.conversation_id = options.conversationId;
  event.data.metadata.phone_call.external_number = options.callerId;
  event.data.conversation_initiation_client_data.dynamic_variables.system__caller_id = options.callerId;
  if (options.eventTimestamp !== undefined) event.event_timestamp = options.eventTimestamp;
  return JSON.stringify(event);
}

export function signed(body: string, secret: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  return { "content-type": "application/json", "ElevenLabs-Signature": signatureHeader(secret, body, timestamp) };
}
