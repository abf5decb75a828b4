/**
 * Size limits for reading and writing traces. Input over a limit is refused with a message that
 * names the file, the size and the limit, before it is parsed; the writers refuse to produce a file
 * the readers would refuse.
 */

/**
 * Largest `.trace.json` file read or written: 500 MiB, safely below the longest string JavaScript
 * can hold (512 MiB less 24 bytes). A 1,000,000-token trace with 5 alternatives per token is about
 * 400 MB.
 */
export const MAX_TRACE_FILE_BYTES = 500 * 1024 ** 2;

/** Largest single line of a trace JSONL file (50 MiB); longer lines are skipped and reported. */
export const MAX_JSONL_LINE_BYTES = 50 * 1024 ** 2;

/**
 * Most JSON values (counted as `{`, `[` and `,` bytes) in one trace document. A 1,000,000-token
 * trace with 5 alternatives per token has about 28 million; the limit keeps a hostile file of
 * empty arrays from exhausting memory (each costs far more in memory than its 3 bytes on disk).
 */
export const MAX_TRACE_JSON_VALUES = 48_000_000;

/** Inputs at least this large are counted against MAX_TRACE_JSON_VALUES before parsing. */
export const VALUE_COUNT_THRESHOLD_BYTES = 16 * 1024 ** 2;

/**
 * Memory a trace file takes while it is parsed, per byte of file: the decoded text (up to two bytes
 * a character when the file is not ASCII) and the parsed objects. Measured: a 407 MB file of
 * 1,000,000 tokens peaks at 1.85 GB resident.
 */
export const READ_MEMORY_FACTOR = 3.5;

/** Files at least this large are checked against the memory the process has left before parsing. */
export const MEMORY_CHECK_THRESHOLD_BYTES = 16 * 1024 ** 2;

/** "50 MiB", "1.2 GiB", "812 bytes". */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 || Number.isInteger(value) ? String(value) : value.toFixed(1)} ${units[unit]}`;
}
