// built from wwwroot-js-interop/src/wallet.js — do not edit (run `npm run build` in wwwroot-js-interop)
// NeuroData wallet interop: a small ES module the Blazor Server app imports through
// IJSRuntime ("import", "./js/wallet.js") to talk to an EIP-1193 wallet (MetaMask and others).
//
// Design rules (see wwwroot-js-interop/README.md):
// - No module-level state. Each `init` call creates its own WalletSession (one per circuit); wallet
//   events go only to that session's DotNetObjectReference.
// - Every exported function except `init` resolves to a plain result object,
//   `{ ok: true, value }` or `{ ok: false, code, message, rpcCode?, data? }`; it never throws for
//   wallet or input errors.
// - Inputs are validated before anything is sent to the wallet; everything the wallet returns is
//   validated and normalised (addresses and hashes to lower case, chain ids to minimal hex). The
//   C# side still re-verifies all of it: this module is a convenience, not a security boundary.
// - No eval, no inline scripts, no DOM writes (CSP friendly).

/**
 * @typedef {{ ok: true, value: any }} OkResult
 * @typedef {{ ok: false, code: string, message: string, rpcCode?: number, data?: Record<string, unknown> }} ErrorResult
 * @typedef {OkResult | ErrorResult} Result
 *
 * @typedef {object} Eip1193Provider
 * @property {(args: { method: string, params?: unknown[] | Record<string, unknown> }) => Promise<unknown>} request
 * @property {(event: string, listener: (...args: any[]) => void) => unknown} [on]
 * @property {(event: string, listener: (...args: any[]) => void) => unknown} [removeListener]
 *
 * @typedef {object} WalletInfo      What discover() reports for each wallet.
 * @property {string} uuid           EIP-6963 uuid, or "window.ethereum" for the legacy fallback.
 * @property {string} name           Display name given by the wallet.
 * @property {string} icon           A data:image/... URI, or "" when the wallet gave none we accept.
 * @property {string} rdns           Reverse-DNS id (e.g. "io.metamask"), or "".
 *
 * @typedef {object} DotNetRef       The DotNetObjectReference Blazor passes in.
 * @property {(method: string, ...args: unknown[]) => Promise<unknown>} invokeMethodAsync
 *
 * @typedef {object} InitOptions
 * @property {string} [expectedChainId]  Hex chain id the app works on; default for every network check.
 * @property {number} [discoveryMs]      How long discover() listens for EIP-6963 announcements (default 400, 0..5000).
 * @property {EventTarget & { ethereum?: unknown }} [window]  The browser window; tests pass a fake.
 */

/** uuid reported for the legacy `window.ethereum` provider. */
export const LEGACY_PROVIDER_UUID = 'window.ethereum';

const DEFAULT_DISCOVERY_MS = 400;
const MAX_DISCOVERY_MS = 5000;
const DEFAULT_POLL_MS = 1000;
const DEFAULT_RECEIPT_TIMEOUT_MS = 120000;
const MAX_RECEIPT_TIMEOUT_MS = 3600000;
const MAX_MESSAGE_BYTES = 65536;
const MAX_WALLET_TEXT = 200;

/** EIP-1193 / wallet RPC codes that get their own error code; anything else is WALLET_ERROR. */
/** @type {Set<number | undefined>} */
const KNOWN_RPC_CODES = new Set([4001, -32002, 4100, 4200, 4900, 4901, 4902]);

const ADDRESS_RE = /^0x[0-9a-fA-F]{40}$/;
const HASH_RE = /^0x[0-9a-fA-F]{64}$/;
const SIGNATURE_RE = /^0x[0-9a-fA-F]{130}$/;
const HEX_QUANTITY_RE = /^0x[0-9a-fA-F]+$/;
const HEX_DATA_RE = /^0x(?:[0-9a-fA-F]{2})*$/;
const UUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const RDNS_RE = /^[a-zA-Z0-9-]+(?:\.[a-zA-Z0-9-]+)+$/;
const DATA_IMAGE_RE = /^data:image\/[a-zA-Z0-9.+-]+[;,]/;

/** User-facing messages, one per error code. */
const MESSAGES = Object.freeze({
  NO_WALLET: 'No Ethereum wallet was found in this browser. Install MetaMask (or another Ethereum wallet) and reload the page.',
  PROVIDER_NOT_FOUND: 'The selected wallet is no longer available. Reload the page and choose your wallet again.',
  NOT_CONNECTED: 'Your wallet is not connected. Connect your wallet first.',
  USER_REJECTED: 'You rejected the request in your wallet.',
  REQUEST_PENDING: 'Your wallet already has a request waiting for you. Open your wallet and approve or reject it first.',
  UNAUTHORIZED: 'This site is not authorised to use that wallet account. Connect your wallet and select the account again.',
  UNSUPPORTED_METHOD: 'Your wallet does not support this request.',
  DISCONNECTED: 'Your wallet is disconnected from the network. Check your wallet and try again.',
  CHAIN_DISCONNECTED: 'Your wallet is not connected to this network. Check your wallet and try again.',
  UNKNOWN_CHAIN: 'Your wallet does not know this network. Add the network to your wallet first.',
  WRONG_NETWORK: 'Your wallet is on a different network. Switch your wallet to the right network and try again.',
  ACCOUNT_MISMATCH: 'The account selected in your wallet is not the one this request is for. Select the right account in your wallet.',
  INVALID_ARGUMENT: 'The request is not valid.',
  INVALID_RESPONSE: 'Your wallet returned an answer that is not valid.',
  TIMEOUT: 'The transaction was sent, but it was not confirmed in time. It may still be confirmed later; check your transactions.',
  TX_REVERTED: 'The transaction failed on chain (it was reverted). Nothing was changed.',
  DISPOSED: 'The wallet connection for this page was closed. Reload the page.',
  WALLET_ERROR: 'Your wallet reported an error.',
});

// ---------------------------------------------------------------------------------------------
// Result helpers
// ---------------------------------------------------------------------------------------------

/**
 * @param {any} value
 * @returns {OkResult}
 */
function ok(value) {
  return { ok: true, value };
}

/**
 * @param {keyof typeof MESSAGES} code
 * @param {string} [message]  Overrides the default message for the code.
 * @param {{ rpcCode?: number, data?: Record<string, unknown> }} [extra]
 * @returns {ErrorResult}
 */
