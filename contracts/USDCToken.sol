// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

import {ERC20} from "./ERC20.sol";

/// @title USDCToken
/// @notice Circle FiatToken (USDC) style blacklist: a blacklisted account can
///         neither send, receive nor spend.
contract USDCToken is ERC20 {
    mapping(address => bool) private _blacklisted;

    event Blacklisted(address indexed _account);
    event UnBlacklisted(address indexed _account);

    constructor(string memory name_, string memory symbol_, uint8 decimals_) ERC20(name_, symbol_, decimals_) {}

    function isBlacklisted(address _account) external view returns (bool) {
        return _blacklisted[_account];
    }

    function blacklist(address _account) external onlyOwner {
        _blacklisted[_account] = true;
        emit Blacklisted(_account);
    }

    function unBlacklist(address _account) external onlyOwner {
        _blacklisted[_account] = false;
        emit UnBlacklisted(_account);
    }

    function _checkTransfer(address from, address to, uint256) internal view override {
        require(!_blacklisted[msg.sender], "Blacklistable: account is blacklisted");
        require(!_blacklisted[from], "Blacklistable: account is blacklisted");
        require(!_blacklisted[to], "Blacklistable: account is blacklisted");
    }
}
