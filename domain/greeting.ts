/**
 * The agent's first sentence. A name comes from what a caller said, so it is untrusted text that ends
 * up in the agent's `first_message`: it goes through `sanitiseName` first.
 */
import { firstName } from "./caller-name";
import { sanitiseName } from "./name-sanitising";

/** Greeting templates; `{name}` is replaced by the caller's first name. */
export interface GreetingTemplates {
  newCaller: string;
  returningNamed: string;
  returningUnnamed: string;
}

export const DEFAULT_GREETING_TEMPLATES: Readonly<GreetingTemplates> = Object.freeze({
  newCaller: "Hello! Thanks for calling. How can I help you today?",
  returningNamed: "Hi {name}, welcome back! How can I help you today?",
  returningUnnamed: "Welcome back! How can I help you today?",
});

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
