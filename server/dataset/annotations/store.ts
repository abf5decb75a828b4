/**
 * The annotation store: `.thinkscope/annotations.jsonl` in the workspace.
 *
 * Design — an append-only log, compacted now and then:
 * - Every change is one line (the whole annotation of one trace by one annotator), appended with
 *   O_APPEND and fsync'd before the call returns. A `kill -9` can only tear the line being
 *   written, which was never acknowledged; every acknowledged line is complete on disk. The torn
 *   fragment is moved to a side file (`annotations.jsonl.torn-<time>`) before the next write.
 * - Writers take an O_EXCL lock file (`annotations.jsonl.lock`, stale when its pid is gone), read
 *   what other processes appended since they last looked, then append. Two VS Code windows never
 *   overwrite each other, and `update()` applies a change to the freshest state.
 * - The latest revision of a (trace, annotator) pair wins: later `at`, then later line. Because
 *   resolution does not depend on line order, the file merges cleanly in git with
 *   `.thinkscope/annotations.jsonl merge=union` in .gitattributes.
 * - Compaction rewrites the file atomically (write-then-rename, fsync) as one line per pair,
 *   sorted by trace id then annotator: small, stable diffs. It runs under the lock when
 *   superseded lines outnumber live ones (and the file has over 1000 lines), or on request.
 * - A line that does not parse, or is not an annotation, makes the file corrupt: the problem is
 *   reported with its line number, the file is never rewritten, and new writes are refused with
 *   an error that says where to fix it, until it is fixed.
 */
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { Annotation } from '../../../protocol/dataset';
import { appendFileDurable, writeFileAtomic } from '../../util/atomicFile';
import { parseJson } from '../json';
import { annotationLine, canonicalAnnotation, checkAnnotation, supersedes } from './format';
import { acquireLock, processAlive, type LockOptions } from './lock';

/** Where a workspace keeps its annotations. */
export function annotationsPath(workspaceDir: string): string {
  return join(workspaceDir, '.thinkscope', 'annotations.jsonl');
}

/** A line of the annotation file that is not a valid annotation. */
export interface AnnotationFileProblem {
  line: number;
  message: string;
}

/** Raised by writes while the file has problems: the file is left exactly as it is. */
export class AnnotationFileCorruptError extends Error {
  override name = 'AnnotationFileCorruptError';
  constructor(
    readonly path: string,
    readonly problems: readonly AnnotationFileProblem[],
  ) {
    const first = problems[0]!;
    const more = problems.length > 1 ? ` (and ${problems.length - 1} more line${problems.length > 2 ? 's' : ''})` : '';
    super(
      `${path}:${first.line}: ${first.message}${more}. The annotation file is not valid, so new labels are not saved ` +
        'until it is fixed: correct or delete that line (nothing has been changed in the file).',
    );
  }
}

export interface AnnotationStoreOptions {
  lock?: LockOptions;
  /** Compact when the file has more than this many lines … (default 1000) */
  compactMinLines?: number;
  /** … and more than this many lines per live annotation (default 2). */
  compactRatio?: number;
}

interface Entry {
  annotation: Annotation;
  line: number;
}

const key = (traceId: string, annotator: string): string => `${traceId}\u0000${annotator}`;

