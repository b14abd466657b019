// Test doubles: a fake EIP-1193 provider (request handler table, event emitter, error injection),
// a minimal fake browser window (an EventTarget that speaks EIP-6963) and a fake
// DotNetObjectReference that records what the module sends to .NET.

/** An EIP-1193 style error: an Error with a numeric code (and optional data). */
export class ProviderRpcError extends Error {
  /**
   * @param {number} code
   * @param {string} message
   * @param {unknown} [data]
   */
  constructor(code, message, data) {
    super(message);
    this.code = code;
    if (data !== undefined) {
      this.data = data;
    }
  }
}

/**
 * @param {number} code
 * @param {string} [message]
 * @param {unknown} [data]
 */
export function rpcError(code, message = `error ${code}`, data) {
  return new ProviderRpcError(code, message, data);
}

export const ACCOUNT_A = '0xAbCdEf0123456789aBcDeF0123456789AbCdEf01';
export const ACCOUNT_B = '0x1111111111111111111111111111111111111111';
export const TOKEN = '0x5FbDB2315678afecb367f032d93F642f64180aa3';
export const SIGNATURE = `0x${'AB'.repeat(64)}1c`;
export const TX_HASH = `0x${'C0FFEE'.repeat(10)}beef`;
export const BLOCK_HASH = `0x${'12'.repeat(32)}`;

/**
 * A scriptable fake wallet. Default handlers behave like a small wallet on a dev chain; tests
 * replace handlers (`handle`) or inject errors (`failNext`) and read `calls`.
 */
export class FakeProvider {
  /**
   * @param {{ accounts?: string[], chainId?: string, knownChains?: string[], isMetaMask?: boolean }} [options]
   */
  constructor(options = {}) {
    this.accounts = options.accounts ?? [ACCOUNT_A];
    this.chainId = options.chainId ?? '0x7a69';
    this.knownChains = new Set(options.knownChains ?? [this.chainId, '0x1']);
    this.authorised = false;
    if (options.isMetaMask) {
      this.isMetaMask = true;
    }
    /** @type {{ method: string, params: unknown }[]} */
    this.calls = [];
    /** @type {Map<string, unknown[]>} errors to throw on the next calls of a method, in order */
    this.injected = new Map();
    /** @type {Map<string, (params: any, provider: FakeProvider) => unknown>} */
    this.handlers = new Map();
    /** @type {Map<string, Set<(...args: any[]) => void>>} */
    this.listeners = new Map();
    /** @type {Map<string, unknown>} receipts by lower-case hash */
    this.receipts = new Map();

    this.handle('eth_requestAccounts', (_p, self) => {
      self.authorised = true;
      return [...self.accounts];
    });
    this.handle('eth_accounts', (_p, self) => (self.authorised ? [...self.accounts] : []));
    this.handle('eth_chainId', (_p, self) => self.chainId);
    this.handle('wallet_switchEthereumChain', ([{ chainId }], self) => {
      if (!self.knownChains.has(chainId)) {
        throw rpcError(4902, `Unrecognized chain ID "${chainId}". Try adding the chain using wallet_addEthereumChain first.`);
      }
      if (self.chainId !== chainId) {
        self.chainId = chainId;
        self.emit('chainChanged', chainId);
      }
      return null;
    });
    this.handle('wallet_addEthereumChain', ([params], self) => {
      self.knownChains.add(params.chainId);
      return null;
    });
    this.handle('personal_sign', () => SIGNATURE);
    this.handle('eth_signTypedData_v4', () => SIGNATURE);
    this.handle('eth_sendTransaction', () => TX_HASH);
    this.handle('eth_getTransactionReceipt', ([hash], self) => {
      const next = self.receipts.get(hash);
      if (Array.isArray(next)) {
        // A script of answers, one per poll; the last one repeats.
        return next.length > 1 ? next.shift() : next[0];
      }
      return next ?? null;
    });
    this.handle('wallet_watchAsset', () => true);
  }

  /**
   * @param {string} method
   * @param {(params: any, provider: FakeProvider) => unknown} handler
   */
  handle(method, handler) {
    this.handlers.set(method, handler);
    return this;
  }