function fail(code, message, extra) {
  /** @type {ErrorResult} */
  const result = { ok: false, code, message: message ?? MESSAGES[code] };
  if (extra?.rpcCode !== undefined) {
    result.rpcCode = extra.rpcCode;
  }
  if (extra?.data !== undefined) {
    result.data = extra.data;
  }
  return result;
}

/**
 * @param {string} what
 * @returns {ErrorResult}
 */
function invalidArgument(what) {
  return fail('INVALID_ARGUMENT', `The request is not valid: ${what}.`);
}

/**
 * @param {string} what
 * @returns {ErrorResult}
 */
function invalidResponse(what) {
  return fail('INVALID_RESPONSE', `Your wallet returned an answer that is not valid: ${what}.`);
}

/**
 * Wallet-supplied text is shown to users: keep it short, single-line and printable.
 * @param {unknown} text
 * @returns {string}
 */
function cleanWalletText(text) {
  if (typeof text !== 'string') {
    return '';
  }
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]+/g, ' ').trim();
  return flat.length > MAX_WALLET_TEXT ? `${flat.slice(0, MAX_WALLET_TEXT)}…` : flat;
}

/**
 * Reads a numeric EIP-1193 / JSON-RPC error code from an error, including the nested
 * `data.originalError.code` some mobile wallets use.
 * @param {unknown} error
 * @returns {{ code: number | undefined, nested: number | undefined }}
 */
function errorCodes(error) {
  /** @param {unknown} c */
  const asNumber = (c) => (typeof c === 'number' && Number.isInteger(c) ? c
    : typeof c === 'string' && /^-?\d+$/.test(c) ? Number(c) : undefined);
  if (error === null || typeof error !== 'object') {
    return { code: undefined, nested: undefined };
  }
  const e = /** @type {any} */ (error);
  const nested = asNumber(e.data?.originalError?.code) ?? asNumber(e.data?.code);
  return { code: asNumber(e.code), nested };
}

/**
 * Maps an error thrown by provider.request to a result with a user-facing message.
 * @param {unknown} error
 * @param {string} method
 * @returns {ErrorResult}
 */
