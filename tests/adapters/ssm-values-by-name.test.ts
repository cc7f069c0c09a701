// A GetParameters answer names each parameter by its name; the secrets were asked for by the names
// (or ARNs) a function's *_PARAM settings hold, and are cached under those.
import { describe, expect, it } from "vitest";
import { valuesByName } from "../../adapters/outbound/aws/ssm-secrets";

describe("valuesByName (a GetParameters answer under the names asked)", () => {
  it("files each value under the name it was asked by, and leaves out names SSM does not have", () => {
    const values = valuesByName(["/app/mem0-api-key", "/app/elevenlabs-api-key", "/app/missing"], [
      { Name: "/app/elevenlabs-api-key", Value: "el" },
      { Name: "/app/mem0-api-key", Value: "m0" },
    ]);

    expect([...values].sort()).toEqual([
      ["/app/elevenlabs-api-key", "el"],
      ["/app/mem0-api-key", "m0"],
    ]);
  });

  it("matches a parameter asked for by its ARN, hierarchical or not", () => {
    const arn = "arn:aws:ssm:us-east-1:123456789012:parameter/app/mem0-api-key";
    const plainArn = "arn:aws:ssm:us-east-1:123456789012:parameter/plain-key";

    const values = valuesByName([arn, plainArn], [
      { Name: "/app/mem0-api-key", Value: "m0" },
      { Name: "plain-key", Value: "plain" },
    ]);

    expect(values.get(arn)).toBe("m0");
    expect(values.get(plainArn)).toBe("plain");
  });

  it("ignores what was not asked for and parameters without a value", () => {
    const values = valuesByName(["/app/a"], [{ Name: "/app/b", Value: "b" }, { Name: "/app/a" }]);

    expect(values.size).toBe(0);
  });
});
