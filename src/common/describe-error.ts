import { types } from 'node:util';

/** Longest description: a thrown value's text is not under our control. */
export const MAX_DESCRIPTION_LENGTH = 2_000;

/** Longest JSON shown for an object without a message. */
const MAX_JSON_LENGTH = 300;

/** How many causes deep a description follows. */
const MAX_CAUSES = 3;

/** Keys whose values an object's JSON never shows. */
const SECRET_KEY = /pass|secret|token|key|auth|cookie|credential/i;

/**
 * The user-info of a URL (`scheme://name:secret@`): it may hold a password. The placeholder `user:password` of the
 * examples in the environment's messages is left as it is.
 */
const URL_CREDENTIALS =
  /\b([a-z][a-z0-9+.-]*:\/\/)(?!user:password@)[^\s/@]+@/gi;

/**
 * What was thrown, as an operator can read it in one log entry: an Error's message (with its `code` when the message
 * does not say it, and its `cause`'s description when that adds something), an object's `name`, `message`, `code`,
 * `errno` and `status`, or else a bounded JSON of it with secret-looking keys redacted; a string as it is. Never
 * `[object Object]`, never a stack. URL credentials are cut out (`scheme://<credentials>@host`), and the result is at
 * most {@link MAX_DESCRIPTION_LENGTH} characters. An Error's message keeps its line breaks: the environment's
 * validation gives one line per invalid variable.
 */
export function describeError(thrown: unknown): string {
  const text = describe(thrown, MAX_CAUSES, new Set()).replace(
    URL_CREDENTIALS,
    '$1<credentials>@',
  );
  return text.length > MAX_DESCRIPTION_LENGTH
    ? `${text.slice(0, MAX_DESCRIPTION_LENGTH - 1)}…`
    : text;
}

function describe(thrown: unknown, causes: number, seen: Set<object>): string {
  if (typeof thrown === 'string')
    return thrown === '' ? 'an empty string was thrown' : thrown;
  if (typeof thrown === 'function') return 'a function was thrown';
  if (typeof thrown !== 'object' || thrown === null)
    return `a non-error value was thrown: ${String(thrown)}`;
  seen.add(thrown);
  // Not only `instanceof Error`: Node's own errors come from another realm under a test VM.
  const described =
    thrown instanceof Error || types.isNativeError(thrown)
      ? ofError(thrown, seen)
      : ofObject(thrown);
  const cause = (thrown as { cause?: unknown }).cause;
  if (
    cause === undefined ||
    causes === 0 ||
    (typeof cause === 'object' && cause !== null && seen.has(cause))
  )
    return described;
  const because = describe(cause, causes - 1, seen);
  // A wrapper often repeats its cause's message: say it once.
  return described.includes(because)
    ? described
    : `${described} (cause: ${because})`;
}

function ofError(error: Error, seen: Set<object>): string {
  // Node's system errors carry both; the code (ENOSPC) says what the errno (-28) does.
  const fields = fieldsOf(error, ['code']);
  if (fields.length === 0) fields.push(...fieldsOf(error, ['errno']));
  const head = `${error.message || error.name}${suffix(fields, error.message)}`;
  // A failed connection to every address of a host is an AggregateError with an empty message.
  const errors: unknown = (error as { errors?: unknown }).errors;
  if (Array.isArray(errors) && errors.length > 0) {
    const inner = errors
      .slice(0, 3)
      .map((e) => describe(e, 0, seen))
      .join('; ');
    const more = errors.length > 3 ? `; and ${errors.length - 3} more` : '';
    return `${head}: ${inner}${more}`;
  }
  return head;
}

function ofObject(object: object): string {
  const head = ['name', 'message']
    .map((key) => stringField(object, key))
    .filter((p) => p !== undefined)
    .join(': ');
  const fields = fieldsOf(object, ['code', 'errno', 'status']);
  if (head !== '' || fields.length > 0)
    return `${head || 'an object was thrown'}${suffix(fields, head)}`;
  const json = boundedJson(object);
  if (json !== undefined) return `an object was thrown: ${json}`;
  const kind = (object.constructor as { name?: unknown } | undefined)?.name;
  return typeof kind === 'string' && kind !== '' && kind !== 'Object'
    ? `a ${kind} was thrown, without a message`
    : 'an object without a message was thrown';
}

/** ` (code ENOSPC, errno 51)`, leaving out a value `text` says already. */
function suffix(fields: readonly [string, string][], text: string): string {
  const shown = fields.filter(([, value]) => !text.includes(value));
  return shown.length > 0
    ? ` (${shown.map(([key, value]) => `${key} ${value}`).join(', ')})`
    : '';
}

/** The fields among `keys` that are strings or numbers, as [key, value]. */
function fieldsOf(object: object, keys: readonly string[]): [string, string][] {
  return keys.flatMap((key): [string, string][] => {
    const value = (object as Record<string, unknown>)[key];
    return (typeof value === 'string' && value !== '') ||
      typeof value === 'number'
      ? [[key, String(value).slice(0, 100)]]
      : [];
  });
}

function stringField(object: object, key: string): string | undefined {
  const value = (object as Record<string, unknown>)[key];
  return typeof value === 'string' && value !== ''
    ? value.slice(0, 1_000)
    : undefined;
}

/** The object's JSON, secret-looking keys redacted, bounded; undefined when it has none worth showing. */
function boundedJson(object: object): string | undefined {
  let json: string | undefined;
  try {
    json = JSON.stringify(object, (key, value: unknown) =>
      key !== '' && SECRET_KEY.test(key)
        ? '<redacted>'
        : typeof value === 'bigint'
          ? String(value)
          : value,
    );
  } catch {
    return undefined; // circular, or a toJSON that throws
  }
  if (json === undefined || json === '{}' || json === '[]') return undefined;
  return json.length > MAX_JSON_LENGTH
    ? `${json.slice(0, MAX_JSON_LENGTH - 1)}…`
    : json;
}
