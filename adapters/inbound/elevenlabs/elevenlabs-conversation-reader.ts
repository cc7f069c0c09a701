import type { ConversationReader, ConversationReadOptions } from "../../../application/ports/conversation-reader.port";
import type { Conversation } from "../../../domain/conversation";
import type * as LanguageIdentification from "./language-identification";
import { translatePostCall } from "./post-call-translator";

/** Language identification (franc-min's trigram tables, ~30 ms to load), loaded only for a call that names no language. */
let identification: Promise<typeof LanguageIdentification> | undefined;

/**
 * The {@link ConversationReader} of ElevenLabs post-call bodies (and the seed's short shape): JSON,
 * then the wire's schemas, then the domain's `Conversation`. No I/O and no state; a transcription
 * whose event names no language (`metadata.main_language`) gets the one the caller's turns are in.
 *
 * @example
 * await new ElevenLabsConversationReader().read("not json", { defaultRegion: null }); // "stored body is not JSON"
 */
export class ElevenLabsConversationReader implements ConversationReader {
  async read(rawBody: string, options: ConversationReadOptions): Promise<Conversation | string> {
    let payload: unknown;
    try {
      payload = JSON.parse(rawBody);
    } catch {
      return "stored body is not JSON";
    }
    const translated = translatePostCall(payload, options);
    if (!translated.ok) return `${translated.error.code}: ${translated.error.message}`;
    const conversation = translated.value;
    if (conversation.eventType !== "post_call_transcription" || conversation.language !== null) return conversation;
    const callerText = conversation.turns.filter((t) => t.role === "user").map((t) => t.text).join(" ");
    identification ??= import("./language-identification");
    return { ...conversation, language: (await identification).identifyLanguage(callerText) };
  }
}
