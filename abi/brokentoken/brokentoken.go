// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package brokentoken

import (
	"bytes"
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// Reference imports to suppress errors if they are not otherwise used.
var (
	_ = bytes.Equal
	_ = errors.New
	_ = big.NewInt
	_ = common.Big1
	_ = types.BloomLookup
	_ = abi.ConvertType
)

// BrokenTokenMetaData contains all meta data concerning the BrokenToken contract.
var BrokenTokenMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"string\",\"name\":\"name_\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"symbol_\",\"type\":\"string\"},{\"internalType\":\"uint8\",\"name\":\"decimals_\",\"type\":\"uint8\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Approval\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"previousOwner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"OwnershipTransferred\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Transfer\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"allowance\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"approve\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"balanceOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"burn\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"decimals\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"frozen\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"getFrozenTokens\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"isFrozen\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"pure\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"mint\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"name\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"symbol\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"totalSupply\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"transfer\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"transferFrom\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"transferOwnership\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "BrokenToken",
	Bin: "0x608060405234801561001057600080fd5b50604051610ee1380380610ee183398101604081905261002f91610160565b828282600061003e8482610279565b50600161004b8382610279565b506002805460ff191660ff831617905560048054336001600160a01b031990911681179091556040516000907f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0908290a350505050505061033b565b634e487b7160e01b600052604160045260246000fd5b600082601f8301126100ce57600080fd5b81516001600160401b038111156100e7576100e76100a7565b604051601f8201601f19908116603f011681016001600160401b0381118282101715610115576101156100a7565b60405281815283820160200185101561012d57600080fd5b60005b8281101561014c57602081860181015183830182015201610130565b506000918101602001919091529392505050565b60008060006060848603121561017557600080fd5b83516001600160401b0381111561018b57600080fd5b610197868287016100bd565b602086015190945090506001600160401b038111156101b557600080fd5b6101c1868287016100bd565b925050604084015160ff811681146101d857600080fd5b809150509250925092565b600181811c908216806101f757607f821691505b60208210810361021757634e487b7160e01b600052602260045260246000fd5b50919050565b601f821115610274578282111561027457806000526020600020601f840160051c602085101561024b575060005b90810190601f840160051c0360005b818110156102705760008382015560010161025a565b5050505b505050565b81516001600160401b03811115610292576102926100a7565b6102a6816102a084546101e3565b8461021d565b6020601f8211600181146102da57600083156102c25750848201515b600019600385901b1c1916600184901b178455610334565b600084815260208120601f198516915b8281101561030a57878501518255602094850194600190920191016102ea565b50848210156103285786840151600019600387901b60f8161c191681555b505060018360011b0184555b5050505050565b610b978061034a6000396000f3fe608060405234801561001057600080fd5b50600436106101005760003560e01c80638da5cb5b11610097578063d051665011610066578063d051665014610230578063dd62ed3e14610243578063e58398361461026e578063f2fde38b1461027c57600080fd5b80638da5cb5b146101d757806395d89b41146102025780639dc29fac1461020a578063a9059cbb1461021d57600080fd5b806323b872dd116100d357806323b872dd14610170578063313ce5671461018357806340c10f19146101a257806370a08231146101b757600080fd5b806306fdde0314610105578063095ea7b314610123578063158b1a571461014657806318160ddd14610167575b600080fd5b61010d61028f565b60405161011a919061098e565b60405180910390f35b6101366101313660046109f8565b61031d565b604051901515815260200161011a565b610159610154366004610a22565b610334565b60405190815260200161011a565b61015960035481565b61013661017e366004610a44565b610379565b6002546101909060ff1681565b60405160ff909116815260200161011a565b6101b56101b03660046109f8565b610419565b005b6101596101c5366004610a22565b60056020526000908152604090205481565b6004546101ea906001600160a01b031681565b6040516001600160a01b03909116815260200161011a565b61010d610451565b6101b56102183660046109f8565b61045e565b61013661022b3660046109f8565b610492565b61015961023e366004610a22565b61049f565b610159610251366004610a81565b600660209081526000928352604080842090915290825290205481565b610136610154366004610a22565b6101b561028a366004610a22565b6104b4565b6000805461029c90610ab4565b80601f01602080910402602001604051908101604052809291908181526020018280546102c890610ab4565b80156103155780601f106102ea57610100808354040283529160200191610315565b820191906000526020600020905b8154815290600101906020018083116102f857829003601f168201915b505050505081565b600061032a338484610590565b5060015b92915050565b60405162461bcd60e51b8152602060048201526012602482015271333937bd32b7103b34b2bb90313937b5b2b760711b60448201526000906064015b60405180910390fd5b6001600160a01b0383166000908152600660209081526040808320338452909152812054600019811461040357828110156103ef5760405162461bcd60e51b8152602060048201526016602482015275696e73756666696369656e7420616c6c6f77616e636560501b6044820152606401610370565b61040385336103fe8685610b04565b610590565b61040e858585610648565b506001949350505050565b6004546001600160a01b031633146104435760405162461bcd60e51b815260040161037090610b17565b61044d82826107ee565b5050565b6001805461029c90610ab4565b6004546001600160a01b031633146104885760405162461bcd60e51b815260040161037090610b17565b61044d82826108cd565b600061032a338484610648565b6662726f6b656e2160c81b6000908152600781f35b6004546001600160a01b031633146104de5760405162461bcd60e51b815260040161037090610b17565b6001600160a01b0381166105345760405162461bcd60e51b815260206004820152601d60248201527f6e6577206f776e657220697320746865207a65726f20616464726573730000006044820152606401610370565b6004546040516001600160a01b038084169216907f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e090600090a3600480546001600160a01b0319166001600160a01b0392909216919091179055565b6001600160a01b0382166105e65760405162461bcd60e51b815260206004820152601b60248201527f617070726f766520746f20746865207a65726f206164647265737300000000006044820152606401610370565b6001600160a01b0383811660008181526006602090815260408083209487168084529482529182902085905590518481527f8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b92591015b60405180910390a3505050565b6001600160a01b03831661069e5760405162461bcd60e51b815260206004820152601e60248201527f7472616e736665722066726f6d20746865207a65726f206164647265737300006044820152606401610370565b6001600160a01b0382166106f45760405162461bcd60e51b815260206004820152601c60248201527f7472616e7366657220746f20746865207a65726f2061646472657373000000006044820152606401610370565b6001600160a01b0383166000908152600560205260409020548181101561075d5760405162461bcd60e51b815260206004820152601f60248201527f7472616e7366657220616d6f756e7420657863656564732062616c616e6365006044820152606401610370565b6001600160a01b03808516600090815260056020526040808220858503905591851681529081208054849290610794908490610b4e565b92505081905550826001600160a01b0316846001600160a01b03167fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef846040516107e091815260200190565b60405180910390a350505050565b6001600160a01b0382166108445760405162461bcd60e51b815260206004820152601860248201527f6d696e7420746f20746865207a65726f206164647265737300000000000000006044820152606401610370565b80600360008282546108569190610b4e565b90915550506001600160a01b03821660009081526005602052604081208054839290610883908490610b4e565b90915550506040518181526001600160a01b038316906000907fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef9060200160405180910390a35050565b6001600160a01b038216600090815260056020526040902054818110156109365760405162461bcd60e51b815260206004820152601b60248201527f6275726e20616d6f756e7420657863656564732062616c616e636500000000006044820152606401610370565b6001600160a01b03831660008181526005602090815260408083208686039055600380548790039055518581529192917fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef910161063b565b602081526000825180602084015260005b818110156109bc576020818601810151604086840101520161099f565b506000604082850101526040601f19601f83011684010191505092915050565b80356001600160a01b03811681146109f357600080fd5b919050565b60008060408385031215610a0b57600080fd5b610a14836109dc565b946020939093013593505050565b600060208284031215610a3457600080fd5b610a3d826109dc565b9392505050565b600080600060608486031215610a5957600080fd5b610a62846109dc565b9250610a70602085016109dc565b929592945050506040919091013590565b60008060408385031215610a9457600080fd5b610a9d836109dc565b9150610aab602084016109dc565b90509250929050565b600181811c90821680610ac857607f821691505b602082108103610ae857634e487b7160e01b600052602260045260246000fd5b50919050565b634e487b7160e01b600052601160045260246000fd5b8181038181111561032e5761032e610aee565b60208082526017908201527f63616c6c6572206973206e6f7420746865206f776e6572000000000000000000604082015260600190565b8082018082111561032e5761032e610aee56fea2646970667358221220e72da3de2e75e16cabec673e9ab17bf911800836a471e3820b6c7fc157fd662a64736f6c63430008250033",
}

