/**
 * The OpenAI completions wire format (`POST /v1/completions`) as vLLM documents it: the request the
 * engine sends, and the response chunks it reads back, checked and normalized.
 */
import { normalizeLogprobs, LogprobsShapeError, type RawTokenLogprob } from './logprobs';

/** The body of one completions request. Fields other than OpenAI's are vLLM / SGLang extensions. */
export interface CompletionRequestBody {
  model: string;
  /** Raw prompt text, or token ids (vLLM, SGLang and llama.cpp accept both). */
  prompt: string | number[];
  max_tokens: number;
  temperature: number;
  top_p: number;
  /** vLLM / SGLang / llama.cpp extension; sent only when set. */
  top_k?: number;
  /** vLLM / SGLang / llama.cpp extension; sent only when set. */
  min_p?: number;
  seed: number;
  stop: string[];
  /** How many alternatives per token; 0 still returns the chosen token's own logprob. */
  logprobs: number;
  n: 1;
  echo: false;
  stream: true;
  stream_options: { include_usage: true; continuous_usage_stats: true };
  /** vLLM: token ids of each chunk in `choices[].token_ids`. */
  return_token_ids: true;
  /** vLLM: write logprob tokens as `token_id:N` (set when the server can detokenize ids). */
  return_tokens_as_token_ids?: boolean;
  /** vLLM / SGLang: keep special tokens (`<|im_start|>`, `</think>`) in the text, as the trace needs. */
  skip_special_tokens: false;
  spaces_between_special_tokens: false;
  /**
   * vLLM: keep the matched stop string in the text. Without it vLLM holds back the last
   * `len(stop) - 1` characters of every streamed chunk, and chunks' texts would lag their tokens.
   */
  include_stop_str_in_output: true;
}

export type FinishReason = 'stop' | 'length' | (string & {});

export interface Usage {
  promptTokens: number | null;
  completionTokens: number | null;
}

/** One streamed chunk (or a whole non-streamed response), normalized. */
export interface CompletionChunk {
  /** The text this chunk adds. */
  text: string;
  finishReason: FinishReason | null;
  /**
   * vLLM's `stop_reason` (SGLang's `matched_stop`): the stop string matched (a string), a stop token
   * id (a number), null for end-of-sequence or a length stop; undefined when the server does not
   * send the field.
   */
  stopReason: string | number | null | undefined;
  /** Token ids of the tokens this chunk adds, when the server sent them. */
  tokenIds: number[] | null;
  /** Token ids of the prompt (vLLM sends them in the first chunk with `return_token_ids`). */
  promptTokenIds: number[] | null;
  logprobs: RawTokenLogprob[] | null;
  usage: Usage | null;
}

/** Why a chunk could not be read. */
export class ChunkFormatError extends Error {}

/** An error object the server put in the stream or in an error response, if `value` is one. */
export function serverErrorMessage(value: unknown): string | null {
  if (!isRecord(value)) return null;
  if (isRecord(value.error)) {
    const m = value.error.message;
    return typeof m === 'string' ? m : JSON.stringify(value.error);
  }
  if (typeof value.error === 'string') return value.error;
  if (value.object === 'error' && typeof value.message === 'string') return value.message;
  return null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function ids(value: unknown, field: string): number[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || !value.every((v) => Number.isInteger(v))) {
    throw new ChunkFormatError(`${field} must be a list of token ids`);
  }
  return value as number[];
}

function count(value: unknown, field: string): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new ChunkFormatError(`${field} must be a whole number`);
  }
  return value;
}

/**
 * Checks a parsed chunk and normalizes it. A chunk with no choices (the usage-only chunk vLLM sends
 * last) has empty text. Throws ChunkFormatError naming the field; a server error object in the
 * stream is not a chunk and must be checked with serverErrorMessage first.
 */
export function normalizeChunk(value: unknown): CompletionChunk {
  if (!isRecord(value)) throw new ChunkFormatError('a chunk must be a JSON object');
  const usage = readUsage(value.usage);
  const choices = value.choices;
  if (choices === undefined || (Array.isArray(choices) && choices.length === 0)) {
    if (!usage) throw new ChunkFormatError('a chunk must have choices');
    return { text: '', finishReason: null, stopReason: undefined, tokenIds: null, promptTokenIds: null, logprobs: null, usage };
  }
  if (!Array.isArray(choices)) throw new ChunkFormatError('choices must be a list');
  const choice: unknown = choices[0];
  if (!isRecord(choice)) throw new ChunkFormatError('choices[0] must be an object');
  const text = choice.text ?? '';
  if (typeof text !== 'string') throw new ChunkFormatError('choices[0].text must be a string');
  const finish = choice.finish_reason ?? null;
  if (finish !== null && typeof finish !== 'string') throw new ChunkFormatError('choices[0].finish_reason must be a string or null');
  // vLLM: stop_reason; SGLang: matched_stop (same meaning).
  const stop = choice.stop_reason !== undefined ? choice.stop_reason : choice.matched_stop;
  if (stop !== undefined && stop !== null && typeof stop !== 'string' && typeof stop !== 'number') {
    throw new ChunkFormatError(`choices[0].${choice.stop_reason !== undefined ? 'stop_reason' : 'matched_stop'} must be a string, a number or null`);
  }
  let logprobs: RawTokenLogprob[] | null;
  try {
    logprobs = normalizeLogprobs(choice.logprobs);
  } catch (error) {
    if (error instanceof LogprobsShapeError) throw new ChunkFormatError(`choices[0].${error.message}`);
    throw error;
  }
  return {
    text,
    finishReason: finish,
    stopReason: stop as string | number | null | undefined,
    tokenIds: ids(choice.token_ids, 'choices[0].token_ids'),
    promptTokenIds: ids(choice.prompt_token_ids ?? value.prompt_token_ids, 'choices[0].prompt_token_ids'),
    logprobs,
    usage,
  };
}

function readUsage(value: unknown): Usage | null {
  if (value === undefined || value === null) return null;
  if (!isRecord(value)) throw new ChunkFormatError('usage must be an object');
  return {
    promptTokens: count(value.prompt_tokens, 'usage.prompt_tokens'),
    completionTokens: count(value.completion_tokens, 'usage.completion_tokens'),
  };
}

/** A chunk's text for error messages: at most `max` characters, on one line. */
export function chunkExcerpt(data: string, max = 160): string {
  const flat = data.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}
