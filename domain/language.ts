/**
 * The language a caller speaks, as an ISO 639-1 code ("es"), and when it changes: a caller who
 * switches language for good (two calls in a row in the new one) is greeted in it from then on; one
 * call in another language (a relative on the phone, a test) changes nothing.
 */

/** The languages we greet, name and label in; a caller may speak any other (then the operator's default is used). */
export const SUPPORTED_LANGUAGES = ["en", "es", "fr", "de", "it", "pt", "nl", "pl"] as const;
export type SupportedLanguage = (typeof SUPPORTED_LANGUAGES)[number];

export function isSupportedLanguage(code: string | null | undefined): code is SupportedLanguage {
  return (SUPPORTED_LANGUAGES as readonly string[]).includes(code ?? "");
}

/**
 * A language tag as ElevenLabs or an operator writes it (`es`, `es-ES`, `pt_BR`, `EN`) → its primary
 * ISO 639-1/-3 subtag in lower case, or `null` when it is none.
 *
 * @example
 * languageCode("pt-BR"); // "pt"
 * languageCode("spanish"); // null
 */
export function languageCode(raw: unknown): string | null {
  if (typeof raw !== "string") return null;
  const primary = raw.trim().toLowerCase().split(/[-_]/)[0] ?? "";
  return /^[a-z]{2,3}$/.test(primary) ? primary : null;
}

/** What a caller's profile knows of their language: the one they are greeted in, and the last call's. */
export interface LanguageState {
  readonly language: string | null;
  readonly lastCallLanguage: string | null;
}

/**
 * The state after one more call in `callLanguage` (`null`: the call's language is unknown, nothing
 * changes). The first known language is taken at once; a different one only on its second call in a row.
 *
 * @example
 * nextLanguage({ language: "en", lastCallLanguage: "en" }, "es"); // { language: "en", lastCallLanguage: "es" }
 * nextLanguage({ language: "en", lastCallLanguage: "es" }, "es"); // { language: "es", lastCallLanguage: "es" }
 */
export function nextLanguage(state: LanguageState, callLanguage: string | null): LanguageState {
  if (callLanguage === null) return state;
  if (state.language === null || callLanguage === state.lastCallLanguage) return { language: callLanguage, lastCallLanguage: callLanguage };
  return { language: state.language, lastCallLanguage: callLanguage };
}
