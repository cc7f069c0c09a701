/// <reference lib="dom" />
// The operator dashboard in a real browser (Debian's headless Chromium, driven by playwright-core),
// against `npm start` as a user runs it: a few signed calls go through the real routes, then an
// operator signs in, reads the overview, finds and opens a caller, forgets one, and replays an event
// the worker parked. Screenshots go to test-results/screenshots (and, with UPDATE_SCREENSHOTS=1, to
// docs/screenshots, which the README shows).
import { createRequire } from "node:module";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import Database from "better-sqlite3";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../support/eventually";
import { fixtureText, signed, transcriptionFor } from "../support/fixtures";
import { startServerProcess, TEST_HMAC_KEY, TEST_WORKSPACE_KEY, type ServerProcess } from "../support/local-server-process";
import { chromiumAvailable, launchChromium } from "./chromium";

const TOKEN = "dashboard-test-token-0123456789";
const ROOT = resolve(import.meta.dirname, "..", "..");
const SHOTS = join(ROOT, "test-results", "screenshots");

const MARISOL = "+15550100181"; // calls twice, with a recording of the first call
const SECOND = "+15550100182"; // calls once, then is forgotten from the dashboard
const PARKED = "+15550100183"; // their call is parked while the archive cannot be written, then replayed

const KEY = { "content-type": "application/json", "X-Workspace-Key": TEST_WORKSPACE_KEY };

/** The screenshots the README shows (the others stay in test-results). */
const README_SHOTS = new Set(["dashboard-overview", "dashboard-caller"]);

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  const file = join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  if (process.env.UPDATE_SCREENSHOTS === "1" && README_SHOTS.has(name)) {
    mkdirSync(join(ROOT, "docs", "screenshots"), { recursive: true });
    copyFileSync(file, join(ROOT, "docs", "screenshots", `${name}.png`));
  }
}

/**
 * Accessibility problems axe-core finds on the page (serious and critical ones). axe is injected as an
 * inline script, which the dashboard's Content-Security-Policy rightly refuses, so the check opens the
 * same page in a context that bypasses CSP, signed in as the test's browser is.
 */
