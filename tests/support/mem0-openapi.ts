import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import addFormats from "ajv-formats";
import { OpenAPIBackend, type Operation } from "openapi-backend";

/**
 * A check of HTTP exchanges against Mem0's published OpenAPI 3.0.1 document
 * (`docs/reference/mem0/openapi.json`), built on `openapi-backend` (routing, parameter and body
 * validation with Ajv 8) and `ajv-formats` (uuid, date-time, date, uri, email: openapi-backend only
 * registers the OpenAPI-specific formats such as `float`, which it treats as a plain number).
 *
 * For each exchange it reports, as plain sentences (none = conforms):
 * - the request: method + path must match an operation of the document (exact path, trailing slash
 *   included); path and query parameters (unknown query parameters are problems) and the JSON body
 *   must fit that operation; top-level body fields the operation's schema does not declare are
 *   problems too (the document leaves `additionalProperties` open, but the v3 API refuses unknown
 *   parameters such as `org_id`);
 * - the response: its status must be one the operation documents, or one allow-listed below with
 *   the reason; the body must fit the schema of that status when the document gives one, and must
 *   at least be a JSON object otherwise.
 *
 * Where the document is incomplete or not usable as it stands, the validator changes it in exactly
 * the ways listed in {@link DOCUMENT_ADDITIONS} and {@link normalizeSchemas}, each with its reason.
 */
export interface RecordedExchange {
  readonly method: string;
  /** URL path as sent (percent-encoded). */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Parsed JSON request body; undefined when none was sent. */
  readonly body: unknown;
  readonly response?: { readonly status: number; readonly body: unknown };
}

export interface Mem0ContractValidator {
  /** Problems with the request and the response together. */
  validateExchange(exchange: RecordedExchange): string[];
  validateRequest(exchange: RecordedExchange): string[];
  validateResponse(exchange: RecordedExchange): string[];
}

export interface Mem0ContractValidatorOptions {
  /** Where the OpenAPI document is; default `$MEM0_OPENAPI_PATH`, else the copy in `docs/reference/mem0/openapi.json`. */
  documentPath?: string;
}

/** Statuses the document does not list for an operation that our stand-in (and Mem0) answer anyway. */
const UNDOCUMENTED_STATUSES: readonly { method: string; path: string; status: number; reason: string }[] = [
  {
    method: "*",
    path: "*",
    status: 401,
    reason: "every Mem0 endpoint refuses a missing or wrong `Authorization: Token` key; the document lists 401 on a few operations only",
  },
  { method: "*", path: "*", status: 429, reason: "rate limiting: injected by the stand-in's failNext (Mem0 rate-limits every endpoint)" },
  {
    method: "*",
    path: "*",
    status: 500,
    reason: "server error: injected by the stand-in's failNext; also Mem0's documented MEM-5746 (a `keywords` filter on search answers 500)",
  },
  {
    method: "DELETE",
    path: "/v2/entities/{entity_type}/{entity_id}/",
    status: 404,
    reason: "no entity of that name: the document lists no 404 here; this is the assumption the store is tested against",
  },
  {
    method: "DELETE",
    path: "/v1/memories/",
    status: 400,
    reason: "the operation's own description says a delete without any filter is a validation error, but only 200 is listed",
  },
];

/**
 * What the document lacks but the `mem0ai` client sends, or the Platform pages document, added to the
 * operations before validating (each as an ordinary parameter or body property, so its type is checked).
 */
const DOCUMENT_ADDITIONS: readonly {
  method: string;
  path: string;
  query?: Record<string, object>;
  body?: Record<string, object>;
  reason: string;
}[] = [
  {
    method: "get",
    path: "/v1/entities/",
    query: { page: { type: "integer", minimum: 1 }, page_size: { type: "integer", minimum: 1 } },
    reason: "mem0ai's users() sends page/page_size and the response is a paged envelope, but the document lists no such parameters",
  },
  {
    method: "post",
    path: "/v3/memories/search/",
    body: { output_format: { type: "string" }, latest_only: { type: "boolean" }, include_merged: { type: "boolean" } },
    reason: "mem0ai's search() always sends output_format: \"v1.1\"; latest_only / include_merged are the read modes of dream.mdx",
  },
  {
    method: "post",
    path: "/v3/memories/",
    body: { latest_only: { type: "boolean" }, include_merged: { type: "boolean" } },
    reason: "latest_only / include_merged are the read modes of dream.mdx (get_all), missing from the document",
  },
];

