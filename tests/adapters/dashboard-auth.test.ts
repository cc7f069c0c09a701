import { describe, expect, it } from "vitest";
import { DashboardAuth, generateDashboardToken, SESSION_TTL_MS } from "../../adapters/inbound/dashboard/dashboard-auth";

const NOW = Date.UTC(2026, 11, 1, 12);

describe("dashboard sessions and CSRF tokens, derived from the dashboard token", () => {
  const auth = new DashboardAuth("operator-token-0123456789");

  it("accepts the token only, and a session only while it is fresh and unaltered", () => {
    const session = auth.newSession(NOW);
    const [issued, mac] = session.split(".");

    expect(auth.tokenMatches("operator-token-0123456789")).toBe(true);
    expect(auth.tokenMatches("operator-token-012345678")).toBe(false);
    expect(auth.sessionValid(session, NOW + SESSION_TTL_MS - 1)).toBe(true);
    expect(auth.sessionValid(session, NOW + SESSION_TTL_MS + 1)).toBe(false);
    expect(auth.sessionValid(`${Number(issued) + 1}.${mac}`, NOW)).toBe(false); // a longer life claimed
    expect(auth.sessionValid(`${issued}.${mac?.slice(0, -1)}A`, NOW)).toBe(false);
    expect(auth.sessionValid(undefined, NOW)).toBe(false);
    expect(auth.sessionValid("garbage", NOW)).toBe(false);
  });

  it("ends every session when the token changes, and ties a form's CSRF token to its session", () => {
    const session = auth.newSession(NOW);
    const other = auth.newSession(NOW + 1000);
    const rotated = new DashboardAuth("a-new-operator-token-987654");

    expect(rotated.sessionValid(session, NOW)).toBe(false);
    expect(auth.csrfValid(session, auth.csrfToken(session))).toBe(true);
    expect(auth.csrfValid(session, auth.csrfToken(other))).toBe(false);
    expect(auth.csrfValid(session, undefined)).toBe(false);
  });

  it("refuses a token too short to guard callers' data, and generates long random ones", () => {
    expect(() => new DashboardAuth("short")).toThrow(/at least 16 characters/);
    const generated = [generateDashboardToken(), generateDashboardToken()];
    expect(generated[0]).not.toBe(generated[1]);
    expect(generated[0]?.length).toBeGreaterThanOrEqual(40);
  });
});
