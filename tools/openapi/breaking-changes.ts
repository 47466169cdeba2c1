/**
 * Which changes between two OpenAPI 3 documents would break a client written against the first one. Pure: two
 * parsed documents in, a list of sentences out (empty when the change is safe).
 *
 * Breaking: a removed operation or success response; a newly required parameter; in a request body a removed field
 * (the service refuses unknown fields), a newly required one, a changed type, fewer enum values or tighter bounds; in
 * a response a removed or no longer required field, a changed type, a value that may now be null, or more enum
 * values (a client switching on them meets one it does not know). Additions elsewhere are safe.
 */

type Json = Record<string, unknown>;

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

/** Bounds a request may not tighten: for each, whether a larger value is tighter. */
const REQUEST_BOUNDS: Record<string, boolean> = {
  minimum: true,
  exclusiveMinimum: true,
  minLength: true,
  minItems: true,
  minProperties: true,
  maximum: false,
  exclusiveMaximum: false,
  maxLength: false,
  maxItems: false,
  maxProperties: false,
};

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Follows a local `$ref` (`#/components/...`) to what it names. */
function resolve(doc: Json, node: unknown, depth = 0): Json {
  if (!isObject(node)) return {};
  const ref = node.$ref;
  if (typeof ref !== 'string' || depth > 20) return node;
  let target: unknown = doc;
  for (const part of ref.replace(/^#\//, '').split('/')) {
    target = isObject(target)
      ? target[part.replace(/~1/g, '/').replace(/~0/g, '~')]
      : undefined;
  }
  return resolve(doc, target, depth + 1);
}

/** A schema's types as a sorted list ("integer" counts as a "number"), with whether it allows null. */
function typesOf(schema: Json): { types: string[]; nullable: boolean } {
  const raw = Array.isArray(schema.type)
    ? (schema.type as string[])
    : typeof schema.type === 'string'
      ? [schema.type]
      : [];
  const nullable = schema.nullable === true || raw.includes('null');
  const types = [...new Set(raw.filter((t) => t !== 'null'))].sort();
  return { types, nullable };
}

interface Side {
  readonly doc: Json;
  readonly schema: Json;
}

type Direction = 'request' | 'response';

function compareSchemas(
  before: Side,
  after: Side,
  direction: Direction,
  at: string,
  out: string[],
  seen: Set<string>,
): void {
  const a = resolve(before.doc, before.schema);
  const b = resolve(after.doc, after.schema);
  // A pair of named schemas is compared once (recursive schemas would otherwise never end).
  const refA = before.schema.$ref;
  const refB = after.schema.$ref;
  if (typeof refA === 'string' && typeof refB === 'string') {
    const key = `${direction}|${refA}|${refB}`;
    if (seen.has(key)) return;
    seen.add(key);
  }

  const ta = typesOf(a);
  const tb = typesOf(b);
  const numeric = (t: string[]) =>
    t.map((x) => (x === 'integer' ? 'number' : x));
  if (ta.types.length > 0 && tb.types.length > 0) {
    const lost = numeric(ta.types).filter(
      (t) => !numeric(tb.types).includes(t),
    );
    const gained = numeric(tb.types).filter(
      (t) => !numeric(ta.types).includes(t),
    );
    if (
      direction === 'request' &&
      (lost.length > 0 ||
        (tb.types.includes('integer') &&
          ta.types.includes('number') &&
          !tb.types.includes('number')))
    )
      out.push(
        `${at}: type narrowed from ${ta.types.join('|')} to ${tb.types.join('|')}`,
      );
    if (direction === 'response' && gained.length > 0)
      out.push(
        `${at}: type changed from ${ta.types.join('|')} to ${tb.types.join('|')}`,
      );
  }
  if (direction === 'request' && ta.nullable && !tb.nullable)
    out.push(`${at}: no longer accepts null`);
  if (direction === 'response' && !ta.nullable && tb.nullable)
    out.push(`${at}: may now be null`);

  const enumA = Array.isArray(a.enum) ? (a.enum as unknown[]) : undefined;
  const enumB = Array.isArray(b.enum) ? (b.enum as unknown[]) : undefined;
  if (direction === 'request' && enumB) {
    const removed = (enumA ?? []).filter((v) => !enumB.includes(v));
    if (!enumA) out.push(`${at}: now limited to ${JSON.stringify(enumB)}`);
    else if (removed.length > 0)
      out.push(`${at}: no longer accepts ${JSON.stringify(removed)}`);
  }
  if (direction === 'response' && enumA) {
    const added = (enumB ?? ['(any value)']).filter((v) => !enumA.includes(v));
    if (added.length > 0)
      out.push(`${at}: may now be ${JSON.stringify(added)}`);
  }

  if (direction === 'request') {
    for (const [bound, largerIsTighter] of Object.entries(REQUEST_BOUNDS)) {
      const va = a[bound];
      const vb = b[bound];
      if (typeof vb !== 'number') continue;
      const tighter =
        typeof va !== 'number' || (largerIsTighter ? vb > va : vb < va);
      if (tighter)
        out.push(
          `${at}: ${bound} tightened from ${typeof va === 'number' ? va : 'none'} to ${vb}`,
        );
    }
  }

  const propsA = isObject(a.properties) ? a.properties : {};
  const propsB = isObject(b.properties) ? b.properties : {};
  const reqA = new Set(
    Array.isArray(a.required) ? (a.required as string[]) : [],
  );
  const reqB = new Set(
    Array.isArray(b.required) ? (b.required as string[]) : [],
  );
  for (const name of Object.keys(propsA)) {
    const path = `${at}.${name}`;
    if (!(name in propsB)) {
      out.push(
        direction === 'request'
          ? `${path}: field removed (clients sending it are refused)`
          : `${path}: field removed`,
      );
      continue;
    }
    if (direction === 'response' && reqA.has(name) && !reqB.has(name))
      out.push(`${path}: no longer always present`);
    compareSchemas(
      { doc: before.doc, schema: propsA[name] as Json },
      { doc: after.doc, schema: propsB[name] as Json },
      direction,
      path,
      out,
      seen,
    );
  }
  if (direction === 'request') {
    for (const name of reqB) {
      if (!reqA.has(name)) out.push(`${at}.${name}: newly required`);
    }
  }
  if (a.items !== undefined && b.items !== undefined) {
    compareSchemas(
      { doc: before.doc, schema: a.items as Json },
      { doc: after.doc, schema: b.items as Json },
      direction,
      `${at}[]`,
      out,
      seen,
    );
  }
  if (isObject(a.additionalProperties) && isObject(b.additionalProperties)) {
    compareSchemas(
      { doc: before.doc, schema: a.additionalProperties },
      { doc: after.doc, schema: b.additionalProperties },
      direction,
      `${at}{}`,
      out,
      seen,
    );
  }
}

function jsonSchemaOf(doc: Json, holder: unknown): Json | undefined {
  const content = resolve(doc, holder).content;
  if (!isObject(content)) return undefined;
  const media = content['application/json'];
  return isObject(media) && isObject(media.schema) ? media.schema : undefined;
}

function parametersOf(doc: Json, operation: Json): Map<string, Json> {
  const params = new Map<string, Json>();
  for (const p of Array.isArray(operation.parameters)
    ? operation.parameters
    : []) {
    const param = resolve(doc, p);
    params.set(`${String(param.in)} ${String(param.name)}`, param);
  }
  return params;
}

export function breakingChanges(previous: Json, next: Json): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const pathsA = isObject(previous.paths) ? previous.paths : {};
  const pathsB = isObject(next.paths) ? next.paths : {};
  for (const [path, itemA] of Object.entries(pathsA)) {
    for (const method of METHODS) {
      const opA = isObject(itemA) ? itemA[method] : undefined;
      if (!isObject(opA)) continue;
      const itemB = pathsB[path];
      const opB = isObject(itemB) ? itemB[method] : undefined;
      const op = `${method.toUpperCase()} ${path}`;
      if (!isObject(opB)) {
        out.push(`${op}: operation removed`);
        continue;
      }
      const paramsA = parametersOf(previous, opA);
      for (const [key, param] of parametersOf(next, opB)) {
        const before = paramsA.get(key);
        if (param.required === true && before?.required !== true)
          out.push(`${op}: parameter ${key} newly required`);
        if (before && isObject(before.schema) && isObject(param.schema))
          compareSchemas(
            { doc: previous, schema: before.schema },
            { doc: next, schema: param.schema },
            'request',
            `${op} parameter ${key}`,
            out,
            seen,
          );
      }
      const bodyA = jsonSchemaOf(previous, opA.requestBody);
      const bodyB = jsonSchemaOf(next, opB.requestBody);
      if (bodyB && !bodyA && resolve(next, opB.requestBody).required === true)
        out.push(`${op}: request body newly required`);
      if (bodyA && bodyB)
        compareSchemas(
          { doc: previous, schema: bodyA },
          { doc: next, schema: bodyB },
          'request',
          `${op} body`,
          out,
          seen,
        );
      const responsesA = isObject(opA.responses) ? opA.responses : {};
      const responsesB = isObject(opB.responses) ? opB.responses : {};
      for (const [status, responseA] of Object.entries(responsesA)) {
        if (!status.startsWith('2')) continue;
        if (!(status in responsesB)) {
          out.push(`${op}: response ${status} removed`);
          continue;
        }
        const contentA = resolve(previous, responseA).content;
        const contentB = resolve(next, responsesB[status]).content;
        for (const media of Object.keys(isObject(contentA) ? contentA : {})) {
          if (!isObject(contentB) || !(media in contentB))
            out.push(`${op}: response ${status} no longer offers ${media}`);
        }
        const schemaA = jsonSchemaOf(previous, responseA);
        const schemaB = jsonSchemaOf(next, responsesB[status]);
        if (schemaA && schemaB)
          compareSchemas(
            { doc: previous, schema: schemaA },
            { doc: next, schema: schemaB },
            'response',
            `${op} ${status}`,
            out,
            seen,
          );
      }
    }
  }
  return [...new Set(out)];
}
