import type { CallerId } from "../../domain/caller-id";
import type { MemoryDraft, MemoryMetadata, MemorySource } from "../../domain/memory";

/** The caller whose calls are measured; the README's example number (fictional 555-01xx range). */
export const CALLER_UNDER_TEST = "+15550100123" as CallerId;

const pad2 = (n: number) => String(n).padStart(2, "0");

/** The i-th seeded caller other than the one under test: `+1 2xx 555-01xx`, fictional numbers only. */
export function seededCallerId(i: number): CallerId {
  return `+1${201 + Math.floor(i / 100)}55501${pad2(i % 100)}` as CallerId;
}

/** Callers that have no memories yet (post-call writes): `+1 6xx–8xx 555-01xx`, 30,000 before they repeat. */
export function freshCallerId(i: number): CallerId {
  return `+1${600 + (Math.floor(i / 100) % 300)}55501${pad2(i % 100)}` as CallerId;
}

/** Queries an agent's LLM sends mid-call: some match many of the caller's memories, some few or none. */
export const RETRIEVE_QUERIES = [
  "previous dinner booking and stated preferences",
  "dietary needs and allergies",
  "what appointment did they reschedule",
  "billing refund status",
  "preferred contact method and best time to call",
  "delivery address change",
  "complaint about the last visit",
  "loyalty points balance",
] as const;

/** A deterministic generator (mulberry32), so every run seeds the same memories. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIRST = ["Marisol", "Tomasz", "Aiyana", "Bertrand", "Chidi", "Delphine", "Emeka", "Fenna", "Gideon", "Hana", "Ilse", "Jovan"];
const LAST = ["Quenby", "Okafor", "Lindqvist", "Marchetti", "Nakamura", "Oyelaran", "Pietersen", "Ruiz", "Szabo", "Thorne"];

interface Topic {
  readonly subject: string;
  readonly ask: string;
  readonly details: readonly string[];
  readonly outcome: string;
}

const TOPICS: readonly Topic[] = [
  {
    subject: "a dinner booking",
    ask: "I'd like to book a table for Friday evening, ideally by the window.",
    details: ["party of four at 7:30 pm", "one guest is vegetarian", "celebrating an anniversary", "asked for a quiet corner table"],
    outcome: "confirmed the booking and noted the seating preference",
  },
  {
    subject: "dietary needs",
    ask: "Just so you know, I have a severe peanut allergy and I avoid shellfish.",
    details: ["peanut allergy, carries an epinephrine pen", "avoids shellfish", "prefers gluten-free bread", "lactose intolerant"],
    outcome: "added the allergies to the guest profile",
  },
  {
    subject: "rescheduling an appointment",
    ask: "Can we move my appointment from Tuesday to Thursday afternoon?",
    details: ["moved from Tuesday 10 am to Thursday 3 pm", "cannot do mornings because of school runs", "wants a reminder the day before"],
    outcome: "rescheduled the appointment and sent a confirmation text",
  },
  {
    subject: "a billing question",
    ask: "I was charged twice on my last statement and I'd like a refund for the duplicate.",
    details: ["duplicate charge of 48.20 on the March statement", "refund promised within five business days", "pays by direct debit"],
    outcome: "opened a refund request for the duplicate charge",
  },
  {
    subject: "contact preferences",
    ask: "Please text me rather than calling, I'm usually in meetings until six.",
    details: ["prefers text messages", "best reached after 6 pm", "does not want marketing emails"],
    outcome: "updated the preferred contact method to text",
  },
  {
    subject: "a delivery address change",
    ask: "We moved last month, so deliveries should go to the new flat on Harbour Street.",
    details: ["new address on Harbour Street, flat 3", "leave parcels with the concierge", "old address should be removed"],
    outcome: "changed the delivery address and removed the old one",
  },
  {
    subject: "a complaint about the last visit",
    ask: "The food came out cold last time and nobody checked on us for forty minutes.",
    details: ["food arrived cold", "waited forty minutes without service", "would come back if it is made right"],
    outcome: "apologised and offered a complimentary dessert on the next visit",
  },
  {
    subject: "loyalty points",
    ask: "How many points do I have, and can I use them for the tasting menu?",
    details: ["has 2,350 loyalty points", "wants to redeem points on the tasting menu", "asked about the gold tier"],
    outcome: "explained the balance and how to redeem points",
  },
];

/** One caller's seeded memories, newest call first: summaries, rationales, data collection, a stated name and transcript chunks. */
export function memoriesFor(userId: CallerId, count: number, seed: number): MemoryDraft[] {
  const rand = random(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const name = `${pick(FIRST)} ${pick(LAST)}`;
  const first = name.split(" ")[0] ?? name;
  const drafts: MemoryDraft[] = [];
  let day = Date.UTC(2026, 0, 15);

  for (let call = 0; drafts.length < count; call += 1) {
    day -= Math.floor(1 + rand() * 20) * 86_400_000;
    const when = new Date(day + Math.floor(rand() * 36_000) * 1000);
    const conversationId = `conv_seed_${seed}_${call}`;
    const topic = pick(TOPICS);
    const detail = pick(topic.details);
    const metadata = (type: MemoryMetadata["type"], source: MemorySource): MemoryMetadata => ({
      type,
      source,
      agent_id: "agent_bench_concierge",
      timestamp: when.toISOString(),
      call_duration: 60 + Math.floor(rand() * 540),
      conversation_id: conversationId,
    });
    const add = (source: MemorySource, index: number, text: string) =>
      drafts.push({
        key: `${conversationId}:${source}:${index}`,
        userId,
        text,
        metadata: metadata(source === "conversation" ? "semantic" : "factual", source),
      });

    add("summary", 0, `${name} called about ${topic.subject}: ${detail}. The agent ${topic.outcome}.`);
    add("evaluation", 0, `The caller's request about ${topic.subject} was resolved on the call; ${detail} was recorded.`);
    add("data_collection", 0, `Topic: ${topic.subject}`);
    if (call % 6 === 0) add("caller_name", 0, `The caller's name is ${name}.`);
    const date = when.toISOString().slice(0, 10);
    add(
      "conversation",
      0,
      [
        `Call on ${date}:`,
        `Agent: Hi ${first}, welcome back! How can I help you today?`,
        `Caller: ${topic.ask}`,
        `Agent: Of course. Let me check that for you.`,
        `Caller: Thanks. Also, ${detail}.`,
      ].join("\n"),
    );
    add(
      "conversation",
      1,
      [
        `Call on ${date}:`,
        `Agent: All done: I ${topic.outcome}. Is there anything else?`,
        `Caller: No, that's everything. Thank you for remembering me.`,
        `Agent: My pleasure, ${first}. Have a lovely evening.`,
      ].join("\n"),
    );
  }
  return drafts.slice(0, count);
}

/**
 * The whole seed: `callerUnderTest` memories for {@link CALLER_UNDER_TEST} and the rest spread evenly
 * over the other callers, in batches ready for one transaction each.
 */
export function* seedBatches(seed: { memories: number; callers: number; callerUnderTest: number }, batchSize = 2_000): Generator<MemoryDraft[]> {
  const others = seed.callers - 1;
  const remaining = seed.memories - seed.callerUnderTest;
  let batch: MemoryDraft[] = memoriesFor(CALLER_UNDER_TEST, seed.callerUnderTest, 1);
  for (let i = 0; i < others; i += 1) {
    const share = Math.floor(remaining / others) + (i < remaining % others ? 1 : 0);
    batch.push(...memoriesFor(seededCallerId(i), share, 1_000 + i));
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
