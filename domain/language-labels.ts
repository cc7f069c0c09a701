/**
 * The few words we add around what callers said (memory text itself is always kept as said): the
 * heading of a conversation passage, the speakers, and the labels of the caller notes, in the
 * caller's language. English keeps ISO dates; the others write the date as people there read it.
 */
import { isSupportedLanguage, type SupportedLanguage } from "./language";

interface Labels {
  /** `Call on 2026-01-01:`, the heading of a conversation passage. */
  readonly callOn: (date: string) => string;
  readonly caller: string;
  readonly agent: string;
  /** Caller-notes line labels: `(fact)`, `(conversation)`. */
  readonly fact: string;
  readonly conversation: string;
}

const LABELS: Readonly<Record<SupportedLanguage, Labels>> = {
  en: { callOn: (d) => `Call on ${d}:`, caller: "Caller", agent: "Agent", fact: "fact", conversation: "conversation" },
  es: { callOn: (d) => `Llamada del ${d}:`, caller: "Cliente", agent: "Agente", fact: "dato", conversation: "conversación" },
  fr: { callOn: (d) => `Appel du ${d} :`, caller: "Client", agent: "Agent", fact: "information", conversation: "conversation" },
  de: { callOn: (d) => `Anruf vom ${d}:`, caller: "Anrufer", agent: "Mitarbeiter", fact: "Fakt", conversation: "Gespräch" },
  it: { callOn: (d) => `Chiamata del ${d}:`, caller: "Cliente", agent: "Operatore", fact: "dato", conversation: "conversazione" },
  pt: { callOn: (d) => `Chamada de ${d}:`, caller: "Cliente", agent: "Atendente", fact: "informação", conversation: "conversa" },
  nl: { callOn: (d) => `Gesprek op ${d}:`, caller: "Beller", agent: "Medewerker", fact: "feit", conversation: "gesprek" },
  pl: { callOn: (d) => `Rozmowa z dnia ${d}:`, caller: "Klient", agent: "Konsultant", fact: "informacja", conversation: "rozmowa" },
};

/** The labels of a language we have them for, else English. */
export function labelsFor(language: string | null | undefined): Labels {
  return isSupportedLanguage(language) ? LABELS[language] : LABELS.en;
}

/**
 * A call's date (`YYYY-MM-DD`, UTC) as the caller's language writes it: ISO in English, else the long
 * form (`1 de enero de 2026`, `1. Januar 2026`).
 */
export function callDate(isoDay: string, language: string | null | undefined): string {
  if (!isSupportedLanguage(language) || language === "en") return isoDay;
  const at = Date.parse(`${isoDay}T00:00:00Z`);
  if (!Number.isFinite(at)) return isoDay;
  let format = LONG_DATES.get(language);
  if (format === undefined) {
    format = new Intl.DateTimeFormat(language, { dateStyle: "long", timeZone: "UTC" });
    LONG_DATES.set(language, format);
  }
  return format.format(at);
}

/** One formatter per language, built on first use: building one costs ~60 times what formatting a date does. */
const LONG_DATES = new Map<SupportedLanguage, Intl.DateTimeFormat>();
