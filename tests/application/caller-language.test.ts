// Each caller's language: taken from the call, kept in the profile, changed only for good.
import { describe, expect, it } from "vitest";
import { toResponse } from "../../adapters/inbound/elevenlabs/client-data-response";
import { ExportCaller } from "../../application/use-cases/export-caller.use-case";
import { transcriptionFor } from "../support/fixtures";
import { MARISOL, callSettings, callerId, conversationReader, postCallWorld, prepareCallContextOver } from "./support/harness";

/** The fixture call of Marisol as call number `n`, in `language` (as `metadata.main_language`). */
function callIn(n: number, language: string): string {
  const event = JSON.parse(transcriptionFor({ conversationId: `conv_lang_${n}`, callerId: MARISOL, eventTimestamp: 1_767_268_871 + n * 86_400 })) as {
    data: { metadata: Record<string, unknown> };
  };
  event.data.metadata.main_language = language;
  return JSON.stringify(event);
}

describe("the caller's language", () => {
  it("is taken from the first call, changed only after two calls in a row in another, greeted in, and exported", async () => {
    const world = postCallWorld();
    const prepare = prepareCallContextOver(world.store, callSettings(), world.profiles);
    const greetingAfter = async () => {
      const answer = await prepare.execute({ callerId: MARISOL });
      if (!answer.ok) throw answer.error;
      return [answer.value.language, answer.value.firstMessage];
    };

    await world.deliverAndIngest(callIn(1, "en"));
    const afterEnglish = await greetingAfter();
    await world.deliverAndIngest(callIn(2, "es"));
    const afterOneSpanish = await greetingAfter();
    await world.deliverAndIngest(callIn(3, "es"));
    const afterTwoSpanish = await greetingAfter();
    const exported = await new ExportCaller(world.store, world.archive, conversationReader, world.clock, world.profiles).execute(callerId(MARISOL));

    expect(afterEnglish).toEqual(["en", "Hi Marisol, welcome back! How can I help you today?"]);
    expect(afterOneSpanish).toEqual(["en", "Hi Marisol, welcome back! How can I help you today?"]);
    expect(afterTwoSpanish).toEqual(["es", "¡Hola, Marisol! Qué gusto volver a saber de usted. ¿En qué puedo ayudarle?"]);
    expect(exported.profile).toMatchObject({ language: "es", lastCallLanguage: "es" });
  });

  it("greets a caller whose language has no greetings in the operator's default language", async () => {
    const world = postCallWorld();
    await world.deliverAndIngest(callIn(1, "ja"));

    const answer = await prepareCallContextOver(world.store, callSettings(), world.profiles).execute({ callerId: MARISOL });

    if (!answer.ok) throw answer.error;
    expect(answer.value).toMatchObject({ language: "ja", firstMessage: "Hi Marisol, welcome back! How can I help you today?" });
    // With the language override on, the agent is told the operator's language, not one it may not speak.
    const settings = callSettings({ overrides: ["first_message", "language"], language: "en" });
    expect(toResponse(answer.value, settings).conversation_config_override?.agent).toEqual({ first_message: answer.value.firstMessage, language: "en" });
    expect(toResponse({ ...answer.value, language: "es" }, settings).conversation_config_override?.agent.language).toBe("es");
  });
});
