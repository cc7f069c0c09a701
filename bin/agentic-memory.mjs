#!/usr/bin/env node
// `npx agentic-memory <command>`: the operator CLI, run from the TypeScript sources through tsx.
import { register } from "tsx/esm/api";

register();
await import("../adapters/inbound/cli/main.ts");
