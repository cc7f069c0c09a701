import { describe, expect, it } from "vitest";
import type { EventInbox, InboxEventId } from "../../application/ports/event-inbox.port";
import { AcceptPostCall, InboxUnavailableError } from "../../application/use-cases/accept-post-call.use-case";
import { DomainError, type DomainErrorCode } from "../../domain/domain-error";
import { computeSignature, signatureHeader } from "../../domain/webhook-signature";
import { fixtureText } from "../support/fixtures";
import { HMAC_KEY, NOW_SECS, TINY_RETRY, TRANSCRIPTION, TRANSCRIPTION_ID, failingFirst, overriding, postCallWorld } from "./support/harness";


const sign = (body: string, t = NOW_SECS, secret = HMAC_KEY): string => signatureHeader(secret, body, t);

describe("AcceptPostCall", () => {
  describe("a correctly signed event", () => {
    it.each<{ name: string; file: string; id: InboxEventId }>([
      { name: "transcription", file: "post-call-transcription.json", id: TRANSCRIPTION_ID },
      { name: "audio", file: "post-call-audio.json", id: "post_call_audio/conv_5201kfx7demo0conv0fixt00001a" },
      {
        name: "call initiation failure",
        file: "call-initiation-failure.json",
        id: "call_initiation_failure/conv_5202kfx7demo0conv0fixt00002b",
      },
    ])("stores the $name event as received, wakes the worker and acknowledges it", async ({ file, id }) => {
      // Prepare
      const { accept, inbox, trigger } = postCallWorld();
      const rawBody = fixtureText(file);

      // Act
      const result = await accept.execute({ rawBody, signatureHeader: sign(rawBody) });

      // Assess
      expect(result).toEqual({ ok: true, value: { id, duplicate: false } });
      expect(await inbox.listPending()).toEqual([id]);
      expect(await inbox.get(id)).toMatchObject({ id, rawBody, receivedAt: NOW_SECS });
      expect(trigger.notified).toEqual([id]);
    });

    it("acknowledges a redelivery as a duplicate without storing or waking anything again", async () => {
      // Prepare
      const { accept, inbox, trigger, clock } = postCallWorld();
      await accept.execute({ rawBody: TRANSCRIPTION, signatureHeader: sign(TRANSCRIPTION) });
      const before = await inbox.get(TRANSCRIPTION_ID);
      clock.advance(60_000);

      // Act: ElevenLabs retries a minute later with a fresh signature.
      const result = await accept.execute({ rawBody: TRANSCRIPTION, signatureHeader: sign(TRANSCRIPTION, NOW_SECS + 60) });

      // Assess
      expect(result).toEqual({ ok: true, value: { id: TRANSCRIPTION_ID, duplicate: true } });
      expect(trigger.notified).toEqual([TRANSCRIPTION_ID]);
      expect(inbox.events.size).toBe(1);
      expect(await inbox.get(TRANSCRIPTION_ID)).toEqual(before);
    });

    it("is a duplicate even after it was ingested", async () => {
      // Prepare
      const { accept, ingest, inbox, trigger } = postCallWorld();
      await accept.execute({ rawBody: TRANSCRIPTION, signatureHeader: sign(TRANSCRIPTION) });
      await ingest.execute(TRANSCRIPTION_ID);

      // Act
      const result = await accept.execute({ rawBody: TRANSCRIPTION, signatureHeader: sign(TRANSCRIPTION) });

      // Assess
      expect(result).toEqual({ ok: true, value: { id: TRANSCRIPTION_ID, duplicate: true } });
      expect(await inbox.state(TRANSCRIPTION_ID)).toBe("done");
      expect(trigger.notified).toHaveLength(1);
    });

    it("accepts a signature whose time is within the tolerances", async () => {
      // Prepare
      const { accept } = postCallWorld();

      // Act
      const almostStale = await accept.execute({ rawBody: TRANSCRIPTION, signatureHeader: sign(TRANSCRIPTION, NOW_SECS - 1800) });
      const slightlyAhead = await accept.execute({ rawBody: TRANSCRIPTION, signatureHeader: sign(TRANSCRIPTION, NOW_SECS + 300) });

      // Assess
      expect(almostStale.ok).toBe(true);
      expect(slightlyAhead.ok).toBe(true);
    });

    it("stamps a seed-format event (no timestamp of its own) with the time it was received", async () => {
      // Prepare
      const { accept, inbox } = postCallWorld();
      const rawBody = fixtureText("post-call-seed-format.json");

      // Act
      const result = await accept.execute({ rawBody, signatureHeader: sign(rawBody) });

      // Assess
      expect(result).toEqual({ ok: true, value: { id: TRANSCRIPTION_ID, duplicate: false } });
      expect(await inbox.get(TRANSCRIPTION_ID)).toMatchObject({ receivedAt: NOW_SECS, rawBody, eventType: "post_call_transcription" });
    });
  });

  describe("a refused signature stores nothing", () => {
    const otherBody = TRANSCRIPTION.replace("Marisol Quenby", "Marisol Quenbz");
    const cases: { name: string; header: string | undefined; body?: string; code: DomainErrorCode }[] = [
      { name: "no header", header: undefined, code: "SIGNATURE_MISSING" },
      { name: "an empty header", header: "", code: "SIGNATURE_MISSING" },
      { name: "no t=", header: `v0=${computeSignature(HMAC_KEY, NOW_SECS, TRANSCRIPTION)}`, code: "SIGNATURE_MALFORMED" },
      { name: "no v0=", header: `t=${NOW_SECS}`, code: "SIGNATURE_MALFORMED" },
      { name: "a t= that is not a number", header: `t=yesterday,v0=${"a".repeat(64)}`, code: "SIGNATURE_MALFORMED" },
      { name: "a t= 31 minutes old", header: sign(TRANSCRIPTION, NOW_SECS - 1801), code: "SIGNATURE_STALE" },
      { name: "a t= 6 minutes ahead", header: sign(TRANSCRIPTION, NOW_SECS + 360), code: "SIGNATURE_FROM_FUTURE" },
      { name: "another secret", header: sign(TRANSCRIPTION, NOW_SECS, "someone-elses-secret"), code: "SIGNATURE_MISMATCH" },
      { name: "a tampered body", header: sign(TRANSCRIPTION), body: otherBody, code: "SIGNATURE_MISMATCH" },
      { name: "an uppercase digest", header: sign(TRANSCRIPTION).toUpperCase().replace("T=", "t=").replace("V0=", "v0="), code: "SIGNATURE_MISMATCH" },
    ];

    it.each(cases)("refuses $name with $code", async ({ header, body, code }) => {
      // Prepare
      const { accept, inbox, trigger } = postCallWorld();

      // Act
      const result = await accept.execute({ rawBody: body ?? TRANSCRIPTION, signatureHeader: header });

      // Assess
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error).toBeInstanceOf(DomainError);
      expect(result.error).toMatchObject({ code, field: "ElevenLabs-Signature" });
      expect(inbox.events.size).toBe(0);
      expect(trigger.notified).toEqual([]);
    });
  });

  describe("a correctly signed body the worker will not be able to use is stored and acknowledged all the same", () => {
    // ElevenLabs does not retry a 4xx: the worker parks these with their reason instead.
    it.each([
      { name: "not JSON", body: "{ this is not json", type: "unreadable", conversation: /^sha256-[0-9a-f]{40}$/ },
      { name: "truncated JSON", body: TRANSCRIPTION.slice(0, 200), type: "unreadable", conversation: /^sha256-[0-9a-f]{40}$/ },
      {
        name: "an event type we do not know",
        body: JSON.stringify({ type: "answering_machine_detection", event_timestamp: NOW_SECS, data: { conversation_id: "conv_x", agent_id: "agent_x" } }),
        type: "answering_machine_detection",
        conversation: /^conv_x$/,
      },
      {
        name: "a transcription without conversation id",
        body: JSON.stringify({ type: "post_call_transcription", event_timestamp: NOW_SECS, data: { agent_id: "agent_x" } }),
        type: "post_call_transcription",
        conversation: /^sha256-[0-9a-f]{40}$/,
      },
      {
        name: "a conversation id that cannot be a storage key",
        body: JSON.stringify({ type: "post_call_transcription", event_timestamp: NOW_SECS, data: { conversation_id: "../../etc/passwd" } }),
        type: "post_call_transcription",
        conversation: /^sha256-[0-9a-f]{40}$/,
      },
    ])("keeps $name, verbatim, and wakes the worker", async ({ body, type, conversation }) => {
      // Prepare
      const { accept, inbox, trigger } = postCallWorld();

      // Act
      const result = await accept.execute({ rawBody: body, signatureHeader: sign(body) });
      const again = await accept.execute({ rawBody: body, signatureHeader: sign(body) });

      // Assess
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      const [storedType, storedConversation] = result.value.id.split("/");
      expect(storedType).toBe(type);
      expect(storedConversation).toMatch(conversation);
      expect((await inbox.get(result.value.id))?.rawBody).toBe(body);
      expect(trigger.notified).toEqual([result.value.id]);
      expect(again).toEqual({ ok: true, value: { id: result.value.id, duplicate: true } });
    });
  });

  describe("when the inbox is unreliable", () => {
    it("retries within the request and stores the event once the inbox recovers", async () => {
      // Prepare
      const world = postCallWorld();
      const store = failingFirst(2, world.inbox.store.bind(world.inbox), new Error("EIO: disk hiccup"));
      const accept = new AcceptPostCall(world.secrets, overriding<EventInbox>(world.inbox, { store }), world.trigger, world.clock, { storeRetry: TINY_RETRY });

      // Act
      const result = await accept.execute({ rawBody: TRANSCRIPTION, signatureHeader: sign(TRANSCRIPTION) });

      // Assess
      expect(result).toEqual({ ok: true, value: { id: TRANSCRIPTION_ID, duplicate: false } });
      expect(store.calls()).toBe(3);
      expect(await world.inbox.listPending()).toEqual([TRANSCRIPTION_ID]);
      expect(world.trigger.notified).toEqual([TRANSCRIPTION_ID]);
    });

    it("throws InboxUnavailableError (carrying the cause) once every retry failed, and wakes no one", async () => {
      // Prepare
      const world = postCallWorld();
      const outage = new Error("EROFS: read-only file system");
      const store = failingFirst(Number.POSITIVE_INFINITY, world.inbox.store.bind(world.inbox), outage);
      const accept = new AcceptPostCall(world.secrets, overriding<EventInbox>(world.inbox, { store }), world.trigger, world.clock, { storeRetry: TINY_RETRY });

      // Act
      const attempt = accept.execute({ rawBody: TRANSCRIPTION, signatureHeader: sign(TRANSCRIPTION) });

      // Assess
      const error = await attempt.then(
        () => null,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(InboxUnavailableError);
      expect(error).toMatchObject({ name: "InboxUnavailableError", cause: outage });
      expect(store.calls()).toBe(TINY_RETRY.attempts);
      expect(world.inbox.events.size).toBe(0);
      expect(world.trigger.notified).toEqual([]);
    });

    it("gives up within its time budget when the inbox hangs, so the webhook is answered (503) before API Gateway's limit", async () => {
      // Prepare
      const world = postCallWorld();
      const store = () => new Promise<never>(() => undefined);
      const accept = new AcceptPostCall(world.secrets, overriding<EventInbox>(world.inbox, { store }), world.trigger, world.clock, {
        storeRetry: TINY_RETRY,
        budgetMs: 200,
      });

      // Act
      const started = Date.now();
      const error = await accept.execute({ rawBody: TRANSCRIPTION, signatureHeader: sign(TRANSCRIPTION) }).then(
        () => null,
        (thrown: unknown) => thrown,
      );

      // Assess
      expect(error).toBeInstanceOf(InboxUnavailableError);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(world.trigger.notified).toEqual([]);
    });

    it("does not touch the inbox for a refused signature, even a failing one", async () => {
      // Prepare
      const world = postCallWorld();
      const store = failingFirst(Number.POSITIVE_INFINITY, world.inbox.store.bind(world.inbox));
      const accept = new AcceptPostCall(world.secrets, overriding<EventInbox>(world.inbox, { store }), world.trigger, world.clock, { storeRetry: TINY_RETRY });

      // Act
      const result = await accept.execute({ rawBody: TRANSCRIPTION, signatureHeader: undefined });

      // Assess
      expect(result).toMatchObject({ ok: false, error: { code: "SIGNATURE_MISSING" } });
      expect(store.calls()).toBe(0);
    });
  });
});
