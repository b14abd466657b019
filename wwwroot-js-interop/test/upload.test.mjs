import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as upload from '../src/upload.js';
import { FakeDotNetRef } from './fake-provider.mjs';
import { FakeUploadServer, TOKEN, fileOf } from './fake-upload-server.mjs';

const TEXT = 'a,b\n1,2\n3,4\n5,6\n'; // 16 bytes: four 4-byte chunks

/** @param {FakeUploadServer} server @param {Partial<import('../src/upload.js').InitOptions>} [extra] */
function newUploader(server, extra = {}) {
  const dotNet = new FakeDotNetRef();
  const sleeps = /** @type {number[]} */ ([]);
  let clock = 0;
  const handle = upload.init(dotNet, {
    token: TOKEN,
    fetch: server.fetch,
    sleep: async (ms) => { sleeps.push(ms); },
    now: () => (clock += 1000),
    ...extra,
  });
  return { handle, dotNet, sleeps };
}

test('a file is sent in chunk-size pieces with Content-Range and the antiforgery header, progress reaches the total', async () => {
  const server = new FakeUploadServer({ chunkSize: 4 });
  const { handle, dotNet } = newUploader(server);
  assert.deepEqual(upload.selectFile(handle, fileOf(TEXT)), { ok: true, value: { name: 'data.csv', size: 16 } });

  const created = await upload.create(handle, 'dataset-1');
  assert.equal(created.ok, true);
  const sent = await upload.send(handle);

  assert.deepEqual(sent, { ok: true, value: { state: 'sent', received: 16 } });
  assert.deepEqual(server.puts(), ['bytes 0-3/16', 'bytes 4-7/16', 'bytes 8-11/16', 'bytes 12-15/16']);
  assert.equal(new TextDecoder().decode(new Uint8Array(server.sessions.get('s1')?.bytes ?? [])), TEXT);
  assert.ok(server.requests.every((r) => r.method === 'GET' || r.headers.RequestVerificationToken === TOKEN));
  const progress = dotNet.calls.filter((c) => c.method === 'OnUploadProgress').map((c) => c.args.slice(0, 2));
  assert.deepEqual(progress, [[0, 16], [4, 16], [8, 16], [12, 16], [16, 16]]);
  const speed = /** @type {number} */ (dotNet.calls.at(-1)?.args[2]);
  assert.ok(speed > 0, 'reports a speed in bytes per second');

  const completed = await upload.complete(handle);
  assert.equal(completed.ok, true);
  assert.equal(server.sessions.get('s1')?.status, 'Queued');
});

test('the create request carries the file name, size and dataset id; a server refusal comes back as its detail', async () => {
  const server = new FakeUploadServer();
  const { handle } = newUploader(server);
  upload.selectFile(handle, fileOf('', 'empty.csv'));

  const created = await upload.create(handle, 'dataset-1');

  assert.deepEqual(created, { ok: false, status: 400, message: 'The file is empty; choose a file with data in it.' });
});

test('a failed chunk is retried with growing backoff and the upload completes', async () => {
  const server = new FakeUploadServer({ chunkSize: 4 });
  server.failPut = (i) => (i === 1 ? 'network' : i === 2 ? 503 : undefined);
  const { handle, sleeps } = newUploader(server);
  upload.selectFile(handle, fileOf(TEXT));
  await upload.create(handle, 'd');

  const sent = await upload.send(handle);

  assert.equal(sent.ok, true);
  assert.deepEqual(sleeps, [500, 1000]);
  assert.deepEqual(server.puts(), ['bytes 0-3/16', 'bytes 4-7/16', 'bytes 4-7/16', 'bytes 4-7/16', 'bytes 8-11/16', 'bytes 12-15/16']);
  assert.equal(server.sessions.get('s1')?.bytes.length, 16);
});

test('after the retries run out the upload stops with a message and can be resumed later', async () => {
  const server = new FakeUploadServer({ chunkSize: 4 });
  server.failPut = (i) => (i >= 1 && i <= 6 ? 'network' : undefined);
  const { handle, sleeps } = newUploader(server, { retryDelaysMs: [1, 2, 3] });
  upload.selectFile(handle, fileOf(TEXT));
  await upload.create(handle, 'd');

  const stopped = await upload.send(handle);

  assert.equal(stopped.ok, false);
  assert.match(/** @type {{ message: string }} */ (stopped).message, /connection to the server failed/);
  assert.deepEqual(sleeps, [1, 2, 3]);
  server.failPut = () => undefined;
  const resumed = await upload.resume(handle);
  assert.deepEqual(resumed, { ok: true, value: { state: 'sent', received: 16 } });
});

test('a client error other than a conflict is not retried', async () => {
  const server = new FakeUploadServer({ chunkSize: 4 });
  server.failPut = (i) => (i === 0 ? 413 : undefined);
  const { handle, sleeps } = newUploader(server);
  upload.selectFile(handle, fileOf(TEXT));
  await upload.create(handle, 'd');

  const sent = await upload.send(handle);

  assert.deepEqual(sent, { ok: false, status: 413, message: 'injected 413' });
  assert.deepEqual(sleeps, []);
});

