import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as source from "../../domain/caller-id";
import { phonePlansModule, phonePlansParsedOnUse } from "../../scripts/build";

const ROOT = resolve(import.meta.dirname, "..", "..");
const PACKAGE_PLANS = JSON.parse(readFileSync(join(ROOT, "node_modules", "libphonenumber-js", "metadata.min.json"), "utf8")) as Record<string, unknown>;

let dir: string;
let bundled: { metadata: { countries: Record<string, unknown>; nonGeographic: Record<string, unknown> } } & typeof source;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "phone-plans-"));
  // The domain's caller ids and the plans themselves, bundled as the functions' bundles take them.
  const entry = [
    `export * from ${JSON.stringify(join(ROOT, "domain", "caller-id.ts"))};`,
    // The file libphonenumber-js's own modules import (the package exports no path to it).
    `export { default as metadata } from ${JSON.stringify(join(ROOT, "node_modules", "libphonenumber-js", "metadata.min.json.js"))};`,
  ].join("\n");
  await build({
    stdin: { contents: entry, resolveDir: ROOT, loader: "ts" },
    outfile: join(dir, "caller-id.mjs"),
    bundle: true,
    platform: "node",
    format: "esm",
    plugins: [phonePlansParsedOnUse()],
    logLevel: "silent",
  });
  bundled = (await import(pathToFileURL(join(dir, "caller-id.mjs")).href)) as typeof bundled;
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("libphonenumber's numbering plans in the bundles (parsed per country on first use)", () => {
  it("are the package's plans, every country and non-geographic code", () => {
    expect(JSON.parse(JSON.stringify(bundled.metadata))).toEqual(PACKAGE_PLANS);
  });

  it("are parsed on first use: each country is a getter, not an object built at import", () => {
    expect(typeof Object.getOwnPropertyDescriptor(bundled.metadata.countries, "US")?.get).toBe("function");
    expect(typeof Object.getOwnPropertyDescriptor(bundled.metadata.nonGeographic, "800")?.get).toBe("function");
    expect(Object.keys(bundled.metadata.countries)).toEqual(Object.keys(PACKAGE_PLANS.countries as object));
  });

  it("read caller ids exactly as the package's own plans do", () => {
    const cases: [unknown, string | null][] = [
      ["+1 (555) 010-0123", null],
      ["5550100123", "US"],
      ["(416) 555-0142", "CA"],
      ["+44 20 7946 0958", null],
      ["07700 900123", "GB"],
      ["0044 7700 900123", "DE"],
      ["030 12345678", "DE"],
      ["13812345678", "CN"],
      ["13812345678", null],
      ["+800 1234 5678", null],
      ["+1 555", null],
      ["+999 1234567", null],
      ["tel:+33-1-23-45-67-89", null],
      ["anonymous", null],
      [5550100123, "US"],
    ];
    for (const [raw, region] of cases) {
      const options = { region };
      expect(bundled.normaliseCallerId(raw, options), `${String(raw)} in ${String(region)}`).toEqual(source.normaliseCallerId(raw, options));
    }
    expect(bundled.normaliseCallerId("+15550100123")).toEqual({ known: true, callerId: "+15550100123" });
  });

  it("fail the build when the package's metadata has a shape the plugin does not know", () => {
    expect(() => phonePlansModule({ ...PACKAGE_PLANS, formats: {} }, "metadata.min.json.js")).toThrow(/not the metadata shape .*formats/);
    expect(() => phonePlansModule({ ...PACKAGE_PLANS, countries: [] }, "metadata.min.json.js")).toThrow(/not the metadata shape/);
  });
});
