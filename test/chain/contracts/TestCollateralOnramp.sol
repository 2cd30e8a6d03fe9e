// SPDX-License-Identifier: MIT
// A CollateralOnramp stand-in: `wrap(asset, to, amount)` takes `amount` of the accepted asset
// (USDC.e) from the caller and mints the same amount of collateral (pUSD) to `to`.
pragma solidity ^0.8.24;

interface IMintableToken {
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function mint(address to, uint256 amount) external;
}

contract TestCollateralOnramp {
    address public immutable collateral;
    address public immutable asset;

    event Wrapped(address indexed caller, address indexed asset, address indexed to, uint256 amount);

    constructor(address collateral_, address asset_) {
        collateral = collateral_;
        asset = asset_;
    }

    function wrap(address asset_, address to, uint256 amount) external {
        require(asset_ == asset, "asset");
        require(IMintableToken(asset_).transferFrom(msg.sender, address(this), amount), "transfer");
        IMintableToken(collateral).mint(to, amount);
        emit Wrapped(msg.sender, asset_, to, amount);
    }
}
