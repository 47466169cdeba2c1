import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EnvironmentVariables } from '../src/config/env.validation';
import { createTestApp } from './utils/create-test-app';

const README_PATH = join(__dirname, '..', 'README.md');
const README = readFileSync(README_PATH, 'utf8');
/**
 * `README_UPDATE=1 npx jest --config test/jest-e2e.json test/readme.e2e-spec.ts` writes the service's real answers
 * into the README's answer blocks instead of comparing (after a change of the generator's numbers); review the diff.
 */
const UPDATE = process.env.README_UPDATE === '1';

/** The admin key the README's examples use; the app under test is started with it. */
const README_ADMIN_KEY = /-H 'Authorization: Bearer ([^']+)'/.exec(README)?.[1];

/**
 * JSON as the README writes it: two-space indentation, and an object or array on one line wherever it fits in
 * `width` characters (so a peer group is one line, a data point several).
 */
function compactJson(value: unknown, indent = '', width = 118): string {
  const flat = JSON.stringify(value)
    .replace(/([{,])"/g, '$1 "')
    .replace(/":/g, '": ')
    .replace(/}/g, ' }')
    .replace(/\[ ?/g, '[')
    .replace(/,(?=[\d"[{tfn-])/g, ', ')
    .replace(/{ }/g, '{}');
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (indent.length + flat.length <= width) return flat;
  const inner = `${indent}  `;
  if (Array.isArray(value))
    return `[\n${value.map((v) => inner + compactJson(v, inner, width)).join(',\n')}\n${indent}]`;
  const entries = Object.entries(value as Record<string, unknown>);
  return `{\n${entries
    .map(
      ([k, v]) =>
        `${inner}${JSON.stringify(k)}: ${compactJson(v, inner, width)}`,
    )
    .join(',\n')}\n${indent}}`;
}

interface Example {
  method: 'GET' | 'POST' | 'DELETE';
  path: string;
  body?: string;
  authorization?: string;
  accept?: string;
  /** The JSON block that follows the command in the README, if any. */
  expected?: unknown;
  /** The CSV block that follows the command in the README, if any (lines end with CRLF on the wire). */
  expectedCsv?: string;
  /** Where the answer block's text is in the README (for README_UPDATE). */
  answerAt?: { start: number; end: number };
}

/** Every curl example of the README, in order, with the JSON answer shown after it. */
function readmeExamples(): Example[] {
  const blocks = [...README.matchAll(/```(\w+)\n([\s\S]*?)```/g)].map((m) => ({
    lang: m[1],
    text: m[2],
    start: m.index + m[1].length + 4,
  }));
  const examples: Example[] = [];
  blocks.forEach((block, i) => {
    if (block.lang !== 'bash' || !block.text.includes('curl ')) return;
    const command = block.text.replace(/\\\n\s*/g, ' ');
    const url = /http:\/\/localhost:8000(\S+)/.exec(command);
    if (!url)
      throw new Error(`README curl without a localhost:8000 URL: ${command}`);
    const method = (/-X (\w+)/.exec(command)?.[1] ??
      'GET') as Example['method'];
    const body = /-d '([^']*)'/.exec(command)?.[1];
    const authorization = /-H 'Authorization: ([^']*)'/.exec(command)?.[1];
    const accept = /-H 'Accept: ([^']*)'/.exec(command)?.[1];
    const next = blocks[i + 1];
    const expected =
      next?.lang === 'json' ? (JSON.parse(next.text) as unknown) : undefined;
    const expectedCsv =
      next?.lang === 'csv' ? next.text.replace(/\n/g, '\r\n') : undefined;
    examples.push({
      method,
      path: url[1],
      body,
      authorization,
      accept,
      expected,
      expectedCsv,
      answerAt:
        next && (next.lang === 'json' || next.lang === 'csv')
          ? { start: next.start, end: next.start + next.text.length }
          : undefined,
    });
  });
  return examples;
}

describe('README (e2e)', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await createTestApp({ env: { ADMIN_API_KEY: README_ADMIN_KEY! } });
  });

  afterAll(async () => {
    await app.close();
  });

  it('should answer every curl example as the README shows, in order', async () => {
    const examples = readmeExamples();
    expect(examples.length).toBeGreaterThanOrEqual(8);
    const answers: Array<{ at: { start: number; end: number }; text: string }> =
      [];
    for (const example of examples) {
      const res = await app.inject({
        method: example.method,
        url: example.path,
        headers: {
          ...(example.body ? { 'content-type': 'application/json' } : {}),
          ...(example.authorization
            ? { authorization: example.authorization }
            : {}),
          ...(example.accept ? { accept: example.accept } : {}),
        },
        payload: example.body,
      });
      const label = `${example.method} ${example.path} ${example.body ?? ''}`;
      if (UPDATE && example.answerAt) {
        answers.push({
          at: example.answerAt,
          text:
            example.expectedCsv !== undefined
              ? res.body.replace(/\r\n/g, '\n')
              : `${compactJson(res.json<unknown>())}\n`,
        });
        continue;
      }
      const expectedStatus =
        (example.expected as { statusCode?: number } | undefined)?.statusCode ??
        200;
      expect({ label, status: res.statusCode }).toEqual({
        label,
        status: expectedStatus,
      });
      if (example.expectedCsv !== undefined) {
        expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
        expect({ label, body: res.body }).toEqual({
          label,
          body: example.expectedCsv,
        });
      }
      if (example.expected !== undefined) {
        expect({ label, body: res.json<unknown>() }).toEqual({
          label,
          body: example.expected,
        });
      }
    }
    if (UPDATE) {
      let text = README;
      for (const { at, text: answer } of [...answers].reverse())
        text = text.slice(0, at.start) + answer + text.slice(at.end);
      writeFileSync(README_PATH, text);
    }
  });

  it('should document every environment variable the service reads, and no other', () => {
    const section = README.slice(README.indexOf('## Configuration'));
    const documented = [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)]
      .map((m) => m[1])
      .sort();
    expect(documented).toEqual(Object.keys(new EnvironmentVariables()).sort());
  });

  it('should give the defaults the code applies', () => {
    const section = README.slice(README.indexOf('## Configuration'));
    for (const [name, value] of Object.entries(new EnvironmentVariables())) {
      const shown = value === undefined ? '(unset)' : `\`${String(value)}\``;
      expect(section).toContain(`| \`${name}\` | ${shown} |`);
    }
  });

  it('should name the test command that CI runs', () => {
    expect(README).toContain('npm ci && npm test');
    expect(readFileSync(join(__dirname, '..', '.ci', 'run'), 'utf8')).toMatch(
      /^npm test$/m,
    );
  });
});
