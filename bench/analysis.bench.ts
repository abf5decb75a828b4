/**
 * Analysis and trace-document language features on a synthetic 32,000-token R1-style trace
 * (paragraphs, reflection cues, candidate answers, injected "Wait"s, a forced cut), written in the
 * real `.trace.json` layout. Prints `name: value` lines:
 *   analyze_32k_ms        analyzeTrace on the parsed trace (median of warm runs; _min_ms: the fastest,
 *                         which a busy machine disturbs least; _first_ms: the first, cold run)
 *   diagnostics_32k_ms    diagnostics of a new document version: parse + check + analyse + findings
 *   document_parse_32k_ms the parse + check part alone (JSON.parse and the trace reader's checks)
 *   hover_p95_ms          hover at 1,000 random positions after the first parse (p95)
 * and a few more figures for context.
 */
import { performance } from 'node:perf_hooks';
import type { TokenPhase, TokenSource, TraceDocument, TraceEvent, TraceToken } from '../protocol/trace';
import { analyzeTrace } from '../server/analysis/metrics';
import { createTraceLanguageFeatures } from '../server/lsp/features/index';
import { parseTraceJsonDocument } from '../server/lsp/traceDocument';
import { serializeTrace } from '../server/trace/serialize';

const TARGET_TOKENS = 32_000;

