import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Every tenant key starts with this, so secret scanners and people can tell one apart from other tokens. */
export const TENANT_KEY_PREFIX = 'bmk_';

/** A tenant key: the prefix and 32 random bytes in base64url (256 bits: a fast hash stores it safely). */
export function newTenantKey(): string {
  return `${TENANT_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** What is stored of a key: its SHA-256, in hex. */
export function tenantKeyHash(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Whether two key hashes are equal, in time that does not depend on where they differ. */
export function sameKeyHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && timingSafeEqual(left, right);
}
