import { registerAs } from '@nestjs/config';
import { environment, type EnvironmentVariables } from './env.validation';

/** Contributed benchmarks: how business references are hashed, and when and how cells are published. */
export interface ContributionsConfig {
  /** Secret of the keyed hash of business references; undefined: generated once into DATA_DIR. A secret. */
  readonly hashSecret?: string;
  /** Fewest businesses in a published cell. */
  readonly minPeers: number;
  /** Fewest tenants in a published cell. */
  readonly minTenants: number;
  /** Milliseconds between scheduled publications; 0: only on an admin request. */
  readonly publishIntervalMs: number;
  /** Longest a publication may take, in milliseconds. */
  readonly publishTimeoutMs: number;
  /** The read endpoints need a tenant key too. */
  readonly requireApiKey: boolean;
}

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;

/** `90`, `90s`, `30m`, `1h` as milliseconds (the environment's validation has checked the form). */
export function durationMs(text: string): number {
  const match = /^(\d+)(s|m|h)?$/.exec(text);
  if (!match) throw new Error(`Not a duration: ${text}`);
  return Number(match[1]) * UNIT_MS[(match[2] ?? 's') as keyof typeof UNIT_MS];
}

export function contributionsConfigFrom(
  env: EnvironmentVariables,
): ContributionsConfig {
  return {
    ...(env.CONTRIBUTION_HASH_SECRET
      ? { hashSecret: env.CONTRIBUTION_HASH_SECRET }
      : {}),
    minPeers: env.CONTRIBUTION_MIN_PEERS,
    minTenants: env.CONTRIBUTION_MIN_TENANTS,
    publishIntervalMs: durationMs(env.CONTRIBUTION_PUBLISH_INTERVAL),
    publishTimeoutMs: env.CONTRIBUTION_PUBLISH_TIMEOUT_MS,
    requireApiKey: env.REQUIRE_API_KEY,
  };
}

export const contributionsConfig = registerAs('contributions', () =>
  contributionsConfigFrom(environment()),
);
