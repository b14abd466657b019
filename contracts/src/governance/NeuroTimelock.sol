// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {TimelockController} from "@openzeppelin/contracts/governance/TimelockController.sol";

/// @title NeuroTimelock
/// @notice Executes passed governance proposals after a delay. It holds PARAMETER_ROLE on the
/// marketplace, escrow and staking contracts, so fee, review periods, bond, reward rate and the
/// arbitrator set change only through it.
contract NeuroTimelock is TimelockController {
    constructor(uint256 minDelay, address[] memory proposers, address[] memory executors, address admin)
        TimelockController(minDelay, proposers, executors, admin)
    {}
}