async function accessibilityViolations(browser: Browser, signedIn: BrowserContext, url: string): Promise<string[]> {
  const context = await browser.newContext({ bypassCSP: true, storageState: await signedIn.storageState() });
  const page = await context.newPage();
  await page.goto(url);
  await page.addScriptTag({ path: createRequire(import.meta.url).resolve("axe-core/axe.min.js") });
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string | null; nodes: unknown[] }[] }> } }).axe.run();
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
  });
  await context.close();
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id} (${v.impact}, ${v.nodes} nodes)`);
}

const tileValue = (page: Page, window: string, metric: string) => page.locator(`[data-window="${window}"] [data-metric="${metric}"] .value`).innerText();

describe.skipIf(!chromiumAvailable)("the operator dashboard in Chromium", () => {
  let server: ServerProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const posted: Response[] = [];

  /** One call: client-data as it starts, then its signed transcription (and recording). The fixture's caller is renamed for the second caller. */
  async function call(caller: string, conversationId: string, audio = false): Promise<void> {
    const answer = await fetch(`${server.baseUrl}/client-data`, { method: "POST", headers: KEY, body: JSON.stringify({ caller_id: caller }) });
    expect(answer.status).toBe(200);
    const fixtureBody = transcriptionFor({ conversationId, callerId: caller });
    const body = caller === SECOND ? fixtureBody.replaceAll("Marisol Quenby", "Teodor Lindqvist").replaceAll("Marisol", "Teodor") : fixtureBody;
    posted.push(await fetch(`${server.baseUrl}/post-call`, { method: "POST", headers: signed(body, TEST_HMAC_KEY), body }));
    if (audio) {
      const event = JSON.parse(fixtureText("post-call-audio.json")) as { data: { conversation_id: string } };
      event.data.conversation_id = conversationId;
      const audioBody = JSON.stringify(event);
      posted.push(await fetch(`${server.baseUrl}/post-call`, { method: "POST", headers: signed(audioBody, TEST_HMAC_KEY), body: audioBody }));
    }
  }

  const done = (conversationId: string) => existsSync(join(server.dataDir, "processed", "post_call_transcription", `${conversationId}.json`));
  const parked = (conversationId: string) => existsSync(join(server.dataDir, "failed", "post_call_transcription", `${conversationId}.json`));

  beforeAll(async () => {
    server = await startServerProcess({
      env: { DASHBOARD_TOKEN: TOKEN, DEFAULT_REGION: "US", WORKER_MAX_ATTEMPTS: "2", WORKER_RETRY_BASE_MS: "20", AGENT_BASE_PROMPT: "You are the Lumen Line concierge." },
    });
    await call(MARISOL, "conv_dash_1", true);
    expect(await eventually(() => done("conv_dash_1") && existsSync(join(server.dataDir, "archive", "audio", MARISOL)), Boolean, 20_000)).toBe(true);
    await call(SECOND, "conv_dash_2");
    expect(await eventually(() => done("conv_dash_2"), Boolean, 20_000)).toBe(true);
    await call(MARISOL, "conv_dash_3");
    expect(await eventually(() => done("conv_dash_3"), Boolean, 20_000)).toBe(true);
    // The archive cannot write this caller's folder (a file stands where it goes): the worker retries, then parks the event.
    mkdirSync(join(server.dataDir, "archive", "transcripts"), { recursive: true });
    writeFileSync(join(server.dataDir, "archive", "transcripts", PARKED), "in the way");
    await call(PARKED, "conv_dash_4");
    expect(await eventually(() => parked("conv_dash_4"), Boolean, 20_000)).toBe(true);
    const retrieve = await fetch(`${server.baseUrl}/retrieve`, { method: "POST", headers: KEY, body: JSON.stringify({ user_id: MARISOL, query: "dietary preference" }) });
    expect(retrieve.status).toBe(200);

    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.kill();
  });

  it("shows nothing without the token: every page and action answers 401, and a wrong token is refused", async () => {
    for (const path of ["/dashboard", "/dashboard/callers", `/dashboard/callers/${encodeURIComponent(MARISOL)}`, "/dashboard/events"]) {
      const response = await fetch(`${server.baseUrl}${path}`);
      const text = await response.text();
      expect(response.status, path).toBe(401);
      expect(text, path).not.toContain("0181");
      expect(text, path).not.toContain("Marisol");
    }
    const forget = await fetch(`${server.baseUrl}/dashboard/callers/${encodeURIComponent(MARISOL)}/forget`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: server.baseUrl },
      body: `confirm=${encodeURIComponent(MARISOL)}`,
    });
    expect(forget.status).toBe(401);

    const first = await page.goto(`${server.baseUrl}/dashboard`);
    expect(first?.status()).toBe(401);
    await page.getByLabel("Dashboard token").fill("not-the-dashboard-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByRole("alert").innerText()).toContain("not the dashboard token");
    await screenshot(page, "dashboard-sign-in");
  });

  it("signs in and shows the overview with the numbers of the calls just made", async () => {
    await page.getByLabel("Dashboard token").fill(TOKEN);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${server.baseUrl}/dashboard`);
    await page.getByRole("heading", { name: "Overview" }).waitFor();

    // Four calls started (client-data), one of them returning and greeted by name (Marisol's second).
    expect(await tileValue(page, "last24h", "calls")).toBe("4");
    expect(await tileValue(page, "last24h", "returning")).toBe("25 %");
    expect(await tileValue(page, "last24h", "greeted")).toBe("25 %");
    expect(await tileValue(page, "last24h", "degraded")).toBe("0 %");
    expect(await tileValue(page, "last7d", "calls")).toBe("4");
    // Memories written: every row the store holds (older versions included), all written by these calls today.
    const db = new Database(join(server.dataDir, "memories.db"), { readonly: true });
    const stored = (db.prepare("SELECT COUNT(*) AS n FROM memories").get() as { n: number }).n;
    db.close();
    expect(stored).toBeGreaterThan(0);
    expect(await tileValue(page, "last24h", "memories")).toBe(String(stored));
    const today = new Date().toISOString().slice(0, 10);
    expect(await page.locator(`tr[data-day="${today}"] td`).allInnerTexts()).toEqual(["4", String(stored)]);
    expect(await page.locator('[data-metric="failed-events"]').innerText()).toContain("1 parked or failed event");
    // Latency per route: four client-data, one retrieve, five post-call deliveries (four transcriptions, one recording).
    expect(await page.locator('tr[data-route="client-data"] td').nth(2).innerText()).toBe("4");
    expect(await page.locator('tr[data-route="retrieve"] td').nth(2).innerText()).toBe("1");
    expect(posted.every((r) => r.status === 200)).toBe(true);
    expect(await page.locator('tr[data-route="post-call"] td').nth(2).innerText()).toBe(String(posted.length));
    // The chart is drawn by the Chart.js the dashboard serves itself (no CDN).
    await expect.poll(() => page.evaluate(() => typeof (window as unknown as { Chart?: unknown }).Chart)).toBe("function");
    const drawn = await page.locator("#usage-chart").evaluate((canvas: HTMLCanvasElement) => canvas.width > 0 && canvas.height > 0);
    expect(drawn).toBe(true);
    await screenshot(page, "dashboard-overview");
    expect(await accessibilityViolations(browser, context, page.url())).toEqual([]);
  });

  it("lists callers with masked numbers, finds one by a national-format number or a name, and opens their page", async () => {
    await page.getByRole("link", { name: "Callers" }).click();
    await page.getByRole("heading", { name: "Callers" }).waitFor();
    const list = await page.locator("main").innerText();
    expect(list).toContain("+*******0181");
    expect(list).not.toContain(MARISOL);

    await page.getByLabel("Find a caller by phone number (any format) or name").fill("(555) 010-0182");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.locator("tr[data-caller-row]").count()).toBe(1);
    expect(await page.locator("tr[data-caller-row]").innerText()).toContain("0182");

    await page.getByLabel("Find a caller by phone number (any format) or name").fill("marisol");
    await page.keyboard.press("Enter");
    await page.waitForURL(/q=marisol/);
    await expect.poll(() => page.locator("tr[data-caller-row]").count()).toBe(1);
    await page.getByRole("link", { name: /Open caller ending 0181/ }).click();

    await page.locator(`h1[data-caller="${MARISOL}"]`).waitFor();
    expect(await page.locator("h1").innerText()).toContain(MARISOL);
    // Exactly what the next call starts with: greeted by name as a returning caller.
    expect(await page.locator('[data-next="first-message"]').innerText()).toContain("Marisol");
    expect(await page.locator('tr[data-variable="returning_caller"] td').innerText()).toBe("yes");
    expect(await page.locator('tr[data-variable="caller_name"] td').innerText()).toBe("Marisol");
    // Memories by type and source, the name's earlier version as history.
    expect(await page.locator('[data-group="factual/data_collection"]').innerText()).toContain("vegetarian");
    expect(await page.locator("[data-superseded]").count()).toBeGreaterThan(0);
    // Both calls, newest first, with the transcript's turns and the first call's recording.
    expect(await page.locator("[data-call]").evaluateAll((calls) => calls.map((c) => c.getAttribute("data-call")))).toEqual(["conv_dash_3", "conv_dash_1"]);
    const firstCall = page.locator('[data-call="conv_dash_1"]');
    await firstCall.getByText("Transcript").click();
    expect(await firstCall.locator('li[data-role="caller"]').first().innerText()).toContain("Marisol Quenby");
    const audioSrc = await firstCall.locator("audio").getAttribute("src");
    const audio = await page.evaluate(async (src) => {
      const response = await fetch(src ?? "");
      return { status: response.status, type: response.headers.get("content-type"), bytes: (await response.arrayBuffer()).byteLength };
    }, audioSrc);
    expect(audio).toMatchObject({ status: 200, type: "audio/mpeg" });
    expect(audio.bytes).toBeGreaterThan(0);
    await screenshot(page, "dashboard-caller");
    expect(await accessibilityViolations(browser, context, page.url())).toEqual([]);
  });

  it("exports a caller after a confirmation that names them, as one JSON download", async () => {
    await page.goto(`${server.baseUrl}/dashboard/callers/${encodeURIComponent(MARISOL)}`);
    await page.getByRole("link", { name: "Export…" }).click();
    await page.getByRole("heading", { name: new RegExp(`Export everything stored about Marisol \\(\\${MARISOL}\\)`) }).waitFor();
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: /Download the export of Marisol/ }).click()]);
    const document = JSON.parse(readFileSync(await download.path(), "utf8")) as { caller_id: string; memories: unknown[]; transcripts: unknown[]; audio: string[] };

    expect(download.suggestedFilename()).toBe(`caller-${MARISOL.slice(1)}.json`);
    expect(document.caller_id).toBe(MARISOL);
    expect(document.transcripts).toHaveLength(2);
    expect(document.audio).toHaveLength(1);
    expect(document.memories.length).toBeGreaterThan(0);
  });

  it("refuses an action from another origin or without the form's CSRF token", async () => {
    const cookies = await context.cookies();
    const cookie = cookies.map((c) => `${c.name}=${c.value}`).join("; ");
    const url = `${server.baseUrl}/dashboard/callers/${encodeURIComponent(SECOND)}/forget`;
    const form = { "content-type": "application/x-www-form-urlencoded", cookie };
    const withoutToken = await fetch(url, { method: "POST", headers: { ...form, origin: server.baseUrl }, body: `confirm=${encodeURIComponent(SECOND)}` });
    const crossSite = await fetch(url, { method: "POST", headers: { ...form, origin: "https://evil.example" }, body: `confirm=${encodeURIComponent(SECOND)}` });
    expect(withoutToken.status).toBe(403);
    expect(crossSite.status).toBe(403);
    expect(existsSync(join(server.dataDir, "archive", "transcripts", SECOND))).toBe(true);
  });

  it("forgets a caller after a confirmation that names them", async () => {
    await page.goto(`${server.baseUrl}/dashboard/callers/${encodeURIComponent(SECOND)}`);
    await page.getByRole("link", { name: "Forget…" }).click();
    await page.getByRole("heading", { name: new RegExp(`Forget .*\\${SECOND}`) }).waitFor();
    await page.getByRole("button", { name: new RegExp(`Forget .*\\${SECOND}`) }).click();
    await page.waitForURL(/forgotten=/);
    expect(await page.getByRole("status").first().innerText()).toContain("0182 is forgotten");

    await page.getByLabel("Find a caller by phone number (any format) or name").fill(SECOND);
    await page.keyboard.press("Enter");
    await page.waitForURL(/q=/);
    await expect.poll(() => page.locator("[data-callers=none]").count()).toBe(1);
    expect(existsSync(join(server.dataDir, "archive", "transcripts", SECOND))).toBe(false);
    const db = new Database(join(server.dataDir, "memories.db"), { readonly: true });
    expect((db.prepare("SELECT COUNT(*) AS n FROM memories WHERE user_id = ?").get(SECOND) as { n: number }).n).toBe(0);
    db.close();
    expect((await fetch(`${server.baseUrl}/dashboard/callers/${encodeURIComponent(SECOND)}`, { headers: { cookie: (await context.cookies()).map((c) => `${c.name}=${c.value}`).join("; ") } })).status).toBe(404);
  });

  it("shows the parked event with its reason and replays it once the archive can be written", async () => {
    await page.getByRole("link", { name: "Events" }).click();
    const row = page.locator('tr[data-event="post_call_transcription/conv_dash_4"]');
    await row.waitFor();
    expect(await row.innerText()).toMatch(/2 attempts failed/);

    rmSync(join(server.dataDir, "archive", "transcripts", PARKED)); // the operator fixed the disk
    await row.getByRole("button", { name: /Replay/ }).click();
    await page.waitForURL(/replayed=/);
    expect(await page.locator("[data-replay-status]").getAttribute("data-replay-status")).toBe("ingested");
    expect(await page.locator('tr[data-event="post_call_transcription/conv_dash_4"]').count()).toBe(0);
    expect(readdirSync(join(server.dataDir, "archive", "transcripts", PARKED))).toHaveLength(1);
    await screenshot(page, "dashboard-events");
  });

  it("fits a phone's screen and can be used from the keyboard", async () => {
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, storageState: await context.storageState() });
    const small = await phone.newPage();
    await small.goto(`${server.baseUrl}/dashboard`);
    const overflow = await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await phone.close();

    await page.goto(`${server.baseUrl}/dashboard/callers`);
    await page.keyboard.press("Tab"); // the skip link
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("q");
  });
});
