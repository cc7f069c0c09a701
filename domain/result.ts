import type { DomainError } from "./domain-error";

/** An expected outcome: either a value or a {@link DomainError}. Unexpected failures are thrown. */
export type Result<T, E = DomainError> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const err = <E>(error: E): Result<never, E> => ({ ok: false, error });
