import { Agent, request } from 'node:http';
import { connect } from 'node:net';

/** What came back for one request: an answer, or the way the connection failed. */
export type Outcome =
  | {
      kind: 'answer';
      status: number;
      headers: Record<string, string | string[] | undefined>;
      body: string;
    }
  | { kind: 'failure'; error: string };

export interface HttpCall {
  method: string;
  /** Path and query, sent as they are (the caller encodes what must be encoded). */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** One request through node:http on a keep-alive agent; never rejects, never hangs longer than `timeoutMs`. */
export function send(
  port: number,
  call: HttpCall,
  agent: Agent,
  timeoutMs = 10_000,
): Promise<Outcome> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      resolve(outcome);
    };
    let req;
    try {
      req = request(
        {
          host: '127.0.0.1',
          port,
          method: call.method,
          path: call.path,
          headers: call.headers,
          agent,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            finish({
              kind: 'answer',
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', (e) => finish({ kind: 'failure', error: e.message }));
        },
      );
    } catch (error) {
      // node:http refuses some requests before sending (invalid characters in the path or a header).
      finish({
        kind: 'failure',
        error: `client refused: ${(error as Error).message}`,
      });
      return;
    }
    req.setTimeout(timeoutMs, () => req.destroy(new Error('timeout')));
    req.on('error', (e: NodeJS.ErrnoException) =>
      finish({ kind: 'failure', error: e.code ?? e.message }),
    );
    req.end(call.body);
  });
}

/**
 * Writes `bytes` on a fresh TCP connection as they are (malformed request lines, headers, bodies) and reads until
 * the server closes the connection. The answer's status line, headers and body are parsed loosely.
 */
export function sendRaw(
  port: number,
  bytes: Buffer,
  timeoutMs = 10_000,
): Promise<Outcome> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = (outcome: Outcome) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(outcome);
    };
    const parse = (): Outcome => {
      const all = Buffer.concat(chunks);
      const end = all.indexOf('\r\n\r\n');
      const head = all
        .subarray(0, end < 0 ? all.length : end)
        .toString('latin1');
      const match = /^HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n?([\s\S]*)$/.exec(head);
      if (end < 0 || !match)
        return {
          kind: 'failure',
          error: `no HTTP answer (${JSON.stringify(head.slice(0, 80))})`,
        };
      const headers: Record<string, string> = {};
      for (const line of match[2].split('\r\n')) {
        const i = line.indexOf(':');
        if (i > 0)
          headers[line.slice(0, i).trim().toLowerCase()] = line
            .slice(i + 1)
            .trim();
      }
      let body: Buffer = all.subarray(end + 4);
      if (headers['transfer-encoding'] === 'chunked') body = unchunk(body);
      return {
        kind: 'answer',
        status: Number(match[1]),
        headers,
        body: body.toString('utf8'),
      };
    };
    socket.setTimeout(timeoutMs, () =>
      finish({ kind: 'failure', error: 'timeout' }),
    );
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('close', () => finish(parse()));
    socket.on('error', (e: NodeJS.ErrnoException) => {
      // A reset after a complete answer (the server closing an errored connection) still counts as the answer.
      const parsed = parse();
      finish(
        parsed.kind === 'answer'
          ? parsed
          : { kind: 'failure', error: e.code ?? e.message },
      );
    });
    socket.on('connect', () => socket.write(bytes));
  });
}

function unchunk(body: Buffer): Buffer {
  const parts: Buffer[] = [];
  let rest = body;
  for (;;) {
    const i = rest.indexOf('\r\n');
    if (i < 0) break;
    const size = parseInt(rest.subarray(0, i).toString('latin1'), 16);
    if (!size) break;
    parts.push(rest.subarray(i + 2, i + 2 + size));
    rest = rest.subarray(i + 2 + size + 2);
  }
  return Buffer.concat(parts);
}
