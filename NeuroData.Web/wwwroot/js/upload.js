// built from wwwroot-js-interop/src/upload.js — do not edit (run `npm run build` in wwwroot-js-interop)
// NeuroData upload interop: the ES module the publish wizard imports through IJSRuntime
// ("import", "./js/upload.js") to send a dataset file to the chunked, resumable upload API
// (/api/v1/uploads, see docs/uploads.md) straight from the browser, not through the circuit.
//
// Design rules (same as wallet.js):
// - No module-level state. Each `init` call creates its own UploadSession object (one per
//   component); progress goes only to that component's DotNetObjectReference.
// - Every exported function except `init` resolves to `{ ok: true, value }` or
//   `{ ok: false, status, message, received? }`; it never throws for network or server errors.
// - The server is the truth: a resume asks it how many bytes it holds and continues from there.
// - No eval, no inline scripts, no DOM writes (CSP friendly).

/**
 * @typedef {{ ok: true, value: any }} OkResult
 * @typedef {{ ok: false, status: number, message: string, received?: number }} ErrorResult
 * @typedef {OkResult | ErrorResult} Result
 *
 * @typedef {object} DotNetRef
 * @property {(method: string, ...args: unknown[]) => Promise<unknown>} invokeMethodAsync
 *
 * @typedef {object} SessionInfo   What the server answers for an upload session.
 * @property {string} id
 * @property {number} chunkSize
 * @property {number} received
 * @property {number} sizeBytes
 * @property {string} status
 * @property {string} [fileName]
 * @property {string | null} [error]
 * @property {string | null} [versionId]
 *
 * @typedef {object} InitOptions
 * @property {string} token                 Antiforgery request token (sent in the header).
 * @property {string} [headerName]          Antiforgery header name (default RequestVerificationToken).
 * @property {string} [baseUrl]             Default /api/v1/uploads.
 * @property {typeof fetch} [fetch]         Tests pass a fake.
 * @property {number[]} [retryDelaysMs]     Backoff before each retry of a failed chunk (default 0.5, 1, 2, 4, 8 s).
 * @property {() => number} [now]           Milliseconds clock for the speed (default performance.now / Date.now).
 * @property {(ms: number) => Promise<void>} [sleep]  Tests pass a fast one.
 */

const DEFAULT_BASE_URL = '/api/v1/uploads';
const DEFAULT_HEADER = 'RequestVerificationToken';
const DEFAULT_RETRY_DELAYS_MS = [500, 1000, 2000, 4000, 8000];
const SPEED_WINDOW_MS = 5000;

const MESSAGES = Object.freeze({
  NO_FILE: 'Choose a file first.',
  NO_SESSION: 'There is no upload to continue; start the upload again.',
  FILE_MISMATCH: 'This is not the file the unfinished upload was started with; choose the same file (same name and size) or cancel the upload.',
  NETWORK: 'The connection to the server failed several times; check your connection and resume.',
  BAD_ANSWER: 'The server gave an answer that is not valid.',
  BUSY: 'An upload is already running.',
});

/**
 * One upload component's state: its .NET callback target, the chosen file, the current session.
 */
class UploadSession {
  /**
   * @param {DotNetRef} dotNetRef
   * @param {InitOptions} options
   */
  constructor(dotNetRef, options) {
    this.dotNetRef = dotNetRef;
    this.token = String(options.token ?? '');
    this.headerName = options.headerName || DEFAULT_HEADER;
    this.baseUrl = options.baseUrl || DEFAULT_BASE_URL;
    this.fetch = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.retryDelaysMs = Array.isArray(options.retryDelaysMs) ? options.retryDelaysMs : DEFAULT_RETRY_DELAYS_MS;
    this.now = options.now ?? (() => (globalThis.performance ? globalThis.performance.now() : Date.now()));
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    /** @type {Blob & { name?: string } | null} */
    this.file = null;
    /** @type {SessionInfo | null} */
    this.session = null;
    /** @type {AbortController | null} */
    this.abort = null;
    this.running = false;
    this.paused = false;
    this.disposed = false;
    /** @type {{ t: number, bytes: number }[]} */
    this.samples = [];
  }

  /** @param {RequestInit & { headers?: Record<string, string> }} init */
  withToken(init) {
    return { ...init, credentials: 'same-origin', headers: { ...(init.headers ?? {}), [this.headerName]: this.token } };
  }

  /**
   * @param {string} url
   * @param {RequestInit & { headers?: Record<string, string> }} init
   * @returns {Promise<Result>}
   */
  async call(url, init) {
    let response;
    try {
      response = await this.fetch(url, this.withToken(init));
    } catch (error) {
      if (isAbort(error)) {
        return { ok: false, status: 0, message: 'aborted' };
      }
      return { ok: false, status: 0, message: MESSAGES.NETWORK };
    }
    return readAnswer(response);
  }

