// An in-memory stand-in for /api/v1/uploads with the server's rules (offset must equal received,
// re-sent ranges are accepted, chunk and size limits, antiforgery header), used as the `fetch`
// of the upload module. Failures can be injected per PUT.

export const TOKEN = 'request-token-123';

export class FakeUploadServer {
  /** @param {{ chunkSize?: number }} [options] */
  constructor(options = {}) {
    this.chunkSize = options.chunkSize ?? 4;
    /** @type {Map<string, { id: string, fileName: string, sizeBytes: number, bytes: number[], status: string }>} */
    this.sessions = new Map();
    /** @type {{ method: string, url: string, headers: Record<string, string> }[]} */
    this.requests = [];
    /** @type {((putIndex: number, range: string) => 'network' | number | 'hang' | undefined)} */
    this.failPut = () => undefined;
    this.putCount = 0;
    this.next = 1;
    /** @type {(() => void) | null} */
    this.onPut = null;
    this.fetch = this.fetch.bind(this);
  }

  /**
   * @param {string} url
   * @param {RequestInit & { headers?: Record<string, string> }} init
   */
  async fetch(url, init = {}) {
    const method = init.method ?? 'GET';
    const headers = /** @type {Record<string, string>} */ (init.headers ?? {});
    this.requests.push({ method, url, headers });
    if (method !== 'GET' && headers.RequestVerificationToken !== TOKEN) {
      return json(400, { title: 'Missing or invalid antiforgery token', detail: 'Reload the page.' });
    }
    const match = /^\/api\/v1\/uploads(?:\/([^/]+))?(\/complete)?$/.exec(url);
    if (!match) {
      return json(404, { title: 'Not found' });
    }
    const [, id, complete] = match;
    if (!id && method === 'POST') {
      const body = JSON.parse(String(init.body));
      if (!(body.sizeBytes > 0)) {
        return json(400, { title: 'Invalid upload', detail: 'The file is empty; choose a file with data in it.' });
      }
      const session = { id: `s${this.next++}`, fileName: body.fileName, sizeBytes: body.sizeBytes, bytes: [], status: 'Uploading' };
      this.sessions.set(session.id, session);
      return json(201, this.answer(session));
    }
    const session = id ? this.sessions.get(id) : undefined;
    if (!session) {
      return json(404, { title: 'Upload not found', detail: 'There is no such upload of yours.' });
    }
    if (method === 'GET') {
      return json(200, this.answer(session));
    }
    if (method === 'DELETE') {
      this.sessions.delete(session.id);
      return new Response(null, { status: 204 });
    }
    if (complete) {
      if (session.bytes.length !== session.sizeBytes) {
        return json(409, { title: 'Upload state conflict', detail: 'Send the rest first.', received: session.bytes.length });
      }
      session.status = 'Queued';
      return json(202, this.answer(session));
    }
    if (method === 'PUT') {
      const index = this.putCount++;
      const range = headers['Content-Range'];
      this.onPut?.();
      const injected = this.failPut(index, range);
      if (injected === 'network') {
        throw new TypeError('fetch failed');
      }
      if (injected === 'hang') {
        await new Promise((resolve, reject) => {
          init.signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
        });
      }
      if (typeof injected === 'number') {
        return json(injected, { title: 'Injected', detail: `injected ${injected}` });
      }
      const m = /^bytes (\d+)-(\d+)\/(\d+)$/.exec(range ?? '');
      if (!m) {
        return json(400, { title: 'Invalid Content-Range' });
      }
      const [from, to, total] = [Number(m[1]), Number(m[2]), Number(m[3])];
      const body = new Uint8Array(await /** @type {Blob} */ (init.body).arrayBuffer());
      if (total !== session.sizeBytes || to >= total || body.length !== to - from + 1) {
        return json(400, { title: 'Invalid upload', detail: 'bad range', received: session.bytes.length });
      }
      if (to - from + 1 > this.chunkSize) {
        return json(413, { title: 'Too large', detail: `A chunk carries at most ${this.chunkSize} bytes.` });
      }
      if (to < session.bytes.length) {
        return json(200, this.answer(session));
      }
      if (from !== session.bytes.length) {
        return json(409, { title: 'Upload state conflict', detail: `The next chunk must start at byte ${session.bytes.length}.`, received: session.bytes.length });
      }
      session.bytes.push(...body);
      return json(200, this.answer(session));
    }
    return json(405, { title: 'Method not allowed' });
  }

  /** @param {{ id: string, fileName: string, sizeBytes: number, bytes: number[], status: string }} s */
  answer(s) {
    return { id: s.id, fileName: s.fileName, sizeBytes: s.sizeBytes, chunkSize: this.chunkSize, received: s.bytes.length, status: s.status, error: null, versionId: null };
  }

  puts() {
    return this.requests.filter((r) => r.method === 'PUT').map((r) => r.headers['Content-Range']);
  }
}

/** @param {number} status @param {unknown} body */
function json(status, body) {
  return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': status >= 400 ? 'application/problem+json' : 'application/json' } });
}

/** A File of the given bytes. @param {string} text @param {string} [name] */
export function fileOf(text, name = 'data.csv') {
  return new File([new TextEncoder().encode(text)], name);
}
