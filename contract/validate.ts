/**
 * The contract's referee: every answer the consumer gets is checked against
 * the OpenAPI document its types were generated from.
 *
 * Why here and not in each call: the check is an openapi-fetch middleware, so
 * no call can skip it, and it knows the operation from the templated path
 * openapi-fetch reports (`schemaPath`). The same document also says which
 * operations are anonymous, so a new public endpoint the consumer does not
 * call shows up as "uncovered" instead of being forgotten.
 */
import { readFileSync } from "node:fs";

import Ajv2020 from "ajv/dist/2020";
import type { ErrorObject, ValidateFunction } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import type { Middleware } from "openapi-fetch";

type Json = null | boolean | number | string | Json[] | JsonObject;
interface JsonObject {
  [key: string]: Json;
}

const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
/** Where the document's component schemas live for Ajv (a name, never fetched). */
const DEFS_ID = "urn:clinic-api:components";
const MAX_ERRORS_SHOWN = 6;

export interface Operation {
  id: string;
  method: string; // upper case, as in a Request
  path: string; // templated, e.g. /api/v3/services/{page_id}/
  anonymous: boolean;
  responses: JsonObject;
}

export interface Summary {
  anonymous_operations: string[];
  covered: string[];
  uncovered: string[];
  responses_validated: number;
  failures: string[];
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Keys whose value maps names to schemas (the names are data, not keywords). */
const NAME_MAPS = new Set(["properties", "patternProperties", "$defs", "dependentSchemas"]);

/**
 * A schema as Ajv needs it: `#/components/schemas/X` pointed at Ajv's copy of
 * the components, and OpenAPI's `x-…` extensions (annotations JSON Schema does
 * not know, which Ajv's strict mode refuses) left out. Property *names* that
 * start with `x-` are kept.
 */
function forAjv(value: Json, namesHere = false): Json {
  if (Array.isArray(value)) return value.map((item) => forAjv(item));
  if (!isObject(value)) return value;
  const copy: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (!namesHere && key.startsWith("x-")) continue;
    if (!namesHere && key === "$ref" && typeof item === "string" && item.startsWith("#/components/schemas/")) {
      copy[key] = `${DEFS_ID}#/$defs/${item.slice("#/components/schemas/".length)}`;
    } else {
      copy[key] = forAjv(item, !namesHere && NAME_MAPS.has(key));
    }
  }
  return copy;
}

/** An operation is anonymous when one of its security requirements is `{}`. */
function isAnonymous(operation: JsonObject, document: JsonObject): boolean {
  const requirements = operation.security ?? document.security;
  if (!Array.isArray(requirements) || requirements.length === 0) return true;
  return requirements.some((item) => isObject(item) && Object.keys(item).length === 0);
}