/** Build the validator from the published document. */
export async function createMem0ContractValidator(options: Mem0ContractValidatorOptions = {}): Promise<Mem0ContractValidator> {
  const path = options.documentPath ?? defaultDocumentPath();
  const definition = JSON.parse(await readFile(path, "utf8")) as Record<string, unknown>;
  normalizeSchemas(definition);
  addToDocument(definition);

  const api = new OpenAPIBackend({
    definition: definition as never,
    strict: true,
    quick: false,
    validate: true,
    // The document's paths end in "/", and openapi-backend's slash-stripping would stop them matching.
    ignoreTrailingSlashes: false,
    // Report every problem of an exchange, not only the first.
    ajvOpts: { allErrors: true },
    customizeAjv: (ajv) => {
      // Formats only: the formatMinimum-style keywords would mix ajv-formats' own Ajv copy into this one.
      addFormats(ajv as never, { keywords: false });
      return ajv;
    },
  });
  await api.init();

  const operationOf = (exchange: RecordedExchange): Operation | undefined =>
    api.router.matchOperation({ method: exchange.method, path: exchange.path, headers: {}, query: { ...exchange.query } });

  const label = (exchange: RecordedExchange) => `${exchange.method.toUpperCase()} ${exchange.path}`;

  function validateRequest(exchange: RecordedExchange): string[] {
    const operation = operationOf(exchange);
    if (operation === undefined) return [`${label(exchange)}: no operation in the Mem0 OpenAPI document for this method and path`];
    if (operation.operationId === undefined) return [`${label(exchange)}: the document's operation has no operationId to validate against`];
    const problems: string[] = [];
    const result = api.validateRequest(
      {
        method: exchange.method,
        path: exchange.path,
        query: { ...exchange.query },
        headers: exchange.body === undefined ? {} : { "content-type": "application/json" },
        ...(exchange.body === undefined ? {} : { body: exchange.body as never }),
      },
      operation.operationId,
    );
    for (const error of result.errors ?? []) problems.push(`${label(exchange)} request: ${describe(error, "request")}`);

    const schema = requestBodySchema(operation);
    if (schema?.properties !== undefined && schema.additionalProperties === undefined && isObject(exchange.body)) {
      for (const field of Object.keys(exchange.body)) {
        if (!(field in schema.properties)) {
          problems.push(`${label(exchange)} request: body field '${field}' is not declared by ${operation.operationId} in the document`);
        }
      }
    }
    return problems;
  }

  function validateResponse(exchange: RecordedExchange): string[] {
    const operation = operationOf(exchange);
    if (operation?.operationId === undefined) return [];
    const where = `${label(exchange)} → ${exchange.response?.status ?? "no response"}`;
    const response = exchange.response;
    if (response === undefined) return [`${where}: no response was recorded`];
    const documented = (operation.responses ?? {}) as Record<string, { content?: Record<string, { schema?: unknown }> }>;
    const declared = documented[String(response.status)] ?? documented[`${Math.floor(response.status / 100)}XX`] ?? documented.default;
    if (declared === undefined) {
      const allowed = UNDOCUMENTED_STATUSES.find(
        (a) => (a.method === "*" || a.method === operation.method.toUpperCase()) && (a.path === "*" || a.path === operation.path) && a.status === response.status,
      );
      if (allowed === undefined) return [`${where}: the document lists no ${response.status} for ${operation.operationId} (documented: ${Object.keys(documented).join(", ")})`];
      return isObject(response.body) ? [] : [`${where}: an allow-listed ${response.status} must still answer a JSON object`];
    }
    if (declared.content?.["application/json"]?.schema === undefined) {
      return isObject(response.body) ? [] : [`${where}: the body must be a JSON object`];
    }
    const result = api.validateResponse(response.body, operation.operationId as string, response.status);
    return (result.errors ?? []).map((error) => `${where} response: ${describe(error, "response")}`);
  }

  return {
    validateRequest,
    validateResponse,
    validateExchange: (exchange) => [...validateRequest(exchange), ...validateResponse(exchange)],
  };
}

