/**
 * How a caller is addressed: the first name of a full name, after any title. Its own module, apart
 * from caller-name extraction and its word lists, because greeting a caller needs only this.
 */

/** Titles before a name: "Dr. Amara Okafor" is greeted as Amara; "Mrs Okafor" alone names no first name. */
const TITLES = new Set(["dr", "doctor", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "mister", "missus"]);

export function isTitle(word: string): boolean {
  return TITLES.has(word.toLowerCase().replace(/\.$/u, ""));
}

/**
 * The first word of a name, hyphenated parts included, after any title. A title with a surname alone
 * stays whole, since that is how such a caller is addressed.
 *
 * @example
 * firstName("Mary-Jane O'Brien"); // "Mary-Jane"
 * firstName("Dr. Amara Okafor");  // "Amara"
 * firstName("Mrs Okafor");        // "Mrs Okafor"
 */
export function firstName(name: string): string {
  const words = name.trim().split(/\s+/u);
  if (!isTitle(words[0] ?? "")) return words[0] ?? "";
  return words.length > 2 ? (words[1] ?? "") : words.join(" ");
}
