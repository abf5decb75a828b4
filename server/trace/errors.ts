/**
 * Errors of trace files that are not about the trace's content (that is TraceFormatError, from
 * protocol/guards.ts): the file cannot be read or written, is too large, is not UTF-8, or is not
 * JSON. The message starts with `path[:line[:column]]: `.
 */

/** What went wrong: the file system, a size limit, the text encoding, or JSON syntax. */
export type TraceFileProblem = 'io' | 'limit' | 'encoding' | 'syntax';

export interface TraceFileErrorInit {
  path: string;
  problem: TraceFileProblem;
  reason: string;
  /** 1-based line and column (UTF-16 code units), when the problem has a position. */
  line?: number;
  column?: number;
  /** The file system's error code (ENOENT, EACCES…) for `io` problems. */
  code?: string;
  cause?: unknown;
}

export class TraceFileError extends Error {
  readonly path: string;
  readonly problem: TraceFileProblem;
  readonly reason: string;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly code: string | undefined;

  constructor(init: TraceFileErrorInit) {
    const position = init.line === undefined ? '' : `:${init.line}${init.column === undefined ? '' : `:${init.column}`}`;
    super(`${init.path}${position}: ${init.reason}`, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = 'TraceFileError';
    this.path = init.path;
    this.problem = init.problem;
    this.reason = init.reason;
    this.line = init.line;
    this.column = init.column;
    this.code = init.code;
  }
}

/** A trace file (or one line of a JSONL file) that cannot be read as JSON. */
export class TraceReadError extends TraceFileError {
  constructor(init: TraceFileErrorInit) {
    super(init);
    this.name = 'TraceReadError';
  }
}

/** A trace that cannot be written. */
export class TraceWriteError extends TraceFileError {
  constructor(init: TraceFileErrorInit) {
    super(init);
    this.name = 'TraceWriteError';
  }
}

/** "no such file", "permission denied"… for a Node file-system error; its message otherwise. */
export function describeFsError(error: unknown): { reason: string; code?: string } {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : undefined;
  const known: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EISDIR: 'it is a directory, not a file',
    ENOTDIR: 'a part of the path is not a directory',
    ENOSPC: 'no space left on the device',
    EROFS: 'the file system is read-only',
    EMFILE: 'too many open files',
  };
  const reason = (code && known[code]) ?? (error instanceof Error ? error.message : String(error));
  return code ? { reason, code } : { reason };
}
