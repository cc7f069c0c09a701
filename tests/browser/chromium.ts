import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

/**
 * Debian's Chromium (`.ci/run` installs it when missing), or `CHROMIUM_PATH`. playwright-core never
 * downloads a browser: operators' and CI machines may have no internet.
 */
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Whether the browser tests can run here; under CI they must (a missing browser fails them, never skips). */
export const chromiumAvailable = existsSync(CHROMIUM_PATH) || process.env.CI === "true";

/**
 * Headless Chromium with the flags this machine's closed network needs: no background connections
 * (refused here, and slow to time out), a fresh profile, no sandbox when run as root.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}
