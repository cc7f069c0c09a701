/**
 * The language of what a caller said, for calls whose event names none (`metadata.main_language`):
 * franc-min (trigram statistics, a well-kept registry library) over the caller's own turns, among the
 * languages we greet in. Too little text says nothing: `null`.
 */
import { franc } from "franc-min";
import { SUPPORTED_LANGUAGES, type SupportedLanguage } from "../../../domain/language";

/** ISO 639-3 (what franc answers) → ISO 639-1 (what ElevenLabs and our profiles use). */
const ISO_639_1: Readonly<Record<string, SupportedLanguage>> = {
  eng: "en",
  spa: "es",
  fra: "fr",
  deu: "de",
  ita: "it",
  por: "pt",
  nld: "nl",
  pol: "pl",
};
const CANDIDATES = Object.entries(ISO_639_1)
  .filter(([, code]) => (SUPPORTED_LANGUAGES as readonly string[]).includes(code))
  .map(([iso3]) => iso3);
/** Below this many letters the trigram statistics are guesswork ("Sí, vale" reads as anything). */
const MIN_LETTERS = 40;

export function identifyLanguage(callerText: string): SupportedLanguage | null {
  if ((callerText.match(/\p{L}/gu)?.length ?? 0) < MIN_LETTERS) return null;
  return ISO_639_1[franc(callerText, { only: CANDIDATES, minLength: MIN_LETTERS })] ?? null;
}
