import { callSettingsFrom } from "../../config";
import { integerFlag, positional, stringFlag, urlArgument } from "./arguments";
import { DYNAMIC_VARIABLES, agentSettings } from "./agent-settings";
import { UsageError, type CliCommand } from "./cli-context";

const OVERRIDE_LABELS = { first_message: "First message", prompt: "System prompt", language: "Language" } as const;

/** `agent-config --base-url URL`: the ElevenLabs settings for one deployment. */
export const agentConfigCommand: CliCommand = {
  name: "agent-config",
  summary: "print the ElevenLabs agent settings for a deployment",
  options: { "base-url": { type: "string" }, limit: { type: "string" }, json: { type: "boolean" } },
  usage: `Usage: agentic-memory agent-config --base-url URL [--limit N] [--json]

Prints what to set in ElevenLabs for the deployment at URL (https://…; the local server behind an HTTPS
tunnel, or the API of the AWS stack): the conversation-initiation webhook (URL + X-Workspace-Key
header), the post-call webhook (HMAC, retries on), the retrieve_memories and remember_fact server tools
as JSON (user_id bound to system__caller_id so the model cannot choose whose memories it reads or
writes), the five dynamic
variables to declare, the Security-tab overrides to enable (from AGENT_OVERRIDES) and a prompt snippet.
No secret values are printed.

Options:
  --base-url URL   the deployment's base URL
  --limit N        the retrieve tool's constant limit (1-50, default 5)
  --json           print everything as one JSON object`,
  async run(context) {
    positional(context);
    const raw = stringFlag(context, "base-url");
    if (raw === undefined) throw new UsageError("--base-url URL is required (e.g. https://memory.example.com)");
    const baseUrl = urlArgument(raw, "--base-url");
    const env = context.env();
    const settings = callSettingsFrom(env);
    const config = agentSettings({ baseUrl, settings, retrieveRequiresKey: env.RETRIEVE_REQUIRE_KEY, limit: integerFlag(context, "limit", { min: 1, max: 50 }) ?? 5 });
    if (baseUrl.protocol !== "https:") context.err(`note: ElevenLabs calls webhooks over HTTPS; ${config.base_url} is not.`);

    if (context.json) {
      context.out(JSON.stringify(config, null, 2));
      return 0;
    }
    const header = env.RETRIEVE_REQUIRE_KEY ? "   header X-Workspace-Key = the same workspace secret" : "   no header (RETRIEVE_REQUIRE_KEY=false)";
    const overrides = settings.overrides.map((o) => OVERRIDE_LABELS[o]);
    context.out(
      [
        `ElevenLabs settings for ${config.base_url}`,
        "",
        "1. Secrets (Agents Platform → Settings → Workspace secrets): create one holding ELEVENLABS_WORKSPACE_KEY.",
        "",
        "2. Conversation-initiation webhook (Agents Platform → Settings):",
        `   URL    ${config.conversation_initiation_webhook.url}`,
        "   header X-Workspace-Key = that workspace secret",
        "",
        "3. Agent → Security tab:",
        '   enable "Fetch conversation initiation data for inbound Twilio calls"',
        `   allow overrides: ${overrides.length > 0 ? overrides.join(", ") : "none"}`,
        ...config.security.notes.map((n) => `   note: ${n}`),
        "",
        "4. Dynamic variables to declare in the agent (always sent, as strings):",
        ...Object.entries(DYNAMIC_VARIABLES).map(([name, meaning]) => `   ${name.padEnd(17)} ${meaning}`),
        "",
        `5. Server tool (Agent → Tools → add Webhook tool): POST ${config.retrieve_tool.api_schema.url}`,
        header,
        "   body: query (LLM prompt), user_id (Dynamic variable = system__caller_id), limit (Constant), and the optional",
        "   filters type, source, since, until, conversation_id and include_history (LLM prompt). As JSON:",
        JSON.stringify(config.retrieve_tool, null, 2).replace(/^/gm, "   "),
        "",
        `6. Server tool (Agent → Tools → add Webhook tool): POST ${config.remember_tool.api_schema.url}`,
        header,
        "   body: fact and category (LLM prompt), user_id (Dynamic variable = system__caller_id),",
        "   conversation_id (= system__conversation_id), agent_id (= system__agent_id). As JSON:",
        JSON.stringify(config.remember_tool, null, 2).replace(/^/gm, "   "),
        "",
        "7. Post-call webhook (Settings → Webhooks → create, auth HMAC):",
        `   URL    ${config.post_call_webhook.url}`,
        "   secret ELEVENLABS_HMAC_KEY (or copy the secret ElevenLabs generates into ELEVENLABS_HMAC_KEY)",
        "   events transcript (and audio to archive recordings); enable retries",
        "",
        "8. Prompt snippet (add to the agent's system prompt):",
        config.prompt_snippet.replace(/^/gm, "   "),
      ].join("\n"),
    );
    return 0;
  },
};
