/**
 * Time for the emulated processes: one monotonic clock shared by every process on the machine
 * (CLOCK_MONOTONIC through `process.hrtime`), so a timestamp one process writes into a message
 * means the same to the process that reads it, and timed waits whose mean is right.
 *
 * Node's timers fire on whole milliseconds of a cached loop time, typically 0.1–0.3 ms late and
 * sometimes early. A wait here asks for a whole number of ms chosen at random between the two
 * nearest (so the rounding averages out) after subtracting the lateness it has been seeing
 * (a running average), and records how late every wait really fired: the emulator's own
 * timer error, reported with the results.
 */
import type { TimerCounters } from '@busboard/core';

/** Milliseconds on the machine's monotonic clock. */
export function nowMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export class Clock {
  /** Running estimate of how late a timer fires past the ms it asked for. */
  private bias = 0.2;
  counters: TimerCounters = { count: 0, lateMs: 0, lateSqMs: 0 };

  constructor(private readonly random: () => number = Math.random) {}

  /** Runs `fn` at `due` (monotonic ms) as closely as the event loop allows. */
  at(due: number, fn: () => void): void {
    const wait = due - nowMs() - this.bias;
    const fire = () => {
      const late = nowMs() - due;
      this.bias = Math.min(1, Math.max(-0.5, this.bias + 0.02 * late));
      const c = this.counters;
      c.count++;
      c.lateMs += late;
      c.lateSqMs += late * late;
      fn();
    };
    if (due <= nowMs()) {
      // Already due (a message that arrived late): no timer involved, nothing to learn from.
      setImmediate(fn);
      return;
    }
    const whole = Math.floor(wait);
    const ms = whole + (this.random() < wait - whole ? 1 : 0);
    if (ms === 0) setImmediate(fire);
    else setTimeout(fire, ms);
  }

  /** A promise that settles `ms` from now. */
  after(ms: number): Promise<void> {
    return new Promise((resolve) => this.at(nowMs() + ms, resolve));
  }

  until(due: number): Promise<void> {
    return new Promise((resolve) => this.at(due, resolve));
  }

  reset(): void {
    this.counters = { count: 0, lateMs: 0, lateSqMs: 0 };
  }
}
