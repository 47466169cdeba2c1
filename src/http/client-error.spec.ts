import type { Socket } from 'node:net';
import { answerClientErrors, clientErrorAnswer } from './client-error';

const HEADERS = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'none'",
};

/** The status line, the headers (lower-case names) and the JSON body of a raw answer. */
function parsed(raw: string) {
  const [head, body] = raw.split('\r\n\r\n');
  const [statusLine, ...lines] = head.split('\r\n');
  const headers = Object.fromEntries(
    lines.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]),
  );
  return {
    statusLine,
    headers,
    body: JSON.parse(body) as Record<string, unknown>,
  };
}

class FakeSocket {
  written: string[] = [];
  destroyedWith: unknown[] = [];
  constructor(
    public writable = true,
    public destroyed = false,
    public _httpMessage?: { headersSent: boolean },
  ) {}
  write(data: string) {
    this.written.push(data);
    return true;
  }
  destroy(error?: unknown) {
    this.destroyedWith.push(error);
    this.destroyed = true;
  }
}

const handle = answerClientErrors(HEADERS);
const failure = (code: string) => Object.assign(new Error(code), { code });

describe('clientErrorAnswer', () => {
  it.each([
    ['HPE_HEADER_OVERFLOW', 431, 'Request Header Fields Too Large'],
    ['HPE_CHUNK_EXTENSIONS_OVERFLOW', 413, 'Payload Too Large'],
    ['ERR_HTTP_REQUEST_TIMEOUT', 408, 'Request Timeout'],
    ['HPE_INVALID_HEADER_TOKEN', 400, 'Bad Request'],
    ['HPE_SOMETHING_NEW', 400, 'Bad Request'],
    [undefined, 400, 'Bad Request'],
  ])(
    "should answer %s with %d, Connection: close, the headers given and Nest's error body",
    (code, status, error) => {
      const answer = parsed(clientErrorAnswer(code, HEADERS));
      expect(answer.statusLine).toBe(`HTTP/1.1 ${status} ${error}`);
      expect(answer.headers).toMatchObject({
        connection: 'close',
        'content-type': 'application/json; charset=utf-8',
        ...HEADERS,
      });
      expect(Object.keys(answer.body).sort()).toEqual([
        'error',
        'message',
        'statusCode',
      ]);
      expect(answer.body).toMatchObject({ statusCode: status, error });
      expect(Number(answer.headers['content-length'])).toBe(
        Buffer.byteLength(JSON.stringify(answer.body)),
      );
    },
  );
});

describe('answerClientErrors', () => {
  it('should write the answer on a writable socket, then destroy it', () => {
    const socket = new FakeSocket();
    const error = failure('HPE_HEADER_OVERFLOW');
    handle(error, socket as unknown as Socket);
    expect(socket.written).toHaveLength(1);
    expect(socket.written[0]).toMatch(/^HTTP\/1\.1 431 /);
    expect(socket.destroyedWith).toEqual([error]);
  });

  it('should write nothing on a socket that is not writable, and still destroy it', () => {
    const socket = new FakeSocket(false);
    handle(failure('HPE_INVALID_METHOD'), socket as unknown as Socket);
    expect(socket.written).toEqual([]);
    expect(socket.destroyedWith).toHaveLength(1);
  });

  it('should write nothing over an answer already begun on the connection', () => {
    const socket = new FakeSocket(true, false, { headersSent: true });
    handle(failure('HPE_INVALID_METHOD'), socket as unknown as Socket);
    expect(socket.written).toEqual([]);
    expect(socket.destroyedWith).toHaveLength(1);
  });

  it('should leave a reset or destroyed socket alone', () => {
    const reset = new FakeSocket();
    handle(failure('ECONNRESET'), reset as unknown as Socket);
    const destroyed = new FakeSocket(true, true);
    handle(failure('HPE_INVALID_METHOD'), destroyed as unknown as Socket);
    for (const socket of [reset, destroyed]) {
      expect(socket.written).toEqual([]);
      expect(socket.destroyedWith).toEqual([]);
    }
  });
});
