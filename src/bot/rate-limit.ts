/**
 * Per-user limit on questions: at most `perMinute` in any sliding minute.
 * Protects the engine (CPU-bound embedding) from one eager or hostile user.
 */
export type RateDecision = { ok: true } | { ok: false; retryInSeconds: number; notify: boolean };

export class RateLimiter {
  private readonly hits = new Map<string, number[]>();
  private readonly notified = new Map<string, number>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Counts one request from `userId`. When over the limit, `notify` is true
   * only for the first refusal in a window, so a flood gets one polite reply, not many.
   */
  take(userId: number | string): RateDecision {
    const key = String(userId);
    const t = this.now();
    const recent = (this.hits.get(key) ?? []).filter((x) => t - x < 60_000);
    if (recent.length >= this.perMinute) {
      this.hits.set(key, recent);
      const retryInSeconds = Math.max(1, Math.ceil((recent[0]! + 60_000 - t) / 1000));
      const last = this.notified.get(key);
      const notify = last === undefined || t - last >= 60_000;
      if (notify) this.notified.set(key, t);
      return { ok: false, retryInSeconds, notify };
    }
    recent.push(t);
    this.hits.set(key, recent);
    return { ok: true };
  }
}