  /** @param {string} method @param {unknown[]} args */
  notify(method, ...args) {
    if (this.disposed) {
      return Promise.resolve();
    }
    return Promise.resolve(this.dotNetRef.invokeMethodAsync(method, ...args)).catch(() => undefined);
  }

  /** Bytes per second over the last few seconds. */
  speed() {
    if (this.samples.length < 2) {
      return 0;
    }
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const seconds = (last.t - first.t) / 1000;
    return seconds > 0 ? (last.bytes - first.bytes) / seconds : 0;
  }

  /** @param {number} received */
  sample(received) {
    const t = this.now();
    this.samples.push({ t, bytes: received });
    while (this.samples.length > 2 && t - this.samples[0].t > SPEED_WINDOW_MS) {
      this.samples.shift();
    }
  }
}

/**
 * @param {Response} response
 * @returns {Promise<Result>}
 */
async function readAnswer(response) {
  let body = null;
  const text = await response.text().catch(() => '');
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (response.ok) {
    return { ok: true, value: body };
  }
  /** @type {ErrorResult} */
  const error = {
    ok: false,
    status: response.status,
    message: (body && typeof body.detail === 'string' && body.detail) || (body && typeof body.title === 'string' && body.title)
      || `The server answered ${response.status}.`,
  };
  if (body && Number.isSafeInteger(body.received)) {
    error.received = body.received;
  }
  return error;
}

/** @param {unknown} error */
function isAbort(error) {
  return typeof error === 'object' && error !== null && /** @type {{ name?: string }} */ (error).name === 'AbortError';
}

/** @param {unknown} value @returns {value is SessionInfo} */
function isSession(value) {
  const v = /** @type {Record<string, unknown>} */ (value);
  return typeof value === 'object' && value !== null && typeof v.id === 'string'
    && Number.isSafeInteger(v.chunkSize) && /** @type {number} */ (v.chunkSize) > 0
    && Number.isSafeInteger(v.received) && /** @type {number} */ (v.received) >= 0
    && Number.isSafeInteger(v.sizeBytes);
}

/** @param {string} message @returns {ErrorResult} */
const fail = (message, status = 0) => ({ ok: false, status, message });

/**
 * Creates the upload state of one component.
 * @param {DotNetRef} dotNetRef  receives OnUploadProgress(sent, total, bytesPerSecond) after every chunk
 * @param {InitOptions} options
 */
export function init(dotNetRef, options) {
  if (!dotNetRef || typeof dotNetRef.invokeMethodAsync !== 'function') {
    throw new TypeError('init needs a DotNetObjectReference');
  }
  return new UploadSession(dotNetRef, options ?? { token: '' });
}

/**
 * Takes the file chosen in an <input type=file> (or any File/Blob, in tests).
 * @param {UploadSession} s
 * @param {{ files?: ArrayLike<Blob & { name: string }> | null } | (Blob & { name: string })} inputOrFile
 * @returns {Result}  value: { name, size }
 */
export function selectFile(s, inputOrFile) {
  const candidate = inputOrFile && 'files' in inputOrFile ? inputOrFile.files?.[0] : inputOrFile;
  if (!candidate || typeof (/** @type {Blob} */ (candidate)).slice !== 'function') {
    s.file = null;
    return fail(MESSAGES.NO_FILE);
  }
  s.file = /** @type {Blob & { name: string }} */ (candidate);
  return { ok: true, value: { name: s.file.name ?? '', size: s.file.size } };
}

/**
 * Opens a new upload session on the server for the selected file.
 * @param {UploadSession} s
 * @param {string} datasetId
 * @returns {Promise<Result>}  value: the session
 */
export async function create(s, datasetId) {
  if (!s.file) {
    return fail(MESSAGES.NO_FILE);
  }
  const answer = await s.call(s.baseUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ fileName: s.file.name ?? 'upload', sizeBytes: s.file.size, datasetId }),
  });
  if (!answer.ok) {
    return answer;
  }
  if (!isSession(answer.value)) {
    return fail(MESSAGES.BAD_ANSWER);
  }
  s.session = answer.value;
  s.samples = [];
  return answer;
}

/**
 * Adopts an existing session (after a page reload): asks the server for its state; the selected file must have the
 * session's size and name.
 * @param {UploadSession} s
 * @param {string} sessionId
 * @returns {Promise<Result>}
 */
export async function attach(s, sessionId) {
  const answer = await s.call(`${s.baseUrl}/${encodeURIComponent(sessionId)}`, { method: 'GET' });
  if (!answer.ok) {
    return answer;
  }
  if (!isSession(answer.value)) {
    return fail(MESSAGES.BAD_ANSWER);
  }
  if (s.file && (s.file.size !== answer.value.sizeBytes || (answer.value.fileName && s.file.name !== answer.value.fileName))) {
    return fail(MESSAGES.FILE_MISMATCH);
  }
  s.session = answer.value;
  s.samples = [];
  return answer;
}

/**
 * Sends the file from what the server holds to the end, chunk by chunk, retrying failed chunks with backoff.
 * Resolves when the file is all sent, paused, cancelled or failed: value is { state: 'sent' | 'paused' }.
 * @param {UploadSession} s
 * @returns {Promise<Result>}
 */
