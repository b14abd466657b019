"use strict";

const { expect } = require("chai");
const { ethers } = require("hardhat");
const { loadFixture, time } = require("@nomicfoundation/hardhat-network-helpers");
const { NCR, DAY, DIGEST, ROLES, deployFixture, approvedListing, signPermit, expectSolvent } = require("./helpers");

describe("DataMarketplace", function () {
  it("rejects zero addresses in the constructor", async function () {
    const [admin] = await ethers.getSigners();
    const F = await ethers.getContractFactory("DataMarketplace");
    await expect(F.deploy(ethers.ZeroAddress, admin.address, admin.address, 0)).to.be.revertedWithCustomError(F, "ZeroAddress");
    await expect(F.deploy(admin.address, ethers.ZeroAddress, admin.address, 0)).to.be.revertedWithCustomError(F, "ZeroAddress");
  });

  describe("listings", function () {
    it("creates a pending listing with every field and an event", async function () {
      const d = await loadFixture(deployFixture);
      await expect(d.marketplace.connect(d.seller).createListing(DIGEST, NCR(5), 2 * DAY, 1, 3))
        .to.emit(d.marketplace, "ListingCreated")
        .withArgs(1, d.seller.address, DIGEST, NCR(5), 2 * DAY, 1, 3);
      const l = await d.marketplace.getListing(1);
      expect(l.seller).to.equal(d.seller.address);
      expect(l.price).to.equal(NCR(5));
      expect(l.reviewPeriod).to.equal(2 * DAY);
      expect(l.accessType).to.equal(1n);
      expect(l.status).to.equal(1n); // Pending
      expect(l.tranches).to.equal(3n);
      expect(l.contentDigest).to.equal(DIGEST);
    });

    it("rejects an empty digest, zero price, bad review period and bad tranche counts", async function () {
      const d = await loadFixture(deployFixture);
      const m = d.marketplace.connect(d.seller);
      await expect(m.createListing(ethers.ZeroHash, 1, DAY, 0, 1)).to.be.revertedWithCustomError(m, "EmptyDigest");
      await expect(m.createListing(DIGEST, 0, DAY, 0, 1)).to.be.revertedWithCustomError(m, "ZeroPrice");
      await expect(m.createListing(DIGEST, 1, DAY - 1, 0, 1))
        .to.be.revertedWithCustomError(m, "ReviewPeriodOutOfBounds")
        .withArgs(DAY - 1);
      await expect(m.createListing(DIGEST, 1, 30 * DAY + 1, 0, 1)).to.be.revertedWithCustomError(m, "ReviewPeriodOutOfBounds");
      await expect(m.createListing(DIGEST, 1, DAY, 0, 0)).to.be.revertedWithCustomError(m, "InvalidTranches").withArgs(0);
      await expect(m.createListing(DIGEST, 1, DAY, 0, 13)).to.be.revertedWithCustomError(m, "InvalidTranches").withArgs(13);
      await expect(m.createListing(DIGEST, 1n << 128n, DAY, 0, 1)).to.be.revertedWithCustomError(m, "SafeCastOverflowedUintDowncast");
    });

    it("lets the seller update the price of a pending or approved listing", async function () {
      const d = await loadFixture(deployFixture);
      const id = await approvedListing(d, { price: NCR(10) });
      await expect(d.marketplace.connect(d.seller).updatePrice(id, NCR(12)))
        .to.emit(d.marketplace, "PriceUpdated")
        .withArgs(id, NCR(10), NCR(12));
      expect((await d.marketplace.getListing(id)).price).to.equal(NCR(12));
      await expect(d.marketplace.connect(d.seller).updatePrice(id, 0)).to.be.revertedWithCustomError(d.marketplace, "ZeroPrice");
      await expect(d.marketplace.connect(d.other).updatePrice(id, 1))
        .to.be.revertedWithCustomError(d.marketplace, "NotSeller")
        .withArgs(id, d.other.address);
      await expect(d.marketplace.connect(d.seller).updatePrice(99, 1))
        .to.be.revertedWithCustomError(d.marketplace, "UnknownListing")
        .withArgs(99);
    });

    it("delists for good", async function () {
      const d = await loadFixture(deployFixture);
      const id = await approvedListing(d);
      await expect(d.marketplace.connect(d.other).delist(id)).to.be.revertedWithCustomError(d.marketplace, "NotSeller");
      await expect(d.marketplace.connect(d.seller).delist(id)).to.emit(d.marketplace, "ListingDelisted").withArgs(id);
      await expect(d.marketplace.connect(d.seller).delist(id))
        .to.be.revertedWithCustomError(d.marketplace, "InvalidListingStatus")
        .withArgs(id, 4);
      await expect(d.marketplace.connect(d.seller).updatePrice(id, 1)).to.be.revertedWithCustomError(d.marketplace, "InvalidListingStatus");
      await expect(d.marketplace.connect(d.operator).approveListing(id)).to.be.revertedWithCustomError(d.marketplace, "InvalidListingStatus");
      await expect(d.marketplace.connect(d.operator).rejectListing(id, "x")).to.be.revertedWithCustomError(d.marketplace, "InvalidListingStatus");
    });

    it("lets only moderators approve a pending listing", async function () {
      const d = await loadFixture(deployFixture);
      await d.marketplace.connect(d.seller).createListing(DIGEST, 1, DAY, 0, 1);
      await expect(d.marketplace.connect(d.other).approveListing(1))
        .to.be.revertedWithCustomError(d.marketplace, "AccessControlUnauthorizedAccount")
        .withArgs(d.other.address, ROLES.MODERATOR);
      await expect(d.marketplace.connect(d.operator).approveListing(2)).to.be.revertedWithCustomError(d.marketplace, "UnknownListing");
      await expect(d.marketplace.connect(d.operator).approveListing(1))
        .to.emit(d.marketplace, "ListingApproved")
        .withArgs(1, d.operator.address);
      await expect(d.marketplace.connect(d.operator).approveListing(1))
        .to.be.revertedWithCustomError(d.marketplace, "InvalidListingStatus")
        .withArgs(1, 2);
    });

    it("lets moderators reject pending listings and take down approved ones", async function () {
      const d = await loadFixture(deployFixture);
      await d.marketplace.connect(d.seller).createListing(DIGEST, 1, DAY, 0, 1);
      await expect(d.marketplace.connect(d.other).rejectListing(1, "spam")).to.be.revertedWithCustomError(
        d.marketplace,
        "AccessControlUnauthorizedAccount"
      );
      await expect(d.marketplace.connect(d.operator).rejectListing(1, "spam"))
        .to.emit(d.marketplace, "ListingRejected")
        .withArgs(1, d.operator.address, "spam");
      await expect(d.marketplace.connect(d.operator).rejectListing(1, "again"))
        .to.be.revertedWithCustomError(d.marketplace, "InvalidListingStatus")
        .withArgs(1, 3);
      const id = await approvedListing(d);
      await d.marketplace.connect(d.operator).rejectListing(id, "takedown");
      expect((await d.marketplace.getListing(id)).status).to.equal(3n);
    });
  });

  describe("purchase", function () {
    it("moves the price into a new escrow and emits Purchased", async function () {
      const d = await loadFixture(deployFixture);
      const id = await approvedListing(d, { price: NCR(1000), access: 1, tranches: 2 });
      await d.token.connect(d.buyer).approve(await d.marketplace.getAddress(), NCR(1000));
      const tx = d.marketplace.connect(d.buyer).purchase(id, NCR(1000));
      await expect(tx)
        .to.emit(d.marketplace, "Purchased")
        .withArgs(id, 1, d.buyer.address, d.seller.address, NCR(1000), 25, 1);
      await expect(tx).to.changeTokenBalances(d.token, [d.buyer, d.escrow], [-NCR(1000), NCR(1000)]);
      const e = await d.escrow.getEscrow(1);
      expect(e.buyer).to.equal(d.buyer.address);
      expect(e.seller).to.equal(d.seller.address);
      expect(e.amount).to.equal(NCR(1000));
      expect(e.feeBps).to.equal(25n);
      expect(e.tranches).to.equal(2n);
      expect(e.listingId).to.equal(id);
      expect(e.state).to.equal(1n);
      await expectSolvent(d);
    });

    it("refuses listings that are not approved", async function () {
      const d = await loadFixture(deployFixture);
      await d.marketplace.connect(d.seller).createListing(DIGEST, 1, DAY, 0, 1);
      await expect(d.marketplace.connect(d.buyer).purchase(1, 1))
        .to.be.revertedWithCustomError(d.marketplace, "ListingNotApproved")
        .withArgs(1, 1);
      await expect(d.marketplace.connect(d.buyer).purchase(7, 1)).to.be.revertedWithCustomError(d.marketplace, "UnknownListing");
    });

    it("refuses a purchase by the seller", async function () {
      const d = await loadFixture(deployFixture);
      const id = await approvedListing(d);
      await expect(d.marketplace.connect(d.seller).purchase(id, NCR(1000)))
        .to.be.revertedWithCustomError(d.marketplace, "SelfPurchase")
        .withArgs(id);
    });

    it("protects the buyer from a price raised under a pending purchase", async function () {
      const d = await loadFixture(deployFixture);
      const id = await approvedListing(d, { price: NCR(10) });
      await d.token.connect(d.buyer).approve(await d.marketplace.getAddress(), NCR(1000));
      await d.marketplace.connect(d.seller).updatePrice(id, NCR(11));
      await expect(d.marketplace.connect(d.buyer).purchase(id, NCR(10)))
        .to.be.revertedWithCustomError(d.marketplace, "PriceAboveMax")
        .withArgs(NCR(11), NCR(10));
    });

    it("buys with a permit, and still buys when the permit was front-run", async function () {
      const d = await loadFixture(deployFixture);
      const id = await approvedListing(d, { price: NCR(10) });
      const spender = await d.marketplace.getAddress();
      const deadline = (await time.latest()) + 3600;
      let sig = await signPermit(d.token, d.buyer, spender, NCR(10), deadline);
      await expect(d.marketplace.connect(d.buyer).purchaseWithPermit(id, NCR(10), deadline, sig.v, sig.r, sig.s))
        .to.emit(d.marketplace, "Purchased")
        .and.not.to.emit(d.marketplace, "PermitFailed");

      sig = await signPermit(d.token, d.buyer, spender, NCR(10), deadline);
      // An observer submits the permit first; the purchase must still go through.
      await d.token.connect(d.other).permit(d.buyer.address, spender, NCR(10), deadline, sig.v, sig.r, sig.s);
      await expect(d.marketplace.connect(d.buyer).purchaseWithPermit(id, NCR(10), deadline, sig.v, sig.r, sig.s))
        .to.emit(d.marketplace, "PermitFailed")
        .withArgs(d.buyer.address, id)
        .and.to.emit(d.marketplace, "Purchased");
      await expectSolvent(d);
    });

    it("fails cleanly when the permit is bad and there is no allowance", async function () {
      const d = await loadFixture(deployFixture);
      const id = await approvedListing(d, { price: NCR(10) });
      const deadline = (await time.latest()) + 3600;
      const sig = await signPermit(d.token, d.other, await d.marketplace.getAddress(), NCR(10), deadline);
      await expect(
        d.marketplace.connect(d.buyer).purchaseWithPermit(id, NCR(10), deadline, sig.v, sig.r, sig.s)
      ).to.be.revertedWithCustomError(d.token, "ERC20InsufficientAllowance");
    });

    it("stops listings and purchases while paused", async function () {
      const d = await loadFixture(deployFixture);
      const id = await approvedListing(d);
      await expect(d.marketplace.connect(d.other).pause()).to.be.revertedWithCustomError(d.marketplace, "AccessControlUnauthorizedAccount");
      await d.marketplace.connect(d.operator).pause();
      await expect(d.marketplace.connect(d.seller).createListing(DIGEST, 1, DAY, 0, 1)).to.be.revertedWithCustomError(
        d.marketplace,
        "EnforcedPause"
      );
      await expect(d.marketplace.connect(d.buyer).purchase(id, NCR(1000))).to.be.revertedWithCustomError(d.marketplace, "EnforcedPause");
      await expect(d.marketplace.connect(d.buyer).purchaseWithPermit(id, 1, 0, 0, ethers.ZeroHash, ethers.ZeroHash)).to.be.revertedWithCustomError(
        d.marketplace,
        "EnforcedPause"
      );
      await expect(d.marketplace.connect(d.other).unpause()).to.be.revertedWithCustomError(d.marketplace, "AccessControlUnauthorizedAccount");
      await d.marketplace.connect(d.operator).unpause();
      await d.token.connect(d.buyer).approve(await d.marketplace.getAddress(), NCR(1000));
      await d.marketplace.connect(d.buyer).purchase(id, NCR(1000));
    });
  });

  describe("parameters", function () {
    it("lets only the parameter role set the fee, capped at 5%", async function () {
      const d = await loadFixture(deployFixture);
      await expect(d.marketplace.setFeeBps(30))
        .to.be.revertedWithCustomError(d.marketplace, "AccessControlUnauthorizedAccount")
        .withArgs(d.admin.address, ROLES.PARAMETER);
      await d.marketplace.grantRole(ROLES.PARAMETER, d.admin.address);
      await expect(d.marketplace.setFeeBps(501)).to.be.revertedWithCustomError(d.marketplace, "FeeTooHigh").withArgs(501);
      await expect(d.marketplace.setFeeBps(500)).to.emit(d.marketplace, "FeeChanged").withArgs(25, 500);
      expect(await d.marketplace.feeBps()).to.equal(500n);
    });

    it("sets review period bounds within the hard floor and ceiling", async function () {
      const d = await loadFixture(deployFixture);
      await expect(d.marketplace.setReviewPeriodBounds(DAY, 2 * DAY)).to.be.revertedWithCustomError(
        d.marketplace,
        "AccessControlUnauthorizedAccount"
      );
      await d.marketplace.grantRole(ROLES.PARAMETER, d.admin.address);
      await expect(d.marketplace.setReviewPeriodBounds(3599, DAY)).to.be.revertedWithCustomError(d.marketplace, "ReviewPeriodOutOfBounds");
      await expect(d.marketplace.setReviewPeriodBounds(2 * DAY, DAY)).to.be.revertedWithCustomError(d.marketplace, "ReviewPeriodOutOfBounds");
      await expect(d.marketplace.setReviewPeriodBounds(DAY, 91 * DAY)).to.be.revertedWithCustomError(d.marketplace, "ReviewPeriodOutOfBounds");
      await expect(d.marketplace.setReviewPeriodBounds(3600, 90 * DAY))
        .to.emit(d.marketplace, "ReviewPeriodBoundsChanged")
        .withArgs(3600, 90 * DAY);
      await d.marketplace.connect(d.seller).createListing(DIGEST, 1, 3600, 0, 1);
    });
  });
});
