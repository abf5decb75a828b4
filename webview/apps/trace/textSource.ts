/** The generated text of a trace with the character offset of every token, kept in step with its tokens. */
import type { TraceToken } from '../../../protocol/trace';

/** Read access to a trace's tokens and their text, shared by the modules that scan it. */
export interface TextSource {
  readonly tokens: readonly TraceToken[];
  /** charStart[i]: offset in `text` of token i's first character. */
  readonly charStart: readonly number[];
  /** All token texts joined. */
  readonly text: string;
}

/** The tokens' joined text and per-token offsets; grows and shrinks with the token list. */
export class TokenText implements TextSource {
  text = '';
  readonly charStart: number[] = [];

  /**
   * `joined` may give the tokens' text already joined (as it arrives in columns) with each
   * token's end offset; otherwise it is computed.
   */
  constructor(readonly tokens: TraceToken[], joined?: { text: string; ends: ArrayLike<number> }) {
    if (joined && joined.ends.length === tokens.length) {
      this.text = joined.text;
      let start = 0;
      for (let i = 0; i < tokens.length; i++) {
        this.charStart.push(start);
        start = joined.ends[i];
      }
      return;
    }
    this.sync(0);
  }

  /** Recomputes offsets and text from token `from` on, after tokens from there changed. */
  sync(from: number): void {
    const start = Math.min(from, this.charStart.length);
    const cut = start < this.charStart.length ? this.charStart[start] : this.text.length;
    this.charStart.length = start;
    const parts: string[] = [this.text.slice(0, cut)];
    let offset = cut;
    for (let i = start; i < this.tokens.length; i++) {
      this.charStart.push(offset);
      const text = this.tokens[i].text;
      parts.push(text);
      offset += text.length;
    }
    this.text = parts.join('');
  }

  /** Character offset just past token i. */
  charEnd(i: number): number {
    return i + 1 < this.charStart.length ? this.charStart[i + 1] : this.text.length;
  }
}
