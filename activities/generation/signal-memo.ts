/**
 * What the poller last told each task's workflow, so a round does not send the same news
 * again while the workflow has not yet written it to the row the poller compares with. In a
 * wave of thousands of starts, workflows lag behind their rows by more than a round, and each
 * round re-signalled all of them: the signal fan-out outgrew the round and its heartbeat.
 * Kept per worker process; losing it (a restart, another worker) costs one repeated signal.
 */
export class SignalMemo {
  private readonly sent = new Map<number, { news: string; at: number }>();

  /** `repeatAfterMs`: the same news is sent again after this long, in case the workflow really missed it. */
  constructor(private readonly repeatAfterMs: number) {}

  /** Whether `news` for row `id` still has to be sent. */
  due(id: number, news: string, now = Date.now()): boolean {
    const last = this.sent.get(id);
    return !last || last.news !== news || now - last.at >= this.repeatAfterMs;
  }

  sentNow(id: number, news: string, now = Date.now()): void {
    this.sent.set(id, { news, at: now });
  }

  /** Forgets rows that are no longer in flight, so the memo stays as large as the in-flight set. */
  keepOnly(ids: Iterable<number>): void {
    const keep = new Set(ids);
    for (const id of this.sent.keys()) if (!keep.has(id)) this.sent.delete(id);
  }

  get size(): number {
    return this.sent.size;
  }
}
