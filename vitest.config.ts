import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// CI sets VITEST_JSON_REPORT to a path so `.ci/run` can print a plain "N passed, N failed" line.
const jsonReport = process.env.VITEST_JSON_REPORT;

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    setupFiles: ["tests/setup.ts"],
    globalSetup: ["tests/global-setup.ts"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: "forks",
    // One test file per core (vitest's default keeps one core free, which on a 2-core CI machine means
    // running every file in turn). Most of the suite waits on child processes and sockets, not the CPU.
    maxWorkers: availableParallelism(),
    reporters: jsonReport ? ["default", "json"] : ["default"],
    ...(jsonReport ? { outputFile: { json: jsonReport } } : {}),
  },
});
