/**
 * DeepSeek-R1-style rows: a question (prompt/question/problem/…) with a response that holds
 * `<think>…</think>` followed by the answer, or a `reasoning_content` field; and chat rows
 * (`messages` with role/content/reasoning_content, or ShareGPT `conversations`).
 */
import {
  deriveDomain,
  describeType,
  optionalText,
  readMetadata,
  RowError,
  splitThinkTags,
  unmappedColumns,
  type RecordFields,
  type Row,
} from './fields';
import type { MappedRow } from './s1k';

const QUESTION_KEYS = ['question', 'problem', 'prompt', 'instruction', 'input', 'query'];
const RESPONSE_KEYS = ['response', 'output', 'completion', 'generation', 'model_response', 'content'];
const GENERATIONS_KEY = 'generations';
const REASONING_KEY = 'reasoning_content';
const SOLUTION_KEYS = ['solution', 'ground_truth', 'reference_answer', 'gold', 'target', 'answer'];
const CHAT_KEYS = ['messages', 'conversations'];

/** Whether a row looks like a question with a reasoning response. */
export function isR1ThinkRow(row: Row): boolean {
  const hasQuestion = QUESTION_KEYS.some((k) => typeof row[k] === 'string' || isMessageList(row[k]));
  const hasResponse =
    RESPONSE_KEYS.some((k) => typeof row[k] === 'string') || typeof row[REASONING_KEY] === 'string' || Array.isArray(row[GENERATIONS_KEY]);
  return hasQuestion && hasResponse;
}

/** Whether a row holds a chat with at least one assistant turn. */
export function isR1ChatRow(row: Row): boolean {
  return CHAT_KEYS.some((k) => isMessageList(row[k]));
}

interface Turn {
  role: string;
  content: string;
  reasoning: string | null;
}

function isMessageList(value: unknown): value is Record<string, unknown>[] {
  return Array.isArray(value) && value.length > 0 && value.every((m) => typeof m === 'object' && m !== null && !Array.isArray(m));
}

function readTurns(list: Record<string, unknown>[], column: string): Turn[] {
  return list.map((m, i) => {
    const role = m.role ?? m.from;
    const content = m.content ?? m.value ?? '';
    if (typeof role !== 'string') throw new RowError(`column "${column}": message ${i + 1} has no role`);
    if (typeof content !== 'string') throw new RowError(`column "${column}": message ${i + 1} content is ${describeType(content)}, not text`);
    const reasoning = typeof m.reasoning_content === 'string' ? m.reasoning_content : null;
    return { role: normaliseRole(role), content, reasoning };
  });
}

function normaliseRole(role: string): string {
  const r = role.toLowerCase();
  if (r === 'human') return 'user';
  if (r === 'gpt' || r === 'model') return 'assistant';
  return r;
}

/** Reasoning and answer of an assistant reply: `reasoning` when given, else the think tags. */
function splitReply(content: string, reasoning: string | null, warnings: string[]): { thinking: string; attempt: string | null } {
  if (reasoning !== null) return { thinking: reasoning, attempt: content.trim() === '' ? null : content };
  const split = splitThinkTags(content);
  if (!split.closed) warnings.push('no </think> in the response: the thinking never ended (truncated?), so the record has no answer');
  return { thinking: split.thinking, attempt: split.answer };
}

function readSolution(row: Row, exclude: string | null): { solution: string | null; key: string | null } {
  for (const key of SOLUTION_KEYS) {
    if (key === exclude || row[key] === null || row[key] === undefined) continue;
    if (typeof row[key] === 'string' && (row[key] as string).includes('</think>')) continue;
    return { solution: optionalText(row, key), key };
  }
  return { solution: null, key: null };
}

