import { buildCallerProfile, type CallerProfile } from "../../../domain/caller-profile";
import { decodeProfile, encodeProfile } from "../../outbound/caller-profile-document";
import { toMem0Record } from "../../outbound/mem0/mem0-records";
import { REHEARSAL_CALLER_ID } from "../../rehearsal-caller";
import { REHEARSAL_MEM0_PAGE } from "./rehearsal";

// Beside rehearsal.ts, not in it: retrieve, which keeps no caller profiles, imports that one and
// would then carry the profile document's schema too.

/**
 * What a caller profile's rebuild and read do, on the memories of {@link REHEARSAL_MEM0_PAGE}: the
 * profile built (the name, the summary, the fenced notes), then stored and read back as the S3
 * document (its schema both ways). Returns the profile read back, for its test; the functions discard it.
 */
export function* rehearseProfiles(): Generator<void, CallerProfile | null> {
  const memories = REHEARSAL_MEM0_PAGE.results.flatMap((item) => toMem0Record(item, REHEARSAL_CALLER_ID)?.memory ?? []);
  const profile = buildCallerProfile(
    { callerId: REHEARSAL_CALLER_ID, recent: memories, nameStatements: memories.slice(0, 1), memoryCount: memories.length, language: "en", lastCallLanguage: "en", now: "2026-01-01T12:05:00.000Z" },
    { summaryMaxChars: 300, contextBudgetChars: 2000 },
  );
  yield;
  return decodeProfile(encodeProfile(profile), REHEARSAL_CALLER_ID);
}
