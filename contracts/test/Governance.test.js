"use strict";

const { expect } = require("chai");
const { ethers } = require("hardhat");
const { loadFixture, time, mine } = require("@nomicfoundation/hardhat-network-helpers");
const { NCR, DAY, ROLES, deployFixture } = require("./helpers");

const ProposalState = { Pending: 0, Active: 1, Canceled: 2, Defeated: 3, Succeeded: 4, Queued: 5, Expired: 6, Executed: 7 };

/** Proposes, votes (all holders given), queues and executes one proposal through governor + timelock. */
async function pass(d, voters, targets, calldatas, description) {
  const values = targets.map(() => 0);
  const descHash = ethers.id(description);
  await d.governor.connect(voters[0]).propose(targets, values, calldatas, description);
  const id = await d.governor.hashProposal(targets, values, calldatas, descHash);
  expect(await d.governor.state(id)).to.equal(ProposalState.Pending);
  await mine(2);
  expect(await d.governor.state(id)).to.equal(ProposalState.Active);
  for (const v of voters) {
    await d.governor.connect(v).castVote(id, 1);
  }
  await mine(50);
  expect(await d.governor.state(id)).to.equal(ProposalState.Succeeded);
  await d.governor.queue(targets, values, calldatas, descHash);
  expect(await d.governor.state(id)).to.equal(ProposalState.Queued);
  await time.increase(DAY + 1);
  await d.governor.execute(targets, values, calldatas, descHash);
  expect(await d.governor.state(id)).to.equal(ProposalState.Executed);
  return id;
}

async function delegated(d) {
  // The deployer holds most of the supply; with a staker they pass the 4% quorum.
  for (const s of [d.admin, d.staker1]) {
    await d.token.connect(s).delegate(s.address);
  }
  await mine();
  return [d.staker1, d.admin];
}