// BrokenToken is an auto generated Go binding around an Ethereum contract.
type BrokenToken struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *BrokenToken) GetABI() abi.ABI {
	return c.abi
}

// NewBrokenToken creates a new instance of BrokenToken.
func NewBrokenToken() *BrokenToken {
	parsed, err := BrokenTokenMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &BrokenToken{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *BrokenToken) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(string name_, string symbol_, uint8 decimals_) returns()
func (brokenToken *BrokenToken) PackConstructor(name_ string, symbol_ string, decimals_ uint8) []byte {
	enc, err := brokenToken.abi.Pack("", name_, symbol_, decimals_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackAllowance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd62ed3e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (brokenToken *BrokenToken) PackAllowance(arg0 common.Address, arg1 common.Address) []byte {
	enc, err := brokenToken.abi.Pack("allowance", arg0, arg1)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAllowance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd62ed3e.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (brokenToken *BrokenToken) TryPackAllowance(arg0 common.Address, arg1 common.Address) ([]byte, error) {
	return brokenToken.abi.Pack("allowance", arg0, arg1)
}

// UnpackAllowance is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xdd62ed3e.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (brokenToken *BrokenToken) UnpackAllowance(data []byte) (*big.Int, error) {
	out, err := brokenToken.abi.Unpack("allowance", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackApprove is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x095ea7b3.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function approve(address spender, uint256 amount) returns(bool)
func (brokenToken *BrokenToken) PackApprove(spender common.Address, amount *big.Int) []byte {
	enc, err := brokenToken.abi.Pack("approve", spender, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackApprove is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x095ea7b3.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function approve(address spender, uint256 amount) returns(bool)
func (brokenToken *BrokenToken) TryPackApprove(spender common.Address, amount *big.Int) ([]byte, error) {
	return brokenToken.abi.Pack("approve", spender, amount)
}

// UnpackApprove is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x095ea7b3.
//
// Solidity: function approve(address spender, uint256 amount) returns(bool)
func (brokenToken *BrokenToken) UnpackApprove(data []byte) (bool, error) {
	out, err := brokenToken.abi.Unpack("approve", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (brokenToken *BrokenToken) PackBalanceOf(arg0 common.Address) []byte {
	enc, err := brokenToken.abi.Pack("balanceOf", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBalanceOf is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x70a08231.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (brokenToken *BrokenToken) TryPackBalanceOf(arg0 common.Address) ([]byte, error) {
	return brokenToken.abi.Pack("balanceOf", arg0)
}

// UnpackBalanceOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x70a08231.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (brokenToken *BrokenToken) UnpackBalanceOf(data []byte) (*big.Int, error) {
	out, err := brokenToken.abi.Unpack("balanceOf", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackBurn is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9dc29fac.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function burn(address from, uint256 amount) returns()
func (brokenToken *BrokenToken) PackBurn(from common.Address, amount *big.Int) []byte {
	enc, err := brokenToken.abi.Pack("burn", from, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackBurn is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x9dc29fac.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function burn(address from, uint256 amount) returns()
func (brokenToken *BrokenToken) TryPackBurn(from common.Address, amount *big.Int) ([]byte, error) {
	return brokenToken.abi.Pack("burn", from, amount)
}

// PackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function decimals() view returns(uint8)
func (brokenToken *BrokenToken) PackDecimals() []byte {
	enc, err := brokenToken.abi.Pack("decimals")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function decimals() view returns(uint8)
func (brokenToken *BrokenToken) TryPackDecimals() ([]byte, error) {
	return brokenToken.abi.Pack("decimals")
}

// UnpackDecimals is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x313ce567.
//
// Solidity: function decimals() view returns(uint8)
func (brokenToken *BrokenToken) UnpackDecimals(data []byte) (uint8, error) {
	out, err := brokenToken.abi.Unpack("decimals", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackFrozen is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd0516650.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function frozen(address ) pure returns(uint256)
func (brokenToken *BrokenToken) PackFrozen(arg0 common.Address) []byte {
	enc, err := brokenToken.abi.Pack("frozen", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackFrozen is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xd0516650.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function frozen(address ) pure returns(uint256)
func (brokenToken *BrokenToken) TryPackFrozen(arg0 common.Address) ([]byte, error) {
	return brokenToken.abi.Pack("frozen", arg0)
}

// UnpackFrozen is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xd0516650.
//
// Solidity: function frozen(address ) pure returns(uint256)
func (brokenToken *BrokenToken) UnpackFrozen(data []byte) (*big.Int, error) {
	out, err := brokenToken.abi.Unpack("frozen", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackGetFrozenTokens is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x158b1a57.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getFrozenTokens(address ) pure returns(uint256)
func (brokenToken *BrokenToken) PackGetFrozenTokens(arg0 common.Address) []byte {
	enc, err := brokenToken.abi.Pack("getFrozenTokens", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetFrozenTokens is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x158b1a57.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getFrozenTokens(address ) pure returns(uint256)
func (brokenToken *BrokenToken) TryPackGetFrozenTokens(arg0 common.Address) ([]byte, error) {
	return brokenToken.abi.Pack("getFrozenTokens", arg0)
}

// UnpackGetFrozenTokens is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x158b1a57.
//
// Solidity: function getFrozenTokens(address ) pure returns(uint256)
func (brokenToken *BrokenToken) UnpackGetFrozenTokens(data []byte) (*big.Int, error) {
	out, err := brokenToken.abi.Unpack("getFrozenTokens", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackIsFrozen is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe5839836.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isFrozen(address ) pure returns(bool)
func (brokenToken *BrokenToken) PackIsFrozen(arg0 common.Address) []byte {
	enc, err := brokenToken.abi.Pack("isFrozen", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsFrozen is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe5839836.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isFrozen(address ) pure returns(bool)
func (brokenToken *BrokenToken) TryPackIsFrozen(arg0 common.Address) ([]byte, error) {
	return brokenToken.abi.Pack("isFrozen", arg0)
}

// UnpackIsFrozen is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe5839836.
//
// Solidity: function isFrozen(address ) pure returns(bool)
func (brokenToken *BrokenToken) UnpackIsFrozen(data []byte) (bool, error) {
	out, err := brokenToken.abi.Unpack("isFrozen", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x40c10f19.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (brokenToken *BrokenToken) PackMint(to common.Address, amount *big.Int) []byte {
	enc, err := brokenToken.abi.Pack("mint", to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x40c10f19.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (brokenToken *BrokenToken) TryPackMint(to common.Address, amount *big.Int) ([]byte, error) {
	return brokenToken.abi.Pack("mint", to, amount)
}

// PackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function name() view returns(string)
func (brokenToken *BrokenToken) PackName() []byte {
	enc, err := brokenToken.abi.Pack("name")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function name() view returns(string)
func (brokenToken *BrokenToken) TryPackName() ([]byte, error) {
	return brokenToken.abi.Pack("name")
}

// UnpackName is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x06fdde03.
//
// Solidity: function name() view returns(string)
func (brokenToken *BrokenToken) UnpackName(data []byte) (string, error) {
	out, err := brokenToken.abi.Unpack("name", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function owner() view returns(address)
func (brokenToken *BrokenToken) PackOwner() []byte {
	enc, err := brokenToken.abi.Pack("owner")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackOwner is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x8da5cb5b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function owner() view returns(address)
func (brokenToken *BrokenToken) TryPackOwner() ([]byte, error) {
	return brokenToken.abi.Pack("owner")
}

// UnpackOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (brokenToken *BrokenToken) UnpackOwner(data []byte) (common.Address, error) {
	out, err := brokenToken.abi.Unpack("owner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function symbol() view returns(string)
func (brokenToken *BrokenToken) PackSymbol() []byte {
	enc, err := brokenToken.abi.Pack("symbol")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function symbol() view returns(string)
func (brokenToken *BrokenToken) TryPackSymbol() ([]byte, error) {
	return brokenToken.abi.Pack("symbol")
}

// UnpackSymbol is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x95d89b41.
//
// Solidity: function symbol() view returns(string)
func (brokenToken *BrokenToken) UnpackSymbol(data []byte) (string, error) {
	out, err := brokenToken.abi.Unpack("symbol", data)
	if err != nil {
		return *new(string), err
	}
	out0 := *abi.ConvertType(out[0], new(string)).(*string)
	return out0, nil
}

// PackTotalSupply is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x18160ddd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function totalSupply() view returns(uint256)
func (brokenToken *BrokenToken) PackTotalSupply() []byte {
	enc, err := brokenToken.abi.Pack("totalSupply")
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTotalSupply is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x18160ddd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function totalSupply() view returns(uint256)
func (brokenToken *BrokenToken) TryPackTotalSupply() ([]byte, error) {
	return brokenToken.abi.Pack("totalSupply")
}

// UnpackTotalSupply is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x18160ddd.
//
// Solidity: function totalSupply() view returns(uint256)
func (brokenToken *BrokenToken) UnpackTotalSupply(data []byte) (*big.Int, error) {
	out, err := brokenToken.abi.Unpack("totalSupply", data)
	if err != nil {
		return new(big.Int), err
	}
	out0 := abi.ConvertType(out[0], new(big.Int)).(*big.Int)
	return out0, nil
}

// PackTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa9059cbb.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transfer(address to, uint256 amount) returns(bool)
func (brokenToken *BrokenToken) PackTransfer(to common.Address, amount *big.Int) []byte {
	enc, err := brokenToken.abi.Pack("transfer", to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransfer is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xa9059cbb.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transfer(address to, uint256 amount) returns(bool)
func (brokenToken *BrokenToken) TryPackTransfer(to common.Address, amount *big.Int) ([]byte, error) {
	return brokenToken.abi.Pack("transfer", to, amount)
}

// UnpackTransfer is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa9059cbb.
//
// Solidity: function transfer(address to, uint256 amount) returns(bool)
func (brokenToken *BrokenToken) UnpackTransfer(data []byte) (bool, error) {
	out, err := brokenToken.abi.Unpack("transfer", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackTransferFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23b872dd.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns(bool)
func (brokenToken *BrokenToken) PackTransferFrom(from common.Address, to common.Address, amount *big.Int) []byte {
	enc, err := brokenToken.abi.Pack("transferFrom", from, to, amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransferFrom is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x23b872dd.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns(bool)
func (brokenToken *BrokenToken) TryPackTransferFrom(from common.Address, to common.Address, amount *big.Int) ([]byte, error) {
	return brokenToken.abi.Pack("transferFrom", from, to, amount)
}

// UnpackTransferFrom is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x23b872dd.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns(bool)
func (brokenToken *BrokenToken) UnpackTransferFrom(data []byte) (bool, error) {
	out, err := brokenToken.abi.Unpack("transferFrom", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackTransferOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf2fde38b.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function transferOwnership(address newOwner) returns()
func (brokenToken *BrokenToken) PackTransferOwnership(newOwner common.Address) []byte {
	enc, err := brokenToken.abi.Pack("transferOwnership", newOwner)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackTransferOwnership is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf2fde38b.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function transferOwnership(address newOwner) returns()
func (brokenToken *BrokenToken) TryPackTransferOwnership(newOwner common.Address) ([]byte, error) {
	return brokenToken.abi.Pack("transferOwnership", newOwner)
}

// BrokenTokenApproval represents a Approval event raised by the BrokenToken contract.
type BrokenTokenApproval struct {
	Owner   common.Address
	Spender common.Address
	Value   *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const BrokenTokenApprovalEventName = "Approval"

// ContractEventName returns the user-defined event name.
func (BrokenTokenApproval) ContractEventName() string {
	return BrokenTokenApprovalEventName
}

// UnpackApprovalEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Approval(address indexed owner, address indexed spender, uint256 value)
func (brokenToken *BrokenToken) UnpackApprovalEvent(log *types.Log) (*BrokenTokenApproval, error) {
	event := "Approval"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != brokenToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(BrokenTokenApproval)
	if len(log.Data) > 0 {
		if err := brokenToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range brokenToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// BrokenTokenOwnershipTransferred represents a OwnershipTransferred event raised by the BrokenToken contract.
type BrokenTokenOwnershipTransferred struct {
	PreviousOwner common.Address
	NewOwner      common.Address
	Raw           *types.Log // Blockchain specific contextual infos
}

const BrokenTokenOwnershipTransferredEventName = "OwnershipTransferred"

// ContractEventName returns the user-defined event name.
func (BrokenTokenOwnershipTransferred) ContractEventName() string {
	return BrokenTokenOwnershipTransferredEventName
}

// UnpackOwnershipTransferredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)
func (brokenToken *BrokenToken) UnpackOwnershipTransferredEvent(log *types.Log) (*BrokenTokenOwnershipTransferred, error) {
	event := "OwnershipTransferred"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != brokenToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(BrokenTokenOwnershipTransferred)
	if len(log.Data) > 0 {
		if err := brokenToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range brokenToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}

// BrokenTokenTransfer represents a Transfer event raised by the BrokenToken contract.
type BrokenTokenTransfer struct {
	From  common.Address
	To    common.Address
	Value *big.Int
	Raw   *types.Log // Blockchain specific contextual infos
}

const BrokenTokenTransferEventName = "Transfer"

// ContractEventName returns the user-defined event name.
func (BrokenTokenTransfer) ContractEventName() string {
	return BrokenTokenTransferEventName
}

// UnpackTransferEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 value)
func (brokenToken *BrokenToken) UnpackTransferEvent(log *types.Log) (*BrokenTokenTransfer, error) {
	event := "Transfer"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != brokenToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(BrokenTokenTransfer)
	if len(log.Data) > 0 {
		if err := brokenToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range brokenToken.abi.Events[event].Inputs {
		if arg.Indexed {
			indexed = append(indexed, arg)
		}
	}
	if err := abi.ParseTopics(out, indexed, log.Topics[1:]); err != nil {
		return nil, err
	}
	out.Raw = log
	return out, nil
}
