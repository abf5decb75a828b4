/**
 * s1K and s1K-1.1 rows. s1K keeps its reasoning in `thinking_trajectories` (a list of strings,
 * joined with "\n" as s1's training data preparation does) and the answer in `attempt`; s1K-1.1
 * has one trajectory and attempt per model (`deepseek_…`, `gemini_…`, often with `…_grade`).
 */
import { S1K11_MODELS, type S1k11Model } from '../columns';
import { parsePythonLiteral } from '../pythonLiteral';
import {
  deriveDomain,
  describeType,
  optionalText,
  readMetadata,
  requiredText,
  RowError,
  unmappedColumns,
  type RecordFields,
  type Row,
} from './fields';

/** A mapped row, with the caveats met on the way. */
export interface MappedRow {
  fields: RecordFields;
  warnings: string[];
}

/** The columns both s1K variants map onto record fields. */
const COMMON_MAPPED = ['question', 'solution', 'cot_type', 'source_type', 'metadata', 'domain'];

/** Whether a row has s1K's reasoning column. */
export function isS1kRow(row: Row): boolean {
  return 'thinking_trajectories' in row && 'question' in row;
}

/** Whether a row has s1K-1.1's per-model reasoning columns. */
export function isS1k11Row(row: Row): boolean {
  return 'question' in row && S1K11_MODELS.some((m) => `${m}_thinking_trajectory` in row);
}

/** Maps an s1K row. */
export function mapS1kRow(row: Row, drop?: (name: string) => boolean): MappedRow {
  const thinking = readTrajectories(row.thinking_trajectories);
  return finish(row, thinking, optionalText(row, 'attempt'), new Set([...COMMON_MAPPED, 'thinking_trajectories', 'attempt']), [], drop);
}

/**
 * Maps an s1K-1.1 row using one model's trajectory and attempt (`prefer`, default deepseek, as
 * s1.1 was trained on); falls back to the other model when the preferred one has none.
 */
export function mapS1k11Row(row: Row, prefer: S1k11Model = 'deepseek', drop?: (name: string) => boolean): MappedRow {
  const warnings: string[] = [];
  const order = [prefer, ...S1K11_MODELS.filter((m) => m !== prefer)];
  const model = order.find((m) => typeof row[`${m}_thinking_trajectory`] === 'string' && (row[`${m}_thinking_trajectory`] as string) !== '');
  if (!model) throw new RowError(`no thinking: ${order.map((m) => `"${m}_thinking_trajectory"`).join(' and ')} are missing or empty`);
  if (model !== prefer) warnings.push(`no ${prefer} trajectory: used ${model}_thinking_trajectory`);
  const thinking = row[`${model}_thinking_trajectory`] as string;
  const attempt = optionalText(row, `${model}_attempt`);
  const mapped = new Set([...COMMON_MAPPED, `${model}_thinking_trajectory`, `${model}_attempt`]);
  return finish(row, thinking, attempt, mapped, warnings, drop);
}

function finish(
  row: Row,
  thinking: string,
  attempt: string | null,
  mapped: Set<string>,
  warnings: string[],
  drop?: (name: string) => boolean,
): MappedRow {
  const question = requiredText(row, 'question');
  const cotType = optionalText(row, 'cot_type');
  const meta = readMetadata(row.metadata);
  if (meta.warning) warnings.push(meta.warning);
  const fields: RecordFields = {
    question,
    solution: optionalText(row, 'solution'),
    thinking,
    attempt,
    domain: deriveDomain(row, meta.metadata, cotType),
    cotType,
    sourceType: optionalText(row, 'source_type'),
    metadata: meta.metadata,
    metadataRaw: meta.metadataRaw,
    columns: unmappedColumns(row, mapped, drop),
  };
  return { fields, warnings };
}

/** thinking_trajectories: a list of strings (or such a list stored as text, or one string). */
function readTrajectories(value: unknown): string {
  let list: unknown = value;
  if (typeof value === 'string') {
    const trimmed = value.trim();
    list = trimmed.startsWith('[') ? (parseListText(trimmed) ?? [value]) : [value];
  }
  if (!Array.isArray(list)) {
    throw new RowError(`column "thinking_trajectories": expected a list of strings, found ${describeType(value)}`);
  }
  const bad = list.findIndex((t) => typeof t !== 'string');
  if (bad !== -1) {
    throw new RowError(`column "thinking_trajectories": item ${bad + 1} is ${describeType(list[bad])}, not text`);
  }
  const thinking = (list as string[]).join('\n');
  if (thinking.trim() === '') throw new RowError('no thinking: "thinking_trajectories" is empty');
  return thinking;
}

function parseListText(text: string): unknown[] | undefined {
  try {
    const v: unknown = JSON.parse(text);
    if (Array.isArray(v)) return v;
  } catch {
    const v = parsePythonLiteral(text);
    if (Array.isArray(v)) return v;
  }
  return undefined;
}
