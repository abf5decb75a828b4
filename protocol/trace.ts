/**
 * The ThinkScope trace format, version 1.
 *
 * One trace per `.trace.json` file, or one per line in a `.jsonl` file. Documented field by field
 * in docs/trace-format.md; the JSON Schema is docs/trace.schema.json. Readers keep any field they
 * do not know (see `extra` handling in server/trace/io.ts), and refuse a future version with a
 * clear message instead of misreading it.
 */

export const TRACE_FORMAT = 'thinkscope.trace';
export const TRACE_VERSION = 1;

/** Who put a token into the sequence. */
export type TokenSource = 'model' | 'injected' | 'forced';

/** Which part of the generation a token belongs to. The end-of-thinking delimiter opens the answer phase. */
export type TokenPhase = 'thinking' | 'answer';

export interface TokenAlternative {
  id: number;
  text: string;
  logprob: number;
}

export interface TraceToken {
  /** Vocabulary id. */
  id: number;
  /**
   * The text this token adds to the generated text. A token that ends in the middle of a
   * multi-byte character carries "" and the token that completes the character carries it whole,
   * so `tokens.map(t => t.text).join('')` is exactly the generated text.
   */
  text: string;
  /** Natural log of the probability the model gave this token; null for injected and forced tokens. */
  logprob: number | null;
  /** Entropy (nats) of the full-vocabulary distribution this token was sampled from; null when unknown. */
  entropy: number | null;
  /** The most likely tokens at this position, most likely first. */
  top: TokenAlternative[];
  source: TokenSource;
  phase: TokenPhase;
}

export type TraceEventKind =
  /** The model sampled end-of-thinking below the minimum: it was dropped and `injected` put in its place. */
  | 'suppressed-end'
  /** Thinking reached the maximum: the end delimiter and the answer prefix were forced. */
  | 'forced-end'
  /** The model ended thinking by itself and was allowed to. */
  | 'natural-end'
  /** The model opened a new thinking block in the answer; it shares the thinking budget. */
  | 'thinking-reopened'
  /** The model sampled end-of-sequence while thinking; thinking was closed and an answer forced. */
  | 'eos-in-thinking'
  /** The answer reached its own token cap. */
  | 'answer-cap'
  /** The context window filled up. */
  | 'context-full'
  /** The user cancelled; the trace is a valid partial trace. */
  | 'cancelled'
  /** The process generating the trace died; the trace is what was received before. */
  | 'interrupted'
  /** Live debugger actions. */
  | 'user-injected'
  | 'user-chose-token'
  | 'user-forced-end'
  | 'rewind'
  | 'paused';

export interface WantedToken {
  id: number;
  text: string;
  logprob: number | null;
}

export interface TraceEvent {
  kind: TraceEventKind;
  /** Index into `tokens` where the intervention's tokens begin (or where it happened). */
  at: number;
  /** What the model sampled at that point, when it did. */
  wanted?: WantedToken;
  /** The text put in its place. */
  injected?: string;
  /** Thinking tokens generated when the event happened. */
  thinkingTokens?: number;
  /** Free text, e.g. why a rewind happened or which breakpoint fired. */
  detail?: string;
  /** For `rewind`: the id of the child trace that keeps the abandoned branch. */
  branchTraceId?: string;
}

export type StopReason =
  | 'eos'
  | 'answer-cap'
  | 'context-full'
  | 'cancelled'
  | 'interrupted'
  | 'error'
  /** Imported from text: how it ended is not known. */
  | 'imported';

export interface ModelInfo {
  /** Display name (file name without extension, or the remote model id). */
  name: string;
  /** Absolute path of the GGUF file; null for a remote model. */
  path: string | null;
  /** sha256 of the model file, hex; null when unknown (remote). */
  sha256: string | null;
  engine: 'local' | 'remote';
  /** The chat template the prompt was built with (Jinja source or a named template). */
  chatTemplate: string | null;
  /** Compute backend node-llama-cpp used: 'cpu', 'cuda', 'vulkan', 'metal'; the server kind for remote. */
  backend?: string;
  /** Remote engine endpoint, without credentials. */
  endpoint?: string;
}

export interface SamplingSettings {
  /** 0 means greedy. */
  temperature: number;
  /** 0 means the whole vocabulary. */
  topK: number;
  topP: number;
  minP?: number;
  seed: number;
}

export interface BudgetSettings {
  /** Below this many thinking tokens an end-of-thinking is suppressed. 0 disables. */
  minThinkingTokens: number;
  /** Thinking is cut at this many tokens; null means no maximum. */
  maxThinkingTokens: number | null;
  /**
   * Suppress the model's end-of-thinking this many times at most (each time appending
   * `extendWith`); null means "only as long as thinking is below the minimum".
   */
  ignoreEnd: number | null;
  /** Appended in place of a suppressed end-of-thinking, e.g. "Wait". */
  extendWith: string;
  /** Appended after a forced end-of-thinking, e.g. "Final Answer:". */
  answerPrefix: string;
  /** The answer's own cap. */
  maxAnswerTokens: number;
}

export interface Delimiters {
  /** Opens thinking, e.g. `<think>` or `<|im_start|>think`. */
  thinkStart: string;
  /** Ends thinking, e.g. `</think>` or `<|im_start|>answer`. */
  thinkEnd: string;
}

export interface GeneratorInfo {
  name: 'thinkscope';
  version: string;
}

export interface TraceTiming {
  startedAt: string;
  durationMs: number;
  promptTokens: number;
  /** Generated (model) tokens per second, prompt evaluation excluded. */
  tokensPerSecond: number;
}

/** Where a trace came from when it was forked from another. */
export interface TraceParent {
  traceId: string;
  /** Index into the parent's tokens: the fork keeps tokens [0, forkAt). */
  forkAt: number;
  relation: 'fork' | 'sweep' | 'abandoned-branch';
}

export interface TraceDocument {
  format: typeof TRACE_FORMAT;
  version: number;
  id: string;
  createdAt: string;
  question: string;
  groundTruth: string | null;
  /** The exact text fed to the model before the first generated token. */
  prompt: string;
  model: ModelInfo;
  sampling: SamplingSettings;
  budget: BudgetSettings;
  delimiters: Delimiters;
  tokens: TraceToken[];
  events: TraceEvent[];
  thinkingTokens: number;
  answerTokens: number;
  /** Text of the answer phase, after the end-of-thinking delimiter. */
  answer: string;
  stopReason: StopReason;
  generator: GeneratorInfo;
  timing?: TraceTiming;
  parent?: TraceParent;
  /** How token counts were obtained when the trace was not generated token by token. */
  tokenCounts?: 'exact' | 'tokenizer' | 'estimated';
}
// Fields this version does not define stay on the parsed object at run time, so a reader that
// rewrites a trace writes them back unchanged.
