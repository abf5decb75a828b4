/**
 * Replay: plays the generation back from the selection at a chosen speed (tokens per second),
 * on animation frames, so it pauses by itself while the view is hidden.
 */
export class Replay {
  private frame = 0;
  private last = 0;
  private carry = 0;
  private speed = 20;

  /** `advance(k)` moves the selection k tokens on and returns false when it reached the end. */
  constructor(private readonly advance: (tokens: number) => boolean, private readonly onStop: () => void) {}

  get running(): boolean {
    return this.frame !== 0;
  }

  /** Starts playing at `speed` tokens per second. */
  start(speed: number): void {
    this.speed = speed;
    if (this.running) return;
    this.carry = 0;
    this.last = performance.now();
    this.frame = requestAnimationFrame((t) => this.tick(t));
  }

  /** Changes the speed, playing or not. */
  setSpeed(speed: number): void {
    this.speed = speed;
  }

  /** Stops playing. */
  stop(): void {
    if (!this.running) return;
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.onStop();
  }

  private tick(now: number): void {
    this.carry += (Math.max(0, now - this.last) / 1000) * this.speed;
    this.last = now;
    const steps = Math.floor(this.carry);
    this.carry -= steps;
    if (steps > 0 && !this.advance(steps)) {
      this.frame = 0;
      this.onStop();
      return;
    }
    this.frame = requestAnimationFrame((t) => this.tick(t));
  }
}
