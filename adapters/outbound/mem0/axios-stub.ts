/**
 * Stand-in for `axios` in the Lambda bundles (esbuild `alias: { axios: <this file> }`).
 *
 * `mem0ai` 3.x imports axios only to build an instance in the `MemoryClient` constructor that none of
 * the methods the Mem0 store calls ever use (they all go through `_fetchRawJson`, which ours sends over
 * node:http: mem0-http-client.ts). Aliasing it away keeps about 250 KB of axios, form-data and
 * mime-db out of every bundle; a call that did reach the instance would fail at once ("is not a
 * function") rather than send anything.
 */
const axios = {
  create: (): Record<string, never> => ({}),
};

export default axios;
