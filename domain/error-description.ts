/**
 * One line about anything thrown, for logs, failure notes and operator output. Our adapters' error
 * messages carry no personal data (the log hygiene test holds them to it), so name and message are
 * shown; a cause adds its error code (ECONNREFUSED, …) or message, since fetch says only "fetch failed".
 *
 * @example
 * describeError(new TypeError("fetch failed", { cause: Object.assign(new Error("x"), { code: "ECONNREFUSED" }) }));
 * // "TypeError: fetch failed (ECONNREFUSED)"
 */
export function describeError(error: unknown, maxChars = 500): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}${causeOf(error)}` : "unknown error";
  return text.length > maxChars ? `${text.slice(0, maxChars - 1)}…` : text;
}

function causeOf(error: Error): string {
  const cause = error.cause;
  if (!(cause instanceof Error)) return "";
  return ` (${"code" in cause && cause.code !== undefined ? String(cause.code) : cause.message})`;
}
