/**
 * The shape every JSON body is held to, checked on the text in one linear scan before JSON.parse builds anything
 * (building an object costs more per key the more keys it has: 8,000 keys take 4 ms, 500,000 a quarter of a second),
 * and so before any per-key work of validation (class-transformer's grows with the square of an object's keys). Each
 * is well above what the API's own bodies need: their largest object is a map of 50 metrics, their longest array a
 * batch of 1,000 records, their longest string a tenant name of 200 characters.
 */
export const JSON_BODY_LIMITS = {
  /** Deepest nesting (the body itself is level 1); the API's own bodies are four levels deep at most. */
  maxDepth: 16,
  /** Most keys of one object. */
  maxKeys: 64,
  /** Longest key, in UTF-16 code units (metric names have at most 100 characters). */
  maxKeyLength: 100,
  /** Most items of one array. */
  maxItems: 1000,
  /** Longest string value, in UTF-16 code units. */
  maxStringLength: 1000,
  /** Most values (objects, arrays and scalars) in one body: a full batch of 1,000 records of 50 metrics holds 58,002. */
  maxValues: 100_000,
} as const;

/** Limits of the shape of a JSON body (the service's are {@link JSON_BODY_LIMITS}). */
export type JsonBodyLimits = {
  readonly [K in keyof typeof JSON_BODY_LIMITS]: number;
};

/** An open object or array, and how it was reached from its parent (to name it in a message). */
interface Container {
  readonly isArray: boolean;
  /** Keys or items so far. */
  count: number;
  /** Object: the next string is a key. */
  awaitingKey: boolean;
  /** Object: the text span of the current key, quotes included. */
  keyStart: number;
  keyEnd: number;
  /** The parent's key span or item index when this container opened. */
  readonly viaKey?: readonly [number, number];
  readonly viaIndex?: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LETTER_U = 0x75;
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

function keyText(text: string, span: readonly [number, number]): string {
  try {
    return String(JSON.parse(text.slice(span[0], span[1])));
  } catch {
    return text.slice(span[0] + 1, span[1] - 1);
  }
}

/** A key as a message shows it: quoted, its first 40 characters. */
function shortened(name: string): string {
  return `${JSON.stringify(name.slice(0, 40))}${name.length > 40 ? '...' : ''}`;
}

function segment(
  text: string,
  key?: readonly [number, number],
  index?: number,
): string {
  if (key === undefined) return `[${index}]`;
  const name = keyText(text, key);
  return PLAIN_KEY.test(name) && name.length <= 40
    ? `.${name}`
    : `[${shortened(name)}]`;
}

/** How a message names a place: `user_values`, `records[3].values`, or "The request body". */
function pathOf(
  text: string,
  stack: readonly Container[],
  upTo: number,
  last?: string,
): string {
  let path = '';
  for (let i = 1; i <= upTo; i++)
    path += segment(text, stack[i].viaKey, stack[i].viaIndex);
  if (last !== undefined) path += last;
  if (path === '') return 'The request body';
  return path.startsWith('.') ? path.slice(1) : path;
}

/**
 * Why a JSON text breaks {@link JSON_BODY_LIMITS}, or undefined: one pass over the text, allocating nothing per value,
 * stopping at the first value over a limit. Text that is not JSON is not judged here (JSON.parse says what is wrong),
 * though a limit it passes on the way is reported.
 */
export function jsonShapeProblem(
  text: string,
  limits: JsonBodyLimits = JSON_BODY_LIMITS,
): string | undefined {
  const stack: Container[] = [];
  let values = 0;
  const n = text.length;
  /** A value begins in the innermost container (or at the top): counted, and an array's item. */
  const valueStarts = (): string | undefined => {
    if (++values > limits.maxValues)
      return `The request body holds more than ${limits.maxValues} values: a request body may have at most ${limits.maxValues}`;
    const top = stack[stack.length - 1];
    if (top?.isArray && ++top.count > limits.maxItems)
      return `${pathOf(text, stack, stack.length - 1)} has more than ${limits.maxItems} items: an array in a request body may have at most ${limits.maxItems}`;
    return undefined;
  };
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      let length = 0;
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d === QUOTE) break;
        j +=
          d === BACKSLASH ? (text.charCodeAt(j + 1) === LETTER_U ? 6 : 2) : 1;
        length++;
      }
      const top = stack[stack.length - 1];
      if (top && !top.isArray && top.awaitingKey) {
        top.awaitingKey = false;
        if (++top.count > limits.maxKeys)
          return `${pathOf(text, stack, stack.length - 1)} has more than ${limits.maxKeys} keys: an object in a request body may have at most ${limits.maxKeys}`;
        if (length > limits.maxKeyLength)
          return `${pathOf(text, stack, stack.length - 1)} has a key of ${length} characters (${shortened(keyText(text, [i, j + 1]))}): a key in a request body may have at most ${limits.maxKeyLength}`;
        top.keyStart = i;
        top.keyEnd = j + 1;
      } else {
        const problem = valueStarts();
        if (problem) return problem;
        if (length > limits.maxStringLength) {
          const last = top
            ? top.isArray
              ? `[${top.count - 1}]`
              : segment(text, [top.keyStart, top.keyEnd])
            : undefined;
          return `${pathOf(text, stack, stack.length - 1, last)} is ${length} characters long: a string in a request body may have at most ${limits.maxStringLength}`;
        }
      }
      i = j;
    } else if (c === 0x7b || c === 0x5b) {
      // { or [
      const problem = valueStarts();
      if (problem) return problem;
      const parent = stack[stack.length - 1];
      if (stack.length + 1 > limits.maxDepth)
        return `The request body is nested more than ${limits.maxDepth} levels deep`;
      stack.push({
        isArray: c === 0x5b,
        count: 0,
        awaitingKey: c === 0x7b,
        keyStart: 0,
        keyEnd: 0,
        viaKey:
          parent && !parent.isArray
            ? [parent.keyStart, parent.keyEnd]
            : undefined,
        viaIndex: parent?.isArray ? parent.count - 1 : undefined,
      });
    } else if (c === 0x7d || c === 0x5d) {
      // } or ]
      stack.pop();
    } else if (c === 0x2c) {
      // ,
      const top = stack[stack.length - 1];
      if (top && !top.isArray) top.awaitingKey = true;
    } else if (
      c === 0x2d ||
      (c >= 0x30 && c <= 0x39) ||
      c === 0x74 ||
      c === 0x66 ||
      c === 0x6e
    ) {
      // a number, true, false or null: one value, whatever its length
      const problem = valueStarts();
      if (problem) return problem;
      while (i + 1 < n) {
        const d = text.charCodeAt(i + 1);
        if (
          d === 0x2c ||
          d === 0x7d ||
          d === 0x5d ||
          d === 0x20 ||
          d === 0x0a ||
          d === 0x0d ||
          d === 0x09 ||
          d === QUOTE
        )
          break;
        i++;
      }
    }
  }
  return undefined;
}
