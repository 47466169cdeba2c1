import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';

/**
 * The status Node gives a client error (lib/_http_server.js, socketOnError), which Fastify's default handler keeps
 * for the timeout and the header overflow: 431 for headers too large, 413 for a chunk extension too large, 408 for
 * a request not received in time, 400 for anything else the parser refused.
 */
const STATUSES: Readonly<Record<string, number>> = {
  HPE_HEADER_OVERFLOW: 431,
  HPE_CHUNK_EXTENSIONS_OVERFLOW: 413,
  ERR_HTTP_REQUEST_TIMEOUT: 408,
};

/** What is wrong, by the parser's (llhttp's) error code; never a word of the request itself. */
const MESSAGES: Readonly<Record<string, string>> = {
  HPE_HEADER_OVERFLOW:
    "The request's header section is larger than the server accepts",
  HPE_CHUNK_EXTENSIONS_OVERFLOW:
    "The request body's chunk extensions are larger than the server accepts",
  ERR_HTTP_REQUEST_TIMEOUT: 'The request was not received in time',
  HPE_INVALID_HEADER_TOKEN:
    'A header line is malformed: a header is a name of token characters, a colon and a value',
  HPE_INVALID_METHOD: 'The request method is malformed or unknown',
  HPE_INVALID_URL: 'The request target is malformed',
  HPE_INVALID_VERSION: 'The HTTP version is malformed: send HTTP/1.1',
  HPE_INVALID_CONTENT_LENGTH: 'The Content-Length header is malformed',
  HPE_UNEXPECTED_CONTENT_LENGTH:
    'Content-Length and Transfer-Encoding: chunked may not both be sent',
  HPE_INVALID_TRANSFER_ENCODING: 'The Transfer-Encoding header is malformed',
  HPE_INVALID_CHUNK_SIZE: 'A chunk size of the request body is malformed',
};

/** The complete HTTP/1.1 answer to a client error of parser code `code`, in Nest's error shape. */
export function clientErrorAnswer(
  code: string | undefined,
  headers: Readonly<Record<string, string>>,
): string {
  const statusCode = (code && STATUSES[code]) || 400;
  const error = STATUS_CODES[statusCode] ?? 'Error';
  const body = JSON.stringify({
    statusCode,
    error,
    message:
      (code && MESSAGES[code]) ||
      'The request is not valid HTTP/1.1: it could not be parsed',
  });
  const lines = [
    `HTTP/1.1 ${statusCode} ${error}`,
    'connection: close',
    'content-type: application/json; charset=utf-8',
    `content-length: ${Buffer.byteLength(body)}`,
    ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`),
  ];
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/**
 * Fastify's `clientErrorHandler`: answers what Node's HTTP parser refused (a header section too large, a malformed
 * request or header line, a request too slow) with the status Node would give, `headers` (the security headers) and
 * Nest's error body, then destroys the connection. As Node does, it writes nothing on a socket that is no longer
 * writable or that is already carrying an answer (a pipelined request's), and nothing after a reset.
 */
export function answerClientErrors(
  headers: Readonly<Record<string, string>>,
): (error: Error & { code?: string }, socket: Socket) => void {
  return (error, socket) => {
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    // Node's own check (socketOnError): an answer already begun on this connection must not be corrupted.
    const inFlight = (socket as { _httpMessage?: { headersSent?: boolean } })
      ._httpMessage;
    if (socket.writable && !inFlight?.headersSent)
      socket.write(clientErrorAnswer(error.code, headers));
    socket.destroy(error);
  };
}
