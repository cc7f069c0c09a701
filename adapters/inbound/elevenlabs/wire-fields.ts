/**
 * The field schemas the post-call wire is made of, and how a zod issue becomes the domain's
 * `INVALID_PAYLOAD` naming the JSON path to blame (`data.transcript[3].role`). Each message reads
 * after its path: `data.conversation_id is required`.
 */
// zod/mini: the same validation as classic zod at a fraction of the bundle size (Lambda cold starts).
import * as z from "zod/mini";
import { cleanText, EVENT_TIMESTAMP_RANGE, isStorableId, MAX_ID_LENGTH } from "../../../domain/conversation";
import { DomainError } from "../../../domain/domain-error";
import { err, type Result } from "../../../domain/result";

export type JsonObject = { readonly [key: string]: unknown };
export type WirePath = readonly PropertyKey[];

export const isAbsent = (value: unknown): value is null | undefined => value === undefined || value === null;

export const isJsonObject = (value: unknown): value is JsonObject => typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * A field with fallbacks (or only a hint), read by the translator in the order of its rule: the
 * first one present decides, so a malformed spare never rejects a good event.
 */
export const readLater = () => z.optional(z.unknown());

/** `conversation_id`, `agent_id`: they end up in storage keys (`isStorableId`). */
export const idField = z.string({ error: (issue) => (isAbsent(issue.input) ? "is required" : "must be a non-empty string") }).check(
  z.minLength(1, "must be a non-empty string"),
  z.maxLength(MAX_ID_LENGTH, `must be at most ${MAX_ID_LENGTH} characters`),
  z.refine(isStorableId, "may only contain letters, digits and _ . : - (and no '..')"),
);

/** Free text: absent or null reads as null; otherwise kept as said minus control characters (`cleanText`). */
export const textField = z.pipe(
  z.nullish(z.string({ error: "must be a string" })),
  z.transform((text) => (isAbsent(text) ? null : cleanText(text))),
);

/** Any JSON object, read field by field later. */
export const jsonObjectField = z.custom<JsonObject>(isJsonObject, { error: "must be an object" });

/** An object that may be absent or null (then `null`); fields we do not read are ignored. */
export const optionalObject = <S extends z.core.$ZodLooseShape>(shape: S) => z.nullish(z.object(shape, { error: "must be an object" }));

/** A list that may be absent or null (an empty one then): a webhook can be configured to leave the transcript out. */
export const optionalList = <T extends z.core.SomeType>(item: T) =>
  z.pipe(
    z.nullish(z.array(item, { error: "must be an array" })),
    z.transform((items) => items ?? []),
  );

interface NumberRange {
  readonly min: number;
  readonly max: number;
}

const NUMERIC_STRING = /^-?\d+(?:\.\d+)?$/;

/** A number, or its digits as a string (ElevenLabs documents `event_timestamp` as a string once), within `range`. */
const numberIn = ({ min, max }: NumberRange) =>
  z.pipe(
    z.union([z.number(), z.pipe(z.string().check(z.trim(), z.regex(NUMERIC_STRING)), z.transform(Number))], { error: "must be a number" }),
    z.number().check(z.minimum(min, `must not be less than ${min}`), z.maximum(max, `must not be more than ${max}`)),
  );

export const unixSeconds = numberIn(EVENT_TIMESTAMP_RANGE);
export const nonNegativeNumber = numberIn({ min: 0, max: Number.MAX_VALUE });

/** A phone number as ElevenLabs or a SIP trunk sends it; what it means is the domain's `normaliseCallerId`. */
export const phoneNumberField = z.nullish(z.union([z.string(), z.number()], { error: "must be a string" }));

/** Scalars stay as they are; objects and arrays (structured answers) become their JSON text. */
export const collectedValue = z.pipe(
  z.nullish(
    z.union(
      [
        z.pipe(z.string(), z.transform(cleanText)),
        z.boolean(),
        z.number(),
        z.pipe(
          z.custom<object>((value) => typeof value === "object" && value !== null),
          z.transform((value, context) => {
            try {
              const json = JSON.stringify(value);
              if (typeof json === "string") return json;
            } catch {
              // Not JSON-serialisable (cycles, BigInt): reported below.
            }
            context.issues.push({ code: "custom", message: "is not JSON", input: value });
            return z.NEVER;
          }),
        ),
      ],
      { error: "must be a string, number, boolean, object or array" },
    ),
  ),
  z.transform((value) => value ?? null),
);

/** One result of a map keyed by id, with the key it was filed under. */
interface Keyed<T> {
  readonly key: string;
  readonly item: T;
}

/**
 * A map `{ <id>: item }` whose keys the sender chooses (evaluation criteria, data collection ids), read
 * entry by entry in its own order. Not `z.record`: that leaves out a key named `__proto__`, which is
 * an id like any other here.
 */
export const keyedMap = <T extends z.ZodMiniType>(item: T) =>
  z.pipe(
    jsonObjectField,
    z.transform((map, context) => {
      const entries: Keyed<z.output<T>>[] = [];
      for (const [key, value] of Object.entries(map)) {
        const parsed = z.safeParse(item, value);
        if (parsed.success) entries.push({ key, item: parsed.data });
        else for (const issue of parsed.error.issues) context.issues.push({ code: "custom", message: issue.message, input: value, path: [key, ...issue.path] });
      }
      return entries;
    }),
  );

/** `value` read with `schema`; a failure names the first issue's path below `path`. */
export function readWith<T>(schema: z.ZodMiniType<T>, value: unknown, path: WirePath): Result<T> {
  const parsed = z.safeParse(schema, value);
  return parsed.success ? { ok: true, value: parsed.data } : fromIssues(parsed.error, path);
}

/** The first issue as the domain's `INVALID_PAYLOAD`: the one a sender must fix first. */
function fromIssues(error: z.core.$ZodError, base: WirePath = []): Result<never> {
  const issue = error.issues[0];
  const path = [...base, ...(issue?.path ?? [])];
  return invalidPayload(path.length === 0 ? undefined : path, issue?.message ?? "is not valid");
}

export function invalidPayload(path: WirePath | undefined, message: string): Result<never> {
  if (path === undefined) return err(new DomainError("INVALID_PAYLOAD", message));
  const field = formatPath(path);
  return err(new DomainError("INVALID_PAYLOAD", `${field} ${message}`, { field }));
}

const PATH_IDENTIFIER = /^[A-Za-z_$][\w$]*$/;
const MAX_PATH_KEY_LENGTH = 64;

/**
 * The JSON path named in errors: `data.transcript[3].role`, and `results["odd key"]` for keys chosen
 * by the sender (shortened past 64 characters).
 */
function formatPath(path: WirePath): string {
  let text = "";
  for (const segment of path) {
    if (typeof segment === "number") text += `[${segment}]`;
    else {
      const key = String(segment);
      if (PATH_IDENTIFIER.test(key)) text += text === "" ? key : `.${key}`;
      else text += `[${JSON.stringify(key.length > MAX_PATH_KEY_LENGTH ? `${key.slice(0, MAX_PATH_KEY_LENGTH)}…` : key)}]`;
    }
  }
  return text;
}
