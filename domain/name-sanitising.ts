/**
 * A caller's name is untrusted text that ends up in the agent's `first_message` and prompt: only
 * letters, spaces, hyphens and apostrophes ever get through.
 */

/**
 * A name reduced to letters (any script, with combining marks), single spaces, inner hyphens and
 * apostrophes, at most `maxLength` characters, or `null` when nothing name-like remains.
 *
 * Template variables (`{{…}}`) and markup tags are dropped whole; digits, punctuation, emoji and
 * control characters become word breaks. Case is kept as given. A result needs a word of two or
 * more letters, so leftovers such as "R D" (from "R2-D2") are `null`.
 *
 * @example
 * sanitiseName("O’Brien");               // "O'Brien"
 * sanitiseName("{{system__caller_id}}"); // null
 */
export function sanitiseName(raw: string | null | undefined, maxLength = 40): string | null {
  if (raw === null || raw === undefined || maxLength < 1) return null;
  const text = raw
    .normalize("NFKC")
    .replace(/\{\{.*?\}\}/gsu, " ")
    .replace(/<[^>]*>/gu, " ")
    .replace(/[\u2018\u2019\u02BC\u00B4`]/gu, "'")
    .replace(/[\u2010\u2011]/gu, "-")
    // Invisible format characters and emoji variation selectors would otherwise survive as "marks".
    .replace(/[\p{Cf}\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/gu, "")
    .replace(/[^\p{L}\p{M}\s'-]/gu, " ")
    .replace(/(?<![\p{L}\p{M}])\p{M}+/gu, "");
  const words = text.split(/\s+/u).map(tidyWord).filter((word) => word !== "");
  const bounded = boundToLength(words, maxLength);
  return bounded.split(" ").some((word) => letterCount(word) >= 2) ? bounded : null;
}

/** Hyphens and apostrophes only between letters: "--Mary--Jane'" → "Mary-Jane". */
function tidyWord(word: string): string {
  return word.replace(/['-]{2,}/gu, (run) => run.charAt(0)).replace(/^['-]+|['-]+$/gu, "");
}

/** Whole words up to `maxLength` code points; a single overlong word is cut. */
function boundToLength(words: readonly string[], maxLength: number): string {
  let out = "";
  for (const word of words) {
    const next = out === "" ? word : `${out} ${word}`;
    if (Array.from(next).length > maxLength) break;
    out = next;
  }
  if (out === "" && words[0] !== undefined) out = tidyWord(Array.from(words[0]).slice(0, maxLength).join(""));
  return out;
}

function letterCount(word: string): number {
  return word.match(/\p{L}/gu)?.length ?? 0;
}
