/**
 * Constant-time comparison of shared secrets (the `X-Workspace-Key` header against the configured key).
 */
import { createHash, timingSafeEqual } from "node:crypto";

const digest = (text: string): Buffer => createHash("sha256").update(text, "utf8").digest();

/**
 * True when `presented` equals `expected`, compared in constant time.
 *
 * Both sides are hashed with SHA-256 first, so the comparison always runs over 32 equal-length bytes and
 * neither the contents nor the length of the expected secret leak through an early exit. An empty
 * `expected` never matches anything (not even an empty `presented`): an unset key must not open the door.
 *
 * @example
 * constantTimeEqual(request.headers["x-workspace-key"] ?? "", config.workspaceKey); // true only for the exact key
 * constantTimeEqual("", "");                                                       // false: no key configured
 */
export function constantTimeEqual(presented: string, expected: string): boolean {
  if (expected === "") return false;
  return timingSafeEqual(digest(presented), digest(expected));
}
