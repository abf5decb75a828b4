/**
 * Dataset subcommands of the `thinkscope` CLI: import, export, select, agreement.
 * Each takes its argv (after the subcommand name) and returns an exit code:
 * 0 success, 1 failure (what failed is printed), 2 wrong usage.
 */
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { AgreementReport, Annotation, AnnotationSchema, DatasetFormat, ImportReport } from '../../../protocol/dataset';
import { computeAgreement } from '../../dataset/agreement';
import { loadSchemaFile, schemaPath } from '../../dataset/annotations/schema';
import { AnnotationStore, annotationsPath } from '../../dataset/annotations/store';
import { selectLikeS1 } from '../../dataset/export/select';
import { exportDataset, type ExportOptions } from '../../dataset/export/write';
import { importDataset } from '../../dataset/import/index';

/** Where commands print. */
export interface CommandIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: CommandIo = {
  out: (text) => void process.stdout.write(`${text}\n`),
  err: (text) => void process.stderr.write(`${text}\n`),
};

class UsageError extends Error {}

const FORMATS: readonly (DatasetFormat | 'auto')[] = ['auto', 's1k', 's1k-1.1', 'r1-think', 'r1-chat', 'trace'];
const MAX_LISTED = 20;

const USAGE: Record<string, string> = {
  import: [
    'usage: thinkscope import <file> [--out <file.jsonl|file.parquet>] [--format auto|s1k|s1k-1.1|r1-think|r1-chat|trace]',
    '                         [--trajectory deepseek|gemini] [--strict] [--json]',
    'Reads a dataset (JSONL, JSON or Parquet) and reports what it found; --out writes it in s1K format.',
  ].join('\n'),
  export: [
    'usage: thinkscope export <dataset> --out <file.jsonl|file.parquet> [--workspace <dir>] [--annotations <file>] [--schema <file>]',
    '                         [--all | --min-accepted <n> --allow-rejected] [--text] [--system-prompt <text>] [--include-traces]',
    'Writes the records that pass the filter (default: accepted by at least one annotator, rejected by none) in s1K format.',
  ].join('\n'),
  select: [
    'usage: thinkscope select <dataset> --target <n> [--seed <n>] [--out <file>] [--workspace <dir>] [--annotations <file>]',
    '                         [--schema <file>] [--include-unlabelled] [--json]',
    'Chooses records like s1 chose s1K (quality, difficulty, diversity) and says what it did.',
  ].join('\n'),
  agreement: [
    'usage: thinkscope agreement [--workspace <dir>] [--annotations <file>] [--schema <file>] [--json]',
    "Prints Cohen's kappa per annotator pair and Fleiss' kappa per question and overall.",
  ].join('\n'),
};

const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
} as const;

const WORKSPACE_OPTIONS = {
  ...COMMON_OPTIONS,
  workspace: { type: 'string' },
  annotations: { type: 'string' },
  schema: { type: 'string' },
} as const;

