// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ERC20} from "./ERC20.sol";

/// @title BrokenToken
/// @notice An ERC-20 whose freeze views are broken on purpose, so readers can
///         be tested against reverts and malformed return data.
contract BrokenToken is ERC20 {
    constructor(string memory name_, string memory symbol_, uint8 decimals_) ERC20(name_, symbol_, decimals_) {}

    /// @notice Always reverts with Error("frozen view broken").
    function getFrozenTokens(address) external pure returns (uint256) {
        revert("frozen view broken");
    }

    /// @notice Always reverts with Error("frozen view broken").
    function isFrozen(address) external pure returns (bool) {
        revert("frozen view broken");
    }

    /// @notice Declares a uint256 but returns only 7 bytes, which no ABI
    ///         decoder may accept.
    function frozen(address) external pure returns (uint256) {
        assembly {
            mstore(0, 0x62726f6b656e2100000000000000000000000000000000000000000000000000)
            return(0, 7)
        }
    }
}
