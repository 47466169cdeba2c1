/**
 * CLI entry of the Census Data API stub: `node dist-tools/tools/census-stub/main.js`. Environment:
 * CENSUS_STUB_PORT (default 8091), CENSUS_STUB_HOST (default 0.0.0.0), CENSUS_STUB_FAULT (a CensusStubFault, default
 * none), CENSUS_STUB_KEYS (comma-separated valid keys, default the stub key). Logs one line with the URL (the
 * service's CENSUS_API_URL); stops cleanly on SIGTERM/SIGINT. Deliberately free of NestJS.
 */
import { isCensusStubFault, startCensusStub } from './census-stub-server';

async function main(): Promise<void> {
  const env = process.env;
  const port = Number(env.CENSUS_STUB_PORT || 8091);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(
      `CENSUS_STUB_PORT must be a port number, got "${env.CENSUS_STUB_PORT}"`,
    );
  const fault = env.CENSUS_STUB_FAULT || 'none';
  if (!isCensusStubFault(fault))
    throw new Error(`CENSUS_STUB_FAULT: unknown fault "${fault}"`);
  const keys = env.CENSUS_STUB_KEYS?.split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');

  const stub = await startCensusStub({
    port,
    host: env.CENSUS_STUB_HOST || '0.0.0.0',
    fault,
    keys: keys?.length ? keys : undefined,
  });
  console.log(`Census API stub listening on ${stub.url} (fault: ${fault})`);

  const stop = (signal: string) => {
    stub.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(
          `Census API stub: error while stopping on ${signal}:`,
          err,
        );
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(
    `Census API stub failed to start: ${err instanceof Error ? err.message : String(err)}`,
  );
  process.exit(1);
});