/** Runs parseArgs, turning its errors (unknown option, missing value) into usage errors. */
function parse<T extends ParseArgsConfig>(name: string, argv: string[], config: T): ReturnType<typeof parseArgs<T & { args: string[]; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ ...config, args: argv, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`thinkscope ${name}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function onePositional(name: string, positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new UsageError(`thinkscope ${name}: expected one ${what}, got ${positionals.length}`);
  return positionals[0]!;
}

function integer(name: string, flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new UsageError(`thinkscope ${name}: --${flag} expects a whole number, got "${value}"`);
  return Number(value);
}

function where(p: { line?: number; row?: number; column?: number }): string {
  if (p.line !== undefined) return p.column !== undefined ? `line ${p.line}, column ${p.column}` : `line ${p.line}`;
  if (p.row !== undefined) return `row ${p.row}`;
  return 'file';
}

function printImport(io: CommandIo, report: ImportReport): void {
  const formats = Object.entries(report.formats)
    .map(([f, n]) => `${n} ${f}`)
    .join(', ');
  io.out(`Imported ${report.records.length} of ${report.rowsRead} rows from ${report.file} (${report.container}${formats ? `: ${formats}` : ''}).`);
  if (report.errors.length > 0) {
    const skipped = report.rowsRead - report.records.length;
    io.err(`${skipped} row${skipped === 1 ? '' : 's'} could not be imported:`);
    for (const e of report.errors.slice(0, MAX_LISTED)) io.err(`  ${report.file}: ${where(e)}: ${e.message}`);
    if (report.errors.length > MAX_LISTED) io.err(`  … and ${report.errors.length - MAX_LISTED} more`);
  }
  if (report.warnings.length > 0) {
    io.err(`${report.warnings.length} warning${report.warnings.length === 1 ? '' : 's'}:`);
    for (const w of report.warnings.slice(0, MAX_LISTED)) io.err(`  ${report.file}: ${where(w)}: ${w.message}`);
    if (report.warnings.length > MAX_LISTED) io.err(`  … and ${report.warnings.length - MAX_LISTED} more`);
  }
}

interface WorkspaceData {
  annotations: Annotation[];
  schema: AnnotationSchema;
}

/** Reads the schema and annotations a command needs; throws with a clear message when either is broken. */
async function loadWorkspace(values: { workspace?: string; annotations?: string; schema?: string }): Promise<WorkspaceData> {
  const workspace = resolve(values.workspace ?? '.');
  const schemaLoad = await loadSchemaFile(values.schema ? resolve(values.schema) : schemaPath(workspace));
  if (!schemaLoad.ok) throw new Error(schemaLoad.message);
  const store = await AnnotationStore.open(values.annotations ? resolve(values.annotations) : annotationsPath(workspace));
  if (store.problems.length > 0) {
    const list = store.problems.slice(0, MAX_LISTED).map((p) => `  ${store.path}:${p.line}: ${p.message}`);
    throw new Error(`the annotation file has ${store.problems.length} bad line(s); fix them first:\n${list.join('\n')}`);
  }
  return { annotations: store.all(), schema: schemaLoad.schema };
}

function formatKappa(k: number | null): string {
  return k === null ? '—' : k.toFixed(3);
}

function printAgreement(io: CommandIo, report: AgreementReport): void {
  io.out(`Annotators: ${report.annotators.join(', ') || '(none)'}; traces with two or more: ${report.traces}.`);
  io.out(`Overall Fleiss' kappa: ${formatKappa(report.overall.fleiss)} over ${report.overall.items} items.`);
  const rows = report.keys.filter((k) => k.items > 0);
  if (rows.length > 0) {
    const width = Math.max(...rows.map((k) => k.key.length), 3);
    io.out(`${'key'.padEnd(width)}  items  raters  fleiss  observed`);
    for (const k of rows) {
      io.out(`${k.key.padEnd(width)}  ${String(k.items).padStart(5)}  ${String(k.raters).padStart(6)}  ${formatKappa(k.fleiss).padStart(6)}  ${(k.observed ?? 0).toFixed(3).padStart(8)}`);
    }
  }
  if (report.pairs.length > 0) {
    io.out("Cohen's kappa per pair (all keys pooled):");
    for (const p of report.pairs) io.out(`  ${p.a} × ${p.b}: ${formatKappa(p.kappa)} over ${p.items} items`);
  }
  if (report.disagreements.length > 0) io.out(`${report.disagreements.length} traces with disagreements.`);
}

