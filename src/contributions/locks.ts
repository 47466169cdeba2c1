/**
 * Advisory lock keys of contributed data (migrations use their own).
 * - PUBLISHER: held (try-lock, for the whole job) by the one instance publishing; another instance skips its run.
 * - SNAPSHOT: taken exclusively by a publication's last transaction, which computes again the slices of erasures
 *   recorded for it and makes it current; an erasure tries it shared (never waiting): taken, the running publication
 *   will see its record; refused, the publication is becoming current without it, and the erasure records itself for
 *   the next one. "Effective from" is then exact.
 */
export const PUBLISHER_LOCK = 728_193_002;
export const SNAPSHOT_LOCK = 728_193_003;
