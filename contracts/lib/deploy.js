// Deploys and wires the whole NeuroData contract set. Used by the deploy script (plain ethers
// against any JSON-RPC) and by the Hardhat tests (so the wiring itself is under test).
"use strict";

const { ethers } = require("ethers");

const ROLE = (name) => ethers.id(name);
const ROLES = {
  DEFAULT_ADMIN: ethers.ZeroHash,
  MINTER: ROLE("MINTER_ROLE"),
  PARAMETER: ROLE("PARAMETER_ROLE"),
  PAUSER: ROLE("PAUSER_ROLE"),
  MARKETPLACE: ROLE("MARKETPLACE_ROLE"),
  ARBITRATOR: ROLE("ARBITRATOR_ROLE"),
  MODERATOR: ROLE("MODERATOR_ROLE"),
  PROPOSER: ROLE("PROPOSER_ROLE"),
  EXECUTOR: ROLE("EXECUTOR_ROLE"),
  CANCELLER: ROLE("CANCELLER_ROLE"),
};

const DEFAULTS = {
  cap: ethers.parseEther("1000000000"), // 1e9 NCR
  initialSupply: ethers.parseEther("100000000"), // minted to the deployer
  rewardReserve: ethers.parseEther("5000000"),
  adminDelay: 2 * 24 * 3600, // two-step admin transfer delay (seconds)
  timelockDelay: 2 * 24 * 3600,
  governorVotingDelay: 1, // blocks
  governorVotingPeriod: 45818, // blocks (about a week at 13 s)
  governorThreshold: 0n,
  governorQuorumPercent: 4,
};

/**
 * @param {object} p
 * @param {(name: string) => Promise<import("ethers").ContractFactory>} p.factory  factory per contract name, bound to the deployer
 * @param {import("ethers").Signer} p.deployer
 * @param {object} [p.options] treasury, operator, moderators[], arbitrators[], fund[{address, amount}],
 *   adminToTimelock (bool), and DEFAULTS keys
 * @param {(msg: string) => void} [p.log]
 */
async function deployAll({ factory, deployer, options = {}, log = () => {} }) {
  const o = { ...DEFAULTS, ...options };
  const me = await deployer.getAddress();
  const treasury = o.treasury ?? me;
  const operator = o.operator ?? me;
  const moderators = o.moderators ?? [operator];
  const arbitrators = o.arbitrators ?? [];

  const deploy = async (name, args) => {
    const f = await factory(name);
    const c = await f.deploy(...args);
    await c.waitForDeployment();
    log(`${name} at ${await c.getAddress()}`);
    return c;
  };
  const send = async (txPromise) => (await txPromise).wait();

  const token = await deploy("NeuroCoin", [o.cap, me, o.adminDelay]);
  const tokenAddress = await token.getAddress();
  const staking = await deploy("Staking", [tokenAddress, me, o.adminDelay]);
  const escrow = await deploy("EscrowManager", [tokenAddress, await staking.getAddress(), treasury, me, o.adminDelay]);
  const marketplace = await deploy("DataMarketplace", [tokenAddress, await escrow.getAddress(), me, o.adminDelay]);
  const timelock = await deploy("NeuroTimelock", [o.timelockDelay, [], [ethers.ZeroAddress], me]);
  const governor = await deploy("NeuroGovernor", [
    tokenAddress,
    await timelock.getAddress(),
    o.governorVotingDelay,
    o.governorVotingPeriod,
    o.governorThreshold,
    o.governorQuorumPercent,
  ]);
  const timelockAddress = await timelock.getAddress();
  const governorAddress = await governor.getAddress();

  // Governance: only the governor proposes/cancels; anyone executes a ready operation.
  await send(timelock.grantRole(ROLES.PROPOSER, governorAddress));
  await send(timelock.grantRole(ROLES.CANCELLER, governorAddress));
  await send(timelock.renounceRole(ROLES.DEFAULT_ADMIN, me));

  // The marketplace opens escrows.
  await send(escrow.grantRole(ROLES.MARKETPLACE, await marketplace.getAddress()));

  // Initial arbitrator set: granted once at deploy time, then only the timelock manages it.
  if (arbitrators.length > 0) {
    await send(escrow.grantRole(ROLES.PARAMETER, me));
    for (const a of arbitrators) {
      await send(escrow.grantRole(ROLES.ARBITRATOR, a));
    }
    await send(escrow.renounceRole(ROLES.PARAMETER, me));
  }

  // Parameters belong to the timelock; pausing and moderation to the operator.
  for (const c of [escrow, marketplace, staking]) {
    await send(c.grantRole(ROLES.PARAMETER, timelockAddress));
    await send(c.grantRole(ROLES.PAUSER, operator));
  }
  for (const m of moderators) {
    await send(marketplace.grantRole(ROLES.MODERATOR, m));
  }

  // Supply: mint to the deployer, fund the reward reserve, hand out requested balances.
  await send(token.grantRole(ROLES.MINTER, me));
  if (o.initialSupply > 0n) {
    await send(token.mint(me, o.initialSupply));
  }
  if (o.rewardReserve > 0n) {
    await send(token.approve(await staking.getAddress(), o.rewardReserve));
    await send(staking.fundReserve(o.rewardReserve));
  }
  for (const f of o.fund ?? []) {
    await send(token.mint(f.address, f.amount));
  }

  // Optionally start handing the default admin of every contract to the timelock (two-step: the
  // timelock accepts through a governance proposal once ADMIN_DELAY has passed).
  if (o.adminToTimelock) {
    for (const c of [token, staking, escrow, marketplace]) {
      await send(c.beginDefaultAdminTransfer(timelockAddress));
    }
  }

  const addresses = {
    NeuroCoin: tokenAddress,
    Staking: await staking.getAddress(),
    EscrowManager: await escrow.getAddress(),
    DataMarketplace: await marketplace.getAddress(),
    NeuroTimelock: timelockAddress,
    NeuroGovernor: governorAddress,
  };
  return { token, staking, escrow, marketplace, timelock, governor, addresses, treasury, operator };
}

module.exports = { deployAll, DEFAULTS, ROLES };
