// Requests being served right now, counted by every front end (NFS connections count each call in and out).
// A durability sync may then run on the event loop itself instead of the thread pool: on virtual machines handing an
// fdatasync to a pool thread and waking up for its completion costs ~0.25 ms, more than the fdatasync itself
// (docs/nfs.md) — but only while a single request is in progress, since every other one would wait for it.
let inProgress = 0;

export function requestStarted(): void {
  inProgress++;
}

export function requestFinished(): void {
  inProgress--;
}

/** True while exactly one request is being served: the caller's own. */
export function servingOneRequest(): boolean {
  return inProgress === 1;
}
