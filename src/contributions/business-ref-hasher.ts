import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * The keyed hash under which a business is stored: HMAC-SHA256 of the tenant id and the tenant's business reference
 * with a server secret. The tenant finds its business again by sending the same reference; nobody holding the
 * database alone can tell which references it holds, and two tenants' equal references are different businesses.
 */
export class BusinessRefHasher {
  private secret?: string;

  /** `secret` is read on first use (the embedded one is created then, not when the app starts). */
  constructor(private readonly readSecret: () => string) {}

  hash(tenantId: string, businessRef: string): string {
    this.secret ??= this.readSecret();
    return createHmac('sha256', this.secret)
      .update(`${tenantId}\u0000${businessRef}`, 'utf8')
      .digest('hex');
  }
}

const SECRET_FILE = 'contribution-hash-secret';

/**
 * The embedded database's secret, kept beside it in `<dataDir>/contribution-hash-secret` (readable by the owner only),
 * created the first time. Losing the file orphans every stored business, as losing the database would.
 */
export function embeddedHashSecret(dataDir: string): string {
  const file = resolve(dataDir, SECRET_FILE);
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(resolve(dataDir), { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  try {
    writeFileSync(file, `${secret}\n`, { flag: 'wx', mode: 0o600 });
    return secret;
  } catch (error) {
    // Another process created it first: use theirs.
    if ((error as NodeJS.ErrnoException).code === 'EEXIST')
      return readFileSync(file, 'utf8').trim();
    throw error;
  }
}
