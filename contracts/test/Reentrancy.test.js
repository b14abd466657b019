"use strict";

const { expect } = require("chai");
const { ethers } = require("hardhat");
const { NCR, DAY, DIGEST, ROLES } = require("./helpers");

// A hostile token calls back into the contract during its own transfer: every entry point must refuse.
describe("Reentrancy guards", function () {
  async function setup() {
    const [admin, seller, buyer, treasury] = await ethers.getSigners();
    const tok = await (await ethers.getContractFactory("ReentrantToken")).deploy();
    const staking = await (await ethers.getContractFactory("Staking")).deploy(await tok.getAddress(), admin.address, 0);
    const escrow = await (await ethers.getContractFactory("EscrowManager")).deploy(
      await tok.getAddress(),
      await staking.getAddress(),
      treasury.address,
      admin.address,
      0
    );
    const market = await (await ethers.getContractFactory("DataMarketplace")).deploy(
      await tok.getAddress(),
      await escrow.getAddress(),
      admin.address,
      0
    );
    await escrow.grantRole(ROLES.MARKETPLACE, admin.address);
    await escrow.grantRole(ROLES.MARKETPLACE, await tok.getAddress());
    await escrow.grantRole(ROLES.PARAMETER, admin.address);
    await escrow.grantRole(ROLES.ARBITRATOR, await tok.getAddress());
    for (const s of [admin, seller, buyer]) {
      await tok.mint(s.address, NCR(1_000_000));
    }
    return { admin, seller, buyer, treasury, tok, staking, escrow, market };
  }

  it("blocks reentry into every escrow entry point", async function () {
    const x = await setup();
    const escrowAddr = await x.escrow.getAddress();
    // Two open escrows, and a credit for the seller to withdraw.
    await x.tok.mint(escrowAddr, NCR(300));
    for (let i = 0; i < 3; i++) {
      await x.escrow.openEscrow(1, x.buyer.address, x.seller.address, NCR(100), 25, 7 * DAY, 1);
    }
    await x.escrow.connect(x.buyer).confirm(1);
    const calls = [
      ["openEscrow", [1, x.buyer.address, x.seller.address, 1, 0, DAY, 1]],
      ["confirm", [2]],
      ["releaseAfterDeadline", [2]],
      ["agreeRefund", [2]],
      ["openDispute", [2, 0]],
      ["rule", [2, 0]],
      ["resolveAfterTimeout", [2]],
      ["vote", [2, true]],
      ["tally", [2]],
      ["withdraw", []],
      ["sweepFees", []],
    ];
    for (const [fn, args] of calls) {
      await x.tok.arm(escrowAddr, x.escrow.interface.encodeFunctionData(fn, args));
      await expect(x.escrow.connect(x.seller).withdraw(), fn).to.be.revertedWithCustomError(x.escrow, "ReentrancyGuardReentrantCall");
    }
    // Nothing moved: the seller's credit is intact and can still be withdrawn.
    await x.tok.arm(ethers.ZeroAddress, "0x");
    await expect(x.escrow.connect(x.seller).withdraw()).to.changeTokenBalance(x.tok, x.seller, NCR(100) - NCR("0.25"));
  });

  it("blocks reentry into marketplace purchases", async function () {
    const x = await setup();
    await x.market.grantRole(ROLES.MODERATOR, x.admin.address);
    await x.market.connect(x.seller).createListing(DIGEST, NCR(10), DAY, 0, 1);
    await x.market.approveListing(1);
    await x.escrow.grantRole(ROLES.MARKETPLACE, await x.market.getAddress());
    await x.tok.connect(x.buyer).approve(await x.market.getAddress(), NCR(100));
    for (const [fn, args] of [
      ["purchase", [1, NCR(10)]],
      ["purchaseWithPermit", [1, NCR(10), 0, 0, ethers.ZeroHash, ethers.ZeroHash]],
    ]) {
      await x.tok.arm(await x.market.getAddress(), x.market.interface.encodeFunctionData(fn, args));
      await expect(x.market.connect(x.buyer).purchase(1, NCR(10)), fn).to.be.revertedWithCustomError(
        x.market,
        "ReentrancyGuardReentrantCall"
      );
    }
  });

  it("blocks reentry into staking", async function () {
    const x = await setup();
    const st = await x.staking.getAddress();
    await x.tok.connect(x.buyer).approve(st, NCR(100));
    for (const [fn, args] of [
      ["stake", [1]],
      ["unstake", [1]],
      ["claim", []],
      ["fundReserve", [1]],
    ]) {
      await x.tok.arm(st, x.staking.interface.encodeFunctionData(fn, args));
      await expect(x.staking.connect(x.buyer).stake(NCR(1)), fn).to.be.revertedWithCustomError(x.staking, "ReentrancyGuardReentrantCall");
    }
  });
});
