import { execFileSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

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
  // Two runs of dependency-cruiser in all (one tree that must pass, one with every violation in its own
  // file), rather than one per case: each run costs seconds, and `npm test` has a time budget.
  const accepted = [
    ["node:crypto", "domain/hmac.ts", 'import { createHmac } from "node:crypto";\nexport const h = createHmac;\n'],
    ["libphonenumber-js/min (pure data and functions)", "domain/phone-min.ts", 'import parse from "libphonenumber-js/min";\nexport const p = parse;\n'],
    ["libphonenumber-js (pure data and functions)", "domain/phone.ts", 'import parse from "libphonenumber-js";\nexport const p = parse;\n'],
  ] as const;
  const refused = [
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
  ] as const;
  /** Each refused case in a file of its own: `domain/bad.ts` of case 3 is `domain/bad-3.ts`. */
  const refusedPath = (path: string, index: number) => path.replace(/\.ts$/, `-${index}.ts`);
  let accept: { code: number; report: string };
  let refuse: { code: number; report: string };

  beforeAll(() => {
    accept = cruise({ ...base, ...Object.fromEntries(accepted.map(([, path, text]) => [path, text])) });
    refuse = cruise({ ...base, ...Object.fromEntries(refused.map(([, path, text], index) => [refusedPath(path, index), text])) });
  });

  it("accept a tree whose dependencies point inward", () => {
    expect(accept.code, accept.report).toBe(0);
  });

  it.each(accepted)("accept a domain that imports %s", (_name, path) => {
    expect(accept.report).not.toContain(path);
  });

  it("refuse the tree with violations", () => {
    expect(refuse.code).not.toBe(0);
  });

  it.each(refused.map((entry, index) => [...entry, index] as const))("refuse a tree where %s", (_case, path, _text, rule, index) => {
    expect(refuse.report).toMatch(new RegExp(`${rule}: ${refusedPath(path, index).replace(/[.]/g, "\\.")} `));
  });
});
