// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Burnable} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Burnable.sol";
import {ERC20Capped} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Capped.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// @title NeuroCoin (NCR)
/// @notice The ERC-20 money of NeuroData: 18 decimals, a hard cap on supply, gasless approvals
/// (EIP-2612 permit), delegated voting power for governance (ERC20Votes, block-number clock) and
/// burning (used by the escrow to burn part of a losing dispute bond). Only holders of MINTER_ROLE
/// mint, and never above the cap.
contract NeuroCoin is ERC20, ERC20Burnable, ERC20Capped, ERC20Permit, ERC20Votes, AccessControlDefaultAdminRules {
    /// @notice Role allowed to mint new NCR (up to the cap).
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");

    /// @param supplyCap maximum total supply in base units (must fit ERC20Votes' uint208 limit)
    /// @param admin initial default admin (two-step transfer with `adminDelay`)
    /// @param adminDelay delay in seconds before a new default admin can accept the role
    constructor(uint256 supplyCap, address admin, uint48 adminDelay)
        ERC20("NeuroCoin", "NCR")
        ERC20Capped(supplyCap)
        ERC20Permit("NeuroCoin")
        AccessControlDefaultAdminRules(adminDelay, admin)
    {}

    /// @notice Mints `amount` NCR to `to`. Reverts with ERC20ExceededCap above the cap.
    function mint(address to, uint256 amount) external onlyRole(MINTER_ROLE) {
        _mint(to, amount);
    }

    /// @dev ERC20Votes limits supply to uint208; the cap must be below that too.
    function _maxSupply() internal view override returns (uint256) {
        uint256 votesMax = super._maxSupply();
        uint256 capped = cap();
        return capped < votesMax ? capped : votesMax;
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Capped, ERC20Votes) {
        super._update(from, to, value);
    }

    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }
}