function mediaTypeOf(contentType: string | null): string {
  return (contentType ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}

function isJsonMediaType(mediaType: string): boolean {
  return mediaType === "application/json" || mediaType.endsWith("+json");
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  const list = errors ?? [];
  const lines = list.slice(0, MAX_ERRORS_SHOWN).map((error) => {
    const where = error.instancePath === "" ? "(the whole payload)" : error.instancePath;
    return `    at ${where}: ${error.message ?? "invalid"} ${JSON.stringify(error.params)} [schema ${error.schemaPath}]`;
  });
  if (list.length > MAX_ERRORS_SHOWN) lines.push(`    … and ${list.length - MAX_ERRORS_SHOWN} more`);
  return lines.join("\n");
}

export class Contract {
  readonly operations = new Map<string, Operation>(); // by `${METHOD} ${path}`
  private readonly covered = new Set<string>();
  private readonly failures: string[] = [];
  private validated = 0;
  private readonly ajv: Ajv2020;
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly document: JsonObject) {
    // Diagnostics about the schemas themselves go to stderr: stdout is the summary.
    const logger = { log: console.error, warn: console.error, error: console.error };
    this.ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false, logger });
    addFormats(this.ajv);
    // OpenAPI's own annotations, which JSON Schema 2020-12 does not know.
    this.ajv.addVocabulary(["discriminator", "example", "xml", "externalDocs"]);
    const components = isObject(document.components) ? document.components : {};
    const schemas = isObject(components.schemas) ? components.schemas : {};
    this.ajv.addSchema({ $id: DEFS_ID, $defs: forAjv(schemas, true) });
    const paths = isObject(document.paths) ? document.paths : {};
    for (const [path, item] of Object.entries(paths)) {
      if (!isObject(item)) continue;
      for (const method of METHODS) {
        const operation = item[method];
        if (!isObject(operation)) continue;
        const id = typeof operation.operationId === "string" ? operation.operationId : `${method} ${path}`;
        const responses = isObject(operation.responses) ? operation.responses : {};
        this.operations.set(`${method.toUpperCase()} ${path}`, {
          id,
          method: method.toUpperCase(),
          path,
          anonymous: isAnonymous(operation, document),
          responses,
        });
      }
    }
  }

  static fromFile(file: string): Contract {
    return new Contract(JSON.parse(readFileSync(file, "utf-8")) as JsonObject);
  }

  fail(message: string): void {
    this.failures.push(message);
  }

  /** An object, following a `$ref` to `#/components/…` (responses, headers). */
  private resolve(value: Json | undefined): JsonObject | undefined {
    if (!isObject(value)) return undefined;
    const ref = value.$ref;
    if (typeof ref !== "string") return value;
    let target: Json | undefined = this.document;
    for (const part of ref.replace(/^#\//, "").split("/")) {
      target = isObject(target) ? target[part.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined;
    }
    return isObject(target) ? target : undefined;
  }

  private validator(key: string, schema: Json): ValidateFunction {
    let validate = this.validators.get(key);
    if (validate === undefined) {
      validate = this.ajv.compile(forAjv(schema) as object);
      this.validators.set(key, validate);
    }
    return validate;
  }

  /** Check one answer; failures are recorded, never thrown, so every call is checked. */
  async check(method: string, schemaPath: string, url: string, response: Response): Promise<void> {
    const operation = this.operations.get(`${method} ${schemaPath}`);
    const call = `${method} ${new URL(url).pathname}${new URL(url).search}`;
    if (operation === undefined) {
      this.fail(`${call}: the document has no operation ${method} ${schemaPath}`);
      return;
    }
    const name = `${operation.id} (${call})`;
    const status = String(response.status);
    const documented =
      this.resolve(operation.responses[status]) ??
      this.resolve(operation.responses[`${status[0] ?? ""}XX`]) ??
      this.resolve(operation.responses.default);
    if (documented === undefined) {
      const listed = Object.keys(operation.responses).join(", ");
      this.fail(`${name} answered ${status}, which the document does not list (documented: ${listed})`);
      return;
    }
    if (response.status < 400) this.covered.add(operation.id);
    this.validated += 1;
    const headers = isObject(documented.headers) ? documented.headers : {};
    for (const [header, spec] of Object.entries(headers)) {
      const resolved = this.resolve(spec);
      if (resolved?.required === true && !response.headers.has(header)) {
        this.fail(`${name} answered ${status} without its required header ${header}`);
      }
    }
    const content = isObject(documented.content) ? documented.content : {};
    const body = await response.text();
    const mediaType = mediaTypeOf(response.headers.get("Content-Type"));
    if (Object.keys(content).length === 0) {
      if (body.trim() !== "" && isJsonMediaType(mediaType)) {
        this.fail(`${name} answered ${status} with a ${mediaType} body the document does not describe`);
      }
      return;
    }
    const media = this.resolve(content[mediaType]);
    if (media === undefined) {
      const listed = Object.keys(content).join(", ");
      this.fail(`${name} answered ${status} as "${mediaType}", the document lists ${listed}`);
      return;
    }
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      this.fail(`${name} answered ${status} ${mediaType} that is not JSON: ${body.slice(0, 200)}`);
      return;
    }
    const schema = media.schema;
    if (schema === undefined) return;
    let validate: ValidateFunction;
    try {
      validate = this.validator(`${operation.id} ${status} ${mediaType}`, schema);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.fail(`${name}: the schema of its ${status} ${mediaType} answer cannot be compiled: ${why}`);
      return;
    }
    if (!validate(payload)) {
      this.fail(`${name} answered ${status} ${mediaType} that does not match its schema:\n${describeErrors(validate.errors)}`);
    }
  }

  /** The openapi-fetch middleware that sends every answer through `check`. */
  middleware(): Middleware {
    return {
      onResponse: async ({ request, response, schemaPath }) => {
        await this.check(request.method, schemaPath, request.url, response.clone());
        return undefined;
      },
    };
  }

  summary(): Summary {
    const anonymous = [...this.operations.values()].filter((op) => op.anonymous).map((op) => op.id);
    return {
      anonymous_operations: anonymous.sort(),
      covered: [...this.covered].sort(),
      uncovered: anonymous.filter((id) => !this.covered.has(id)).sort(),
      responses_validated: this.validated,
      failures: [...this.failures],
    };
  }
}
