import { normaliseCallerId, type CallerId, type Region } from "./caller-id";

/**
 * What an operator typed to find a caller, read as what it can be: nothing (everyone), a phone number
 * or part of one (no letters, some digits), else part of a name.
 */
export type CallerQuery =
  | { readonly kind: "everyone" }
  | {
      readonly kind: "number";
      /** The number read by the numbering plan (national forms in the operator's region), when it is one. */
      readonly callerId: CallerId | null;
      /** Every digit typed, in order: matched anywhere in a caller id, so `0123` or `(555) 010-0123` find `+15550100123`. */
      readonly digits: string;
    }
  | { readonly kind: "name"; readonly folded: string };

/** Letters that carry no combining mark to drop but are still a plain letter with a stroke or ligature to a reader. */
const PLAIN_LETTERS: Readonly<Record<string, string>> = { ß: "ss", æ: "ae", œ: "oe", ø: "o", ł: "l", đ: "d", ð: "d", þ: "th", ı: "i" };
const SPECIAL = new RegExp(`[${Object.keys(PLAIN_LETTERS).join("")}]`, "gu");

/**
 * Text as a search compares it: without accents or case, spacing collapsed, so "Zoë", "ZOE" and "zoe" are one.
 *
 * @example
 * foldForSearch("  José  Núñez "); // "jose nunez"
 * foldForSearch("Łukasz");         // "lukasz"
 */
export function foldForSearch(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(SPECIAL, (letter) => PLAIN_LETTERS[letter] ?? letter)
    .replace(/\s+/g, " ")
    .trim();
}

/**
 * Read a search box. A number is read the way calls read caller ids (in `region` when national); any
 * digits typed also match as a part of a number, so a national form finds the caller without a region.
 *
 * @example
 * readCallerQuery("(555) 010-0123", "US" as Region); // { kind: "number", callerId: "+15550100123", digits: "5550100123" }
 * readCallerQuery("zoe", null);                      // { kind: "name", folded: "zoe" }
 * readCallerQuery("  ", null);                       // { kind: "everyone" }
 */
export function readCallerQuery(text: string, region: Region | null): CallerQuery {
  const trimmed = text.normalize("NFKC").trim();
  if (/\p{L}/u.test(trimmed)) return { kind: "name", folded: foldForSearch(trimmed) };
  const digits = trimmed.replace(/\D/g, "");
  if (digits === "") return { kind: "everyone" };
  const identity = normaliseCallerId(trimmed, { region });
  return { kind: "number", callerId: identity.known ? identity.callerId : null, digits };
}

/**
 * Whether a caller fits a query: by number, the same caller id or one that contains the digits typed;
 * by name, a name that contains the folded text. Everyone fits no query at all.
 *
 * @example
 * matchesCallerQuery(readCallerQuery("jose", null), "+15550100123" as CallerId, "José"); // true
 */
export function matchesCallerQuery(query: CallerQuery, callerId: CallerId, callerName: string | null): boolean {
  switch (query.kind) {
    case "everyone":
      return true;
    case "number":
      return callerId === query.callerId || callerId.slice(1).includes(query.digits);
    case "name":
      return callerName !== null && foldForSearch(callerName).includes(query.folded);
  }
}
