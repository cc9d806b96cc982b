'use strict';
/**
 * When the cursor settles, ask the server about the binding under it and draw the answer.
 * Pure (timers and cancellation are injected), so the debounce / stale-answer logic is testable.
 *
 *   settle(target)   the cursor moved: (re)start the delay; when it runs out, request.
 *   cancel()         drop the pending delay and any request in flight; draw nothing more.
 *   clear()          cancel(), and erase what is drawn (the document changed, the editor closed).
 *
 * Only the answer to the newest request is drawn; an older one arriving late is ignored.
 */

/**
 * @template T
 * @param {{
 *   delayMs: number,
 *   request: (target: T, token: any) => Promise<unknown>,
 *   render: (target: T, result: unknown) => void,
 *   erase: (target: T | undefined) => void,
 *   onError?: (error: unknown) => void,
 *   timers?: {setTimeout: Function, clearTimeout: Function},
 *   cancellation?: () => {token: any, cancel(): void, dispose?(): void},
 * }} deps
 */
function createCursorTracker(deps) {
  const timers = deps.timers || { setTimeout, clearTimeout };
  const cancellation = deps.cancellation || (() => {
    const token = { isCancellationRequested: false };
    return { token, cancel() { token.isCancellationRequested = true; } };
  });
  let delayMs = deps.delayMs;
  let timer = null;
  let inflight = null;   // {source, generation}
  let generation = 0;
  let drawnOn;           // the target whose answer is drawn

  function stopInflight() {
    if (inflight) {
      inflight.source.cancel();
      if (inflight.source.dispose) inflight.source.dispose();
      inflight = null;
    }
  }

  function cancel() {
    generation += 1;
    if (timer !== null) {
      timers.clearTimeout(timer);
      timer = null;
    }
    stopInflight();
  }

  function fire(target, gen) {
    timer = null;
    const source = cancellation();
    inflight = { source, generation: gen };
    let promise;
    try {
      promise = Promise.resolve(deps.request(target, source.token));
    } catch (e) {
      promise = Promise.reject(e);
    }
    return promise.then(
      (result) => {
        if (gen !== generation || source.token.isCancellationRequested) return;
        inflight = null;
        drawnOn = target;
        deps.render(target, result);
      },
      (error) => {
        if (gen !== generation || source.token.isCancellationRequested) return;
        inflight = null;
        if (drawnOn !== undefined) {
          deps.erase(drawnOn);
          drawnOn = undefined;
        }
        if (deps.onError) deps.onError(error);
      },
    );
  }

  return {
    /** @param {T} target */
    settle(target) {
      cancel();
      const gen = generation;
      timer = timers.setTimeout(() => { fire(target, gen); }, delayMs);
    },
    cancel,
    clear() {
      cancel();
      const was = drawnOn;
      drawnOn = undefined;
      deps.erase(was);
    },
    setDelay(ms) { delayMs = ms; },
    /** for tests: is a delay running / a request in flight? */
    get pending() { return timer !== null || inflight !== null; },
    dispose() { cancel(); },
  };
}

module.exports = { createCursorTracker };