describe("Governance", function () {
  it("is wired: governor proposes through the timelock, the timelock holds every parameter role", async function () {
    const d = await loadFixture(deployFixture);
    const tl = await d.timelock.getAddress();
    const gov = await d.governor.getAddress();
    expect(await d.governor.timelock()).to.equal(tl);
    expect(await d.governor.token()).to.equal(await d.token.getAddress());
    expect(await d.timelock.hasRole(ROLES.PROPOSER, gov)).to.equal(true);
    expect(await d.timelock.hasRole(ROLES.CANCELLER, gov)).to.equal(true);
    expect(await d.timelock.hasRole(ROLES.EXECUTOR, ethers.ZeroAddress)).to.equal(true);
    expect(await d.timelock.hasRole(ROLES.DEFAULT_ADMIN, d.admin.address)).to.equal(false);
    for (const c of [d.escrow, d.marketplace, d.staking]) {
      expect(await c.hasRole(ROLES.PARAMETER, tl)).to.equal(true);
      expect(await c.hasRole(ROLES.PARAMETER, d.admin.address)).to.equal(false);
      expect(await c.hasRole(ROLES.PAUSER, d.operator.address)).to.equal(true);
    }
    expect(await d.marketplace.hasRole(ROLES.MODERATOR, d.operator.address)).to.equal(true);
    expect(await d.escrow.hasRole(ROLES.MARKETPLACE, await d.marketplace.getAddress())).to.equal(true);
    expect(await d.escrow.hasRole(ROLES.ARBITRATOR, d.arbitrator.address)).to.equal(true);
    expect(await d.staking.rewardReserve()).to.equal(NCR(5_000_000));
    expect(await d.governor.proposalThreshold()).to.equal(0n);
    expect(await d.governor.votingPeriod()).to.equal(50n);
  });

  it("changes fee, review periods, bond, reward rate and the arbitrator set by token vote through the timelock", async function () {
    const d = await loadFixture(deployFixture);
    const voters = await delegated(d);
    const m = d.marketplace;
    const e = d.escrow;
    const s = d.staking;
    const targets = [await m.getAddress(), await m.getAddress(), await e.getAddress(), await s.getAddress(), await e.getAddress(), await e.getAddress()];
    const calldatas = [
      m.interface.encodeFunctionData("setFeeBps", [50]),
      m.interface.encodeFunctionData("setReviewPeriodBounds", [2 * DAY, 20 * DAY]),
      e.interface.encodeFunctionData("setBondParameters", [700, NCR(20), 4000]),
      s.interface.encodeFunctionData("setRewardRate", [400]),
      e.interface.encodeFunctionData("grantRole", [ROLES.ARBITRATOR, d.other.address]),
      e.interface.encodeFunctionData("revokeRole", [ROLES.ARBITRATOR, d.arbitrator2.address]),
    ];
    await pass(d, voters, targets, calldatas, "Tune marketplace parameters");
    expect(await m.feeBps()).to.equal(50n);
    expect(await m.minReviewPeriod()).to.equal(2n * BigInt(DAY));
    expect(await e.bondBps()).to.equal(700n);
    expect(await e.minBond()).to.equal(NCR(20));
    expect(await e.bondBurnBps()).to.equal(4000n);
    expect(await s.rewardRateBps()).to.equal(400n);
    expect(await e.hasRole(ROLES.ARBITRATOR, d.other.address)).to.equal(true);
    expect(await e.hasRole(ROLES.ARBITRATOR, d.arbitrator2.address)).to.equal(false);
  });

  it("rejects out-of-bounds parameters even through governance", async function () {
    const d = await loadFixture(deployFixture);
    const voters = await delegated(d);
    const m = d.marketplace;
    await expect(pass(d, voters, [await m.getAddress()], [m.interface.encodeFunctionData("setFeeBps", [501])], "Too high"))
      .to.be.revertedWithCustomError(m, "FeeTooHigh");
  });

  it("defeats a proposal without quorum", async function () {
    const d = await loadFixture(deployFixture);
    await d.token.connect(d.other).delegate(d.other.address);
    await mine();
    const m = d.marketplace;
    const targets = [await m.getAddress()];
    const calldatas = [m.interface.encodeFunctionData("setFeeBps", [10])];
    await d.governor.connect(d.other).propose(targets, [0], calldatas, "Lower fee");
    const id = await d.governor.hashProposal(targets, [0], calldatas, ethers.id("Lower fee"));
    await mine(2);
    await d.governor.connect(d.other).castVote(id, 1); // 1M of 107M supply < 4% quorum
    await mine(50);
    expect(await d.governor.state(id)).to.equal(ProposalState.Defeated);
    expect(await d.governor.proposalNeedsQueuing(id)).to.equal(true);
  });

  it("lets the governor cancel a pending proposal", async function () {
    const d = await loadFixture(deployFixture);
    const voters = await delegated(d);
    const m = d.marketplace;
    const targets = [await m.getAddress()];
    const calldatas = [m.interface.encodeFunctionData("setFeeBps", [10])];
    await d.governor.connect(voters[0]).propose(targets, [0], calldatas, "Cancel me");
    const id = await d.governor.hashProposal(targets, [0], calldatas, ethers.id("Cancel me"));
    await d.governor.connect(voters[0]).cancel(targets, [0], calldatas, ethers.id("Cancel me"));
    expect(await d.governor.state(id)).to.equal(ProposalState.Canceled);
  });

  it("can take over the default admin of every contract through a two-step transfer", async function () {
    const d = await loadFixture(deployFixture);
    const tl = await d.timelock.getAddress();
    const contracts = [d.token, d.staking, d.escrow, d.marketplace];
    for (const c of contracts) {
      await c.beginDefaultAdminTransfer(tl); // what ADMIN_TO_TIMELOCK=true does at deploy
    }
    await time.increase(2 * DAY + 1); // the admin delay
    const voters = await delegated(d);
    await pass(
      d,
      voters,
      await Promise.all(contracts.map((c) => c.getAddress())),
      contracts.map((c) => c.interface.encodeFunctionData("acceptDefaultAdminTransfer")),
      "Timelock becomes admin"
    );
    for (const c of contracts) {
      expect(await c.defaultAdmin()).to.equal(tl);
    }
    // The former admin can no longer grant itself a parameter role.
    await expect(d.escrow.grantRole(ROLES.PARAMETER, d.admin.address)).to.be.revertedWithCustomError(
      d.escrow,
      "AccessControlUnauthorizedAccount"
    );
  });
});
