import { ToolRequestModelToolConfig } from "@elevenlabs/elevenlabs-js/serialization/index.js";
import { describe, expect, it } from "vitest";
import { CALLER_NOTES_CLOSE, CALLER_NOTES_OPEN, CALLER_NOTES_WARNING } from "../../domain/caller-context";
import { cli, jsonOf } from "./cli-process";

interface AgentConfigJson {
  base_url: string;
  conversation_initiation_webhook: { url: string; request_headers: Record<string, { secret_id: string }> };
  post_call_webhook: { url: string; auth: string; enable_retries: boolean };
  retrieve_tool: {
    type: string;
    name: string;
    api_schema: {
      url: string;
      method: string;
      request_headers?: Record<string, { secret_id: string }>;
      request_body_schema: { required: string[]; properties: Record<string, Record<string, unknown>> };
    };
  };
  dynamic_variables: Record<string, string>;
  security: { platform_settings: { overrides: { enable_conversation_initiation_client_data_from_webhook: boolean; conversation_config_override: { agent: Record<string, unknown> } } }; notes: string[] };
  prompt_snippet: string;
}

describe("agentic-memory agent-config", () => {
  it("prints every ElevenLabs setting of a deployment as one JSON object", async () => {
    const run = await cli(["agent-config", "--base-url", "https://memory.example.com/prod/", "--json"]);
    const config = jsonOf<AgentConfigJson>(run);

    expect(run.code).toBe(0);
    expect(config.base_url).toBe("https://memory.example.com/prod");
    expect(config.conversation_initiation_webhook.url).toBe("https://memory.example.com/prod/client-data");
    expect(Object.keys(config.conversation_initiation_webhook.request_headers)).toEqual(["X-Workspace-Key"]);
    expect(config.post_call_webhook).toMatchObject({ url: "https://memory.example.com/prod/post-call", auth: "HMAC", enable_retries: true });
    expect(config.retrieve_tool).toMatchObject({
      type: "webhook",
      name: "retrieve_memories",
      api_schema: {
        url: "https://memory.example.com/prod/retrieve",
        method: "POST",
        request_headers: { "X-Workspace-Key": { secret_id: expect.any(String) as string } },
        request_body_schema: {
          required: ["query", "user_id"],
          properties: {
            query: { type: "string", description: expect.any(String) as string },
            user_id: { type: "string", dynamic_variable: "system__caller_id" },
            limit: { type: "integer", constant_value: 5 },
          },
        },
      },
    });
    // The model fills the query only: the caller comes from the platform, never from the LLM.
    expect(config.retrieve_tool.api_schema.request_body_schema.properties.user_id).not.toHaveProperty("description");
    expect(Object.keys(config.dynamic_variables)).toEqual(["caller_id", "memory_count", "memory_summary", "returning_caller", "caller_name"]);
    expect(config.security.platform_settings.overrides).toEqual({
      enable_conversation_initiation_client_data_from_webhook: true,
      conversation_config_override: { agent: { first_message: true, prompt: { prompt: true } } },
    });
    for (const name of ["returning_caller", "caller_name", "memory_count", "memory_summary"]) expect(config.prompt_snippet).toContain(`{{${name}}}`);
    // memory_summary is what callers said: fenced, behind the warning, like the caller notes.
    expect(config.prompt_snippet).toContain(`${CALLER_NOTES_WARNING}\n${CALLER_NOTES_OPEN}\n{{memory_summary}}\n${CALLER_NOTES_CLOSE}\n`);
    expect(run.stdout).not.toContain("test-workspace-key");
  });

  it("offers the retrieve filters to the model as optional body parameters, in a tool config ElevenLabs reads", async () => {
    const run = await cli(["agent-config", "--base-url", "https://memory.example.com", "--json"]);
    const tool = jsonOf<AgentConfigJson>(run).retrieve_tool;
    const { properties, required } = tool.api_schema.request_body_schema;

    expect(properties).toMatchObject({
      type: { type: "string", enum: ["factual", "semantic"] },
      source: { type: "string", enum: ["summary", "data_collection", "caller_name", "conversation", "remember", "import"] },
      since: { type: "string" },
      until: { type: "string" },
      conversation_id: { type: "string" },
    });
    expect(properties.include_history).toMatchObject({ type: "boolean" });
    for (const name of ["type", "source", "since", "until", "conversation_id", "include_history"]) {
      // The model fills each one (a description and nothing else decides the value), and may leave it out.
      expect(properties[name]?.description, name).toMatch(/^Optional\. .{20,}/);
      expect(Object.keys(properties[name] ?? {}).filter((k) => ["dynamic_variable", "constant_value"].includes(k)), name).toEqual([]);
      expect(required).not.toContain(name);
    }
    expect(properties.until?.description).toContain("a date alone includes that whole day");
    // The SDK's own schema of a tool config (the one ElevenLabs' API client uses), with nothing unknown to it.
    const parsed = ToolRequestModelToolConfig.parse(tool, { unrecognizedObjectKeys: "fail" });
    expect(parsed.ok, JSON.stringify(parsed.ok ? null : parsed.errors)).toBe(true);
  });

  it("follows AGENT_OVERRIDES, RETRIEVE_REQUIRE_KEY and --limit", async () => {
    const run = await cli(["agent-config", "--base-url=https://memory.example.com", "--limit", "3", "--json"], {
      AGENT_OVERRIDES: "first_message,language",
      RETRIEVE_REQUIRE_KEY: "false",
      ELEVENLABS_WORKSPACE_KEY: "test-workspace-key",
    });
    const config = jsonOf<AgentConfigJson>(run);

    expect(config.security.platform_settings.overrides.conversation_config_override.agent).toEqual({ first_message: true, language: true });
    expect(config.security.notes.join(" ")).toContain("AGENT_LANGUAGE is unset");
    expect(config.retrieve_tool.api_schema).not.toHaveProperty("request_headers");
    expect(config.retrieve_tool.api_schema.request_body_schema.properties.limit).toEqual({ type: "integer", constant_value: 3 });
    expect(run.stdout).not.toContain("test-workspace-key");
  });

  it("reads as steps to follow without --json", async () => {
    const run = await cli(["agent-config", "--base-url", "https://memory.example.com"]);

    expect(run.code).toBe(0);
    expect(run.stdout).toContain("URL    https://memory.example.com/client-data");
    expect(run.stdout).toContain("allow overrides: First message, System prompt");
    expect(run.stdout).toContain('"dynamic_variable": "system__caller_id"');
    expect(run.stdout).toContain("enable retries");
    expect(run.stdout).toContain(`   ${CALLER_NOTES_OPEN}\n   {{memory_summary}}\n   ${CALLER_NOTES_CLOSE}\n`);
  });

  it("offers the remember_fact tool, bound to the caller and the conversation, in a tool config ElevenLabs reads", async () => {
    const run = await cli(["agent-config", "--base-url", "https://memory.example.com", "--json"]);
    const config = jsonOf<AgentConfigJson & { remember_tool: AgentConfigJson["retrieve_tool"] }>(run);
    const tool = config.remember_tool;
    const { properties, required } = tool.api_schema.request_body_schema;

    expect(tool).toMatchObject({ type: "webhook", name: "remember_fact", api_schema: { url: "https://memory.example.com/remember", method: "POST" } });
    expect(tool.api_schema.request_headers).toEqual(config.retrieve_tool.api_schema.request_headers);
    // The platform fills whose memory it is and which call; the model fills only the fact and its category.
    expect(properties).toMatchObject({
      user_id: { type: "string", dynamic_variable: "system__caller_id" },
      conversation_id: { type: "string", dynamic_variable: "system__conversation_id" },
      agent_id: { type: "string", dynamic_variable: "system__agent_id" },
      fact: { type: "string", description: expect.stringContaining("500 characters") as string },
      category: { type: "string", description: expect.stringMatching(/^Optional\./) as string },
    });
    expect(required.sort()).toEqual(["fact", "user_id"]);
    expect(config.prompt_snippet).toContain("remember_fact");
    const parsed = ToolRequestModelToolConfig.parse(tool, { unrecognizedObjectKeys: "fail" });
    expect(parsed.ok, JSON.stringify(parsed.ok ? null : parsed.errors)).toBe(true);
  });

  it("needs --base-url, and says so with exit code 2", async () => {
    const missing = await cli(["agent-config"]);
    const wrong = await cli(["agent-config", "--base-url", "ftp://memory.example.com"]);

    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("--base-url URL is required");
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain("must be an http(s) URL");
  });
});
