// Deploys the NeuroData contracts to any JSON-RPC endpoint with plain ethers, using the exported
// ABI + bytecode in ../NeuroData.Infrastructure/Chain/Abi (the same files the C# code embeds).
//
// Environment (defaults in brackets):
//   RPC_URL               JSON-RPC endpoint (required)
//   DEPLOYER_PRIVATE_KEY  0x-prefixed key of the deployer (required)
//   DEPLOY_OUTPUT         JSON file for the addresses [deployments/<chainId>.json]
//   TREASURY, OPERATOR    addresses [deployer]
//   MODERATORS            comma-separated addresses [OPERATOR]
//   ARBITRATORS           comma-separated addresses [none]
//   FUND_ACCOUNTS         comma-separated address:wholeNCR pairs to mint to [none]
//   INITIAL_SUPPLY        whole NCR minted to the deployer [100000000]
//   REWARD_RESERVE        whole NCR moved into the staking reward reserve [5000000]
//   ADMIN_DELAY           seconds before a new default admin can accept [172800]
//   TIMELOCK_DELAY        seconds between queue and execute [172800]
//   GOV_VOTING_DELAY, GOV_VOTING_PERIOD (blocks) [1, 45818], GOV_QUORUM_PERCENT [4]
//   GOV_PROPOSAL_THRESHOLD whole NCR of voting power needed to propose [0]
//   ADMIN_TO_TIMELOCK     "true" starts the two-step default-admin transfer of every contract to
//                         the timelock (it accepts via a governance proposal) [false]
"use strict";

const fs = require("fs");
const path = require("path");
const { ethers } = require("ethers");
const { deployAll } = require("../lib/deploy");

const ABI_DIR = path.resolve(__dirname, "..", "..", "NeuroData.Infrastructure", "Chain", "Abi");

function list(value) {
  return (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

function address(name, value) {
  if (!ethers.isAddress(value)) {
    throw new Error(`${name}: "${value}" is not an address`);
  }
  return ethers.getAddress(value);
}

function wholeNcr(name, value, fallback) {
  const raw = value ?? fallback;
  if (!/^[0-9]+$/.test(String(raw))) {
    throw new Error(`${name}: "${raw}" is not a whole number of NCR`);
  }
  return ethers.parseEther(String(raw));
}

function integer(name, value, fallback) {
  const raw = value ?? String(fallback);
  if (!/^[0-9]+$/.test(raw)) {
    throw new Error(`${name}: "${raw}" is not a non-negative integer`);
  }
  return Number(raw);
}

function flag(name, value) {
  if (value === undefined || value === "" || value === "false") return false;
  if (value === "true") return true;
  throw new Error(`${name}: "${value}" must be true or false`);
}

function optionsFromEnv(env, deployerAddress) {
  const operator = env.OPERATOR ? address("OPERATOR", env.OPERATOR) : deployerAddress;
  return {
    treasury: env.TREASURY ? address("TREASURY", env.TREASURY) : deployerAddress,
    operator,
    moderators: env.MODERATORS ? list(env.MODERATORS).map((a) => address("MODERATORS", a)) : [operator],
    arbitrators: list(env.ARBITRATORS).map((a) => address("ARBITRATORS", a)),
    fund: list(env.FUND_ACCOUNTS).map((pair) => {
      const [a, amount] = pair.split(":");
      return { address: address("FUND_ACCOUNTS", a), amount: wholeNcr("FUND_ACCOUNTS", amount) };
    }),
    initialSupply: wholeNcr("INITIAL_SUPPLY", env.INITIAL_SUPPLY, "100000000"),
    rewardReserve: wholeNcr("REWARD_RESERVE", env.REWARD_RESERVE, "5000000"),
    adminDelay: integer("ADMIN_DELAY", env.ADMIN_DELAY, 172800),
    timelockDelay: integer("TIMELOCK_DELAY", env.TIMELOCK_DELAY, 172800),
    governorVotingDelay: integer("GOV_VOTING_DELAY", env.GOV_VOTING_DELAY, 1),
    governorVotingPeriod: integer("GOV_VOTING_PERIOD", env.GOV_VOTING_PERIOD, 45818),
    governorQuorumPercent: integer("GOV_QUORUM_PERCENT", env.GOV_QUORUM_PERCENT, 4),
    governorThreshold: wholeNcr("GOV_PROPOSAL_THRESHOLD", env.GOV_PROPOSAL_THRESHOLD, "0"),
    adminToTimelock: flag("ADMIN_TO_TIMELOCK", env.ADMIN_TO_TIMELOCK),
  };
}

async function rpcChainId(url) {
  let res;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      signal: AbortSignal.timeout(15000),
    });
  } catch (err) {
    throw new Error(`RPC_URL ${url} is not reachable: ${err.cause?.message ?? err.message}`);
  }
  const body = await res.json().catch(() => ({}));
  if (!res.ok || typeof body.result !== "string") {
    throw new Error(`RPC_URL ${url} did not answer eth_chainId (HTTP ${res.status})`);
  }
  return BigInt(body.result);
}

async function deploy(env = process.env, log = console.log) {
  if (!env.RPC_URL) throw new Error("RPC_URL is not set");
  if (!env.DEPLOYER_PRIVATE_KEY) throw new Error("DEPLOYER_PRIVATE_KEY is not set");
  let signingKey;
  try {
    signingKey = new ethers.SigningKey(env.DEPLOYER_PRIVATE_KEY);
  } catch {
    throw new Error("DEPLOYER_PRIVATE_KEY is not a valid 0x-prefixed 32-byte private key");
  }
  const deployerAddress = ethers.computeAddress(signingKey);
  const options = optionsFromEnv(env, deployerAddress);
  if (options.initialSupply < options.rewardReserve) {
    throw new Error("REWARD_RESERVE must not exceed INITIAL_SUPPLY (the reserve is funded from the deployer's mint)");
  }
  const chainId = await rpcChainId(env.RPC_URL);
  const provider = new ethers.JsonRpcProvider(env.RPC_URL, ethers.Network.from(chainId), {
    staticNetwork: true,
    pollingInterval: 250,
  });
  const wallet = new ethers.Wallet(signingKey, provider);
  const deployer = new ethers.NonceManager(wallet);
  const factory = async (name) => {
    const artifact = JSON.parse(fs.readFileSync(path.join(ABI_DIR, `${name}.json`), "utf8"));
    return new ethers.ContractFactory(artifact.abi, artifact.bytecode, deployer);
  };
  log(`Deploying to chain ${chainId} from ${wallet.address}`);
  const result = await deployAll({ factory, deployer, options, log });
  const out = env.DEPLOY_OUTPUT ?? path.join(__dirname, "..", "deployments", `${chainId}.json`);
  const doc = {
    chainId: Number(chainId),
    deployer: wallet.address,
    deployedAt: new Date().toISOString(),
    blockNumber: await provider.getBlockNumber(),
    treasury: options.treasury,
    operator: options.operator,
    arbitrators: options.arbitrators,
    contracts: result.addresses,
  };
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(doc, null, 2)}\n`);
  log(`Addresses written to ${out}`);
  provider.destroy();
  return { doc, out };
}

module.exports = { deploy };

if (require.main === module) {
  deploy().catch((err) => {
    console.error(`Deploy failed: ${err.message}`);
    process.exit(1);
  });
}
