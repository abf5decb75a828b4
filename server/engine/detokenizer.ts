/**
 * Turns generated tokens into text exactly, one token at a time.
 *
 * A token may end inside a multi-byte UTF-8 character (byte-fallback tokens such as `<0xE2>`).
 * Such a token contributes "" and the token that completes the character carries it whole, so the
 * tokens' texts joined are exactly the generated text and no text ever holds half a character.
 */
export type DetokenizeFn = (tokens: readonly number[], lastTokens: readonly number[]) => string;

/** At most this many tokens wait for a character to complete before their bytes are given up. */
// A replacement character the model really produced waits at most this long, then comes out whole.
const MAX_PENDING = 4;

export class IncrementalDetokenizer {
  private pending: number[] = [];
  private history: number[] = [];

  constructor(private readonly detokenize: DetokenizeFn) {}

  /** Whether the text so far ends inside a multi-byte character. */
  get midCharacter(): boolean {
    return this.pending.length > 0;
  }

  /** The text `token` adds ("" while a character is incomplete). */
  push(token: number): string {
    this.pending.push(token);
    const text = this.detokenize(this.pending, this.history.slice(-8));
    if (text.endsWith('\uFFFD') && this.pending.length < MAX_PENDING) {
      return '';
    }
    this.history.push(...this.pending);
    if (this.history.length > 64) this.history = this.history.slice(-16);
    this.pending = [];
    return text;
  }

  /** A copy in the same state. */
  clone(): IncrementalDetokenizer {
    const copy = new IncrementalDetokenizer(this.detokenize);
    copy.pending = this.pending.slice();
    copy.history = this.history.slice();
    return copy;
  }

  /** Forgets everything (a new sequence, or a rewind that starts over). */
  reset(history: readonly number[] = []): void {
    this.pending = [];
    this.history = history.slice(-16);
  }

}