/** Deterministic PRNG (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const OPENERS = ['', '', '', 'Wait, ', 'Hmm, ', 'Alternatively, ', 'But wait, ', 'Let me double-check: ', 'Actually, '];
const SENTENCES = [
  'the sum of the first {n} odd numbers is {m}',
  'if we factor the expression we get ({n} + x)(x - {m})',
  'so the total number of arrangements is {n}',
  'that means the probability is \\frac{{n}}{{m}}',
  'substituting x = {n} into the equation gives {m}',
  'the triangle has sides {n}, {m} and the hypotenuse follows from Pythagoras',
  'so the answer is {n}',
  'let me recount the cases where the digit {n} appears',
  'the remainder when dividing by {m} is {n}',
  'therefore the area is {n} square units',
];

function words(text: string): string[] {
  return text.match(/\n+|[ \t]*[\p{L}\p{N}]+|[ \t]*[^\s\p{L}\p{N}]|[ \t]+|\s/gu) ?? [];
}

function syntheticTrace(): TraceDocument {
  const random = rng(42);
  const tokens: TraceToken[] = [];
  const events: TraceEvent[] = [];
  const push = (text: string, source: TokenSource, phase: TokenPhase) => {
    for (const w of source === 'model' ? words(text) : [text]) {
      const p = 0.2 + 0.79 * random();
      tokens.push({
        id: Math.floor(random() * 150_000),
        text: w,
        logprob: source === 'model' ? Math.log(p) : null,
        entropy: source === 'model' ? 3 * random() : null,
        top:
          source === 'model'
            ? [
                { id: 1, text: w, logprob: Math.log(p) },
                { id: 2, text: ' the', logprob: Math.log((1 - p) * 0.6) },
                { id: 3, text: ' so', logprob: Math.log((1 - p) * 0.3) },
              ]
            : [],
        source,
        phase,
      });
    }
  };
  const budget = TARGET_TOKENS - 200;
  while (tokens.length < budget) {
    const sentences = 2 + Math.floor(random() * 4);
    let paragraph = OPENERS[Math.floor(random() * OPENERS.length)]!;
    for (let s = 0; s < sentences; s++) {
      const template = SENTENCES[Math.floor(random() * SENTENCES.length)]!;
      const sentence = template.replace('{n}', String(1 + Math.floor(random() * 60))).replace('{m}', String(1 + Math.floor(random() * 60)));
      paragraph += `${s === 0 && paragraph === '' ? sentence[0]!.toUpperCase() + sentence.slice(1) : sentence}. `;
    }
    push(`${paragraph.trimEnd()}\n\n`, 'model', 'thinking');
    if (random() < 0.01) {
      events.push({ kind: 'suppressed-end', at: tokens.length, wanted: { id: 151649, text: '</think>', logprob: Math.log(0.8) }, injected: 'Wait', thinkingTokens: tokens.length });
      push('Wait', 'injected', 'thinking');
    }
  }
  push('and then the count of', 'model', 'thinking');
  const thinkingTokens = tokens.length;
  events.push({ kind: 'forced-end', at: tokens.length, wanted: { id: 4, text: ' the', logprob: Math.log(0.5) }, injected: '</think>\nFinal Answer:', thinkingTokens });
  push('</think>', 'forced', 'answer');
  push('\nFinal Answer:', 'forced', 'answer');
  while (tokens.length < TARGET_TOKENS - 10) push(' The sum is 42 and so on.', 'model', 'answer');
  push(' The answer is $\\boxed{42}$.', 'model', 'answer');
  return {
    format: 'thinkscope.trace',
    version: 1,
    id: 'bench-32k',
    createdAt: '2025-01-01T00:00:00.000Z',
    question: 'A synthetic question',
    groundTruth: '42',
    prompt: '<think>\n',
    model: { name: 'synthetic', path: null, sha256: null, engine: 'local', chatTemplate: null },
    sampling: { temperature: 0, topK: 0, topP: 1, seed: 42 },
    budget: { minThinkingTokens: 0, maxThinkingTokens: thinkingTokens, ignoreEnd: null, extendWith: 'Wait', answerPrefix: 'Final Answer:', maxAnswerTokens: 512 },
    delimiters: { thinkStart: '<think>', thinkEnd: '</think>' },
    tokens,
    events,
    thinkingTokens,
    answerTokens: tokens.length - thinkingTokens,
    answer: tokens
      .filter((t) => t.phase === 'answer')
      .map((t) => t.text)
      .join('')
      .replace(/^[\s\S]*<\/think>/, '')
      .trim(),
    stopReason: 'eos',
    generator: { name: 'thinkscope', version: 'bench' },
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}
function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}
const ms = (x: number) => x.toFixed(2);

const trace = syntheticTrace();
const json = serializeTrace(trace);

// Analysis on the parsed trace: the first run (cold), then the median of warm runs.
const analyzeRuns: number[] = [];
for (let r = 0; r < 12; r++) {
  const t0 = performance.now();
  analyzeTrace(trace);
  analyzeRuns.push(performance.now() - t0);
}
const analyzeFirst = analyzeRuns[0]!;
analyzeRuns.splice(0, 3);

// Diagnostics of a document that changed: everything from the text.
const features = createTraceLanguageFeatures();
const uri = 'file:///bench/synthetic.trace.json';
let version = 0;
const doc = () => ({ uri, version, getText: () => json });
const diagnosticsRuns: number[] = [];
let diagnosticsCount = 0;
for (let r = 0; r < 6; r++) {
  version++;
  const t0 = performance.now();
  diagnosticsCount = features.diagnostics(doc()).length;
  diagnosticsRuns.push(performance.now() - t0);
}
const diagnosticsFirst = diagnosticsRuns.shift()!;

// The document model alone: JSON.parse, the trace reader's checks, the line index.
const parseRuns: number[] = [];
for (let r = 0; r < 5; r++) {
  const t0 = performance.now();
  parseTraceJsonDocument(uri, 0, json);
  parseRuns.push(performance.now() - t0);
}

// Hovers on the cached version.
const random = rng(7);
const lines = json.split('\n');
const hoverRuns: number[] = [];
let hovered = 0;
for (let k = 0; k < 1000; k++) {
  const line = Math.floor(random() * lines.length);
  const character = Math.floor(random() * Math.max(1, lines[line]!.length));
  const t0 = performance.now();
  const h = features.hover(doc(), { line, character });
  hoverRuns.push(performance.now() - t0);
  if (h) hovered++;
}

const t1 = performance.now();
const symbols = features.documentSymbols(doc());
const symbolsMs = performance.now() - t1;
const t2 = performance.now();
const semantic = features.semanticTokens(doc());
const semanticMs = performance.now() - t2;
const t3 = performance.now();
features.foldingRanges(doc());
features.codeLenses(doc());
const foldLensMs = performance.now() - t3;
const analysis = features.analysis(doc());
if (!analysis) throw new Error(`the synthetic trace did not analyse: ${JSON.stringify(features.diagnostics(doc()))}`);

console.log(`trace_tokens: ${trace.tokens.length}`);
console.log(`trace_json_bytes: ${Buffer.byteLength(json)}`);
console.log(`trace_steps: ${analysis.steps.length}`);
console.log(`analyze_32k_ms: ${ms(median(analyzeRuns))}`);
console.log(`analyze_32k_min_ms: ${ms(Math.min(...analyzeRuns))}`);
console.log(`analyze_32k_first_ms: ${ms(analyzeFirst)}`);
console.log(`diagnostics_32k_ms: ${ms(median(diagnosticsRuns))}`);
console.log(`diagnostics_32k_min_ms: ${ms(Math.min(...diagnosticsRuns))}`);
console.log(`diagnostics_32k_first_ms: ${ms(diagnosticsFirst)}`);
console.log(`document_parse_32k_ms: ${ms(median(parseRuns))}`);
console.log(`diagnostics_32k_count: ${diagnosticsCount}`);
console.log(`hover_p50_ms: ${ms(percentile(hoverRuns, 50))}`);
console.log(`hover_p95_ms: ${ms(percentile(hoverRuns, 95))}`);
console.log(`hover_hits: ${hovered}`);
console.log(`symbols_32k_ms: ${ms(symbolsMs)}`);
console.log(`symbols_32k_count: ${symbols.reduce((n, s) => n + 1 + (s.children?.length ?? 0), 0)}`);
console.log(`semantic_tokens_32k_ms: ${ms(semanticMs)}`);
console.log(`semantic_tokens_32k_count: ${semantic.data.length / 5}`);
console.log(`folding_and_lenses_32k_ms: ${ms(foldLensMs)}`);
