/**
 * The agent's first sentence. A name comes from what a caller said, so it is untrusted text that ends
 * up in the agent's `first_message`: it goes through `sanitiseName` first.
 */
import { firstName } from "./first-name";
import type { SupportedLanguage } from "./language";
import { sanitiseName } from "./name-sanitising";

/** Greeting templates; `{name}` is replaced by the caller's first name. */
export interface GreetingTemplates {
  newCaller: string;
  returningNamed: string;
  returningUnnamed: string;
}

/**
 * The built-in greetings, for new callers and returning ones with and without a name, in the register
 * a business line uses (formal address where the language has one) and without words that change
 * with the speaker's or the caller's gender, since the agent knows neither.
 */
export const GREETINGS: Readonly<Record<SupportedLanguage, GreetingTemplates>> = Object.freeze({
  en: {
    newCaller: "Hello! Thanks for calling. How can I help you today?",
    returningNamed: "Hi {name}, welcome back! How can I help you today?",
    returningUnnamed: "Welcome back! How can I help you today?",
  },
  es: {
    newCaller: "¡Hola! Gracias por llamar. ¿En qué puedo ayudarle?",
    returningNamed: "¡Hola, {name}! Qué gusto volver a saber de usted. ¿En qué puedo ayudarle?",
    returningUnnamed: "¡Hola! Qué gusto volver a saber de usted. ¿En qué puedo ayudarle?",
  },
  fr: {
    newCaller: "Bonjour ! Merci de votre appel. Que puis-je faire pour vous ?",
    returningNamed: "Bonjour {name}, merci de nous rappeler ! Que puis-je faire pour vous ?",
    returningUnnamed: "Bonjour, merci de nous rappeler ! Que puis-je faire pour vous ?",
  },
  de: {
    newCaller: "Guten Tag! Danke für Ihren Anruf. Wie kann ich Ihnen helfen?",
    returningNamed: "Hallo {name}, schön, dass Sie wieder anrufen! Wie kann ich Ihnen helfen?",
    returningUnnamed: "Schön, dass Sie wieder anrufen! Wie kann ich Ihnen helfen?",
  },
  it: {
    newCaller: "Buongiorno! Grazie per la chiamata. Come posso aiutarla?",
    returningNamed: "Buongiorno {name}, che piacere risentirla! Come posso aiutarla?",
    returningUnnamed: "Buongiorno, che piacere risentirla! Come posso aiutarla?",
  },
  pt: {
    newCaller: "Olá! Agradecemos a sua chamada. Em que posso ajudar?",
    returningNamed: "Olá, {name}! Que bom ter notícias suas outra vez. Em que posso ajudar?",
    returningUnnamed: "Olá! Que bom ter notícias suas outra vez. Em que posso ajudar?",
  },
  nl: {
    newCaller: "Goedendag! Bedankt voor uw telefoontje. Waarmee kan ik u helpen?",
    returningNamed: "Hallo {name}, fijn dat u weer belt! Waarmee kan ik u helpen?",
    returningUnnamed: "Fijn dat u weer belt! Waarmee kan ik u helpen?",
  },
  pl: {
    newCaller: "Dzień dobry! Dziękujemy za telefon. W czym mogę pomóc?",
    returningNamed: "Dzień dobry, {name}! Dziękujemy za ponowny telefon. W czym mogę pomóc?",
    returningUnnamed: "Dzień dobry! Dziękujemy za ponowny telefon. W czym mogę pomóc?",
  },
});

export const DEFAULT_GREETING_TEMPLATES: Readonly<GreetingTemplates> = GREETINGS.en;

const NAME_PLACEHOLDER = "{name}";

/**
 * The first thing the agent says: a welcome for new callers, and for returning ones a welcome back
 * by first name when a usable name is known.
 *
 * @example
 * buildGreeting({ returning: true, name: "Marisol Quenby" }); // "Hi Marisol, welcome back! How can I help you today?"
 * buildGreeting({ returning: false, name: null });            // "Hello! Thanks for calling. How can I help you today?"
 */
export function buildGreeting(
  input: { readonly returning: boolean; readonly name: string | null },
  templates: GreetingTemplates = DEFAULT_GREETING_TEMPLATES,
): string {
  // A new caller has no memories, so any name passed in was not confirmed by a previous call.
  if (!input.returning) return templates.newCaller;
  const name = sanitiseName(input.name);
  if (name === null) return templates.returningUnnamed;
  // split/join rather than replace(): no `$&`-style patterns, every placeholder replaced.
  return templates.returningNamed.split(NAME_PLACEHOLDER).join(firstName(name));
}
