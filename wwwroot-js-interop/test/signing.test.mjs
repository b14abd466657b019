import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as wallet from '../src/wallet.js';
import { ACCOUNT_A, ACCOUNT_B, FakeProvider, SIGNATURE, rpcError } from './fake-provider.mjs';
import { connectedSession } from './helpers.mjs';

test('personalSign sends the UTF-8 bytes of a non-ASCII message as hex, with the address', async () => {
  const { handle, provider } = await connectedSession();
  const message = 'neurodata.example wants you to sign in: Grüße, 日本語, emoji 🚀\nNonce: abc';
  const result = await wallet.personalSign(handle, message, ACCOUNT_A);
  assert.deepEqual(result, { ok: true, value: SIGNATURE.toLowerCase() });
  const [hex, address] = provider.callsOf('personal_sign')[0].params;
  assert.equal(hex, `0x${Buffer.from(message, 'utf8').toString('hex')}`);
  assert.ok(hex.includes('f09f9a80'), 'the rocket is encoded as 4 UTF-8 bytes');
  assert.equal(address, ACCOUNT_A.toLowerCase());
});

test('utf8ToHex encodes known byte sequences', () => {
  assert.equal(wallet.utf8ToHex('A'), '0x41');
  assert.equal(wallet.utf8ToHex('é'), '0xc3a9');
  assert.equal(wallet.utf8ToHex('€'), '0xe282ac');
});

test('personalSign rejects bad input without asking the wallet', async () => {
  const { handle, provider } = await connectedSession();
  assert.equal((await wallet.personalSign(handle, '', ACCOUNT_A)).code, 'INVALID_ARGUMENT');
  assert.equal((await wallet.personalSign(handle, 'lone \ud800 surrogate', ACCOUNT_A)).code, 'INVALID_ARGUMENT');
  assert.equal((await wallet.personalSign(handle, 'x'.repeat(70000), ACCOUNT_A)).code, 'INVALID_ARGUMENT');
  assert.equal((await wallet.personalSign(handle, 'hello', '0xnot-an-address')).code, 'INVALID_ARGUMENT');
  assert.equal(provider.calls.length, 0);
});

test('personalSign for an account the wallet did not share answers ACCOUNT_MISMATCH', async () => {
  const { handle, provider } = await connectedSession();
  const result = await wallet.personalSign(handle, 'hello', ACCOUNT_B);
  assert.equal(result.code, 'ACCOUNT_MISMATCH');
  assert.equal(provider.calls.length, 0);
});

test('personalSign rejected by the user answers USER_REJECTED', async () => {
  const { handle, provider } = await connectedSession();
  provider.failNext('personal_sign', rpcError(4001, 'User denied message signature.'));
  const result = await wallet.personalSign(handle, 'hello', ACCOUNT_A);
  assert.equal(result.code, 'USER_REJECTED');
  assert.equal(result.message, 'You rejected the request in your wallet.');
});

test('personalSign rejects a signature that is not 65 bytes', async () => {
  const { handle, provider } = await connectedSession();
  provider.handle('personal_sign', () => '0x1234');
  assert.equal((await wallet.personalSign(handle, 'hello', ACCOUNT_A)).code, 'INVALID_RESPONSE');
});

test('personalSign before connect answers NOT_CONNECTED', async () => {
  const fresh = wallet.init({ invokeMethodAsync: async () => null }, { window: new EventTarget(), discoveryMs: 0 });
  assert.equal((await wallet.personalSign(fresh, 'hello', ACCOUNT_A)).code, 'NOT_CONNECTED');
});

function permit(chainId = 31337) {
  return {
    types: {
      EIP712Domain: [
        { name: 'name', type: 'string' }, { name: 'version', type: 'string' },
        { name: 'chainId', type: 'uint256' }, { name: 'verifyingContract', type: 'address' },
      ],
      Permit: [
        { name: 'owner', type: 'address' }, { name: 'spender', type: 'address' }, { name: 'value', type: 'uint256' },
        { name: 'nonce', type: 'uint256' }, { name: 'deadline', type: 'uint256' },
      ],
    },
    primaryType: 'Permit',
    domain: { name: 'NeuroCredit', version: '1', chainId, verifyingContract: '0x5FbDB2315678afecb367f032d93F642f64180aa3' },
    message: { owner: ACCOUNT_A, spender: ACCOUNT_B, value: '1000000000000000000', nonce: 0, deadline: 1893456000 },
  };
}

test('signTypedDataV4 passes the typed data JSON text through unchanged', async () => {
  const { handle, provider } = await connectedSession();
  // Unusual spacing and key order must survive: the server verifies against exactly this text.
  const json = JSON.stringify(permit(), null, 3);
  const result = await wallet.signTypedDataV4(handle, ACCOUNT_A, json, '0x7a69');
  assert.deepEqual(result, { ok: true, value: SIGNATURE.toLowerCase() });
  const call = provider.callsOf('eth_signTypedData_v4')[0];
  assert.equal(call.params[0], ACCOUNT_A.toLowerCase());
  assert.equal(call.params[1], json);
});

test('signTypedDataV4 refuses when the wallet is on another network than the permit', async () => {
  const { handle, provider } = await connectedSession({ provider: new FakeProvider({ chainId: '0x1' }) });
  const result = await wallet.signTypedDataV4(handle, ACCOUNT_A, JSON.stringify(permit()));
  assert.equal(result.code, 'WRONG_NETWORK');
  assert.deepEqual(result.data, { expectedChainId: '0x7a69', actualChainId: '0x1' });
  assert.equal(provider.callsOf('eth_signTypedData_v4').length, 0);
});

test('signTypedDataV4 validates the document', async () => {
  const { handle, provider } = await connectedSession();
  const cases = [
    '{not json',
    JSON.stringify({ ...permit(), primaryType: 'Missing' }),
    JSON.stringify({ ...permit(), message: null }),
    JSON.stringify(permit('one')),
  ];
  for (const json of cases) {
    assert.equal((await wallet.signTypedDataV4(handle, ACCOUNT_A, json)).code, 'INVALID_ARGUMENT', json.slice(0, 40));
  }
  const mismatch = await wallet.signTypedDataV4(handle, ACCOUNT_A, JSON.stringify(permit(1)), '0x7a69');
  assert.equal(mismatch.code, 'INVALID_ARGUMENT');
  assert.match(mismatch.message, /typed data is for network 1 \(0x1\), not 31337 \(0x7a69\)/);
  assert.equal(provider.calls.length, 0);
});
