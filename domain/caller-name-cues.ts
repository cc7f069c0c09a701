/**
 * The spoken cues of caller-name extraction (`caller-name.ts`): how callers introduce themselves in
 * English, Spanish, French, German, Italian, Portuguese, Dutch and Polish, and the greetings and fillers
 * that may come first. Strong cues ("my name is", "me llamo", "ich heiße") are understood in every call;
 * weak ones ("soy", "c'est", "ich bin") only in English or in the caller's own language.
 */
import { CUE_LANGUAGES, type CueLanguage } from "./caller-name-language-words";

/**
 * How much a spoken cue proves on its own, from most to least:
 * - `name`: "my name is" states a name outright; a lower-case word is accepted, only stop words refused.
 * - `call`: "call me" also takes times and places ("call me Friday"), so not-a-person words are refused too.
 * - `weak`: "this is", "I'm", "<Name> speaking" mostly introduce something else: the name must also be
 *   capitalised in properly cased text, and the sentence must not be a question.
 * - `opening`: "it's" is weaker still ("It's Paris", "It's Monday"): a weak cue that counts only in the
 *   turn's opening words, after the caller spoke of their name, or before "here", "speaking", "calling"….
 */
type CueKind = "name" | "call" | "weak" | "opening";

export interface Cue {
  readonly pattern: RegExp;
  readonly kind: CueKind;
  /** The language whose words judge the name after it; English when absent. */
  readonly language?: CueLanguage;
  /** Strong cues: the sentence before the cue that makes it hypothetical or negated ("what if my name is…", "no me llamo…"). */
  readonly refusedAfter?: RegExp;
  /** The rest of the sentence that makes the name someone else's ("C'est Marie qui a réservé"). */
  readonly refusedBefore?: RegExp;
  /** Weak cues: articles that may come before a capitalised first name ("hier ist die Anna", "aqui é o João"). */
  readonly articles?: ReadonlySet<string>;
  /** In cased text the name must be capitalised: "mon nom est inscrit", "mein Name ist bekannt" describe the name. */
  readonly capitalised?: boolean;
  /** Cues after the name: what must follow the name read ("Claire Dubois à l'appareil"). */
  readonly nameThen?: RegExp;
  /**
   * One capitalised word is too weak where every noun is capitalised ("Ich bin Architekt"): the name needs
   * an article before it ("ich bin der Stefan") or a surname ("Ich bin Stefan Koch").
   */
  readonly articleOrSurname?: boolean;
}

/** The cues of one call, by the caller's language. */
export interface CueSet {
  readonly language: CueLanguage | undefined;
  /** Strong cues, first-person wherever they appear in a sentence (global patterns). */
  readonly anywhere: readonly Cue[];
  /** Cues recognised only at the start of a sentence, after greetings and fillers. */
  readonly sentenceStart: readonly Cue[];
  /** How the agent introduces itself; "it's Marisol" from the agent confirms the caller's name instead. */
  readonly agentStart: readonly Cue[];
  readonly leadingFiller: RegExp;
  /** "Hi Ava, this is Dana": a capitalised word right after a greeting is whom the caller greets. */
  readonly greetingEnd: RegExp;
}

interface LanguageCues {
  readonly anywhere: readonly Cue[];
  readonly sentenceStart: readonly Cue[];
  /** Regex alternatives of the greetings and fillers that may open a sentence. */
  readonly fillers: string;
  readonly greetings: string;
}

/** Words before "my name is" that make it hypothetical ("what if my name is…"). */
const HYPOTHETICAL = /\b(?:if|whether|unless|suppose|supposing|imagine|pretend)\b/iu;
/** A cue after the name: "Dana here", "Carmen al habla"; nothing is consumed, the name is read from the start. */
const after = (marker: string, words = "{1,2}"): RegExp =>
  new RegExp(String.raw`^(?=(?:[^\s,]+\s+)${words}(?:${marker})\s*(?:,|$))`, "iu");
const articles = (list: string): ReadonlySet<string> => new Set(list.split(" "));
/** A cue after the name in another language: the name read must be right before it. */
const afterName = (language: CueLanguage, marker: string): Cue => ({
  pattern: after(marker, "{1,3}"),
  kind: "weak",
  language,
  nameThen: new RegExp(String.raw`^(?:${marker})(?![\p{L}\p{M}])`, "iu"),
});

