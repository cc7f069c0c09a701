import type { ConversationReader, ConversationReadOptions } from "../../../application/ports/conversation-reader.port";
import type { Conversation } from "../../../domain/conversation";
import { translatePostCall } from "./post-call-translator";

/**
 * The {@link ConversationReader} of ElevenLabs post-call bodies (and the seed's short shape): JSON,
 * then the wire's schemas, then the domain's `Conversation`. Pure: no I/O, no state.
 *
 * @example
 * new ElevenLabsConversationReader().read("not json", { defaultRegion: null }); // "stored body is not JSON"
 */
export class ElevenLabsConversationReader implements ConversationReader {
  read(rawBody: string, options: ConversationReadOptions): Conversation | string {
    let payload: unknown;
    try {
      payload = JSON.parse(rawBody);
    } catch {
      return "stored body is not JSON";
    }
    const translated = translatePostCall(payload, options);
    return translated.ok ? translated.value : `${translated.error.code}: ${translated.error.message}`;
  }
}
