"use strict";

const { expect } = require("chai");
const { ethers } = require("hardhat");
const { loadFixture, time } = require("@nomicfoundation/hardhat-network-helpers");
const { NCR, ROLES, deployFixture, signPermit } = require("./helpers");

describe("NeuroCoin", function () {
  it("has name, symbol, 18 decimals and the configured cap", async function () {
    const d = await loadFixture(deployFixture);
    expect(await d.token.name()).to.equal("NeuroCoin");
    expect(await d.token.symbol()).to.equal("NCR");
    expect(await d.token.decimals()).to.equal(18n);
    expect(await d.token.cap()).to.equal(NCR(1_000_000_000));
  });

  it("lets only a minter mint", async function () {
    const d = await loadFixture(deployFixture);
    await expect(d.token.connect(d.other).mint(d.other.address, 1n))
      .to.be.revertedWithCustomError(d.token, "AccessControlUnauthorizedAccount")
      .withArgs(d.other.address, ROLES.MINTER);
    await expect(d.token.mint(d.other.address, 5n)).to.changeTokenBalance(d.token, d.other, 5n);
  });

  it("never mints above the cap", async function () {
    const d = await loadFixture(deployFixture);
    const room = (await d.token.cap()) - (await d.token.totalSupply());
    await d.token.mint(d.other.address, room);
    await expect(d.token.mint(d.other.address, 1n)).to.be.revertedWithCustomError(d.token, "ERC20ExceededCap");
  });

  it("limits supply by ERC20Votes when the cap is above uint208", async function () {
    const [admin] = await ethers.getSigners();
    const F = await ethers.getContractFactory("NeuroCoin");
    const big = await F.deploy(ethers.MaxUint256, admin.address, 0);
    await big.grantRole(ROLES.MINTER, admin.address);
    const max208 = (1n << 208n) - 1n;
    await big.mint(admin.address, max208);
    await expect(big.mint(admin.address, 1n)).to.be.revertedWithCustomError(big, "ERC20ExceededSafeSupply");
  });

  it("burns from the holder and reduces supply", async function () {
    const d = await loadFixture(deployFixture);
    const before = await d.token.totalSupply();
    await expect(d.token.connect(d.other).burn(NCR(1))).to.changeTokenBalance(d.token, d.other, -NCR(1));
    expect(await d.token.totalSupply()).to.equal(before - NCR(1));
  });

  it("accepts an EIP-2612 permit", async function () {
    const d = await loadFixture(deployFixture);
    const owner = d.other;
    const spender = d.buyer.address;
    const deadline = (await time.latest()) + 3600;
    const sig = await signPermit(d.token, owner, spender, NCR(7), deadline);
    await d.token.permit(owner.address, spender, NCR(7), deadline, sig.v, sig.r, sig.s);
    expect(await d.token.allowance(owner.address, spender)).to.equal(NCR(7));
    expect(await d.token.nonces(owner.address)).to.equal(1n);
  });

  it("tracks delegated voting power by block", async function () {
    const d = await loadFixture(deployFixture);
    await d.token.connect(d.other).delegate(d.other.address);
    const b = await ethers.provider.getBlockNumber();
    await time.advanceBlock();
    expect(await d.token.getPastVotes(d.other.address, b)).to.equal(NCR(1_000_000));
  });

  it("transfers the admin role in two steps with a delay", async function () {
    const d = await loadFixture(deployFixture);
    await d.token.beginDefaultAdminTransfer(d.other.address);
    await expect(d.token.connect(d.other).acceptDefaultAdminTransfer()).to.be.revertedWithCustomError(
      d.token,
      "AccessControlEnforcedDefaultAdminDelay"
    );
    await time.increase(2 * 24 * 3600 + 1);
    await d.token.connect(d.other).acceptDefaultAdminTransfer();
    expect(await d.token.defaultAdmin()).to.equal(d.other.address);
  });
});

