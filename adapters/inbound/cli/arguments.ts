import { normaliseCallerId, type CallerId, type Region } from "../../../domain/caller-id";
import { UsageError, type CliContext } from "./cli-context";

/** The command's positional arguments, exactly `names.length` of them (named in the error otherwise). */
export function positional(context: CliContext, ...names: string[]): string[] {
  if (context.args.length < names.length) throw new UsageError(`missing ${names.slice(context.args.length).map((n) => `<${n}>`).join(" ")}`);
  if (context.args.length > names.length) throw new UsageError(`unexpected argument ${JSON.stringify(context.args[names.length])}`);
  return [...context.args];
}

/**
 * A caller as the server knows them: a phone number normalised to E.164. A national number is read
 * in `region` (the operator's `DEFAULT_REGION`), as the server reads one when the call names no
 * region; withheld ids and anything that is not clearly one phone number are refused, so a typo can
 * never reach someone else.
 */
export function callerArgument(raw: string, what = "caller", region: Region | null = null): CallerId {
  const read = readCaller(raw, region);
  if ("problem" in read) throw new UsageError(`${what} ${JSON.stringify(raw)} ${read.problem}`);
  return read.callerId;
}

/**
 * A caller id read as {@link callerArgument} reads one, without throwing: the id, or what is wrong
 * with it in words that do not repeat it (so a report of bad lines holds no number).
 */
export function readCaller(raw: unknown, region: Region | null): { readonly callerId: CallerId } | { readonly problem: string } {
  const identity = normaliseCallerId(raw, { region });
  if (identity.known) return { callerId: identity.callerId };
  const hint = identity.reason === "national_number" ? " (or set DEFAULT_REGION to read national numbers)" : "";
  return {
    problem: `is not a phone number we can read (${identity.reason.replace(/_/g, " ")}); give it in international form, e.g. +15550100123${hint}`,
  };
}

/** `--name value`, or undefined when absent; `--name=` with nothing after it is a usage error (parseArgs has refused `--name` alone). */
export function stringFlag(context: CliContext, name: string): string | undefined {
  const value = context.flags[name];
  if (value === undefined) return undefined;
  if (typeof value !== "string") throw new Error(`--${name} is read as a value but declared as a switch`);
  if (value === "") throw new UsageError(`--${name} needs a value`);
  return value;
}

/** `--name N` as a whole number within bounds. */
export function integerFlag(context: CliContext, name: string, bounds: { min: number; max: number }): number | undefined {
  const text = stringFlag(context, name);
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < bounds.min || value > bounds.max) {
    throw new UsageError(`--${name} must be a whole number from ${bounds.min} to ${bounds.max}, not ${JSON.stringify(text)}`);
  }
  return value;
}

/** `--name` as an on/off switch (parseArgs has refused `--name=value`). */
export function booleanFlag(context: CliContext, name: string): boolean {
  return context.flags[name] === true;
}

/** An http(s) URL given on the command line, without trailing slashes. */
export function urlArgument(raw: string, what: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`${what} ${JSON.stringify(raw)} is not a URL; e.g. https://memory.example.com`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new UsageError(`${what} must be an http(s) URL, not ${url.protocol}`);
  url.pathname = url.pathname.replace(/\/+$/, "");
  url.search = "";
  url.hash = "";
  return url;
}

/** A route of the deployment at `base` (which may carry a path, such as an API stage). */
export function routeUrl(base: URL, path: string): URL {
  return new URL(`${base.href.replace(/\/+$/, "")}${path}`);
}

