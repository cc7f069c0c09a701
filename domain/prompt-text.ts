/**
 * Text that reaches the agent's prompt or variables (memory summary, caller notes, remembered facts)
 * comes from what callers said: it is made one plain line that can neither form a template variable
 * nor close the caller-notes fence.
 */

/**
 * Memory text made safe to show the agent: one line, no variable syntax, no fence marker. The
 * summary and the notes both go through it.
 */
export function neutralise(raw: string): string {
  return neutraliseFence(toSingleLine(raw));
}

/**
 * One line of plain text: whitespace runs (any line break included) become one space, control and
 * invisible format characters go, and no two braces touch, so `{{var}}` can never be formed.
 */
function toSingleLine(raw: string): string {
  return raw
    .replace(/[\s\u0085]+/gu, " ")
    .replace(/[\p{Cc}\p{Cf}]/gu, "")
    .replace(/ {2,}/g, " ")
    .trim()
    .replace(/\{(?=\{)/g, "{ ")
    .replace(/\}(?=\})/g, "} ");
}

/** No two angle brackets touch, so neither marker (nor any `<<<`/`>>>` look-alike) can appear. */
function neutraliseFence(text: string): string {
  return text.replace(/<(?=<)/g, "< ").replace(/>(?=>)/g, "> ");
}