function fromProviderError(error, method) {
  const { code, nested } = errorCodes(error);
  const effective = KNOWN_RPC_CODES.has(code) ? code : KNOWN_RPC_CODES.has(nested) ? nested : code;
  const rpc = effective === undefined ? {} : { rpcCode: effective };
  switch (effective) {
    case 4001:
      return fail('USER_REJECTED', undefined, rpc);
    case -32002:
      return fail('REQUEST_PENDING', undefined, rpc);
    case 4100:
      return fail('UNAUTHORIZED', undefined, rpc);
    case 4200:
      return fail('UNSUPPORTED_METHOD', `Your wallet does not support this request (${method}).`, rpc);
    case 4900:
      return fail('DISCONNECTED', undefined, rpc);
    case 4901:
      return fail('DISCONNECTED', MESSAGES.CHAIN_DISCONNECTED, rpc);
    case 4902:
      return fail('UNKNOWN_CHAIN', undefined, rpc);
    default: {
      const text = cleanWalletText(/** @type {any} */ (error)?.message);
      const message = text ? `${MESSAGES.WALLET_ERROR} ${text}` : MESSAGES.WALLET_ERROR;
      return fail('WALLET_ERROR', message, rpc);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Validation and normalisation
// ---------------------------------------------------------------------------------------------

/**
 * @param {unknown} value
 * @returns {value is string}
 */
export function isAddress(value) {
  return typeof value === 'string' && ADDRESS_RE.test(value);
}

/**
 * Normalises a chain id to minimal lower-case hex ("0x7a69"). Accepts hex strings; from the
 * wallet side (`fromWallet`) also positive integers and decimal strings, which old wallets send.
 * @param {unknown} value
 * @param {boolean} [fromWallet]
 * @returns {string | null}  null when the value is not a chain id.
 */
export function normalizeChainId(value, fromWallet = false) {
  let big;
  if (typeof value === 'string' && HEX_QUANTITY_RE.test(value) && value.length <= 66) {
    big = BigInt(value);
  } else if (fromWallet && typeof value === 'number' && Number.isSafeInteger(value)) {
    big = BigInt(value);
  } else if (fromWallet && typeof value === 'string' && /^\d{1,20}$/.test(value)) {
    big = BigInt(value);
  } else {
    return null;
  }
  return big > 0n ? `0x${big.toString(16)}` : null;
}

/**
 * @param {unknown} value
 * @returns {string | null} minimal lower-case hex quantity, or null.
 */
function normalizeQuantity(value) {
  if (typeof value !== 'string' || !HEX_QUANTITY_RE.test(value) || value.length > 66) {
    return null;
  }
  return `0x${BigInt(value).toString(16)}`;
}

/**
 * @param {unknown} accounts
 * @returns {string[] | null}  lower-cased, de-duplicated addresses, or null if the shape is wrong.
 */
function normalizeAccounts(accounts) {
  if (!Array.isArray(accounts) || !accounts.every(isAddress)) {
    return null;
  }
  return [...new Set(accounts.map((a) => a.toLowerCase()))];
}

/**
 * UTF-8 encodes a string to 0x-prefixed hex, as personal_sign expects.
 * @param {string} text
 * @returns {string}
 */
export function utf8ToHex(text) {
  const bytes = new TextEncoder().encode(text);
  let hex = '0x';
  for (const b of bytes) {
    hex += b.toString(16).padStart(2, '0');
  }
  return hex;
}

/**
 * @param {string} text
 * @returns {boolean} false when the string holds a lone surrogate (not encodable as UTF-8).
 */
function isWellFormed(text) {
  return /^(?:[^\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/.test(text);
}

/**
 * @param {unknown} url
 * @param {boolean} [allowData]
 * @returns {boolean}
 */
function isHttpUrl(url, allowData = false) {
  if (typeof url !== 'string' || url.length > 2048) {
    return false;
  }
  if (allowData && DATA_IMAGE_RE.test(url)) {
    return true;
  }
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:';
  } catch {
    return false;
  }
}

/**
 * @param {unknown} value
 * @param {number} min
 * @param {number} max
 * @returns {boolean}
 */
function isIntInRange(value, min, max) {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/**
 * Validates an EIP-6963 announcement; returns null when it is unusable.
 * @param {unknown} detail
 * @returns {{ info: WalletInfo, provider: Eip1193Provider } | null}
 */
function readAnnouncement(detail) {
  if (detail === null || typeof detail !== 'object') {
    return null;
  }
  const { info, provider } = /** @type {any} */ (detail);
  if (info === null || typeof info !== 'object' || !isProvider(provider)) {
    return null;
  }
  if (typeof info.uuid !== 'string' || !UUID_RE.test(info.uuid)) {
    return null;
  }
  const name = cleanWalletText(info.name);
  if (!name) {
    return null;
  }
  const icon = typeof info.icon === 'string' && info.icon.length <= 1_000_000 && DATA_IMAGE_RE.test(info.icon) ? info.icon : '';
  const rdns = typeof info.rdns === 'string' && info.rdns.length <= 255 && RDNS_RE.test(info.rdns) ? info.rdns : '';
  return { info: { uuid: info.uuid.toLowerCase(), name, icon, rdns }, provider };
}

/**
 * @param {unknown} value
 * @returns {value is Eip1193Provider}
 */
function isProvider(value) {
  return value !== null && typeof value === 'object' && typeof /** @type {any} */ (value).request === 'function';
}

/**
 * Reads the chain id a typed-data document's domain names, if any.
 * @param {unknown} chainId
 * @returns {string | null | undefined} undefined when absent, null when malformed.
 */
function typedDataChainId(chainId) {
  if (chainId === undefined) {
    return undefined;
  }
  return normalizeChainId(chainId, true);
}

// ---------------------------------------------------------------------------------------------
// The per-circuit session
// ---------------------------------------------------------------------------------------------

/**
 * One wallet session per Blazor circuit. Holds the discovered wallets, the selected provider and
 * its listeners, and the DotNetObjectReference that receives this session's wallet events.
 */
export class WalletSession {
  /** @type {DotNetRef | null} */
  #dotNetRef;
  /** @type {(EventTarget & { ethereum?: unknown }) | null} */
  #window;
  /** @type {number} */
  #discoveryMs;
  /** @type {string | null} */
  #expectedChainId;
  /** @type {Map<string, { info: WalletInfo, provider: Eip1193Provider }>} */
  #wallets = new Map();
  /** @type {{ uuid: string, info: WalletInfo, provider: Eip1193Provider } | null} */
  #selected = null;
  /** @type {string[]} */
  #accounts = [];
  /** @type {string | null} */
  #chainId = null;
  #disposed = false;
  /** @type {Set<() => void>} wake-ups for pending waits, so dispose ends them at once. */
  #waiters = new Set();

  /** @type {(event: Event) => void} */
  #onAnnounce;
  /** @type {(accounts: unknown) => void} */
  #onAccountsChanged;
  /** @type {(chainId: unknown) => void} */
  #onChainChanged;
  /** @type {(error: unknown) => void} */
  #onDisconnect;

  /**
   * @param {DotNetRef} dotNetRef
   * @param {InitOptions} options
   */
  constructor(dotNetRef, options) {
    this.#dotNetRef = dotNetRef;
    this.#window = options.window ?? /** @type {any} */ (globalThis.window ?? null);
    this.#discoveryMs = options.discoveryMs ?? DEFAULT_DISCOVERY_MS;
    this.#expectedChainId = options.expectedChainId === undefined || options.expectedChainId === null
      ? null
      : normalizeChainId(options.expectedChainId);

    this.#onAnnounce = (event) => {
      if (this.#disposed) {
        return;
      }
      const announcement = readAnnouncement(/** @type {any} */ (event).detail);
      // EIP-6963: wallets re-announce on every request; the first announcement of a uuid wins.
      if (announcement && !this.#wallets.has(announcement.info.uuid)) {
        this.#wallets.set(announcement.info.uuid, announcement);
      }
    };
    this.#onAccountsChanged = (accounts) => {
      if (this.#disposed) {
        return;
      }
      const normalized = Array.isArray(accounts) ? normalizeAccounts(accounts.filter(isAddress)) : null;
      if (normalized === null) {
        return;
      }
      this.#accounts = normalized;
      this.#notify('OnAccountsChanged', normalized);
    };
    this.#onChainChanged = (chainId) => {
      if (this.#disposed) {
        return;
      }
      const normalized = normalizeChainId(chainId, true);
      if (normalized === null) {
        return;
      }
      this.#chainId = normalized;
      this.#notify('OnChainChanged', normalized);
    };
    this.#onDisconnect = (error) => {
      if (this.#disposed) {
        return;
      }
      const { code } = errorCodes(error);
      const message = code === 4901 ? MESSAGES.CHAIN_DISCONNECTED : MESSAGES.DISCONNECTED;
      this.#notify('OnDisconnect', { code: 'DISCONNECTED', message, rpcCode: code ?? 4900 });
    };

    this.#window?.addEventListener?.('eip6963:announceProvider', this.#onAnnounce);
  }

  /** @returns {boolean} */
  get disposed() {
    return this.#disposed;
  }

  /**
   * @param {string} method
   * @param {unknown} arg
   */
  #notify(method, arg) {
    const ref = this.#dotNetRef;
    if (!ref) {
      return;
    }
    try {
      Promise.resolve(ref.invokeMethodAsync(method, arg)).catch(() => {
        // The circuit may be gone; the C# side disposes the session when it notices.
      });
    } catch {
      // Same as above, for a synchronous failure.
    }
  }

  /**
   * @param {Eip1193Provider} provider
   */
  #attach(provider) {
    provider.on?.('accountsChanged', this.#onAccountsChanged);
    provider.on?.('chainChanged', this.#onChainChanged);
    provider.on?.('disconnect', this.#onDisconnect);
  }

  /**
   * @param {Eip1193Provider} provider
   */
  #detach(provider) {
    const remove = provider.removeListener ?? /** @type {any} */ (provider).off;
    if (typeof remove !== 'function') {
      return;
    }
    remove.call(provider, 'accountsChanged', this.#onAccountsChanged);
    remove.call(provider, 'chainChanged', this.#onChainChanged);
    remove.call(provider, 'disconnect', this.#onDisconnect);
  }

  /**
   * Sends one request to the selected provider.
   * @param {string} method
   * @param {unknown[] | Record<string, unknown>} [params]
   * @returns {Promise<Result>}
   */
  async #request(method, params) {
    if (this.#disposed) {
      return fail('DISPOSED');
    }
    const selected = this.#selected;
    if (!selected) {
      return fail('NOT_CONNECTED');
    }
    try {
      const value = await selected.provider.request(params === undefined ? { method } : { method, params });
      if (this.#disposed) {
        return fail('DISPOSED');
      }
      return ok(value);
    } catch (error) {
      if (this.#disposed) {
        return fail('DISPOSED');
      }
      return fromProviderError(error, method);
    }
  }

  /**
   * @param {number} ms
   * @returns {Promise<void>}
   */
  #sleep(ms) {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.#waiters.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.#waiters.add(wake);
    });
  }

  /**
   * @param {unknown} expected  caller's expected chain id, or undefined/null for the init default.
   * @returns {{ error: ErrorResult } | { expected: string | null }}
   */
  #resolveExpected(expected) {
    if (expected === undefined || expected === null) {
      return { expected: this.#expectedChainId };
    }
    const normalized = normalizeChainId(expected);
    return normalized === null
      ? { error: invalidArgument(`the expected chain id must be a hex string such as 0x7a69 (got ${describe(expected)})`) }
      : { expected: normalized };
  }

  /**
   * @param {string} expected
   * @param {string} actual
   * @param {Record<string, unknown>} [more]
   * @returns {ErrorResult}
   */
  #wrongNetwork(expected, actual, more) {
    return fail(
      'WRONG_NETWORK',
      `Your wallet is on network ${formatChain(actual)}, but this action needs network ${formatChain(expected)}. Switch network in your wallet and try again.`,
      { data: { expectedChainId: expected, actualChainId: actual, ...more } },
    );
  }

  /**
   * Reads the wallet's current chain and compares it with `expected` (if any).
   * @param {string | null} expected
   * @returns {Promise<Result>} ok with the chain id, or an error.
   */
  async #checkChain(expected) {
    const read = await this.#request('eth_chainId');
    if (!read.ok) {
      return read;
    }
    const chainId = normalizeChainId(read.value, true);
    if (chainId === null) {
      return invalidResponse('the chain id is not a hex number');
    }
    this.#chainId = chainId;
    if (expected !== null && chainId !== expected) {
      return this.#wrongNetwork(expected, chainId);
    }
    return ok(chainId);
  }

  /**
   * @param {unknown} address
   * @param {string} field
   * @returns {{ error: ErrorResult } | { address: string }}
   */
  #requireOwnAccount(address, field) {
    if (!isAddress(address)) {
      return { error: invalidArgument(`${field} must be an address (0x followed by 40 hex digits), got ${describe(address)}`) };
    }
    if (!this.#selected) {
      return { error: fail('NOT_CONNECTED') };
    }
    const lower = address.toLowerCase();
    if (this.#accounts.length === 0) {
      return { error: fail('NOT_CONNECTED') };
    }
    if (!this.#accounts.includes(lower)) {
      return {
        error: fail(
          'ACCOUNT_MISMATCH',
          `Your wallet's selected account is ${this.#accounts[0]}, but this request is for ${lower}. Select that account in your wallet.`,
          { data: { expectedAddress: lower, walletAccounts: [...this.#accounts] } },
        ),
      };
    }
    return { address: lower };
  }

  // ----- operations ---------------------------------------------------------------------------

  /** @returns {Promise<Result>} */
  async discover() {
    if (this.#disposed) {
      return fail('DISPOSED');
    }
    const win = this.#window;
    if (win && typeof win.dispatchEvent === 'function') {
      win.dispatchEvent(new Event('eip6963:requestProvider'));
      if (this.#discoveryMs > 0) {
        await this.#sleep(this.#discoveryMs);
      }
      if (this.#disposed) {
        return fail('DISPOSED');
      }
    }
    const wallets = [...this.#wallets.values()];
    if (wallets.length === 0) {
      const legacy = win?.ethereum;
      if (isProvider(legacy)) {
        const isMetaMask = /** @type {any} */ (legacy).isMetaMask === true;
        const info = { uuid: LEGACY_PROVIDER_UUID, name: isMetaMask ? 'MetaMask' : 'Browser wallet', icon: '', rdns: '' };
        this.#wallets.set(LEGACY_PROVIDER_UUID, { info, provider: legacy });
        wallets.push({ info, provider: legacy });
      }
    }
    if (wallets.length === 0) {
      return fail('NO_WALLET');
    }
    return ok(wallets.map((w) => ({ ...w.info })));
  }

  /**
   * @param {unknown} providerUuid
   * @param {unknown} expectedChainId
   * @returns {Promise<Result>}
   */
  async connect(providerUuid, expectedChainId) {
    if (this.#disposed) {
      return fail('DISPOSED');
    }
    if (providerUuid !== undefined && providerUuid !== null && typeof providerUuid !== 'string') {
      return invalidArgument('the wallet id must be a string');
    }
    const resolved = this.#resolveExpected(expectedChainId);
    if ('error' in resolved) {
      return resolved.error;
    }
    if (this.#wallets.size === 0) {
      const found = await this.discover();
      if (!found.ok) {
        return found;
      }
    }
    const uuid = providerUuid ? providerUuid.toLowerCase() : [...this.#wallets.keys()][0];
    const wallet = this.#wallets.get(uuid);
    if (!wallet) {
      return fail('PROVIDER_NOT_FOUND');
    }
    this.#select(wallet.info.uuid, wallet);

    const requested = await this.#request('eth_requestAccounts');
    if (!requested.ok) {
      return requested;
    }
    const accounts = normalizeAccounts(requested.value);
    if (accounts === null) {
      return invalidResponse('the account list is not a list of addresses');
    }
    if (accounts.length === 0) {
      return fail('NOT_CONNECTED', 'Your wallet did not share any account. Unlock your wallet and connect again.');
    }
    this.#accounts = accounts;
    const chain = await this.#checkChain(null);
    if (!chain.ok) {
      return chain;
    }
    const value = { providerUuid: wallet.info.uuid, providerName: wallet.info.name, accounts: [...accounts], chainId: chain.value };
    if (resolved.expected !== null && chain.value !== resolved.expected) {
      return this.#wrongNetwork(resolved.expected, chain.value, { accounts: [...accounts], providerUuid: wallet.info.uuid });
    }
    return ok(value);
  }

  /**
   * Selects a provider, moving the event listeners from the previous one.
   * @param {string} uuid
   * @param {{ info: WalletInfo, provider: Eip1193Provider }} wallet
   */
  #select(uuid, wallet) {
    if (this.#selected?.provider === wallet.provider) {
      this.#selected = { uuid, ...wallet };
      return;
    }
    if (this.#selected) {
      this.#detach(this.#selected.provider);
    }
    this.#accounts = [];
    this.#chainId = null;
    this.#selected = { uuid, ...wallet };
    this.#attach(wallet.provider);
  }

  /** @returns {Promise<Result>} */
  async getState() {
    if (this.#disposed) {
      return fail('DISPOSED');
    }
    const selected = this.#selected;
    if (!selected) {
      return ok({ connected: false, providerUuid: null, providerName: null, accounts: [], chainId: null });
    }
    const accountsRead = await this.#request('eth_accounts');
    if (!accountsRead.ok) {
      return accountsRead;
    }
    const accounts = normalizeAccounts(accountsRead.value);
    if (accounts === null) {
      return invalidResponse('the account list is not a list of addresses');
    }
    this.#accounts = accounts;
    const chain = await this.#checkChain(null);
    if (!chain.ok) {
      return chain;
    }
    return ok({
      connected: accounts.length > 0,
      providerUuid: selected.info.uuid,
      providerName: selected.info.name,
      accounts: [...accounts],
      chainId: chain.value,
    });
  }

  /**
   * @param {unknown} expectedChainId
   * @returns {Promise<Result>}
   */
  async checkNetwork(expectedChainId) {
    if (this.#disposed) {
      return fail('DISPOSED');
    }
    const resolved = this.#resolveExpected(expectedChainId);
    if ('error' in resolved) {
      return resolved.error;
    }
    if (resolved.expected === null) {
      return invalidArgument('no expected chain id was given');
    }
    return this.#checkChain(resolved.expected);
  }

  /**
   * @param {unknown} chainParams
   * @returns {Promise<Result>}
   */
  async switchChain(chainParams) {
    if (this.#disposed) {
      return fail('DISPOSED');
    }
    const parsed = parseChainParams(chainParams);
    if ('error' in parsed) {
      return parsed.error;
    }
    const { chainId, addParams } = parsed;
    if (!this.#selected) {
      return fail('NOT_CONNECTED');
    }
    let switched = await this.#request('wallet_switchEthereumChain', [{ chainId }]);
    if (!switched.ok && switched.code === 'UNKNOWN_CHAIN') {
      if (!addParams) {
        return fail(
          'UNKNOWN_CHAIN',
          `Your wallet does not know network ${formatChain(chainId)}. Add the network to your wallet first.`,
          { rpcCode: switched.rpcCode, data: { chainId } },
        );
      }
      const added = await this.#request('wallet_addEthereumChain', [addParams]);
      if (!added.ok) {
        return added;
      }
      switched = await this.#request('wallet_switchEthereumChain', [{ chainId }]);
    }
    if (!switched.ok) {
      return switched;
    }
    return this.#checkChain(chainId);
  }

  /**
   * @param {unknown} message
   * @param {unknown} address
   * @returns {Promise<Result>}
   */
  async personalSign(message, address) {
    if (this.#disposed) {
      return fail('DISPOSED');
    }
    if (typeof message !== 'string' || message.length === 0) {
      return invalidArgument('the message to sign must be a non-empty text');
    }
    if (!isWellFormed(message)) {
      return invalidArgument('the message to sign contains invalid text (a lone surrogate)');
    }
    const hex = utf8ToHex(message);
    if ((hex.length - 2) / 2 > MAX_MESSAGE_BYTES) {
      return invalidArgument(`the message to sign is longer than ${MAX_MESSAGE_BYTES} bytes`);
    }
    const account = this.#requireOwnAccount(address, 'the signing address');
    if ('error' in account) {
      return account.error;
    }
    const signed = await this.#request('personal_sign', [hex, account.address]);
    if (!signed.ok) {
      return signed;
    }
    if (typeof signed.value !== 'string' || !SIGNATURE_RE.test(signed.value)) {
      return invalidResponse('the signature is not 65 bytes of hex');
    }
    return ok(signed.value.toLowerCase());
  }

  /**
   * @param {unknown} address
   * @param {unknown} typedDataJson
   * @param {unknown} expectedChainId
   * @returns {Promise<Result>}
   */
  async signTypedDataV4(address, typedDataJson, expectedChainId) {
    if (this.#disposed) {
      return fail('DISPOSED');
    }
    if (typeof typedDataJson !== 'string') {
      return invalidArgument('the typed data must be a JSON text');
    }
    /** @type {any} */
    let doc;
    try {
      doc = JSON.parse(typedDataJson);
    } catch {
      return invalidArgument('the typed data is not valid JSON');
    }
    if (doc === null || typeof doc !== 'object' || Array.isArray(doc)
      || doc.types === null || typeof doc.types !== 'object' || Array.isArray(doc.types)
      || typeof doc.primaryType !== 'string' || !Object.hasOwn(doc.types, doc.primaryType)
      || doc.domain === null || typeof doc.domain !== 'object' || Array.isArray(doc.domain)
      || doc.message === null || typeof doc.message !== 'object' || Array.isArray(doc.message)) {
      return invalidArgument('the typed data needs types, primaryType (one of the types), domain and message');
    }
    const domainChain = typedDataChainId(doc.domain.chainId);
    if (domainChain === null) {
      return invalidArgument('the typed data domain has a chainId that is not a number');
    }
    const resolved = this.#resolveExpected(expectedChainId);
    if ('error' in resolved) {
      return resolved.error;
    }
    if (resolved.expected !== null && domainChain !== undefined && domainChain !== resolved.expected) {
      return invalidArgument(`the typed data is for network ${formatChain(domainChain)}, not ${formatChain(resolved.expected)}`);
    }
    const account = this.#requireOwnAccount(address, 'the signing address');
    if ('error' in account) {
      return account.error;
    }
    const mustBe = resolved.expected ?? domainChain ?? null;
    if (mustBe !== null) {
      const chain = await this.#checkChain(mustBe);
      if (!chain.ok) {
        return chain;
      }
    }
    // Pass the caller's JSON text through unchanged: the C# side built it and will verify the
    // signature against exactly this document.
    const signed = await this.#request('eth_signTypedData_v4', [account.address, typedDataJson]);
    if (!signed.ok) {
      return signed;
    }
    if (typeof signed.value !== 'string' || !SIGNATURE_RE.test(signed.value)) {
      return invalidResponse('the signature is not 65 bytes of hex');
    }
    return ok(signed.value.toLowerCase());
  }

  /**
   * @param {unknown} tx
   * @param {unknown} expectedChainId
   * @returns {Promise<Result>}
   */
  async sendTransaction(tx, expectedChainId) {
    if (this.#disposed) {
      return fail('DISPOSED');
    }
    const parsed = parseTransaction(tx);
    if ('error' in parsed) {
      return parsed.error;
    }
    const resolved = this.#resolveExpected(expectedChainId);
    if ('error' in resolved) {
      return resolved.error;
    }
    const account = this.#requireOwnAccount(parsed.tx.from, 'the transaction sender (from)');
    if ('error' in account) {
      return account.error;
    }
    if (resolved.expected !== null) {
      const chain = await this.#checkChain(resolved.expected);
      if (!chain.ok) {
        return chain;
      }
    }
    const sent = await this.#request('eth_sendTransaction', [parsed.tx]);
    if (!sent.ok) {
      return sent;
    }
    if (typeof sent.value !== 'string' || !HASH_RE.test(sent.value)) {
      return invalidResponse('the transaction hash is not 32 bytes of hex');
    }
    return ok(sent.value.toLowerCase());
  }

  /**
   * @param {unknown} hash
   * @param {unknown} options
   * @returns {Promise<Result>}
   */
  async waitForReceipt(hash, options) {
    if (this.#disposed) {
      return fail('DISPOSED');
    }
    if (typeof hash !== 'string' || !HASH_RE.test(hash)) {
      return invalidArgument(`the transaction hash must be 0x followed by 64 hex digits, got ${describe(hash)}`);
    }
    const opts = options === undefined || options === null ? {} : options;
    if (typeof opts !== 'object') {
      return invalidArgument('the wait options must be an object');
    }
    const { pollMs = DEFAULT_POLL_MS, timeoutMs = DEFAULT_RECEIPT_TIMEOUT_MS } = /** @type {any} */ (opts);
    if (!isIntInRange(pollMs, 1, 60000)) {
      return invalidArgument('pollMs must be a whole number of milliseconds between 1 and 60000');
    }
    if (!isIntInRange(timeoutMs, 1, MAX_RECEIPT_TIMEOUT_MS)) {
      return invalidArgument(`timeoutMs must be a whole number of milliseconds between 1 and ${MAX_RECEIPT_TIMEOUT_MS}`);
    }
    if (!this.#selected) {
      return fail('NOT_CONNECTED');
    }
    const lower = hash.toLowerCase();
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const read = await this.#request('eth_getTransactionReceipt', [lower]);
      if (!read.ok) {
        // Permanent conditions end the wait; anything else (a flaky RPC node) is retried.
        if (['DISPOSED', 'NOT_CONNECTED', 'UNAUTHORIZED', 'UNSUPPORTED_METHOD', 'DISCONNECTED'].includes(read.code)) {
          return read;
        }
      } else if (read.value !== null && read.value !== undefined) {
        return readReceipt(read.value, lower);
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        return fail(
          'TIMEOUT',
          `The transaction was sent, but it was not confirmed within ${formatDuration(timeoutMs)}. It may still be confirmed later; check your transactions.`,
          { data: { transactionHash: lower } },
        );
      }
      await this.#sleep(Math.min(pollMs, left));
      if (this.#disposed) {
        return fail('DISPOSED');
      }
    }
  }

  /**
   * @param {unknown} asset
   * @returns {Promise<Result>}
   */
  async watchAsset(asset) {
    if (this.#disposed) {
      return fail('DISPOSED');
    }
    if (asset === null || typeof asset !== 'object') {
      return invalidArgument('the token must be an object with address, symbol and decimals');
    }
    const { address, symbol, decimals, image } = /** @type {any} */ (asset);
    if (!isAddress(address)) {
      return invalidArgument(`the token address must be 0x followed by 40 hex digits, got ${describe(address)}`);
    }
    if (typeof symbol !== 'string' || !/^[A-Za-z0-9]{1,11}$/.test(symbol)) {
      return invalidArgument('the token symbol must be 1 to 11 letters or digits');
    }
    if (!isIntInRange(decimals, 0, 36)) {
      return invalidArgument('the token decimals must be a whole number from 0 to 36');
    }
    if (image !== undefined && image !== null && !isHttpUrl(image, true)) {
      return invalidArgument('the token image must be an absolute http(s) URL or a data:image URI');
    }
    /** @type {Record<string, unknown>} */
    const options = { address: address.toLowerCase(), symbol, decimals };
    if (typeof image === 'string') {
      options.image = image;
    }
    const watched = await this.#request('wallet_watchAsset', { type: 'ERC20', options });
    if (!watched.ok) {
      return watched;
    }
    if (typeof watched.value !== 'boolean') {
      return invalidResponse('the answer to adding the token is not true or false');
    }
    return ok(watched.value);
  }

  /** Removes every listener, ends pending waits and forgets the .NET reference. Idempotent. */
  dispose() {
    if (this.#disposed) {
      return;
    }
    this.#disposed = true;
    this.#window?.removeEventListener?.('eip6963:announceProvider', this.#onAnnounce);
    if (this.#selected) {
      this.#detach(this.#selected.provider);
    }
    this.#selected = null;
    this.#wallets.clear();
    this.#accounts = [];
    this.#chainId = null;
    this.#dotNetRef = null;
    for (const wake of [...this.#waiters]) {
      wake();
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Parsing helpers for structured arguments
// ---------------------------------------------------------------------------------------------

/**
 * @param {unknown} value
 * @returns {string}
 */
function describe(value) {
  if (value === undefined) {
    return 'nothing';
  }
  if (typeof value === 'string') {
    const shown = value.length > 48 ? `${value.slice(0, 48)}…` : value;
    return `"${cleanWalletText(shown)}"`;
  }
  if (value === null || typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return `a ${Array.isArray(value) ? 'list' : typeof value}`;
}

/**
 * @param {string} chainId  normalised hex chain id
 * @returns {string}  e.g. "31337 (0x7a69)"
 */
function formatChain(chainId) {
  return `${BigInt(chainId).toString(10)} (${chainId})`;
}

/**
 * @param {number} ms
 * @returns {string}
 */
function formatDuration(ms) {
  return ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

const TX_FIELDS = Object.freeze(['from', 'to', 'value', 'data', 'gas', 'gasPrice', 'maxFeePerGas', 'maxPriorityFeePerGas']);

/**
 * Validates a transaction request; returns the sanitized copy that is sent to the wallet.
 * @param {unknown} tx
 * @returns {{ error: ErrorResult } | { tx: Record<string, string> }}
 */
function parseTransaction(tx) {
  if (tx === null || typeof tx !== 'object' || Array.isArray(tx)) {
    return { error: invalidArgument('the transaction must be an object') };
  }
  const input = /** @type {Record<string, unknown>} */ (tx);
  const unknown = Object.keys(input).filter((k) => !TX_FIELDS.includes(k) && input[k] !== undefined && input[k] !== null);
  if (unknown.length > 0) {
    return { error: invalidArgument(`the transaction has unsupported fields: ${unknown.join(', ')}`) };
  }
  if (!isAddress(input.from)) {
    return { error: invalidArgument(`the transaction sender (from) must be 0x followed by 40 hex digits, got ${describe(input.from)}`) };
  }
  if (!isAddress(input.to)) {
    return { error: invalidArgument(`the transaction recipient (to) must be 0x followed by 40 hex digits, got ${describe(input.to)}`) };
  }
  /** @type {Record<string, string>} */
  const out = { from: input.from.toLowerCase(), to: input.to.toLowerCase() };
  if (input.data !== undefined && input.data !== null) {
    if (typeof input.data !== 'string' || !HEX_DATA_RE.test(input.data)) {
      return { error: invalidArgument('the transaction data must be 0x followed by whole bytes of hex') };
    }
    out.data = input.data.toLowerCase();
  }
  for (const field of ['value', 'gas', 'gasPrice', 'maxFeePerGas', 'maxPriorityFeePerGas']) {
    const raw = input[field];
    if (raw === undefined || raw === null) {
      continue;
    }
    const quantity = normalizeQuantity(raw);
    if (quantity === null) {
      return { error: invalidArgument(`the transaction ${field} must be a hex quantity such as 0x0, got ${describe(raw)}`) };
    }
    out[field] = quantity;
  }
  return { tx: out };
}

/**
 * Validates wallet_switchEthereumChain / wallet_addEthereumChain parameters (EIP-3326, EIP-3085).
 * @param {unknown} params
 * @returns {{ error: ErrorResult } | { chainId: string, addParams: Record<string, unknown> | null }}
 */
function parseChainParams(params) {
  if (params === null || typeof params !== 'object' || Array.isArray(params)) {
    return { error: invalidArgument('the network must be an object with at least a chainId') };
  }
  const p = /** @type {Record<string, any>} */ (params);
  const chainId = normalizeChainId(p.chainId);
  if (chainId === null) {
    return { error: invalidArgument(`the chainId must be a hex string such as 0x7a69, got ${describe(p.chainId)}`) };
  }
  const hasAddFields = ['chainName', 'rpcUrls', 'nativeCurrency', 'blockExplorerUrls', 'iconUrls']
    .some((k) => p[k] !== undefined && p[k] !== null);
  if (!hasAddFields) {
    return { chainId, addParams: null };
  }
  if (typeof p.chainName !== 'string' || cleanWalletText(p.chainName).length === 0 || p.chainName.length > 100) {
    return { error: invalidArgument('chainName must be a non-empty name of at most 100 characters') };
  }
  if (!Array.isArray(p.rpcUrls) || p.rpcUrls.length === 0 || !p.rpcUrls.every((u) => isHttpUrl(u))) {
    return { error: invalidArgument('rpcUrls must be a non-empty list of http(s) URLs') };
  }
  const nc = p.nativeCurrency;
  if (nc === null || typeof nc !== 'object' || typeof nc.name !== 'string' || nc.name.length === 0
    || typeof nc.symbol !== 'string' || !/^[A-Za-z0-9]{2,6}$/.test(nc.symbol) || nc.decimals !== 18) {
    return { error: invalidArgument('nativeCurrency must have a name, a symbol of 2 to 6 letters and decimals 18') };
  }
  for (const key of ['blockExplorerUrls', 'iconUrls']) {
    const list = p[key];
    if (list !== undefined && list !== null && (!Array.isArray(list) || !list.every((u) => isHttpUrl(u)))) {
      return { error: invalidArgument(`${key} must be a list of http(s) URLs`) };
    }
  }
  /** @type {Record<string, unknown>} */
  const addParams = {
    chainId,
    chainName: p.chainName,
    rpcUrls: [...p.rpcUrls],
    nativeCurrency: { name: nc.name, symbol: nc.symbol, decimals: 18 },
  };
  if (Array.isArray(p.blockExplorerUrls) && p.blockExplorerUrls.length > 0) {
    addParams.blockExplorerUrls = [...p.blockExplorerUrls];
  }
  if (Array.isArray(p.iconUrls) && p.iconUrls.length > 0) {
    addParams.iconUrls = [...p.iconUrls];
  }
  return { chainId, addParams };
}

/**
 * Validates a receipt and turns it into a result.
 * @param {unknown} receipt
 * @param {string} hash  lower-case hash that was asked for
 * @returns {Result}
 */
function readReceipt(receipt, hash) {
  if (receipt === null || typeof receipt !== 'object') {
    return invalidResponse('the receipt is not an object');
  }
  const r = /** @type {Record<string, unknown>} */ (receipt);
  if (typeof r.transactionHash !== 'string' || r.transactionHash.toLowerCase() !== hash) {
    return invalidResponse('the receipt is for a different transaction');
  }
  const blockNumber = normalizeQuantity(r.blockNumber);
  if (blockNumber === null) {
    return invalidResponse('the receipt has no block number');
  }
  if (typeof r.blockHash !== 'string' || !HASH_RE.test(r.blockHash)) {
    return invalidResponse('the receipt has no block hash');
  }
  const status = normalizeQuantity(r.status);
  if (status !== '0x0' && status !== '0x1') {
    return invalidResponse('the receipt status is neither 0x0 nor 0x1');
  }
  const gasUsed = r.gasUsed === undefined || r.gasUsed === null ? null : normalizeQuantity(r.gasUsed);
  const value = {
    transactionHash: hash,
    blockNumber,
    blockHash: r.blockHash.toLowerCase(),
    status,
    gasUsed,
    contractAddress: isAddress(r.contractAddress) ? r.contractAddress.toLowerCase() : null,
  };
  if (status === '0x0') {
    return fail('TX_REVERTED', undefined, { data: value });
  }
  return ok(value);
}

// ---------------------------------------------------------------------------------------------
// Exported API (called from C# through IJSObjectReference)
// ---------------------------------------------------------------------------------------------

/**
 * Starts a wallet session for one circuit. Returns the session object itself: C# receives it as an
 * IJSObjectReference and passes it back as the first argument of every other function.
 * Throws a TypeError for programming errors (no DotNetObjectReference, bad options).
 * @param {DotNetRef} dotNetRef
 * @param {InitOptions | null} [options]
 * @returns {WalletSession}
 */
export function init(dotNetRef, options) {
  if (dotNetRef === null || typeof dotNetRef !== 'object' || typeof dotNetRef.invokeMethodAsync !== 'function') {
    throw new TypeError('wallet.init needs a DotNetObjectReference (an object with invokeMethodAsync).');
  }
  const opts = options ?? {};
  if (typeof opts !== 'object') {
    throw new TypeError('wallet.init options must be an object.');
  }
  if (opts.discoveryMs !== undefined && opts.discoveryMs !== null && !isIntInRange(opts.discoveryMs, 0, MAX_DISCOVERY_MS)) {
    throw new TypeError(`wallet.init options.discoveryMs must be a whole number from 0 to ${MAX_DISCOVERY_MS}.`);
  }
  if (opts.expectedChainId !== undefined && opts.expectedChainId !== null && normalizeChainId(opts.expectedChainId) === null) {
    throw new TypeError('wallet.init options.expectedChainId must be a hex chain id such as 0x7a69.');
  }
  return new WalletSession(dotNetRef, {
    expectedChainId: opts.expectedChainId ?? undefined,
    discoveryMs: opts.discoveryMs ?? undefined,
    window: opts.window ?? undefined,
  });
}

/**
 * @param {unknown} handle
 * @param {(session: WalletSession) => Promise<Result>} run
 * @returns {Promise<Result>}
 */
async function withSession(handle, run) {
  if (!(handle instanceof WalletSession)) {
    return invalidArgument('the wallet handle is missing; call init first');
  }
  if (handle.disposed) {
    return fail('DISPOSED');
  }
  try {
    return await run(handle);
  } catch (error) {
    // A bug or a misbehaving wallet object; still answer with a result.
    return fromProviderError(error, 'unknown');
  }
}

/**
 * Ends the session: removes every listener and ends pending waits. Safe to call twice.
 * @param {unknown} handle
 * @returns {Promise<Result>}
 */
export async function dispose(handle) {
  if (!(handle instanceof WalletSession)) {
    return invalidArgument('the wallet handle is missing; call init first');
  }
  handle.dispose();
  return ok(null);
}

/**
 * EIP-6963 discovery with a window.ethereum fallback. value: WalletInfo[] (never empty).
 * @param {unknown} handle
 * @returns {Promise<Result>}
 */
export function discover(handle) {
  return withSession(handle, (s) => s.discover());
}

/**
 * eth_requestAccounts on the chosen wallet (or the first one found), then eth_chainId.
 * value: { providerUuid, providerName, accounts: string[], chainId }.
 * @param {unknown} handle
 * @param {string | null} [providerUuid]
 * @param {string | null} [expectedChainId]
 * @returns {Promise<Result>}
 */
export function connect(handle, providerUuid, expectedChainId) {
  return withSession(handle, (s) => s.connect(providerUuid, expectedChainId));
}

/**
 * Current state without prompting. value: { connected, providerUuid, providerName, accounts, chainId }.
 * @param {unknown} handle
 * @returns {Promise<Result>}
 */
export function getState(handle) {
  return withSession(handle, (s) => s.getState());
}

/**
 * Compares the wallet's chain with the expected one. value: chainId; WRONG_NETWORK on mismatch.
 * @param {unknown} handle
 * @param {string | null} [expectedChainId]
 * @returns {Promise<Result>}
 */
export function checkNetwork(handle, expectedChainId) {
  return withSession(handle, (s) => s.checkNetwork(expectedChainId));
}

/**
 * wallet_switchEthereumChain; on 4902, wallet_addEthereumChain with the given params, then switch.
 * value: the chain id the wallet is on afterwards.
 * @param {unknown} handle
 * @param {{ chainId: string, chainName?: string, rpcUrls?: string[], nativeCurrency?: { name: string, symbol: string, decimals: number }, blockExplorerUrls?: string[], iconUrls?: string[] }} chainParams
 * @returns {Promise<Result>}
 */
export function switchChain(handle, chainParams) {
  return withSession(handle, (s) => s.switchChain(chainParams));
}

/**
 * personal_sign of the UTF-8 bytes of `message`. value: the 65-byte signature, lower-case hex.
 * @param {unknown} handle
 * @param {string} message
 * @param {string} address
 * @returns {Promise<Result>}
 */
export function personalSign(handle, message, address) {
  return withSession(handle, (s) => s.personalSign(message, address));
}

/**
 * eth_signTypedData_v4 (e.g. an ERC-2612 permit); the JSON text is passed through unchanged.
 * value: the 65-byte signature, lower-case hex.
 * @param {unknown} handle
 * @param {string} address
 * @param {string} typedDataJson
 * @param {string | null} [expectedChainId]
 * @returns {Promise<Result>}
 */
export function signTypedDataV4(handle, address, typedDataJson, expectedChainId) {
  return withSession(handle, (s) => s.signTypedDataV4(address, typedDataJson, expectedChainId));
}

/**
 * eth_sendTransaction. value: the transaction hash, lower-case hex.
 * @param {unknown} handle
 * @param {{ from: string, to: string, value?: string, data?: string, gas?: string, gasPrice?: string, maxFeePerGas?: string, maxPriorityFeePerGas?: string }} tx
 * @param {string | null} [expectedChainId]
 * @returns {Promise<Result>}
 */
export function sendTransaction(handle, tx, expectedChainId) {
  return withSession(handle, (s) => s.sendTransaction(tx, expectedChainId));
}

/**
 * Polls eth_getTransactionReceipt. value: { transactionHash, blockNumber, blockHash, status, gasUsed, contractAddress };
 * TX_REVERTED (same fields in data) when status is 0x0; TIMEOUT after timeoutMs.
 * @param {unknown} handle
 * @param {string} hash
 * @param {{ pollMs?: number, timeoutMs?: number } | null} [options]
 * @returns {Promise<Result>}
 */
export function waitForReceipt(handle, hash, options) {
  return withSession(handle, (s) => s.waitForReceipt(hash, options));
}

/**
 * wallet_watchAsset for an ERC-20 token (NCR). value: true when the user added it.
 * @param {unknown} handle
 * @param {{ address: string, symbol: string, decimals: number, image?: string }} asset
 * @returns {Promise<Result>}
 */
export function watchAsset(handle, asset) {
  return withSession(handle, (s) => s.watchAsset(asset));
}
