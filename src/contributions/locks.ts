/**
 * Advisory lock keys of contributed data (migrations use their own).
 * - PUBLISHER: held (try-lock) by the one instance publishing; another instance skips its run.
 * - SNAPSHOT: taken exclusively by a publication before it reads contributions, shared by an erasure, so an erasure
 *   either precedes a publication's snapshot or waits for it to commit: "from the next publication" is then exact.
 */
export const PUBLISHER_LOCK = 728_193_002;
export const SNAPSHOT_LOCK = 728_193_003;