async function runImport(io: CommandIo, argv: string[]): Promise<number> {
  const { values, positionals } = parse('import', argv, {
    options: {
      ...COMMON_OPTIONS,
      out: { type: 'string' },
      format: { type: 'string' },
      trajectory: { type: 'string' },
      strict: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  if (values.help) return io.out(USAGE.import!), 0;
  const file = onePositional('import', positionals, 'dataset file');
  const format = FORMATS.find((f) => f === (values.format ?? 'auto'));
  if (format === undefined) throw new UsageError(`thinkscope import: --format must be one of ${FORMATS.join(', ')}`);
  const trajectory = values.trajectory ?? 'deepseek';
  if (trajectory !== 'deepseek' && trajectory !== 'gemini') throw new UsageError('thinkscope import: --trajectory must be deepseek or gemini');
  const report = await importDataset(resolve(file), { format, trajectory });
  if (values.json) {
    io.out(JSON.stringify({ ...report, records: report.records.length }, null, 2));
  } else printImport(io, report);
  if (values.out) {
    const result = await exportDataset(resolve(values.out), report.records, { filter: 'all' });
    if (!values.json) io.out(`Wrote ${result.written} records to ${result.path} (${result.format}).`);
  }
  if (report.rowsRead > 0 && report.records.length === 0) return 1;
  return values.strict && report.errors.length > 0 ? 1 : 0;
}

async function runExport(io: CommandIo, argv: string[]): Promise<number> {
  const { values, positionals } = parse('export', argv, {
    options: {
      ...WORKSPACE_OPTIONS,
      out: { type: 'string' },
      format: { type: 'string' },
      all: { type: 'boolean' },
      'min-accepted': { type: 'string' },
      'allow-rejected': { type: 'boolean' },
      text: { type: 'boolean' },
      'system-prompt': { type: 'string' },
      'include-traces': { type: 'boolean' },
    },
  });
  if (values.help) return io.out(USAGE.export!), 0;
  const file = onePositional('export', positionals, 'dataset file');
  if (!values.out) throw new UsageError('thinkscope export: --out <file> is required');
  const format = values.format;
  if (format !== undefined && format !== 'jsonl' && format !== 'parquet') throw new UsageError('thinkscope export: --format must be jsonl or parquet');
  if (values.all && (values['min-accepted'] !== undefined || values['allow-rejected'])) {
    throw new UsageError('thinkscope export: --all cannot be combined with --min-accepted or --allow-rejected');
  }
  const ws = await loadWorkspace(values);
  const report = await importDataset(resolve(file));
  printImport(io, report);
  const options: ExportOptions = {
    format,
    annotations: ws.annotations,
    schema: ws.schema,
    filter: values.all
      ? 'all'
      : { minAccepted: integer('export', 'min-accepted', values['min-accepted'], 1), allowRejected: Boolean(values['allow-rejected']) },
    trainingText: values['system-prompt'] !== undefined ? { systemPrompt: values['system-prompt'] } : Boolean(values.text),
    includeTraces: Boolean(values['include-traces']),
  };
  const result = await exportDataset(resolve(values.out), report.records, options);
  io.out(
    `Wrote ${result.written} records to ${result.path} (${result.format}); left out ${result.rejected} rejected and ${result.tooFewAccepts} with too few accepts.`,
  );
  return 0;
}

async function runSelect(io: CommandIo, argv: string[]): Promise<number> {
  const { values, positionals } = parse('select', argv, {
    options: {
      ...WORKSPACE_OPTIONS,
      target: { type: 'string' },
      seed: { type: 'string' },
      out: { type: 'string' },
      'include-unlabelled': { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  if (values.help) return io.out(USAGE.select!), 0;
  const file = onePositional('select', positionals, 'dataset file');
  if (values.target === undefined) throw new UsageError('thinkscope select: --target <n> is required');
  const targetSize = integer('select', 'target', values.target, 0);
  const seed = integer('select', 'seed', values.seed, 0);
  const ws = await loadWorkspace(values);
  const report = await importDataset(resolve(file));
  if (!values.json) printImport(io, report);
  const selection = selectLikeS1(report.records, {
    targetSize,
    seed,
    annotations: ws.annotations,
    schema: ws.schema,
    includeUnlabelled: Boolean(values['include-unlabelled']),
  });
  if (values.json) io.out(JSON.stringify({ ...selection.report, ids: selection.selected.map((r) => r.id) }, null, 2));
  else io.out(selection.report.text);
  if (values.out) {
    const result = await exportDataset(resolve(values.out), selection.selected, { filter: 'all', annotations: ws.annotations, schema: ws.schema });
    if (!values.json) io.out(`Wrote ${result.written} records to ${result.path} (${result.format}).`);
  }
  return 0;
}

async function runAgreement(io: CommandIo, argv: string[]): Promise<number> {
  const { values, positionals } = parse('agreement', argv, { options: { ...WORKSPACE_OPTIONS, json: { type: 'boolean' } } });
  if (values.help) return io.out(USAGE.agreement!), 0;
  if (positionals.length > 0) throw new UsageError(`thinkscope agreement: unexpected argument "${positionals[0]}"`);
  const ws = await loadWorkspace(values);
  const report = computeAgreement(ws.annotations, ws.schema);
  if (values.json) io.out(JSON.stringify(report, null, 2));
  else printAgreement(io, report);
  return 0;
}

type Runner = (io: CommandIo, argv: string[]) => Promise<number>;

function guarded(name: string, run: Runner, io: CommandIo): (argv: string[]) => Promise<number> {
  return async (argv) => {
    try {
      return await run(io, argv);
    } catch (err) {
      if (err instanceof UsageError) {
        io.err(err.message);
        io.err(USAGE[name]!);
        return 2;
      }
      io.err(`thinkscope ${name}: ${err instanceof Error ? err.message : String(err)}`);
      return 1;
    }
  };
}

/** The dataset subcommands printing to the given streams (tests pass their own). */
export function makeDatasetCommands(io: CommandIo): Record<string, (argv: string[]) => Promise<number>> {
  return {
    import: guarded('import', runImport, io),
    export: guarded('export', runExport, io),
    select: guarded('select', runSelect, io),
    agreement: guarded('agreement', runAgreement, io),
  };
}

/** `thinkscope import|export|select|agreement`, printing to stdout/stderr. */
export const datasetCommands: Record<string, (argv: string[]) => Promise<number>> = makeDatasetCommands(processIo);
