/** Truhe relay protocol v1: the only code the relay shares with the client. See README.md. */
export * from './base64url.js';
export * from './binary-frame.js';
export * from './canonical.js';
export * from './errors.js';
export * from './limits.js';
export * from './log-entry.js';
export * from './messages-client.js';
export * from './messages-server.js';
export * from './parse.js';
export * from './primitives.js';
export * from './roster.js';
