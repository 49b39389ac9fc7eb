/**
 * The jobs of the DES event loop (sim.ts extends this): a struct of typed arrays with a free list,
 * so the loop allocates nothing. A job is one visit of a request to a queue (a root for the entry
 * request, a child for each call) or, with async messaging, one event copy (des/events.ts).
 * `jNext` links a waiting line, or the free list.
 */
export class DesJobs {
  protected cap = 0;
  protected jParent = new Int32Array(0);
  protected jQueue = new Int32Array(0);
  protected jStep = new Int32Array(0);
  protected jRep = new Int32Array(0);
  protected jPending = new Int32Array(0);
  protected jFlags = new Int32Array(0);
  /** A root's entry; an event copy's handler. */
  protected jEntry = new Int32Array(0);
  protected jNext = new Int32Array(0);
  protected jT0 = new Float64Array(0);
  protected freeHead = -1;

  /** Puts every job on the free list (a fresh replication). */
  protected freeAll(): void {
    this.freeHead = -1;
    for (let j = this.cap - 1; j >= 0; j--) {
      this.jNext[j] = this.freeHead;
      this.freeHead = j;
    }
  }

  protected alloc(): number {
    if (this.freeHead < 0) this.growJobs(this.cap * 2);
    const j = this.freeHead;
    this.freeHead = this.jNext[j] as number;
    return j;
  }

  protected free(job: number): void {
    this.jNext[job] = this.freeHead;
    this.freeHead = job;
  }

  /** The entry request a job serves (itself for a root). */
  protected rootOf(job: number): number {
    let root = job;
    while ((this.jParent[root] as number) >= 0) root = this.jParent[root] as number;
    return root;
  }

  /** Per-job state kept elsewhere grows with the jobs (time budgets). */
  protected grown(_cap: number): void {}

  protected growJobs(cap: number): void {
    const old = this.cap;
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.jParent = i32(this.jParent);
    this.jQueue = i32(this.jQueue);
    this.jStep = i32(this.jStep);
    this.jRep = i32(this.jRep);
    this.jPending = i32(this.jPending);
    this.jFlags = i32(this.jFlags);
    this.jEntry = i32(this.jEntry);
    this.jNext = i32(this.jNext);
    const t0 = new Float64Array(cap);
    t0.set(this.jT0);
    this.jT0 = t0;
    this.cap = cap;
    this.grown(cap);
    for (let j = cap - 1; j >= old; j--) {
      this.jNext[j] = this.freeHead;
      this.freeHead = j;
    }
  }
}
