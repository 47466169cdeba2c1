/**
 * CLI entry of the BLS API stub: `node dist/bls-stub/main.js`. Environment: BLS_STUB_PORT (default 8090),
 * BLS_STUB_HOST (default 0.0.0.0), BLS_STUB_FAULT (a BlsStubFault, default none), BLS_STUB_KEYS (comma-separated
 * valid keys, default the stub key). Logs one line with the URL; stops cleanly on SIGTERM/SIGINT.
 * Deliberately free of NestJS.
 */
import { isBlsStubFault, startBlsStub } from './bls-stub-server';

async function main(): Promise<void> {
  const env = process.env;
  const port = Number(env.BLS_STUB_PORT || 8090);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(
      `BLS_STUB_PORT must be a port number, got "${env.BLS_STUB_PORT}"`,
    );
  }
  const fault = env.BLS_STUB_FAULT || 'none';
  if (!isBlsStubFault(fault))
    throw new Error(`BLS_STUB_FAULT: unknown fault "${fault}"`);
  const keys = env.BLS_STUB_KEYS?.split(',')
    .map((k) => k.trim())
    .filter((k) => k !== '');

  const stub = await startBlsStub({
    port,
    host: env.BLS_STUB_HOST || '0.0.0.0',
    fault,
    keys: keys?.length ? keys : undefined,
  });
  console.log(`BLS API stub listening on ${stub.url} (fault: ${fault})`);

  const stop = (signal: string) => {
    stub.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(`BLS API stub: error while stopping on ${signal}:`, err);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  console.error(
    `BLS API stub failed to start: ${err instanceof Error ? err.message : String(err)}`,
  );
  process.exit(1);
});
