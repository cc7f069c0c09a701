/**
 * Expected failures of the domain. Each has a stable `code` that adapters map to an HTTP status,
 * and, where one input field is to blame, the `field` so the error message can name it.
 *
 * @example
 * return err(new DomainError("INVALID_CALLER_ID", "caller_id is not a phone number", { field: "caller_id" }));
 */
export type DomainErrorCode =
  | "WORKSPACE_KEY_INVALID"
  | "INVALID_CALLER_ID"
  | "INVALID_PAYLOAD"
  | "UNSUPPORTED_EVENT"
  | "TOO_MANY_FACTS"
  | "SIGNATURE_MISSING"
  | "SIGNATURE_MALFORMED"
  | "SIGNATURE_STALE"
  | "SIGNATURE_FROM_FUTURE"
  | "SIGNATURE_MISMATCH";

export class DomainError extends Error {
  override readonly name = "DomainError";
  readonly code: DomainErrorCode;
  readonly field: string | undefined;

  constructor(code: DomainErrorCode, message: string, options: { field?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.field = options.field;
  }
}