export async function send(s) {
  if (!s.file) {
    return fail(MESSAGES.NO_FILE);
  }
  if (!s.session) {
    return fail(MESSAGES.NO_SESSION);
  }
  if (s.running) {
    return fail(MESSAGES.BUSY);
  }
  if (s.file.size !== s.session.sizeBytes) {
    return fail(MESSAGES.FILE_MISMATCH);
  }
  s.running = true;
  s.paused = false;
  const session = s.session;
  const total = session.sizeBytes;
  let received = session.received;
  let failures = 0;
  s.sample(received);
  await s.notify('OnUploadProgress', received, total, 0);
  try {
    while (received < total) {
      if (s.paused || s.disposed) {
        return { ok: true, value: { state: 'paused', received } };
      }
      const end = Math.min(total, received + session.chunkSize) - 1;
      s.abort = new AbortController();
      let answer;
      try {
        const response = await s.fetch(`${s.baseUrl}/${encodeURIComponent(session.id)}`, s.withToken({
          method: 'PUT',
          headers: { 'Content-Range': `bytes ${received}-${end}/${total}`, 'Content-Type': 'application/octet-stream' },
          body: s.file.slice(received, end + 1),
          signal: s.abort.signal,
        }));
        answer = await readAnswer(response);
      } catch (error) {
        if (isAbort(error) || s.paused) {
          return { ok: true, value: { state: 'paused', received } };
        }
        answer = /** @type {ErrorResult} */ ({ ok: false, status: 0, message: MESSAGES.NETWORK });
      } finally {
        s.abort = null;
      }

      if (answer.ok) {
        received = Number.isSafeInteger(answer.value?.received) ? answer.value.received : end + 1;
        session.received = received;
        failures = 0;
        s.sample(received);
        await s.notify('OnUploadProgress', received, total, s.speed());
        continue;
      }

      if (answer.status === 409 && Number.isSafeInteger(answer.received)) {
        // The server holds a different amount (an earlier answer was lost): continue from what it has.
        received = /** @type {number} */ (answer.received);
        session.received = received;
        failures += 1;
        if (failures > s.retryDelaysMs.length) {
          return answer;
        }
        continue;
      }

      const retryable = answer.status === 0 || answer.status === 408 || answer.status === 429 || answer.status >= 500;
      if (!retryable || failures >= s.retryDelaysMs.length) {
        return retryable ? fail(MESSAGES.NETWORK, answer.status) : answer;
      }
      await s.sleep(s.retryDelaysMs[failures]);
      failures += 1;
      if (s.paused || s.disposed) {
        return { ok: true, value: { state: 'paused', received } };
      }
    }
    return { ok: true, value: { state: 'sent', received } };
  } finally {
    s.running = false;
  }
}

/**
 * Pauses: the chunk in flight is aborted (the server keeps nothing of it) and send() resolves with 'paused'.
 * @param {UploadSession} s
 * @returns {Result}
 */
export function pause(s) {
  s.paused = true;
  s.abort?.abort();
  return { ok: true, value: null };
}

/**
 * Resumes after a pause or a failure: asks the server what it holds, then sends the rest.
 * @param {UploadSession} s
 * @returns {Promise<Result>}
 */
export async function resume(s) {
  if (!s.session) {
    return fail(MESSAGES.NO_SESSION);
  }
  const state = await attach(s, s.session.id);
  if (!state.ok) {
    return state;
  }
  return send(s);
}

/**
 * Tells the server the file is all there; it starts processing.
 * @param {UploadSession} s
 * @returns {Promise<Result>}
 */
export async function complete(s) {
  if (!s.session) {
    return fail(MESSAGES.NO_SESSION);
  }
  return s.call(`${s.baseUrl}/${encodeURIComponent(s.session.id)}/complete`, { method: 'POST' });
}

/**
 * The server's view of the session (status, error, versionId ...).
 * @param {UploadSession} s
 * @param {string} [sessionId]
 * @returns {Promise<Result>}
 */
export async function status(s, sessionId) {
  const id = sessionId ?? s.session?.id;
  if (!id) {
    return fail(MESSAGES.NO_SESSION);
  }
  return s.call(`${s.baseUrl}/${encodeURIComponent(id)}`, { method: 'GET' });
}

/**
 * Cancels: stops sending and deletes the session (and its bytes) on the server.
 * @param {UploadSession} s
 * @returns {Promise<Result>}
 */
export async function cancel(s) {
  pause(s);
  const id = s.session?.id;
  s.session = null;
  if (!id) {
    return { ok: true, value: null };
  }
  return s.call(`${s.baseUrl}/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/**
 * Stops everything; later calls to the .NET reference are skipped.
 * @param {UploadSession} s
 */
export function dispose(s) {
  if (!s) {
    return;
  }
  s.disposed = true;
  s.paused = true;
  s.abort?.abort();
}
