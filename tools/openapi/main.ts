/**
 * `npm run openapi`: writes the OpenAPI document the app serves to openapi.json (sorted keys).
 *
 *   node dist-tools/tools/openapi/main.js     write openapi.json; refuse (exit 1) when the change would break
 *                                             clients of the file it replaces, listing why
 *   ... --allow-breaking                      write it anyway (say so in the commit: "BREAKING API CHANGE: ...")
 *   ... --check                               write nothing; exit 1 when openapi.json differs from what the app
 *                                             serves (contract drift)
 *   ... --base <file>                         also compare <file> (an earlier openapi.json) with what the app serves
 *                                             and exit 1 on breaking changes unless --allow-breaking
 *   ... --out <file>                          another file than ./openapi.json
 */
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { APP_OPTIONS, configureApp, createAdapter } from '../../src/app.setup';
import { validateEnvironment } from '../../src/config/env.validation';
import { httpConfigFrom } from '../../src/config/http.config';
import type { Examples } from '../../src/openapi/examples';
import { buildOpenApiDocument } from '../../src/openapi/openapi-document';
import { breakingChanges } from './breaking-changes';
import {
  captureErrorExamples,
  captureExamples,
  EXAMPLE_ADMIN_KEY,
} from './capture-examples';
import { projectRoot } from './project-root';
import { stableJson } from './stable-json';

/** Where the recorded examples live: in the sources, since the served document is built from them. */
const EXAMPLES_FILE = resolve(
  projectRoot(__dirname),
  'src/openapi/recorded-examples.json',
);

function option(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

/**
 * The examples (real answers to EXAMPLE_REQUESTS) and the document of an app configured as in production, on the
 * default settings (synthetic source, in-process cache).
 */
async function generate(): Promise<{
  document: Record<string, unknown>;
  examples: Examples;
}> {
  // The app reads process.env: the document must not depend on the caller's environment, so only these count.
  // The examples' tenant and contributions go to an embedded database of their own, removed after.
  const dataDir = mkdtempSync(join(tmpdir(), 'benchmark-api-openapi-'));
  const settings = {
    LOG_LEVEL: 'silent',
    ADMIN_API_KEY: EXAMPLE_ADMIN_KEY,
    DATA_DIR: dataDir,
  };
  for (const key of Object.keys(process.env)) {
    if (key !== 'PATH' && key !== 'HOME') delete process.env[key];
  }
  Object.assign(process.env, settings);
  const env = validateEnvironment(settings);
  // Imported only now: the configuration module reads process.env when it is loaded.
  const { AppModule } = await import('../../src/app.module.js');
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule,
    createAdapter(httpConfigFrom(env)),
    { ...APP_OPTIONS, logger: false },
  );
  try {
    await configureApp(app);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    const examples = {
      ...(await captureExamples(app)),
      ...(await captureErrorExamples(app)),
    };
    const document = buildOpenApiDocument(app, examples);
    return {
      document: document as unknown as Record<string, unknown>,
      examples,
    };
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function report(title: string, changes: readonly string[]): void {
  console.error(`${title}:\n${changes.map((c) => `  - ${c}`).join('\n')}`);
}

async function run(args: readonly string[]): Promise<number> {
  const out = resolve(option(args, '--out') ?? 'openapi.json');
  const allowBreaking = args.includes('--allow-breaking');
  const { document, examples } = await generate();
  const generated = stableJson(document);
  const current = existsSync(out) ? readFileSync(out, 'utf8') : undefined;
  const examplesJson = stableJson(examples);
  const currentExamples = readFileSync(EXAMPLES_FILE, 'utf8');

  const base = option(args, '--base');
  if (base) {
    const changes = breakingChanges(
      JSON.parse(readFileSync(base, 'utf8')) as Record<string, unknown>,
      document,
    );
    if (changes.length > 0) {
      report(
        `Changes since ${base} that break existing clients${allowBreaking ? ' (allowed)' : ''}`,
        changes,
      );
      if (!allowBreaking) return 1;
    }
  }

  if (args.includes('--check')) {
    if (current !== generated || currentExamples !== examplesJson) {
      console.error(
        `${current !== generated ? out : EXAMPLES_FILE} is not what the app serves (contract drift): run \`npm run openapi\` and commit the result.`,
      );
      return 1;
    }
    console.log(`${out} is the document the app serves.`);
    return 0;
  }

  if (current !== undefined && current !== generated) {
    const changes = breakingChanges(
      JSON.parse(current) as Record<string, unknown>,
      document,
    );
    if (changes.length > 0) {
      report(
        `The new contract breaks clients of ${out}${allowBreaking ? ' (written anyway: --allow-breaking)' : ''}`,
        changes,
      );
      if (!allowBreaking) {
        console.error(
          'Not written. Keep the old fields and paths, or run `npm run openapi -- --allow-breaking` and say "BREAKING API CHANGE" in the commit.',
        );
        return 1;
      }
    }
  }
  writeFileSync(EXAMPLES_FILE, examplesJson);
  writeFileSync(out, generated);
  console.log(current === generated ? `${out} unchanged` : `${out} written`);
  return 0;
}

run(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