test('a 409 with the server\'s received offset realigns the upload to it', async () => {
  const server = new FakeUploadServer({ chunkSize: 4 });
  const { handle } = newUploader(server);
  upload.selectFile(handle, fileOf(TEXT));
  await upload.create(handle, 'd');
  // Another tab (or a lost answer) already delivered the first 8 bytes.
  server.sessions.get('s1')?.bytes.push(...new TextEncoder().encode(TEXT.slice(0, 8)));

  const sent = await upload.send(handle);

  assert.equal(sent.ok, true);
  assert.deepEqual(server.puts(), ['bytes 0-3/16', 'bytes 8-11/16', 'bytes 12-15/16']);
  assert.equal(new TextDecoder().decode(new Uint8Array(server.sessions.get('s1')?.bytes ?? [])), TEXT);
});

test('pause aborts the chunk in flight; resume asks the server and continues from received', async () => {
  const server = new FakeUploadServer({ chunkSize: 4 });
  server.failPut = (i) => (i === 2 ? 'hang' : undefined);
  const { handle } = newUploader(server);
  upload.selectFile(handle, fileOf(TEXT));
  await upload.create(handle, 'd');
  server.onPut = () => {
    if (server.putCount === 3) {
      setTimeout(() => upload.pause(handle), 0);
    }
  };

  const paused = await upload.send(handle);

  assert.deepEqual(paused, { ok: true, value: { state: 'paused', received: 8 } });
  assert.equal(server.sessions.get('s1')?.bytes.length, 8);
  server.onPut = null;
  const resumed = await upload.resume(handle);
  assert.deepEqual(resumed, { ok: true, value: { state: 'sent', received: 16 } });
  const gets = server.requests.filter((r) => r.method === 'GET');
  assert.equal(gets.length, 1, 'resume asks the server first');
});

test('after a page reload the same file attaches to the unfinished session and only the rest is sent', async () => {
  const server = new FakeUploadServer({ chunkSize: 4 });
  const first = newUploader(server);
  upload.selectFile(first.handle, fileOf(TEXT));
  await upload.create(first.handle, 'd');
  server.failPut = (i) => (i === 2 ? 400 : undefined);
  await upload.send(first.handle);
  assert.equal(server.sessions.get('s1')?.bytes.length, 8);

  server.failPut = () => undefined;
  const reloaded = newUploader(server);
  upload.selectFile(reloaded.handle, fileOf(TEXT));
  const attached = await upload.attach(reloaded.handle, 's1');
  assert.equal(attached.ok, true);
  const sent = await upload.send(reloaded.handle);

  assert.equal(sent.ok, true);
  assert.deepEqual(server.puts().slice(-2), ['bytes 8-11/16', 'bytes 12-15/16']);
  assert.equal(reloaded.dotNet.calls[0].args[0], 8, 'progress starts at what the server held');
});

test('attaching a different file to an unfinished session is refused', async () => {
  const server = new FakeUploadServer({ chunkSize: 4 });
  const { handle } = newUploader(server);
  upload.selectFile(handle, fileOf(TEXT));
  await upload.create(handle, 'd');

  upload.selectFile(handle, fileOf(TEXT + 'more'));
  const attached = await upload.attach(handle, 's1');

  assert.equal(attached.ok, false);
  assert.match(/** @type {{ message: string }} */ (attached).message, /not the file/);
});

test('cancel stops sending and deletes the session on the server', async () => {
  const server = new FakeUploadServer({ chunkSize: 4 });
  const { handle } = newUploader(server);
  upload.selectFile(handle, fileOf(TEXT));
  await upload.create(handle, 'd');

  const cancelled = await upload.cancel(handle);

  assert.equal(cancelled.ok, true);
  assert.equal(server.sessions.size, 0);
  assert.deepEqual(server.requests.at(-1)?.method, 'DELETE');
  assert.equal((await upload.send(handle)).ok, false);
});

test('sending without a file or session gives a message, never an exception', async () => {
  const server = new FakeUploadServer();
  const { handle } = newUploader(server);
  assert.equal(upload.selectFile(handle, { files: [] }).ok, false);
  assert.equal((await upload.send(handle)).ok, false);
  assert.equal((await upload.complete(handle)).ok, false);
  assert.equal((await upload.create(handle, 'd')).ok, false);
  assert.equal(server.requests.length, 0);
});

test('after dispose no more progress goes to .NET', async () => {
  const server = new FakeUploadServer({ chunkSize: 4 });
  const { handle, dotNet } = newUploader(server);
  upload.selectFile(handle, fileOf(TEXT));
  await upload.create(handle, 'd');
  upload.dispose(handle);

  const sent = await upload.send(handle);

  assert.deepEqual(sent, { ok: true, value: { state: 'paused', received: 0 } });
  assert.equal(dotNet.calls.length, 0);
});