function defaultDocumentPath(): string {
  const candidates = [
    process.env.MEM0_OPENAPI_PATH,
    fileURLToPath(new URL("../../docs/reference/mem0/openapi.json", import.meta.url)),
  ].filter((p): p is string => typeof p === "string" && p !== "");
  const found = candidates.find((p) => existsSync(p));
  if (found === undefined) throw new Error(`Mem0 OpenAPI document not found (looked at ${candidates.join(", ")}); set MEM0_OPENAPI_PATH`);
  return found;
}

/**
 * Make the document's schemas compile under Ajv 8, keeping their meaning:
 * - OpenAPI 3.0's `nullable: true` is honoured by Ajv only beside a `type`. Without one, a schema with
 *   no other constraint already accepts null (the keyword is dropped), and one with `oneOf` / `anyOf`
 *   (search's `reference_date`) gets a null alternative.
 * - A `oneOf` whose alternatives include both `integer` and `number` (again `reference_date`) can never
 *   hold for an integer, which matches both; it is read as the `anyOf` it plainly means.
 */
function normalizeSchemas(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) normalizeSchemas(item);
    return;
  }
  if (!isObject(node)) return;
  for (const value of Object.values(node)) normalizeSchemas(value);
  if (Array.isArray(node.oneOf)) {
    const types = node.oneOf.map((s) => (isObject(s) ? s.type : undefined));
    if (types.includes("integer") && types.includes("number")) {
      node.anyOf = node.oneOf;
      delete node.oneOf;
    }
  }
  if (node.nullable === true && node.type === undefined) {
    delete node.nullable;
    const key = Array.isArray(node.oneOf) ? "oneOf" : Array.isArray(node.anyOf) ? "anyOf" : undefined;
    if (key !== undefined) {
      const alternatives = node[key] as unknown[];
      delete node[key];
      node.anyOf = [{ [key]: alternatives }, { enum: [null] }];
    }
  }
}

function addToDocument(definition: Record<string, unknown>): void {
  const paths = definition.paths as Record<string, Record<string, Record<string, unknown>>>;
  for (const addition of DOCUMENT_ADDITIONS) {
    const operation = paths[addition.path]?.[addition.method];
    if (operation === undefined) throw new Error(`Mem0 OpenAPI document: no ${addition.method} ${addition.path} to add to`);
    const parameters = (operation.parameters ??= []) as Record<string, unknown>[];
    for (const [name, schema] of Object.entries(addition.query ?? {})) {
      if (!parameters.some((p) => p.name === name && p.in === "query")) parameters.push({ name, in: "query", schema, description: addition.reason });
    }
    if (addition.body !== undefined) {
      const schema = (operation.requestBody as { content: Record<string, { schema: { properties: Record<string, unknown> } }> }).content["application/json"]?.schema;
      if (schema === undefined) throw new Error(`Mem0 OpenAPI document: ${addition.method} ${addition.path} has no JSON body`);
      for (const [name, property] of Object.entries(addition.body)) schema.properties[name] ??= { ...property, description: addition.reason };
    }
  }
}

function requestBodySchema(operation: Operation): { properties?: Record<string, unknown>; additionalProperties?: unknown } | undefined {
  const body = operation.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined;
  const schema = body?.content?.["application/json"]?.schema;
  return isObject(schema) ? (schema as { properties?: Record<string, unknown>; additionalProperties?: unknown }) : undefined;
}

interface AjvError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** An Ajv error as a sentence: `body.query must NOT have fewer than 1 characters`. */
function describe(error: AjvError, side: "request" | "response"): string {
  const segments = error.instancePath.split("/").slice(1).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  let where: string;
  if (side === "request") {
    const [section, ...rest] = segments;
    const name = { requestBody: "body", query: "query parameter", path: "path parameter" }[section ?? ""] ?? section ?? "request";
    where = rest.length === 0 ? name : section === "requestBody" ? `body.${dotted(rest)}` : `${name} ${dotted(rest)}`;
  } else {
    where = segments.length === 0 ? "body" : `body.${dotted(segments)}`;
  }
  const extra =
    error.keyword === "additionalProperties"
      ? ` ('${String(error.params.additionalProperty)}')`
      : error.keyword === "enum"
        ? ` (${JSON.stringify(error.params.allowedValues)})`
        : "";
  return `${where} ${error.message ?? error.keyword}${extra}`;
}

function dotted(segments: string[]): string {
  return segments.map((s, i) => (/^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`)).join("");
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