  /**
   * Makes the next call of `method` throw `error`.
   * @param {string} method
   * @param {unknown} error
   */
  failNext(method, error) {
    const queue = this.injected.get(method) ?? [];
    queue.push(error);
    this.injected.set(method, queue);
    return this;
  }

  /**
   * @param {{ method: string, params?: unknown }} args
   */
  async request(args) {
    const { method, params } = args;
    this.calls.push({ method, params });
    const queue = this.injected.get(method);
    if (queue && queue.length > 0) {
      throw queue.shift();
    }
    const handler = this.handlers.get(method);
    if (!handler) {
      throw rpcError(4200, `The method "${method}" is not supported.`);
    }
    return handler(params, this);
  }

  /** @param {string} method */
  callsOf(method) {
    return this.calls.filter((c) => c.method === method);
  }

  /**
   * @param {string} event
   * @param {(...args: any[]) => void} listener
   */
  on(event, listener) {
    const set = this.listeners.get(event) ?? new Set();
    set.add(listener);
    this.listeners.set(event, set);
    return this;
  }

  /**
   * @param {string} event
   * @param {(...args: any[]) => void} listener
   */
  removeListener(event, listener) {
    this.listeners.get(event)?.delete(listener);
    return this;
  }

  /** @param {string} event */
  listenerCount(event) {
    return this.listeners.get(event)?.size ?? 0;
  }

  totalListeners() {
    let n = 0;
    for (const set of this.listeners.values()) {
      n += set.size;
    }
    return n;
  }

  /**
   * @param {string} event
   * @param {...unknown} args
   */
  emit(event, ...args) {
    for (const listener of [...(this.listeners.get(event) ?? [])]) {
      listener(...args);
    }
  }
}

/**
 * A minimal browser window: an EventTarget that counts its listeners, with an optional
 * `ethereum` property. Wallets installed with `installWallet` answer EIP-6963 requests.
 */
export class FakeWindow extends EventTarget {
  constructor() {
    super();
    /** @type {unknown} */
    this.ethereum = undefined;
    /** @type {Map<string, number>} */
    this.listenerCounts = new Map();
    this.requestCount = 0;
    this.addEventListener('eip6963:requestProvider', () => {
      this.requestCount += 1;
    });
  }

  /**
   * @param {string} type
   * @param {any} listener
   * @param {any} [options]
   */
  addEventListener(type, listener, options) {
    this.listenerCounts.set(type, (this.listenerCounts.get(type) ?? 0) + 1);
    super.addEventListener(type, listener, options);
  }

  /**
   * @param {string} type
   * @param {any} listener
   * @param {any} [options]
   */
  removeEventListener(type, listener, options) {
    this.listenerCounts.set(type, (this.listenerCounts.get(type) ?? 0) - 1);
    super.removeEventListener(type, listener, options);
  }

  /** @param {string} type */
  listenerCount(type) {
    return this.listenerCounts.get(type) ?? 0;
  }

  /**
   * Installs an EIP-6963 wallet: it announces itself on every eip6963:requestProvider.
   * @param {{ uuid: string, name: string, icon?: string, rdns?: string }} info
   * @param {unknown} provider
   */
  installWallet(info, provider) {
    const announce = () => {
      const detail = Object.freeze({ info: Object.freeze({ icon: PIXEL, rdns: 'com.example.wallet', ...info }), provider });
      this.dispatchEvent(new CustomEvent('eip6963:announceProvider', { detail }));
    };
    this.addEventListener('eip6963:requestProvider', announce);
    announce();
    return announce;
  }
}

/** A 1x1 transparent GIF as a data URI, a valid EIP-6963 icon. */
export const PIXEL = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';

/** Records what the module sends to .NET, like a DotNetObjectReference. */
export class FakeDotNetRef {
  constructor() {
    /** @type {{ method: string, args: unknown[] }[]} */
    this.calls = [];
  }

  /**
   * @param {string} method
   * @param {...unknown} args
   */
  invokeMethodAsync(method, ...args) {
    this.calls.push({ method, args });
    return Promise.resolve(null);
  }

  /** @param {string} method */
  callsOf(method) {
    return this.calls.filter((c) => c.method === method).map((c) => c.args);
  }
}

export const UUID_1 = '11111111-1111-4111-8111-111111111111';
export const UUID_2 = '22222222-2222-4222-8222-222222222222';
