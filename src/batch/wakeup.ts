// One waiter woken by the next event: the batch loops (engine.ts, escrow.ts) sleep on `next()` until
// a command finishes, input arrives or a stop is asked, and whoever caused it calls `notify()`.
export interface Wakeup {
  /** Wakes the waiter, if one is waiting (an event with no waiter is seen by its next check). */
  notify: () => void;
  /** Resolves at the next `notify()`. */
  next: () => Promise<void>;
}

export function wakeup(): Wakeup {
  let wake: (() => void) | undefined;
  return {
    notify: () => {
      const w = wake;
      wake = undefined;
      w?.();
    },
    next: () =>
      new Promise<void>((resolve) => {
        wake = resolve;
      }),
  };
}
