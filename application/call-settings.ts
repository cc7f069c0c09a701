import type { Region } from "../domain/caller-id";
import type { GreetingTemplates } from "../domain/greeting";

/** DI token for {@link CallSettings}. */
export const CALL_SETTINGS = Symbol("CallSettings");

/** Agent fields we may override at call start; each must be enabled in the agent's Security tab. */
export type AgentOverride = "first_message" | "prompt" | "language";

/** Operator settings (configuration, not a port) that shape what the agent is told before and during a call. */
export interface CallSettings {
  /** The agent's own prompt; the caller context is appended to it, never put in its place. */
  readonly basePrompt: string | null;
  /** Greetings in the operator's default language: for new callers, and callers whose language has none below. */
  readonly greetings: GreetingTemplates;
  /** Greetings by the caller's language (ISO 639-1): the built-in ones, with the operator's overrides. */
  readonly greetingsByLanguage: Readonly<Record<string, GreetingTemplates>>;
  /** Which `conversation_config_override.agent` fields to send (default: first_message and prompt). */
  readonly overrides: readonly AgentOverride[];
  /** Sent only when `language` is among the overrides. */
  readonly language: string | null;
  readonly summaryMaxChars: number;
  readonly contextBudgetChars: number;
  /** How many recent memories client-data reads to build the summary and context. */
  readonly recentMemories: number;
  /** Client-data answers a new-caller response when memories take longer than this. */
  readonly clientDataDeadlineMs: number;
  /** Retrieve answers `[]` with a warning when memories take longer than this. */
  readonly retrieveDeadlineMs: number;
  /**
   * Where a caller id in national form is read when the call names no number of ours to take the
   * region from (`DEFAULT_REGION`); `null`: such callers have no identity.
   */
  readonly defaultRegion: Region | null;
}

/** For the use cases that read stored events and take no other setting: national caller ids are refused unless given a region. */
export const NO_DEFAULT_REGION: Pick<CallSettings, "defaultRegion"> = { defaultRegion: null };
