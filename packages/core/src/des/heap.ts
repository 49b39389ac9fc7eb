/**
 * The future-event list: a binary min-heap on event time, stored as two parallel typed arrays
 * (time, payload) so pushing and popping allocate nothing. The payload is an integer the
 * simulator packs (event kind and the job it concerns). Ties pop in an order fixed by the
 * heap's operations, so a seed still gives one answer everywhere.
 */
export class EventHeap {
  time: Float64Array;
  payload: Int32Array;
  size = 0;

  constructor(capacity = 1024) {
    this.time = new Float64Array(capacity);
    this.payload = new Int32Array(capacity);
  }

  clear(): void {
    this.size = 0;
  }

  push(t: number, p: number): void {
    if (this.size === this.time.length) this.grow();
    const time = this.time;
    const payload = this.payload;
    let i = this.size++;
    // Sift up with a hole instead of swaps: one write per level.
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pt = time[parent] as number;
      if (pt <= t) break;
      time[i] = pt;
      payload[i] = payload[parent] as number;
      i = parent;
    }
    time[i] = t;
    payload[i] = p;
  }

  /** Time of the earliest event (the heap must not be empty). */
  peekTime(): number {
    return this.time[0] as number;
  }

  /** Payload of the earliest event (the heap must not be empty). */
  peekPayload(): number {
    return this.payload[0] as number;
  }

  /** Removes the earliest event; read it first with peekTime/peekPayload. */
  pop(): void {
    const n = --this.size;
    if (n === 0) return;
    const time = this.time;
    const payload = this.payload;
    const t = time[n] as number;
    const p = payload[n] as number;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      let ct = time[child] as number;
      const right = child + 1;
      if (right < n) {
        const rt = time[right] as number;
        if (rt < ct) {
          child = right;
          ct = rt;
        }
      }
      if (ct >= t) break;
      time[i] = ct;
      payload[i] = payload[child] as number;
      i = child;
    }
    time[i] = t;
    payload[i] = p;
  }

  private grow(): void {
    const t = new Float64Array(this.time.length * 2);
    t.set(this.time);
    const p = new Int32Array(this.payload.length * 2);
    p.set(this.payload);
    this.time = t;
    this.payload = p;
  }
}