const ENGLISH: LanguageCues = {
  anywhere: [{ pattern: /\bmy\s+name(?:'s|\s+is)[\s,]+(?:actually\s+)?/giu, kind: "name", refusedAfter: HYPOTHETICAL }],
  sentenceStart: [
    { pattern: /^(?:the\s+)?name(?:'s|\s+is)[\s,]+/iu, kind: "name" },
    { pattern: /^(?:(?:you|u)\s+can\s+|please\s+|just\s+)*call\s+me[\s,]+/iu, kind: "call" },
    { pattern: /^this\s+is[\s,]+/iu, kind: "weak" },
    { pattern: /^i(?:'m|\s+am)[\s,]+/iu, kind: "weak" },
    { pattern: /^it(?:'s|\s+is)[\s,]+/iu, kind: "opening" },
    { pattern: after("speaking|here"), kind: "weak" },
  ],
  fillers: String.raw`hi|hello|hey|hiya|yes|yeah|yep|yup|oh|ah|um+|uh+|erm?|hmm+|well|so|ok|okay|right|sure|and|but|no|sorry|actually|anyway|there|good\s+(?:morning|afternoon|evening|day)|morning|afternoon|evening`,
  greetings: "hi|hello|hey|hiya",
};

/** Letters before a strong cue would make it part of another word. */
const START = String.raw`(?<![\p{L}\p{M}'])`;

/** A language's strong cues, as regex sources, and what refuses them. */
interface StrongCues {
  /** Verbs that name the speaker: "me llamo", "ich heiße". */
  readonly verbs: string;
  /** "My name is" forms; they also take adjectives ("mon nom est inscrit"): in cased text the name must be capitalised. */
  readonly nameIs: string;
  /** Words anywhere before the cue that make it hypothetical: "si", "wenn". */
  readonly hypothetical: string;
  /** Words right before the cue that negate it, or make it another verb: "no me llamo", "ayer me llamó". */
  readonly rightBefore?: string;
}

function strongCues(language: CueLanguage, cues: StrongCues): Cue[] {
  const rightBefore = cues.rightBefore === undefined ? "" : String.raw`|${START}(?:${cues.rightBefore})\s+$`;
  const refusedAfter = new RegExp(String.raw`${START}(?:${cues.hypothetical})(?![\p{L}\p{M}'])${rightBefore}`, "iu");
  const cue = (source: string, capitalised: boolean): Cue => ({
    pattern: new RegExp(String.raw`${START}(?:${source})[\s,]+`, "giu"),
    kind: "name",
    language,
    refusedAfter,
    capitalised,
  });
  return [cue(cues.verbs, false), cue(cues.nameIs, true)];
}

/** "C'est Marie qui a réservé" names someone else; "C'est Thomas qui vous appelle" is the caller. */
const FRENCH_CLEFT = /(?<![\p{L}\p{M}'])qui\s+(?!(?:vous\s+|t'|te\s+)?(?:appelle|rappelle|parle|t[ée]l[ée]phone)(?![\p{L}\p{M}]))/iu;
const DER_DIE = articles("der die");
const O_A = articles("o a");

/**
 * Every other language's cues, built on first use: their patterns are compiled only by a process that
 * reads a name (the worker), not by one that never does (client-data answering from a profile).
 */
let builtByLanguage: Readonly<Record<CueLanguage, LanguageCues>> | undefined;
const byLanguage = (): Readonly<Record<CueLanguage, LanguageCues>> => (builtByLanguage ??= {
  es: {
    anywhere: strongCues("es", {
      verbs: String.raw`me\s+llamo`,
      nameIs: String.raw`mi\s+nombre\s+(?:completo\s+)?es`,
      hypothetical: String.raw`si(?!\s*,)|supongamos|imag[ií]nate|imagina`,
      // "me llamó" (called me) loses its accent in speech-to-text: after a subject or a time it is that
      rightBefore: String.raw`no|ayer|hoy|antes|anoche|ya|usted|ustedes|alguien|nadie|qui[eé]n|qu[eé]|c[oó]mo|[eé]l|ella|ellos|ellas|nunca|tambi[eé]n|luego|despu[eé]s|siempre|cuando`,
    }),
    sentenceStart: [
      { pattern: /^(?:yo\s+)?soy[\s,]+/iu, kind: "weak", language: "es" },
      { pattern: /^(?:le\s+|les\s+)?habla\s+/iu, kind: "weak", language: "es" },
      afterName("es", String.raw`al\s+(?:habla|aparato)`),
    ],
    fillers: String.raw`hola|buenas|buenos\s+d[ií]as|buenas\s+(?:tardes|noches)|sí|si(?=\s*,)|bueno|pues|vale|oiga|oye|mire|eh+|al[oó]|diga|d[ií]game|perd[oó]n|disculpe|y|pero|no(?=\s*,)`,
    greetings: String.raw`hola|buenas|buenos\s+d[ií]as|buenas\s+(?:tardes|noches)`,
  },
  fr: {
    anywhere: strongCues("fr", {
      verbs: String.raw`j(?:e\s+|')m(?:'\s?|\s)?appelle`,
      nameIs: String.raw`mon\s+nom[\s,]+(?:c'?\s?)?est`,
      hypothetical: String.raw`si(?!\s*,)|s'il|supposons|imaginons|imagine[zs]?|admettons`,
    }),
    sentenceStart: [
      { pattern: /^moi[\s,]+c'?\s?est[\s,]+/iu, kind: "weak", language: "fr" },
      { pattern: /^c'?\s?est[\s,]+/iu, kind: "opening", language: "fr", refusedBefore: FRENCH_CLEFT },
      { pattern: /^ici\s+/iu, kind: "weak", language: "fr" },
      afterName("fr", String.raw`[àa]\s+l'?\s?appareil`),
    ],
    fillers: String.raw`bonjour|bonsoir|salut|all[oô]|oui|ouais|euh+|bon|alors|ben|bah|voil[àa]|donc|et|mais|non|pardon|excusez-moi|madame(?=\s*,)|monsieur(?=\s*,)`,
    greetings: "bonjour|bonsoir|salut",
  },
  de: {
    anywhere: strongCues("de", {
      verbs: String.raw`ich\s+hei(?:ß|ss|s)e`,
      nameIs: String.raw`mein\s+(?:vollständiger\s+)?name\s+(?:ist|lautet)`,
      hypothetical: "wenn|falls|ob|angenommen|vorausgesetzt",
    }),
    sentenceStart: [
      { pattern: /^hier\s+ist[\s,]+/iu, kind: "opening", language: "de", articles: DER_DIE },
      { pattern: /^hier\s+spricht[\s,]+/iu, kind: "weak", language: "de", articles: DER_DIE },
      { pattern: /^ich\s+bin[\s,]+/iu, kind: "weak", language: "de", articles: DER_DIE, articleOrSurname: true },
      afterName("de", String.raw`am\s+apparat`),
    ],
    fillers: String.raw`hallo|guten\s+(?:tag|morgen|abend)|gr[üu](?:ß|ss)\s+gott|servus|moin(?:\s+moin)?|tag|ja|jo|jawohl|nein|äh+m?|ähm|also|na|genau|und|aber|entschuldigung`,
    greetings: String.raw`hallo|guten\s+(?:tag|morgen|abend)|servus|moin`,
  },
  it: {
    anywhere: strongCues("it", {
      verbs: String.raw`mi\s+chiamo`,
      nameIs: String.raw`(?:il\s+)?mio\s+nome\s+(?:è|é|e)`,
      hypothetical: "se|supponiamo|immagina",
      rightBefore: "non",
    }),
    sentenceStart: [
      { pattern: /^(?:io\s+)?sono[\s,]+/iu, kind: "weak", language: "it", articles: articles("il la") },
      { pattern: /^(?:qui\s+)?parla\s+/iu, kind: "weak", language: "it" },
    ],
    fillers: String.raw`pronto|buongiorno|buon\s+giorno|buonasera|buona\s+sera|salve|ciao|sì|si(?=\s*,)|allora|ehm+|eh|ecco|dunque|senta|scusi|mi\s+scusi|e|ma|no(?=\s*,)`,
    greetings: String.raw`buongiorno|buon\s+giorno|buonasera|buona\s+sera|salve|ciao`,
  },
  pt: {
    anywhere: strongCues("pt", {
      verbs: String.raw`me\s+chamo|chamo-me`,
      nameIs: String.raw`(?:o\s+)?meu\s+nome\s+(?:é|e)`,
      hypothetical: "se|caso|imagina|suponha|supondo",
      rightBefore: "n[ãa]o",
    }),
    sentenceStart: [
      { pattern: /^(?:eu\s+)?sou[\s,]+/iu, kind: "weak", language: "pt", articles: O_A },
      { pattern: /^aqui\s+(?:é|e|fala)[\s,]+/iu, kind: "weak", language: "pt", articles: O_A },
      // "Fala, João!" greets someone: only "fala" without a comma introduces the caller
      { pattern: /^(?:quem\s+fala\s+(?:é|e)[\s,]+|fala\s+)/iu, kind: "weak", language: "pt", articles: O_A },
    ],
    fillers: String.raw`ol[áa]|oi|al[ôo]|bom\s+dia|boa\s+(?:tarde|noite)|sim|n[ãa]o(?=\s*,)|ent[ãa]o|olha|olhe|pois|bem|eh|hum|e|mas|opa|com\s+licen[çc]a|desculpe`,
    greetings: String.raw`ol[áa]|oi|bom\s+dia|boa\s+(?:tarde|noite)`,
  },
  nl: {
    anywhere: strongCues("nl", { verbs: String.raw`ik\s+heet`, nameIs: String.raw`mijn\s+naam\s+is`, hypothetical: "als|indien|stel" }),
    sentenceStart: [
      { pattern: /^(?:u|je|jij)\s+spreekt\s+met[\s,]+/iu, kind: "weak", language: "nl" },
      // the telephone opening "Met Jan de Vries."; elsewhere "met" is "with"
      { pattern: /^met\s+/iu, kind: "opening", language: "nl" },
      { pattern: /^ik\s+ben[\s,]+/iu, kind: "weak", language: "nl" },
    ],
    fillers: String.raw`hallo|hoi|hai|goedemorgen|goedemiddag|goedenavond|dag|ja|jazeker|nee|eh+|uh+|uhm|nou|oké|okee|zeg|h[ée]|en|maar|pardon`,
    greetings: "hallo|hoi|goedemorgen|goedemiddag|goedenavond|dag",
  },
  pl: {
    anywhere: strongCues("pl", {
      verbs: String.raw`nazywam\s+si[ęe]`,
      nameIs: String.raw`mam\s+na\s+imi[ęe]`,
      hypothetical: String.raw`je[śs]li|je[żz]eli|gdyby|gdybym|za[łl][óo][żz]my`,
      rightBefore: "nie",
    }),
    sentenceStart: [
      // the telephone opening "Tu Anna Nowak.", "Tu mówi Marek."; elsewhere "tu" is "here"
      { pattern: /^tu\s+(?:m[óo]wi\s+)?/iu, kind: "opening", language: "pl" },
      { pattern: /^(?:ja\s+)?jestem[\s,]+/iu, kind: "weak", language: "pl" },
      { pattern: /^z\s+tej\s+strony[\s,]+/iu, kind: "weak", language: "pl" },
      afterName("pl", String.raw`z\s+tej\s+strony`),
    ],
    fillers: String.raw`dzie[ńn]\s+dobry|dobry\s+wiecz[óo]r|halo|hej|cze[śs][ćc]|witam|tak|nie(?=\s*,)|no|y+|e+|wi[ęe]c|s[łl]ucham|przepraszam|ale|dobrze|okej`,
    greetings: String.raw`dzie[ńn]\s+dobry|dobry\s+wiecz[óo]r|cze[śs][ćc]|witam|halo|hej`,
  },
});

/** Every language's strong cues: a call without a known language still understands "me llamo". */
let allStrong: readonly Cue[] | undefined;

function buildCueSet(language: CueLanguage | undefined): CueSet {
  const own = language === undefined ? [ENGLISH] : [ENGLISH, byLanguage()[language]];
  const sentenceStart = own.flatMap((cues) => cues.sentenceStart);
  const alternatives = (pick: (cues: LanguageCues) => string): string => own.map(pick).join("|");
  return {
    language,
    anywhere: (allStrong ??= [...ENGLISH.anywhere, ...CUE_LANGUAGES.flatMap((other) => byLanguage()[other].anywhere)]),
    sentenceStart,
    agentStart: sentenceStart.filter((cue) => cue.kind !== "opening"),
    leadingFiller: new RegExp(String.raw`^(?:(?:${alternatives((cues) => cues.fillers)})(?![\p{L}\p{M}'-])[\s,]*)+`, "iu"),
    greetingEnd: new RegExp(String.raw`(?<![\p{L}\p{M}'-])(?:${alternatives((cues) => cues.greetings)})[\s,]*$`, "iu"),
  };
}

/** Each language's cue set, built the first time a call in that language is read. */
const CUE_SETS = new Map<CueLanguage | undefined, CueSet>();

/**
 * The cues for a call in the given language (ISO 639-1, "es" or "es-MX"): that language's and English's,
 * plus every language's strong cues. An unknown or absent language gives English's and the strong cues.
 */
export function cuesFor(language: string | undefined): CueSet {
  const primary = language?.trim().toLowerCase().split(/[-_]/u)[0];
  const known = CUE_LANGUAGES.find((candidate) => candidate === primary);
  const built = CUE_SETS.get(known) ?? buildCueSet(known);
  CUE_SETS.set(known, built);
  return built;
}
