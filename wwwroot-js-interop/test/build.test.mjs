import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import * as source from '../src/wallet.js';

const builtUrl = new URL('../../NeuroData.Web/wwwroot/js/wallet.js', import.meta.url);

test('the built module in NeuroData.Web loads and exports the same API as the source', async () => {
  const built = await import(builtUrl.href);
  assert.deepEqual(Object.keys(built).sort(), Object.keys(source).sort());
  for (const name of ['init', 'dispose', 'discover', 'connect', 'getState', 'checkNetwork', 'switchChain',
    'personalSign', 'signTypedDataV4', 'sendTransaction', 'waitForReceipt', 'watchAsset']) {
    assert.equal(typeof built[name], 'function', name);
  }
});

test('the built module starts with the generated do-not-edit header', async () => {
  const text = await readFile(builtUrl, 'utf8');
  assert.match(text.split('\n')[0], /^\/\/ built from wwwroot-js-interop\/src\/wallet\.js — do not edit/);
});

test('the module uses no eval, Function constructor or string timers (CSP)', async () => {
  const text = await readFile(new URL('../src/wallet.js', import.meta.url), 'utf8');
  const code = text.replace(/^\s*\/\/.*$/gm, '');
  assert.doesNotMatch(code, /\beval\s*\(/);
  assert.doesNotMatch(code, /\bnew\s+Function\s*\(/);
  assert.doesNotMatch(code, /setTimeout\(\s*['"`]/);
  assert.doesNotMatch(code, /innerHTML|document\.write/);
});

test('the built upload module in NeuroData.Web exports the same API as its source', async () => {
  const source = await import('../src/upload.js');
  const built = await import(new URL('../../NeuroData.Web/wwwroot/js/upload.js', import.meta.url).href);
  assert.deepEqual(Object.keys(built).sort(), Object.keys(source).sort());
  const text = await readFile(new URL('../src/upload.js', import.meta.url), 'utf8');
  const code = text.replace(/^\s*\/\/.*$/gm, '');
  assert.doesNotMatch(code, /\beval\s*\(|\bnew\s+Function\s*\(|innerHTML|document\.write/);
});
