/** Name of the response header that flags degraded data (the HTTP edge sets it: src/http/data-warnings.ts). */
const DATA_WARNINGS_HEADER = 'X-Data-Warnings';

/** Swagger description of the header, shared by the endpoints that can set it. */
export const DATA_WARNINGS_HEADER_DOC = {
  [DATA_WARNINGS_HEADER]: {
    description:
      'Present only when some numbers are not what was asked for (e.g. BLS was unreachable and synthetic stand-ins were served): how many warnings, then the first ones. The bodies carry them in full under `warnings`.',
    schema: {
      type: 'string',
      example:
        '1; average_annual_pay: BLS is unavailable: HTTP 503; synthetic stand-ins are served instead',
    },
  },
};
