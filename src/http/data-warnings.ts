import type { FastifyReply } from 'fastify';

/** Name of the response header that flags degraded data (synthetic stand-ins for BLS numbers). */
export const DATA_WARNINGS_HEADER = 'X-Data-Warnings';

const MAX_HEADER_LENGTH = 1000;

/** Sets {@link DATA_WARNINGS_HEADER} when there are warnings: their count, then as many as fit, one line, ASCII. */
export function setDataWarningsHeader(
  reply: FastifyReply,
  warnings: readonly string[],
): void {
  const unique = [...new Set(warnings)];
  if (unique.length === 0) return;
  const text = `${unique.length}; ${unique.join(' | ')}`.replace(
    /[^\x20-\x7e]/g,
    '?',
  );
  void reply.header(
    DATA_WARNINGS_HEADER,
    text.length > MAX_HEADER_LENGTH
      ? `${text.slice(0, MAX_HEADER_LENGTH - 3)}...`
      : text,
  );
}