/** The annotations of one workspace file; see the module comment for the guarantees. */
export class AnnotationStore {
  private entries = new Map<string, Entry>();
  private problemList: AnnotationFileProblem[] = [];
  /** Bytes of complete lines read so far. */
  private offset = 0;
  private lineCount = 0;
  private ino: number | null = null;
  /** Bytes after the last newline (a torn write) seen at the last read. */
  private tailBytes = 0;
  /** Serialises this instance's writes before they compete for the file lock. */
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly path: string,
    private readonly options: AnnotationStoreOptions,
  ) {}

  /** Opens (and reads) the annotation file; a missing file is an empty store. */
  static async open(path: string, options: AnnotationStoreOptions = {}): Promise<AnnotationStore> {
    const store = new AnnotationStore(path, options);
    await store.refresh();
    return store;
  }

  /** Problems of the file as last read; writes are refused while there are any. */
  get problems(): readonly AnnotationFileProblem[] {
    return this.problemList;
  }

  /** Lines in the file (revisions, blank lines included) and live annotations. */
  get stats(): { lines: number; annotations: number } {
    return { lines: this.lineCount, annotations: this.entries.size };
  }

  /** One annotator's current annotation of a trace. */
  get(traceId: string, annotator: string): Annotation | undefined {
    return this.entries.get(key(traceId, annotator))?.annotation;
  }

  /** Every annotator's current annotation of a trace, sorted by annotator. */
  forTrace(traceId: string): Annotation[] {
    return this.all().filter((a) => a.traceId === traceId);
  }

  /** Every current annotation, sorted by trace id then annotator. */
  all(): Annotation[] {
    return [...this.entries.values()]
      .map((e) => e.annotation)
      .sort((a, b) => (a.traceId === b.traceId ? cmp(a.annotator, b.annotator) : cmp(a.traceId, b.traceId)));
  }

  /** Reads what other processes wrote since the last read. Returns whether anything changed. */
  async refresh(): Promise<boolean> {
    return this.sync();
  }

  /**
   * Writes an annotation revision as given (its `at` decides whether it supersedes an existing
   * one). Resolves once the line is on disk (fsync'd). Throws AnnotationFileCorruptError while the
   * file is corrupt, and an Error naming the field when the annotation is not valid.
   */
  async put(annotation: Annotation): Promise<Annotation> {
    const checked = canonicalAnnotation(checkAnnotation(annotation));
    return this.write(() => checked);
  }

  /**
   * Changes one annotator's annotation of a trace against the freshest state on disk (taking in
   * other windows' writes first): `change` gets the current annotation (or undefined) and returns
   * the new labels, steps and note; the revision is stamped now (and after the current one).
   */
  async update(traceId: string, annotator: string, change: (current: Annotation | undefined) => Omit<Annotation, 'traceId' | 'annotator' | 'at'>): Promise<Annotation> {
    return this.write(() => {
      const current = this.get(traceId, annotator);
      const next = change(current);
      let at = Date.now();
      if (current) at = Math.max(at, Date.parse(current.at) + 1);
      return canonicalAnnotation(checkAnnotation({ ...next, traceId, annotator, at: new Date(at).toISOString() }));
    });
  }

  /** Rewrites the file as one sorted line per annotation (atomically). Refused while the file is corrupt. */
  async compact(): Promise<{ linesBefore: number; linesAfter: number }> {
    return this.serial(() => this.locked(async () => this.compactLocked()));
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn, fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async locked<T>(fn: () => Promise<T>): Promise<T> {
    await fs.mkdir(dirname(this.path), { recursive: true });
    for (;;) {
      const lock = await acquireLock(this.path, this.options.lock);
      try {
        await this.sync();
        if (this.problemList.length > 0) throw new AnnotationFileCorruptError(this.path, this.problemList);
        if (!(await lock.stillHeld())) continue; // lost to a stale-lock breaker: take it again
        return await fn();
      } finally {
        await lock.release();
      }
    }
  }

  private write(make: () => Annotation): Promise<Annotation> {
    return this.serial(() =>
      this.locked(async () => {
        if (this.tailBytes > 0) await this.setTornTailAside();
        const annotation = make();
        const line = annotationLine(annotation);
        await appendFileDurable(this.path, line);
        this.lineCount++;
        this.offset += Buffer.byteLength(line);
        if (this.ino === null) this.ino = (await fs.stat(this.path)).ino;
        this.apply(annotation, this.lineCount);
        const minLines = this.options.compactMinLines ?? 1000;
        const ratio = this.options.compactRatio ?? 2;
        if (this.lineCount > minLines && this.lineCount > ratio * this.entries.size) await this.compactLocked();
        return annotation;
      }),
    );
  }

  private apply(annotation: Annotation, line: number): boolean {
    const k = key(annotation.traceId, annotation.annotator);
    const existing = this.entries.get(k);
    if (existing && !supersedes(annotation, existing.annotation)) return false;
    this.entries.set(k, { annotation, line });
    return true;
  }

  private reset(): void {
    this.entries = new Map();
    this.problemList = [];
    this.offset = 0;
    this.lineCount = 0;
    this.ino = null;
    this.tailBytes = 0;
  }

  /** Reads new complete lines; reloads from the start when the file was replaced or shrank. */
  private async sync(): Promise<boolean> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.path, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      const had = this.entries.size > 0 || this.problemList.length > 0;
      this.reset();
      return had;
    }
    try {
      // The handle's own stat: a rename over the path after the open cannot mix two files.
      const stat = await handle.stat();
      let full = false;
      if (this.ino !== stat.ino || stat.size < this.offset) {
        this.reset();
        full = true;
      }
      this.ino = stat.ino;
      if (stat.size === this.offset + this.tailBytes && !full) return false;
      const changed = await this.readFrom(handle, this.offset, stat.size);
      if (this.problemList.length > 0 && !full) {
        // Problems found reading only the end: the file may have been edited in place. Read it all.
        this.reset();
        this.ino = stat.ino;
        await this.readFrom(handle, 0, stat.size);
      }
      return changed || full;
    } finally {
      await handle.close();
    }
  }

  private async readFrom(handle: fs.FileHandle, start: number, end: number): Promise<boolean> {
    const length = end - start;
    const buffer = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const { bytesRead } = await handle.read(buffer, read, length - read, start + read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    const lastNewline = buffer.lastIndexOf(0x0a, read - 1);
    const complete = lastNewline + 1;
    this.tailBytes = read - complete;
    let changed = false;
    let pos = 0;
    while (pos < complete) {
      const nl = buffer.indexOf(0x0a, pos);
      const text = buffer.toString('utf8', pos, nl).replace(/\r$/, '');
      pos = nl + 1;
      this.lineCount++;
      if (text.trim() === '') continue;
      const problem = this.readLine(text, this.lineCount);
      if (problem) this.problemList.push({ line: this.lineCount, message: problem });
      else changed = true;
    }
    this.offset = start + complete;
    return changed;
  }

  /** Applies one line; returns what is wrong with it, if anything. */
  private readLine(text: string, line: number): string | null {
    if (/^(<{7}|={7}|>{7})/.test(text)) return 'a git merge conflict marker: resolve the conflict (keeping both sides is right: the latest revision wins)';
    const parsed = parseJson(text);
    if (!parsed.ok) return parsed.column === undefined ? parsed.message : `column ${parsed.column}: ${parsed.message}`;
    try {
      this.apply(canonicalAnnotation(checkAnnotation(parsed.value)), line);
      return null;
    } catch (err) {
      return `not an annotation: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  /** Moves bytes after the last newline (a write torn by a crash) to a side file, then truncates them. */
  private async setTornTailAside(): Promise<void> {
    const handle = await fs.open(this.path, 'r+');
    try {
      const { size } = await handle.stat();
      const tail = Buffer.alloc(size - this.offset);
      await handle.read(tail, 0, tail.length, this.offset);
      await writeFileAtomic(`${this.path}.torn-${Date.now()}`, tail);
      await handle.truncate(this.offset);
      await handle.sync();
    } finally {
      await handle.close();
    }
    this.tailBytes = 0;
  }

  private async compactLocked(): Promise<{ linesBefore: number; linesAfter: number }> {
    const linesBefore = this.lineCount;
    if (this.tailBytes > 0) await this.setTornTailAside();
    const annotations = this.all();
    const text = annotations.map(annotationLine).join('');
    await writeFileAtomic(this.path, text);
    const stat = await fs.stat(this.path);
    this.ino = stat.ino;
    this.offset = stat.size;
    this.lineCount = annotations.length;
    this.entries = new Map(annotations.map((a, i) => [key(a.traceId, a.annotator), { annotation: a, line: i + 1 }]));
    await this.removeAbandonedTempFiles();
    return { linesBefore, linesAfter: annotations.length };
  }

  /** Temp files of atomic writes whose process died before the rename. */
  private async removeAbandonedTempFiles(): Promise<void> {
    const dir = dirname(this.path);
    const prefix = `.${basename(this.path)}.`;
    let names: string[];
    try {
      names = await fs.readdir(dir);
    } catch {
      return;
    }
    for (const name of names) {
      const m = name.startsWith(prefix) && name.endsWith('.tmp') ? /^(\d+)\./.exec(name.slice(prefix.length)) : null;
      if (m && Number(m[1]) !== process.pid && !processAlive(Number(m[1]))) await fs.rm(join(dir, name), { force: true });
    }
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
