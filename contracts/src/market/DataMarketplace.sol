// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {EscrowManager} from "./EscrowManager.sol";

/// @title DataMarketplace
/// @notice Sellers list dataset versions (content digest, price in NCR, review period, access type,
/// number of milestone tranches). A moderator approves or rejects each listing; only approved
/// listings can be bought. A purchase moves the price from the buyer straight into the
/// EscrowManager and opens an escrow; the platform fee (basis points, governable, capped) is taken
/// from the seller's proceeds when the escrow pays the seller and goes to the treasury.
contract DataMarketplace is AccessControlDefaultAdminRules, Pausable, ReentrancyGuard {
    using SafeERC20 for IERC20;

    bytes32 public constant MODERATOR_ROLE = keccak256("MODERATOR_ROLE");
    bytes32 public constant PARAMETER_ROLE = keccak256("PARAMETER_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");

    uint256 public constant BPS = 10_000;
    /// @notice Hard cap on the platform fee (5%).
    uint256 public constant MAX_FEE_BPS = 500;
    /// @notice Hard bounds within which governance sets the allowed review periods.
    uint256 public constant REVIEW_PERIOD_FLOOR = 1 hours;
    uint256 public constant REVIEW_PERIOD_CEILING = 90 days;

    enum AccessType {
        Download,
        TrainingOnly
    }

    enum ListingStatus {
        None,
        Pending,
        Approved,
        Rejected,
        Delisted
    }

    struct Listing {
        address seller;
        uint64 reviewPeriod;
        AccessType accessType;
        ListingStatus status;
        uint8 tranches;
        uint128 price;
        bytes32 contentDigest;
    }

    IERC20 public immutable token;
    EscrowManager public immutable escrow;

    /// @notice Platform fee in basis points (25 = 0.25%).
    uint256 public feeBps = 25;
    uint256 public minReviewPeriod = 1 days;
    uint256 public maxReviewPeriod = 30 days;
    uint256 public listingCount;

    mapping(uint256 listingId => Listing) private _listings;

    event ListingCreated(
        uint256 indexed listingId,
        address indexed seller,
        bytes32 contentDigest,
        uint256 price,
        uint256 reviewPeriod,
        AccessType accessType,
        uint256 tranches
    );
    event PriceUpdated(uint256 indexed listingId, uint256 oldPrice, uint256 newPrice);
    event ListingDelisted(uint256 indexed listingId);
    event ListingApproved(uint256 indexed listingId, address indexed moderator);
    event ListingRejected(uint256 indexed listingId, address indexed moderator, string reason);
    event Purchased(
        uint256 indexed listingId,
        uint256 indexed escrowId,
        address indexed buyer,
        address seller,
        uint256 price,
        uint256 feeBps,
        AccessType accessType
    );
    event PermitFailed(address indexed buyer, uint256 indexed listingId);
    event FeeChanged(uint256 oldFeeBps, uint256 newFeeBps);
    event ReviewPeriodBoundsChanged(uint256 minReviewPeriod, uint256 maxReviewPeriod);

    error ZeroAddress();
    error EmptyDigest();
    error ZeroPrice();
    error ReviewPeriodOutOfBounds(uint256 reviewPeriod);
    error InvalidTranches(uint256 tranches);
    error UnknownListing(uint256 listingId);
    error NotSeller(uint256 listingId, address caller);
    error InvalidListingStatus(uint256 listingId, ListingStatus status);
    error ListingNotApproved(uint256 listingId, ListingStatus status);
    error SelfPurchase(uint256 listingId);
    error PriceAboveMax(uint256 price, uint256 maxPrice);
    error FeeTooHigh(uint256 feeBps);

    constructor(IERC20 token_, EscrowManager escrow_, address admin, uint48 adminDelay)
        AccessControlDefaultAdminRules(adminDelay, admin)
    {
        if (address(token_) == address(0) || address(escrow_) == address(0)) revert ZeroAddress();
        token = token_;
        escrow = escrow_;
    }

    // ------------------------------------------------------------------ sellers

    /// @notice Lists a dataset version for sale; it waits for a moderator's approval.
    function createListing(
        bytes32 contentDigest,
        uint256 price,
        uint256 reviewPeriod,
        AccessType accessType,
        uint256 tranches
    ) external whenNotPaused returns (uint256 listingId) {
        if (contentDigest == bytes32(0)) revert EmptyDigest();
        if (price == 0) revert ZeroPrice();
        if (reviewPeriod < minReviewPeriod || reviewPeriod > maxReviewPeriod) {
            revert ReviewPeriodOutOfBounds(reviewPeriod);
        }
        if (tranches == 0 || tranches > escrow.MAX_TRANCHES()) revert InvalidTranches(tranches);
        listingId = ++listingCount;
        _listings[listingId] = Listing({
            seller: msg.sender,
            reviewPeriod: uint64(reviewPeriod),
            accessType: accessType,
            status: ListingStatus.Pending,
            tranches: uint8(tranches),
            price: SafeCast.toUint128(price),
            contentDigest: contentDigest
        });
        emit ListingCreated(listingId, msg.sender, contentDigest, price, reviewPeriod, accessType, tranches);
    }

    /// @notice The seller changes the price; pending purchases are protected by their maxPrice.
    function updatePrice(uint256 listingId, uint256 newPrice) external {
        Listing storage listing = _ownedOpen(listingId);
        if (newPrice == 0) revert ZeroPrice();
        emit PriceUpdated(listingId, listing.price, newPrice);
        listing.price = SafeCast.toUint128(newPrice);
    }

    /// @notice The seller withdraws the listing for good; open escrows are not affected.
    function delist(uint256 listingId) external {
        Listing storage listing = _ownedOpen(listingId);
        listing.status = ListingStatus.Delisted;
        emit ListingDelisted(listingId);
    }

    // ------------------------------------------------------------------ moderators

    function approveListing(uint256 listingId) external onlyRole(MODERATOR_ROLE) {
        Listing storage listing = _existing(listingId);
        if (listing.status != ListingStatus.Pending) revert InvalidListingStatus(listingId, listing.status);
        listing.status = ListingStatus.Approved;
        emit ListingApproved(listingId, msg.sender);
    }

    /// @notice Rejects a pending listing or takes down an approved one.
    function rejectListing(uint256 listingId, string calldata reason) external onlyRole(MODERATOR_ROLE) {
        Listing storage listing = _existing(listingId);
        if (listing.status != ListingStatus.Pending && listing.status != ListingStatus.Approved) {
            revert InvalidListingStatus(listingId, listing.status);
        }
        listing.status = ListingStatus.Rejected;
        emit ListingRejected(listingId, msg.sender, reason);
    }

    // ------------------------------------------------------------------ buyers

    /// @notice Buys an approved listing at its current price, which must not exceed `maxPrice`.
    /// The caller approves this contract for the price first.
    function purchase(uint256 listingId, uint256 maxPrice) external nonReentrant whenNotPaused returns (uint256) {
        return _purchase(listingId, maxPrice);
    }

    /// @notice Same as `purchase`, with an EIP-2612 permit for `maxPrice`. A permit that fails (for example
    /// because somebody front-ran it, which already set the allowance) does not block the purchase.
    function purchaseWithPermit(uint256 listingId, uint256 maxPrice, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        external
        nonReentrant
        whenNotPaused
        returns (uint256)
    {
        // solhint-disable-next-line no-empty-blocks
        try IERC20Permit(address(token)).permit(msg.sender, address(this), maxPrice, deadline, v, r, s) {}
        catch {
            emit PermitFailed(msg.sender, listingId);
        }
        return _purchase(listingId, maxPrice);
    }

    // ------------------------------------------------------------------ parameters

    function setFeeBps(uint256 newFeeBps) external onlyRole(PARAMETER_ROLE) {
        if (newFeeBps > MAX_FEE_BPS) revert FeeTooHigh(newFeeBps);
        emit FeeChanged(feeBps, newFeeBps);
        feeBps = newFeeBps;
    }

    function setReviewPeriodBounds(uint256 newMin, uint256 newMax) external onlyRole(PARAMETER_ROLE) {
        if (newMin < REVIEW_PERIOD_FLOOR || newMin > newMax) revert ReviewPeriodOutOfBounds(newMin);
        if (newMax > REVIEW_PERIOD_CEILING) revert ReviewPeriodOutOfBounds(newMax);
        minReviewPeriod = newMin;
        maxReviewPeriod = newMax;
        emit ReviewPeriodBoundsChanged(newMin, newMax);
    }

    /// @notice Stops new listings and purchases (settlement lives in the EscrowManager and keeps working).
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    function unpause() external onlyRole(PAUSER_ROLE) {
        _unpause();
    }

    // ------------------------------------------------------------------ views

    function getListing(uint256 listingId) external view returns (Listing memory) {
        return _listings[listingId];
    }

    // ------------------------------------------------------------------ internals

    function _purchase(uint256 listingId, uint256 maxPrice) private returns (uint256 escrowId) {
        Listing storage listing = _existing(listingId);
        if (listing.status != ListingStatus.Approved) revert ListingNotApproved(listingId, listing.status);
        if (msg.sender == listing.seller) revert SelfPurchase(listingId);
        uint256 price = listing.price;
        if (price > maxPrice) revert PriceAboveMax(price, maxPrice);
        uint256 fee = feeBps;
        // The marketplace keeps no state per purchase; the escrow records it. Funds go straight to the escrow.
        token.safeTransferFrom(msg.sender, address(escrow), price);
        escrowId = escrow.openEscrow(listingId, msg.sender, listing.seller, price, fee, listing.reviewPeriod, listing.tranches);
        emit Purchased(listingId, escrowId, msg.sender, listing.seller, price, fee, listing.accessType);
    }

    function _existing(uint256 listingId) private view returns (Listing storage listing) {
        listing = _listings[listingId];
        if (listing.status == ListingStatus.None) revert UnknownListing(listingId);
    }

    function _ownedOpen(uint256 listingId) private view returns (Listing storage listing) {
        listing = _existing(listingId);
        if (msg.sender != listing.seller) revert NotSeller(listingId, msg.sender);
        if (listing.status != ListingStatus.Pending && listing.status != ListingStatus.Approved) {
            revert InvalidListingStatus(listingId, listing.status);
        }
    }
}
