// What the dashboard does when the deployment behind it fails: a page saying so (502), never a stack
// trace or a crash, while its own refusals (401, cross-origin 403) keep their status.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildApp, type App } from "../../adapters/composition-root";
import { loadEnv } from "../../adapters/config";
import { createDashboard } from "../../adapters/inbound/dashboard/dashboard-app";

const TOKEN = "dashboard-errors-token-0123456789";
const ORIGIN = "http://127.0.0.1:4100";

describe("the dashboard when a backend fails", () => {
  let app: App;
  beforeAll(async () => {
    app = await buildApp(loadEnv({ DATA_DIR: mkdtempSync(join(tmpdir(), "dashboard-errors-")) }));
  });
  afterAll(() => app.close());

  it("answers the overview with 502 and a plain message when the metrics read fails, and keeps 401 and 403 as they are", async () => {
    // CloudWatch (or the metrics store) unreachable: the reader throws, as the SDK does.
    const unreachable = { overview: () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:4566")) };
    const dashboard = createDashboard({ app, token: TOKEN, usage: unreachable, usageSource: "CloudWatch" });
    const login = await dashboard.request(`${ORIGIN}/dashboard/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: ORIGIN },
      body: new URLSearchParams({ token: TOKEN }).toString(),
    });
    const cookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";

    const overview = await dashboard.request(`${ORIGIN}/dashboard`, { headers: { cookie } });
    const body = await overview.text();
    const callers = await dashboard.request(`${ORIGIN}/dashboard/callers`, { headers: { cookie } });
    const unsigned = await dashboard.request(`${ORIGIN}/dashboard`);
    const crossSite = await dashboard.request(`${ORIGIN}/dashboard/events/replay`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: "https://elsewhere.example", cookie },
      body: "id=x",
    });

    expect(login.status).toBe(303);
    expect(overview.status).toBe(502);
    expect(body).toContain("could not read the deployment");
    expect(body).not.toContain("ECONNREFUSED");
    expect(callers.status).toBe(200); // the rest of the dashboard still works
    expect(unsigned.status).toBe(401);
    expect(crossSite.status).toBe(403);
  });
});