function assemble(
  row: Row,
  question: string,
  reply: { thinking: string; attempt: string | null },
  mapped: Set<string>,
  warnings: string[],
  drop?: (name: string) => boolean,
): MappedRow {
  if (question.trim() === '') throw new RowError('the question is empty');
  if (reply.thinking.trim() === '') throw new RowError('no thinking: the response has no <think> block or reasoning_content');
  const { solution, key } = readSolution(row, null);
  if (key) mapped.add(key);
  const sourceKey = typeof row.source_type === 'string' ? 'source_type' : typeof row.source === 'string' ? 'source' : null;
  if (sourceKey) mapped.add(sourceKey);
  for (const k of ['cot_type', 'metadata', 'domain']) mapped.add(k);
  const cotType = optionalText(row, 'cot_type');
  const meta = readMetadata(row.metadata);
  if (meta.warning) warnings.push(meta.warning);
  const fields: RecordFields = {
    question,
    solution,
    thinking: reply.thinking,
    attempt: reply.attempt,
    domain: deriveDomain(row, meta.metadata, cotType),
    cotType,
    sourceType: sourceKey ? (row[sourceKey] as string) : null,
    metadata: meta.metadata,
    metadataRaw: meta.metadataRaw,
    columns: unmappedColumns(row, mapped, drop),
  };
  return { fields, warnings };
}

/** Maps a question + reasoning response row. */
export function mapR1ThinkRow(row: Row, drop?: (name: string) => boolean): MappedRow {
  const warnings: string[] = [];
  const mapped = new Set<string>();
  const qKey = QUESTION_KEYS.find((k) => typeof row[k] === 'string' || isMessageList(row[k]))!;
  mapped.add(qKey);
  let question: string;
  if (typeof row[qKey] === 'string') question = row[qKey] as string;
  else {
    const users = readTurns(row[qKey] as Record<string, unknown>[], qKey).filter((t) => t.role === 'user');
    if (users.length === 0) throw new RowError(`column "${qKey}": no user message`);
    question = users[users.length - 1]!.content;
  }

  let response: string | null = null;
  const rKey = RESPONSE_KEYS.find((k) => k !== qKey && typeof row[k] === 'string');
  if (rKey) {
    response = row[rKey] as string;
    mapped.add(rKey);
  } else if (Array.isArray(row[GENERATIONS_KEY])) {
    const gens = row[GENERATIONS_KEY] as unknown[];
    if (typeof gens[0] !== 'string') throw new RowError(`column "${GENERATIONS_KEY}": expected a list of strings`);
    response = gens[0];
    if (gens.length > 1) warnings.push(`${gens.length} generations: imported the first`);
    mapped.add(GENERATIONS_KEY);
  }
  let reasoning: string | null = null;
  if (typeof row[REASONING_KEY] === 'string') {
    reasoning = row[REASONING_KEY] as string;
    mapped.add(REASONING_KEY);
  }
  const reply = splitReply(response ?? '', reasoning, warnings);
  return assemble(row, question, reply, mapped, warnings, drop);
}

/** Maps a chat row: the last assistant turn and the user turn before it. */
export function mapR1ChatRow(row: Row, drop?: (name: string) => boolean): MappedRow {
  const warnings: string[] = [];
  const key = CHAT_KEYS.find((k) => isMessageList(row[k]))!;
  const turns = readTurns(row[key] as Record<string, unknown>[], key);
  let a = turns.length - 1;
  while (a >= 0 && turns[a]!.role !== 'assistant') a--;
  if (a < 0) throw new RowError(`column "${key}": no assistant message`);
  let u = a - 1;
  while (u >= 0 && turns[u]!.role !== 'user') u--;
  if (u < 0) throw new RowError(`column "${key}": no user message before the assistant's reply`);
  if (turns.filter((t) => t.role === 'assistant').length > 1) warnings.push('several assistant turns: imported the last one');
  const reply = splitReply(turns[a]!.content, turns[a]!.reasoning, warnings);
  return assemble(row, turns[u]!.content, reply, new Set([key]), warnings, drop);
}
