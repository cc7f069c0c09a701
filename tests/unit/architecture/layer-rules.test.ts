import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..", "..", "..");
const DEPCRUISE = join(ROOT, "node_modules", ".bin", "depcruise");

/** Run our dependency-cruiser config over a throw-away tree; returns the exit code and the report. */
function cruise(files: Record<string, string>): { code: number; report: string } {
  const dir = mkdtempSync(join(tmpdir(), "layer-rules-"));
  cpSync(join(ROOT, "tsconfig.json"), join(dir, "tsconfig.json"));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  for (const name of ["left-pad", "libphonenumber-js", "libphonenumber-js-extra"]) {
    mkdirSync(join(dir, "node_modules", name, "min"), { recursive: true });
    writeFileSync(join(dir, "node_modules", name, "package.json"), JSON.stringify({ name, main: "index.js", exports: { ".": "./index.js", "./min": "./min/index.js" } }));
    writeFileSync(join(dir, "node_modules", name, "index.js"), "module.exports = 1;");
    writeFileSync(join(dir, "node_modules", name, "min", "index.js"), "module.exports = 1;");
  }
  try {
    const report = execFileSync(DEPCRUISE, ["--config", join(ROOT, ".dependency-cruiser.cjs"), "domain", "application", "adapters"], {
      cwd: dir,
      encoding: "utf8",
      stdio: "pipe",
    });
    return { code: 0, report };
  } catch (error) {
    const failure = error as { status: number; stdout: string };
    return { code: failure.status, report: failure.stdout };
  }
}

const base = {
  "domain/rule.ts": "export const rule = 1;\n",
  "application/use-case.ts": 'import { rule } from "../domain/rule";\nexport const useCase = rule;\n',
  "adapters/handler.ts": 'import { useCase } from "../application/use-case";\nexport const handler = useCase;\n',
  "infra/index.ts": "export const stack = 1;\n",
  "tests/helper.ts": "export const helper = 1;\n",
};

describe("layer rules enforced by npm test (dependency-cruiser)", () => {
  it("accept a tree whose dependencies point inward", () => {
    expect(cruise({ ...base, "domain/hmac.ts": 'import { createHmac } from "node:crypto";\nexport const h = createHmac;\n' }).code).toBe(0);
  });

  it.each([
    ["libphonenumber-js/min", 'import parse from "libphonenumber-js/min";\nexport const p = parse;\n'],
    ["libphonenumber-js", 'import parse from "libphonenumber-js";\nexport const p = parse;\n'],
  ])("accept a domain that reads phone numbers with %s (pure data and functions)", (_name, text) => {
    const { code, report } = cruise({ ...base, "domain/phone.ts": text });

    expect(report).not.toContain("domain-is-pure");
    expect(code).toBe(0);
  });

  it.each([
    ["domain imports an adapter", "domain/bad.ts", 'import { handler } from "../adapters/handler";\nexport const x = handler;\n', "domain-is-pure"],
    ["domain imports the application", "domain/bad.ts", 'import { useCase } from "../application/use-case";\nexport const x = useCase;\n', "domain-is-pure"],
    ["domain does I/O", "domain/bad.ts", 'import { readFileSync } from "node:fs";\nexport const x = readFileSync;\n', "domain-is-pure"],
    ["domain imports a package", "domain/bad.ts", 'import pad from "left-pad";\nexport const x = pad;\n', "domain-is-pure"],
    ["domain imports a look-alike of libphonenumber-js", "domain/bad.ts", 'import x from "libphonenumber-js-extra/min";\nexport const y = x;\n', "domain-is-pure"],
    ["application imports libphonenumber-js (it reads numbers through the domain)", "application/bad.ts", 'import x from "libphonenumber-js/min";\nexport const y = x;\n', "application-imports-only-domain"],
    ["application imports an adapter", "application/bad.ts", 'import { handler } from "../adapters/handler";\nexport const x = handler;\n', "application-imports-only-domain"],
    ["application imports a package", "application/bad.ts", 'import pad from "left-pad";\nexport const x = pad;\n', "application-imports-only-domain"],
    ["an adapter imports infra", "adapters/bad.ts", 'import { stack } from "../infra/index";\nexport const x = stack;\n', "runtime-never-imports-infra-or-tests"],
    ["an adapter imports tests", "adapters/bad.ts", 'import { helper } from "../tests/helper";\nexport const x = helper;\n', "runtime-never-imports-infra-or-tests"],
  ])("refuse a tree where %s", (_case, path, text, rule) => {
    const { code, report } = cruise({ ...base, [path]: text });

    expect(code).not.toBe(0);
    expect(report).toContain(rule);
  });
});
