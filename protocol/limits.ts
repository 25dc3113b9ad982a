/** Default relay limits (each can be changed by a relay flag); clients use them to size batches. */
/** 2: the team roster (team.join, roster.*, signed wipe orders); v1 clients are refused. */
export const PROTOCOL_VERSION = 2 as const;

export interface RelayLimits {
  /** Max bytes of one text (JSON) frame. */
  maxTextFrame: number;
  /** Max bytes of one binary frame (header + chunk). */
  maxBinaryFrame: number;
  /** Max bytes of one chunk's ciphertext. */
  maxChunk: number;
  /** Max bytes of a binary frame's JSON header. */
  maxFrameHeader: number;
  /** Max records in one push. */
  maxPushRecords: number;
  /** Max entries in one log.append. */
  maxLogEntries: number;
  /** Max records one pull answers (the client's `limit` is capped to this). */
  maxPullLimit: number;
  /** Max hashes in one chunk.has. */
  maxHasHashes: number;
  /** Max base64url characters of one record body. */
  maxBodyChars: number;
}

export const DEFAULT_LIMITS: RelayLimits = {
  maxTextFrame: 2 * 1024 * 1024,
  maxBinaryFrame: 1024 * 1024 + 4 * 1024,
  maxChunk: 1024 * 1024,
  maxFrameHeader: 4 * 1024,
  maxPushRecords: 500,
  maxLogEntries: 100,
  maxPullLimit: 500,
  maxHasHashes: 2000,
  maxBodyChars: 1_500_000,
};
