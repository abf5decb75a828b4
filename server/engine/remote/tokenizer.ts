/**
 * The server's own tokenizer, through the endpoints vLLM and llama.cpp's server offer next to the
 * OpenAI API: `POST /tokenize` and `POST /detokenize` at the server root (vLLM: `{prompt,
 * add_special_tokens}` → `{tokens}`, `{tokens}` → `{prompt}`; llama.cpp: `{content, add_special}` →
 * `{tokens}`, `{tokens}` → `{content}`). Results are cached: the same fragments ("Wait", the forced
 * end) and the same alternative ids come back again and again.
 */
import { RemoteEngineError } from './errors';
import type { RemoteHttpClient } from './http';

/** Which request fields the server understands. */
export type TokenizerDialect = 'vllm' | 'llamacpp' | 'generic';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export class RemoteTokenizer {
  private availability: Promise<boolean> | null = null;
  private readonly tokenized = new Map<string, Promise<number[]>>();
  private readonly pieceCache = new Map<number, Promise<string>>();
  private readonly piecesCache = new Map<string, Promise<string[]>>();

  constructor(
    private readonly http: RemoteHttpClient,
    private readonly model: string,
    private readonly dialect: TokenizerDialect,
  ) {}

  /** Whether the server has a tokenizer endpoint (asked once). Errors other than "no such endpoint" are thrown. */
  available(signal?: AbortSignal): Promise<boolean> {
    this.availability ??= this.request('/tokenize', this.tokenizeBody('a', false), signal).then(
      (answer) => readTokens(answer) !== null,
      (error: unknown) => {
        this.availability = null;
        if (error instanceof RemoteEngineError && (error.kind === 'not-found' || error.status === 405 || error.status === 501)) {
          return false;
        }
        throw error;
      },
    );
    return this.availability;
  }

  /**
   * Token ids of `text`. `special`: add the model's special tokens (BOS) as a prompt gets them.
   * Special-token text such as `</think>` is always parsed as the special token.
   */
  tokenize(text: string, special: boolean, signal?: AbortSignal): Promise<number[]> {
    const key = `${special ? 1 : 0}${text}`;
    let result = this.tokenized.get(key);
    if (!result) {
      result = this.request('/tokenize', this.tokenizeBody(text, special), signal).then((answer) => {
        const tokens = readTokens(answer);
        if (tokens === null) {
          throw new RemoteEngineError('malformed', `The tokenizer of the remote engine at ${this.http.endpoint} answered without a token list`);
        }
        return tokens;
      });
      this.remember(this.tokenized, key, result);
    }
    return result;
  }

  /** The text of a token sequence. */
  async detokenize(ids: readonly number[], signal?: AbortSignal): Promise<string> {
    const answer = await this.request('/detokenize', { model: this.model, tokens: ids }, signal);
    const text = isRecord(answer) ? (answer.prompt ?? answer.content ?? answer.text) : undefined;
    if (typeof text !== 'string') {
      throw new RemoteEngineError('malformed', `The detokenizer of the remote engine at ${this.http.endpoint} answered without text`);
    }
    return text;
  }

  /** The text of one token on its own (alternatives' texts). */
  piece(id: number, signal?: AbortSignal): Promise<string> {
    let result = this.pieceCache.get(id);
    if (!result) {
      result = this.detokenize([id], signal);
      this.remember(this.pieceCache, id, result);
    }
    return result;
  }

  /** The piece of `id` if it is already known, without asking the server. */
  knownPiece(id: number): Promise<string> | undefined {
    return this.pieceCache.get(id);
  }

  /**
   * The text each token of `ids` adds when they are decoded in sequence: a token that ends inside
   * a multi-byte character adds "" and the one that completes it carries the character, so the
   * texts joined are exactly the decoded sequence.
   */
  pieces(ids: readonly number[], signal?: AbortSignal): Promise<string[]> {
    const key = ids.join(',');
    let result = this.piecesCache.get(key);
    if (!result) {
      result = (async () => {
        const texts: string[] = [];
        let emitted = '';
        for (let i = 0; i < ids.length; i++) {
          const full = await this.detokenize(ids.slice(0, i + 1), signal);
          if (i < ids.length - 1 && full.endsWith('\uFFFD')) {
            texts.push('');
            continue;
          }
          const text = full.startsWith(emitted) ? full.slice(emitted.length) : full.slice(Math.min(emitted.length, full.length));
          texts.push(text);
          emitted = full;
        }
        return texts;
      })();
      this.remember(this.piecesCache, key, result);
    }
    return result;
  }

  private tokenizeBody(text: string, special: boolean): Record<string, unknown> {
    switch (this.dialect) {
      case 'vllm':
        return { model: this.model, prompt: text, add_special_tokens: special };
      case 'llamacpp':
        return { content: text, add_special: special, parse_special: true };
      default:
        return { model: this.model, prompt: text, content: text, add_special_tokens: special, add_special: special };
    }
  }

  private request(path: string, body: unknown, signal?: AbortSignal): Promise<unknown> {
    return this.http.postJson(path, body, { atRoot: true, ...(signal ? { signal } : {}) });
  }

  /** Caches a result, forgetting it if it fails (a later call asks again). */
  private remember<K, V>(cache: Map<K, Promise<V>>, key: K, value: Promise<V>): void {
    cache.set(key, value);
    value.catch(() => {
      if (cache.get(key) === value) cache.delete(key);
    });
    if (cache.size > 50_000) cache.delete(cache.keys().next().value as K);
  }
}

/** The token ids of a tokenize answer: `tokens` as ids, or as `{id, piece}` objects (llama.cpp `with_pieces`). */
function readTokens(answer: unknown): number[] | null {
  if (!isRecord(answer) || !Array.isArray(answer.tokens)) return null;
  const out: number[] = [];
  for (const t of answer.tokens) {
    if (Number.isInteger(t)) out.push(t as number);
    else if (isRecord(t) && Number.isInteger(t.id)) out.push(t.id as number);
    else return null;
  }
  return out;
}
