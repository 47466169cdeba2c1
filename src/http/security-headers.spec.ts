import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import helmet from 'helmet';
import { HELMET_OPTIONS, securityHeaders } from './security-headers';

describe('securityHeaders', () => {
  /** What helmet itself sets on a real response, for comparison. */
  function helmetOnRealResponse(): Record<string, string> {
    const res = new ServerResponse(new IncomingMessage(new Socket()));
    res.setHeader('X-Powered-By', 'something');
    helmet(HELMET_OPTIONS)(res.req, res, () => undefined);
    return Object.fromEntries(
      Object.entries(res.getHeaders()).map(([k, v]) => [k, String(v)]),
    );
  }

  it('should be exactly the headers helmet sets on a real response', () => {
    expect(securityHeaders()).toEqual(helmetOnRealResponse());
  });

  it('should keep the CSP that suits Swagger UI on plain HTTP and leave out HSTS', () => {
    const headers = securityHeaders();
    expect(headers['content-security-policy']).toContain("default-src 'self'");
    expect(headers['content-security-policy']).not.toContain(
      'upgrade-insecure-requests',
    );
    expect(headers['strict-transport-security']).toBeUndefined();
    expect(headers['x-content-type-options']).toBe('nosniff');
  });

  it('should follow the options it is given', () => {
    const headers = securityHeaders({ frameguard: { action: 'deny' } });
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['strict-transport-security']).toMatch(/max-age=/);
  });

  it('should be frozen, so no request can change what the next one gets', () => {
    expect(Object.isFrozen(securityHeaders())).toBe(true);
  });
});
