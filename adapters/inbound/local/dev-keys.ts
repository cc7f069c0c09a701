import { randomBytes } from "node:crypto";
import { join } from "node:path";
import { readFileOrNull, writeFileAtomic } from "../../outbound/embedded/atomic-file";

export interface DevKeys {
  readonly workspaceKey: string;
  readonly hmacKey: string;
}

/**
 * Keys for a laptop run when none are configured: generated once, kept in `DATA_DIR/dev-keys.json`
 * (mode 0600) so they stay the same across restarts. `created` says whether they are new.
 */
export async function loadOrCreateDevKeys(dataDir: string): Promise<DevKeys & { readonly created: boolean; readonly path: string }> {
  const path = join(dataDir, "dev-keys.json");
  const existing = await readFileOrNull(path);
  if (existing !== null) {
    const parsed = JSON.parse(existing.toString("utf8")) as Partial<DevKeys>;
    if (typeof parsed.workspaceKey === "string" && typeof parsed.hmacKey === "string") {
      return { workspaceKey: parsed.workspaceKey, hmacKey: parsed.hmacKey, created: false, path };
    }
  }
  const keys: DevKeys = { workspaceKey: `dev_ws_${randomBytes(18).toString("base64url")}`, hmacKey: `dev_whsec_${randomBytes(24).toString("base64url")}` };
  await writeFileAtomic(path, `${JSON.stringify(keys, null, 2)}\n`);
  const { chmod } = await import("node:fs/promises");
  await chmod(path, 0o600);
  return { ...keys, created: true, path };
}

/**
 * The dashboard token for a laptop run without `DASHBOARD_TOKEN`: generated once, kept in
 * `DATA_DIR/dashboard-token` (mode 0600) so a browser stays signed in across restarts.
 */
export async function loadOrCreateDashboardToken(dataDir: string, generate: () => string): Promise<{ readonly token: string; readonly created: boolean; readonly path: string }> {
  const path = join(dataDir, "dashboard-token");
  const existing = (await readFileOrNull(path))?.toString("utf8").trim();
  if (existing !== undefined && existing.length >= 16) return { token: existing, created: false, path };
  const token = generate();
  await writeFileAtomic(path, `${token}\n`);
  const { chmod } = await import("node:fs/promises");
  await chmod(path, 0o600);
  return { token, created: true, path };
}
