/**
 * Set when the process starts shutting down. Responses sent meanwhile carry `Connection: close`, so keep-alive
 * clients open a new connection (to another instance) instead of sending their next request into a closing server.
 */
export const shutdownState = { closing: false };
