import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** How long a login lasts. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** The shortest `DASHBOARD_TOKEN` accepted: it is the only thing between a browser and every caller's data. */
const MIN_TOKEN_LENGTH = 16;

/** A fresh token for a run without `DASHBOARD_TOKEN`: 32 random bytes, printed once. */
export const generateDashboardToken = (): string => `dash_${randomBytes(32).toString("base64url")}`;

/**
 * Sessions and CSRF tokens derived from the dashboard token, so nothing is kept on the server and
 * changing the token ends every session. A session cookie is `<issued-at ms>.<mac>`; a form's CSRF
 * token is a MAC of the session it was rendered for, so a form from one login is refused in another.
 */
export class DashboardAuth {
  private readonly key: Buffer;
  private readonly tokenDigest: Buffer;

  constructor(token: string) {
    if (token.length < MIN_TOKEN_LENGTH) throw new Error(`the dashboard token must be at least ${MIN_TOKEN_LENGTH} characters`);
    this.key = createHmac("sha256", token).update("agentic-memory dashboard").digest();
    this.tokenDigest = createHash("sha256").update(token).digest();
  }

  /** Whether `candidate` is the token, compared in constant time. */
  tokenMatches(candidate: string): boolean {
    return timingSafeEqual(createHash("sha256").update(candidate).digest(), this.tokenDigest);
  }

  newSession(nowMs: number): string {
    const issued = String(nowMs);
    return `${issued}.${this.mac(`session:${issued}`)}`;
  }

  /** Whether a session cookie was issued by this token and has not expired. */
  sessionValid(session: string | undefined, nowMs: number): boolean {
    if (session === undefined) return false;
    const dot = session.indexOf(".");
    if (dot <= 0) return false;
    const issued = session.slice(0, dot);
    const issuedMs = Number(issued);
    if (!/^\d{1,16}$/.test(issued) || nowMs - issuedMs > SESSION_TTL_MS || issuedMs > nowMs + 60_000) return false;
    return this.equal(session.slice(dot + 1), this.mac(`session:${issued}`));
  }

  csrfToken(session: string): string {
    return this.mac(`csrf:${session}`);
  }

  csrfValid(session: string, candidate: string | undefined): boolean {
    return candidate !== undefined && this.equal(candidate, this.csrfToken(session));
  }

  private mac(text: string): string {
    return createHmac("sha256", this.key).update(text).digest("base64url");
  }

  private equal(a: string, b: string): boolean {
    const left = Buffer.from(a);
    const right = Buffer.from(b);
    return left.length === right.length && timingSafeEqual(left, right);
  }
}
