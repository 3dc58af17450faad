// worker-client.js - long work (proof of work, Argon2id, large files) in the
// one Web Worker. Under `require-trusted-types-for 'script'` the worker URL
// must be a TrustedScriptURL; the single policy `meldpunt-worker` (SPEC
// section 7) admits exactly the fixed worker script URL and nothing else.

/* global __MELDPUNT_WORKER_URL__ */
const WORKER_URLS = [__MELDPUNT_WORKER_URL__];

let policy = null;

function workerPolicy() {
  if (policy) return policy;
  const factory = globalThis.trustedTypes;
  const rules = {
    createScriptURL(url) {
      if (!WORKER_URLS.includes(url)) throw new TypeError('meldpunt-worker: URL not admitted');
      return url;
    },
  };
  policy = factory ? factory.createPolicy('meldpunt-worker', rules) : rules;
  return policy;
}

let worker = null;
let nextId = 1;
const pending = new Map();

function ensureWorker() {
  if (worker) return worker;
  worker = new Worker(workerPolicy().createScriptURL(WORKER_URLS[0]), { type: 'module', name: 'meldpunt' });
  worker.addEventListener('message', (ev) => {
    const { id, progress, result, error } = ev.data ?? {};
    const job = pending.get(id);
    if (!job) return;
    if (progress !== undefined) {
      job.onProgress?.(progress);
      return;
    }
    pending.delete(id);
    if (error !== undefined) job.reject(new Error(error));
    else job.resolve(result);
  });
  worker.addEventListener('error', () => {
    for (const job of pending.values()) job.reject(new Error('worker failed'));
    pending.clear();
    worker = null;
  });
  return worker;
}

/**
 * Runs `op` ('pow' | 'pwhash' | 'encryptAttachment' | 'decryptAttachment')
 * in the worker; resolves to its result. `onProgress(fraction)` is called as
 * the worker reports progress. Transferable buffers in `transfer`.
 */
export function runInWorker(op, args, { onProgress, transfer = [] } = {}) {
  const w = ensureWorker();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject, onProgress });
    w.postMessage({ id, op, args }, transfer);
  });
}

/** Ends the worker (logout): whatever it held goes with it. */
export function stopWorker() {
  if (worker) worker.terminate();
  worker = null;
  for (const job of pending.values()) job.reject(new Error('worker stopped'));
  pending.clear();
}
