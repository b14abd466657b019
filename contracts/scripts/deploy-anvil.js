// Proves the deploy: starts a throwaway anvil (from the @foundry-rs/anvil npm package) on a free
// port, deploys everything with scripts/deploy.js, checks every address has code and the wiring
// is in place, then stops anvil. Exits non-zero on any failure.
"use strict";

const fs = require("fs");
const net = require("net");
const os = require("os");
const path = require("path");
const { spawn } = require("child_process");
const { ethers } = require("ethers");
const { deploy } = require("./deploy");

// anvil's first well-known development account (public test key, funded only on dev chains).
const ANVIL_KEY_0 = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
const ANVIL_BIN = path.join(__dirname, "..", "node_modules", "@foundry-rs", "anvil-linux-amd64", "bin", "anvil");

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForRpc(url, child, timeoutMs) {
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`anvil exited early with code ${child.exitCode}`);
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] }),
      });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() - started > timeoutMs) throw new Error(`anvil did not answer on ${url} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function main() {
  if (!fs.existsSync(ANVIL_BIN)) {
    throw new Error(`anvil binary not found at ${ANVIL_BIN}: run "npm ci" in contracts/`);
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const anvil = spawn(ANVIL_BIN, ["--port", String(port), "--host", "127.0.0.1", "--silent"], { stdio: "ignore" });
  const stop = () => {
    if (anvil.exitCode === null) anvil.kill("SIGTERM");
  };
  process.on("exit", stop);
  let tempDir;
  try {
    await waitForRpc(url, anvil, 20000);
    tempDir = fs.mkdtempSync(path.join(os.tmpdir(), "neurodata-deploy-"));
    const out = path.join(tempDir, "addresses.json");
    const arbitrator = new ethers.Wallet(ethers.id("neurodata-test-arbitrator")).address;
    const { doc } = await deploy(
      { RPC_URL: url, DEPLOYER_PRIVATE_KEY: ANVIL_KEY_0, DEPLOY_OUTPUT: out, ARBITRATORS: arbitrator, GOV_VOTING_PERIOD: "50", ADMIN_TO_TIMELOCK: "true" },
      (msg) => console.log(`  ${msg}`)
    );

    const provider = new ethers.JsonRpcProvider(url, undefined, { staticNetwork: true });
    const written = JSON.parse(fs.readFileSync(out, "utf8"));
    if (JSON.stringify(written.contracts) !== JSON.stringify(doc.contracts)) throw new Error("address file does not match");
    for (const [name, addr] of Object.entries(written.contracts)) {
      const code = await provider.getCode(addr);
      if (code === "0x" || code.length < 4) throw new Error(`${name} at ${addr} has no code`);
      console.log(`  ok: ${name} has ${(code.length - 2) / 2} bytes of code`);
    }
    const abi = (n) => JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "NeuroData.Infrastructure", "Chain", "Abi", `${n}.json`))).abi;
    const c = written.contracts;
    const escrow = new ethers.Contract(c.EscrowManager, abi("EscrowManager"), provider);
    const market = new ethers.Contract(c.DataMarketplace, abi("DataMarketplace"), provider);
    const staking = new ethers.Contract(c.Staking, abi("Staking"), provider);
    const checks = [
      ["marketplace may open escrows", await escrow.hasRole(ethers.id("MARKETPLACE_ROLE"), c.DataMarketplace)],
      ["timelock holds escrow parameters", await escrow.hasRole(ethers.id("PARAMETER_ROLE"), c.NeuroTimelock)],
      ["timelock holds marketplace parameters", await market.hasRole(ethers.id("PARAMETER_ROLE"), c.NeuroTimelock)],
      ["timelock holds the reward rate", await staking.hasRole(ethers.id("PARAMETER_ROLE"), c.NeuroTimelock)],
      ["arbitrator granted", await escrow.hasRole(ethers.id("ARBITRATOR_ROLE"), arbitrator)],
      ["reward reserve funded", (await staking.rewardReserve()) === ethers.parseEther("5000000")],
      ["marketplace points at the escrow", (await market.escrow()) === c.EscrowManager],
      ["admin transfer to the timelock pending", (await escrow.pendingDefaultAdmin())[0] === c.NeuroTimelock],
    ];
    for (const [what, ok] of checks) {
      if (!ok) throw new Error(`wiring check failed: ${what}`);
      console.log(`  ok: ${what}`);
    }
    provider.destroy();
    console.log(`Deploy to a throwaway anvil on port ${port} succeeded (chain ${doc.chainId}).`);
  } finally {
    stop();
    if (tempDir) fs.rmSync(tempDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`deploy:anvil failed: ${err.message}`);
    process.exit(1);
  }
);
