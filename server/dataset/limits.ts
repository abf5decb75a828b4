/**
 * Size limits for dataset and annotation input, and the error they raise. A file or a line over a
 * limit is refused with a message naming it and the limit, never read into memory first.
 */

/** Largest dataset file accepted (2 GiB). */
export const MAX_FILE_BYTES = 2 * 1024 ** 3;
/** Largest single JSONL line (50 MiB). */
export const MAX_LINE_BYTES = 50 * 1024 ** 2;
/** Largest single JSON document (a `.trace.json` or a JSON array of rows): 512 MiB. */
export const MAX_DOCUMENT_BYTES = 512 * 1024 ** 2;
/** Deepest nesting of arrays and objects accepted in any JSON value. */
export const MAX_JSON_DEPTH = 100;
/** Lines at least this long are scanned for nesting depth before JSON.parse runs on them. */
export const PRESCAN_LINE_BYTES = 1024 ** 2;

/** Raised when input exceeds one of the limits above. */
export class LimitError extends Error {
  override name = 'LimitError';
}

/** Formats a byte count for messages: "50 MiB", "2 GiB", "812 bytes". */
export function formatBytes(bytes: number): string {
  const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = unit === 0 || Number.isInteger(value) ? String(value) : value.toFixed(1);
  return `${shown} ${units[unit]}`;
}
