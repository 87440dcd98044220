// Code generated via abigen V2 - DO NOT EDIT.
// This file is a generated binding and any manual changes will be lost.

package usdttoken

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

// USDTTokenMetaData contains all meta data concerning the USDTToken contract.
var USDTTokenMetaData = bind.MetaData{
	ABI: "[{\"inputs\":[{\"internalType\":\"string\",\"name\":\"name_\",\"type\":\"string\"},{\"internalType\":\"string\",\"name\":\"symbol_\",\"type\":\"string\"},{\"internalType\":\"uint8\",\"name\":\"decimals_\",\"type\":\"uint8\"}],\"stateMutability\":\"nonpayable\",\"type\":\"constructor\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"address\",\"name\":\"_user\",\"type\":\"address\"}],\"name\":\"AddedBlackList\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"owner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Approval\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"address\",\"name\":\"_blackListedUser\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"_balance\",\"type\":\"uint256\"}],\"name\":\"DestroyedBlackFunds\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Issue\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"previousOwner\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"OwnershipTransferred\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"Redeem\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":false,\"internalType\":\"address\",\"name\":\"_user\",\"type\":\"address\"}],\"name\":\"RemovedBlackList\",\"type\":\"event\"},{\"anonymous\":false,\"inputs\":[{\"indexed\":true,\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"indexed\":true,\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"indexed\":false,\"internalType\":\"uint256\",\"name\":\"value\",\"type\":\"uint256\"}],\"name\":\"Transfer\",\"type\":\"event\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"_evilUser\",\"type\":\"address\"}],\"name\":\"addBlackList\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"allowance\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"spender\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"approve\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"balanceOf\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"burn\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"decimals\",\"outputs\":[{\"internalType\":\"uint8\",\"name\":\"\",\"type\":\"uint8\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"_blackListedUser\",\"type\":\"address\"}],\"name\":\"destroyBlackFunds\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"_maker\",\"type\":\"address\"}],\"name\":\"getBlackListStatus\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"name\":\"isBlackListed\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"issue\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"mint\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"name\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"owner\",\"outputs\":[{\"internalType\":\"address\",\"name\":\"\",\"type\":\"address\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"redeem\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"_clearedUser\",\"type\":\"address\"}],\"name\":\"removeBlackList\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"symbol\",\"outputs\":[{\"internalType\":\"string\",\"name\":\"\",\"type\":\"string\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[],\"name\":\"totalSupply\",\"outputs\":[{\"internalType\":\"uint256\",\"name\":\"\",\"type\":\"uint256\"}],\"stateMutability\":\"view\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"transfer\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"from\",\"type\":\"address\"},{\"internalType\":\"address\",\"name\":\"to\",\"type\":\"address\"},{\"internalType\":\"uint256\",\"name\":\"amount\",\"type\":\"uint256\"}],\"name\":\"transferFrom\",\"outputs\":[{\"internalType\":\"bool\",\"name\":\"\",\"type\":\"bool\"}],\"stateMutability\":\"nonpayable\",\"type\":\"function\"},{\"inputs\":[{\"internalType\":\"address\",\"name\":\"newOwner\",\"type\":\"address\"}],\"name\":\"transferOwnership\",\"outputs\":[],\"stateMutability\":\"nonpayable\",\"type\":\"function\"}]",
	ID:  "USDTToken",
	Bin: "0x608060405234801561001057600080fd5b5060405161137b38038061137b83398101604081905261002f91610160565b828282600061003e8482610279565b50600161004b8382610279565b506002805460ff191660ff831617905560048054336001600160a01b031990911681179091556040516000907f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0908290a350505050505061033b565b634e487b7160e01b600052604160045260246000fd5b600082601f8301126100ce57600080fd5b81516001600160401b038111156100e7576100e76100a7565b604051601f8201601f19908116603f011681016001600160401b0381118282101715610115576101156100a7565b60405281815283820160200185101561012d57600080fd5b60005b8281101561014c57602081860181015183830182015201610130565b506000918101602001919091529392505050565b60008060006060848603121561017557600080fd5b83516001600160401b0381111561018b57600080fd5b610197868287016100bd565b602086015190945090506001600160401b038111156101b557600080fd5b6101c1868287016100bd565b925050604084015160ff811681146101d857600080fd5b809150509250925092565b600181811c908216806101f757607f821691505b60208210810361021757634e487b7160e01b600052602260045260246000fd5b50919050565b601f821115610274578282111561027457806000526020600020601f840160051c602085101561024b575060005b90810190601f840160051c0360005b818110156102705760008382015560010161025a565b5050505b505050565b81516001600160401b03811115610292576102926100a7565b6102a6816102a084546101e3565b8461021d565b6020601f8211600181146102da57600083156102c25750848201515b600019600385901b1c1916600184901b178455610334565b600084815260208120601f198516915b8281101561030a57878501518255602094850194600190920191016102ea565b50848210156103285786840151600019600387901b60f8161c191681555b505060018360011b0184555b5050505050565b6110318061034a6000396000f3fe608060405234801561001057600080fd5b506004361061012c5760003560e01c806395d89b41116100ad578063dd62ed3e11610071578063dd62ed3e146102ae578063e47d6060146102d9578063e4997dc5146102fc578063f2fde38b1461030f578063f3bdc2281461032257600080fd5b806395d89b411461025a5780639dc29fac14610262578063a9059cbb14610275578063cc872b6614610288578063db006a751461029b57600080fd5b8063313ce567116100f4578063313ce567146101b157806340c10f19146101d057806359bf1abe146101e357806370a082311461020f5780638da5cb5b1461022f57600080fd5b806306fdde0314610131578063095ea7b31461014f5780630ecb93c01461017257806318160ddd1461018757806323b872dd1461019e575b600080fd5b610139610335565b6040516101469190610e0f565b60405180910390f35b61016261015d366004610e79565b6103c3565b6040519015158152602001610146565b610185610180366004610ea3565b6103da565b005b61019060035481565b604051908152602001610146565b6101626101ac366004610ec5565b610468565b6002546101be9060ff1681565b60405160ff9091168152602001610146565b6101856101de366004610e79565b610515565b6101626101f1366004610ea3565b6001600160a01b031660009081526007602052604090205460ff1690565b61019061021d366004610ea3565b60056020526000908152604090205481565b600454610242906001600160a01b031681565b6040516001600160a01b039091168152602001610146565b61013961054d565b610185610270366004610e79565b61055a565b610162610283366004610e79565b61058e565b610185610296366004610f02565b6105a6565b6101856102a9366004610f02565b610648565b6101906102bc366004610f1b565b600660209081526000928352604080842090915290825290205481565b6101626102e7366004610ea3565b60076020526000908152604090205460ff1681565b61018561030a366004610ea3565b610754565b61018561031d366004610ea3565b6107cf565b610185610330366004610ea3565b6108ab565b6000805461034290610f4e565b80601f016020809104026020016040519081016040528092919081815260200182805461036e90610f4e565b80156103bb5780601f10610390576101008083540402835291602001916103bb565b820191906000526020600020905b81548152906001019060200180831161039e57829003601f168201915b505050505081565b60006103d03384846109ab565b5060015b92915050565b6004546001600160a01b0316331461040d5760405162461bcd60e51b815260040161040490610f88565b60405180910390fd5b6001600160a01b038116600081815260076020908152604091829020805460ff1916600117905590519182527f42e160154868087d6bfdc0ca23d96a1c1cfa32f1b72ba9ba27b69b98a0d819dc91015b60405180910390a150565b6000610475848484610a63565b6001600160a01b038416600090815260066020908152604080832033845290915290205460001981146104ff57828110156104eb5760405162461bcd60e51b8152602060048201526016602482015275696e73756666696369656e7420616c6c6f77616e636560501b6044820152606401610404565b6104ff85336104fa8685610fd5565b6109ab565b61050a858585610ac9565b506001949350505050565b6004546001600160a01b0316331461053f5760405162461bcd60e51b815260040161040490610f88565b6105498282610c6f565b5050565b6001805461034290610f4e565b6004546001600160a01b031633146105845760405162461bcd60e51b815260040161040490610f88565b6105498282610d4e565b600061059b338484610a63565b6103d0338484610ac9565b6004546001600160a01b031633146105d05760405162461bcd60e51b815260040161040490610f88565b6004546001600160a01b0316600090815260056020526040812080548392906105fa908490610fe8565b9250508190555080600360008282546106139190610fe8565b90915550506040518181527fcb8241adb0c3fdb35b70c24ce35c5eb0c17af7431c99f827d44a445ca624176a9060200161045d565b6004546001600160a01b031633146106725760405162461bcd60e51b815260040161040490610f88565b6004546001600160a01b03166000908152600560205260409020548111156106dc5760405162461bcd60e51b815260206004820152601d60248201527f72656465656d20616d6f756e7420657863656564732062616c616e63650000006044820152606401610404565b6004546001600160a01b031660009081526005602052604081208054839290610706908490610fd5565b92505081905550806003600082825461071f9190610fd5565b90915550506040518181527f702d5967f45f6513a38ffc42d6ba9bf230bd40e8f53b16363c7eb4fd2deb9a449060200161045d565b6004546001600160a01b0316331461077e5760405162461bcd60e51b815260040161040490610f88565b6001600160a01b038116600081815260076020908152604091829020805460ff1916905590519182527fd7e9ec6e6ecd65492dce6bf513cd6867560d49544421d0783ddf06e76c24470c910161045d565b6004546001600160a01b031633146107f95760405162461bcd60e51b815260040161040490610f88565b6001600160a01b03811661084f5760405162461bcd60e51b815260206004820152601d60248201527f6e6577206f776e657220697320746865207a65726f20616464726573730000006044820152606401610404565b6004546040516001600160a01b038084169216907f8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e090600090a3600480546001600160a01b0319166001600160a01b0392909216919091179055565b6004546001600160a01b031633146108d55760405162461bcd60e51b815260040161040490610f88565b6001600160a01b03811660009081526007602052604090205460ff1661092f5760405162461bcd60e51b815260206004820152600f60248201526e1b9bdd08189b1858dadb1a5cdd1959608a1b6044820152606401610404565b6001600160a01b03811660009081526005602052604081208054908290556003805491928392610960908490610fd5565b9091555050604080516001600160a01b0384168152602081018390527f61e6e66b0d6339b2980aecc6ccc0039736791f0ccde9ed512e789a7fbdd698c6910160405180910390a15050565b6001600160a01b038216610a015760405162461bcd60e51b815260206004820152601b60248201527f617070726f766520746f20746865207a65726f206164647265737300000000006044820152606401610404565b6001600160a01b0383811660008181526006602090815260408083209487168084529482529182902085905590518481527f8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b92591015b60405180910390a3505050565b6001600160a01b03831660009081526007602052604090205460ff1615610ac45760405162461bcd60e51b81526020600482015260156024820152741cd95b99195c881a5cc8189b1858dadb1a5cdd1959605a1b6044820152606401610404565b505050565b6001600160a01b038316610b1f5760405162461bcd60e51b815260206004820152601e60248201527f7472616e736665722066726f6d20746865207a65726f206164647265737300006044820152606401610404565b6001600160a01b038216610b755760405162461bcd60e51b815260206004820152601c60248201527f7472616e7366657220746f20746865207a65726f2061646472657373000000006044820152606401610404565b6001600160a01b03831660009081526005602052604090205481811015610bde5760405162461bcd60e51b815260206004820152601f60248201527f7472616e7366657220616d6f756e7420657863656564732062616c616e6365006044820152606401610404565b6001600160a01b03808516600090815260056020526040808220858503905591851681529081208054849290610c15908490610fe8565b92505081905550826001600160a01b0316846001600160a01b03167fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef84604051610c6191815260200190565b60405180910390a350505050565b6001600160a01b038216610cc55760405162461bcd60e51b815260206004820152601860248201527f6d696e7420746f20746865207a65726f206164647265737300000000000000006044820152606401610404565b8060036000828254610cd79190610fe8565b90915550506001600160a01b03821660009081526005602052604081208054839290610d04908490610fe8565b90915550506040518181526001600160a01b038316906000907fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef9060200160405180910390a35050565b6001600160a01b03821660009081526005602052604090205481811015610db75760405162461bcd60e51b815260206004820152601b60248201527f6275726e20616d6f756e7420657863656564732062616c616e636500000000006044820152606401610404565b6001600160a01b03831660008181526005602090815260408083208686039055600380548790039055518581529192917fddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef9101610a56565b602081526000825180602084015260005b81811015610e3d5760208186018101516040868401015201610e20565b506000604082850101526040601f19601f83011684010191505092915050565b80356001600160a01b0381168114610e7457600080fd5b919050565b60008060408385031215610e8c57600080fd5b610e9583610e5d565b946020939093013593505050565b600060208284031215610eb557600080fd5b610ebe82610e5d565b9392505050565b600080600060608486031215610eda57600080fd5b610ee384610e5d565b9250610ef160208501610e5d565b929592945050506040919091013590565b600060208284031215610f1457600080fd5b5035919050565b60008060408385031215610f2e57600080fd5b610f3783610e5d565b9150610f4560208401610e5d565b90509250929050565b600181811c90821680610f6257607f821691505b602082108103610f8257634e487b7160e01b600052602260045260246000fd5b50919050565b60208082526017908201527f63616c6c6572206973206e6f7420746865206f776e6572000000000000000000604082015260600190565b634e487b7160e01b600052601160045260246000fd5b818103818111156103d4576103d4610fbf565b808201808211156103d4576103d4610fbf56fea2646970667358221220f12e02678af30adcdbd598a92a78eb826f1a6eee3d5b5a5ebba4ea223a7b13fe64736f6c63430008250033",
}

// USDTToken is an auto generated Go binding around an Ethereum contract.
type USDTToken struct {
	abi abi.ABI
}

// GetABI returns the ABI associated with this contract binding.
func (c *USDTToken) GetABI() abi.ABI {
	return c.abi
}

// NewUSDTToken creates a new instance of USDTToken.
func NewUSDTToken() *USDTToken {
	parsed, err := USDTTokenMetaData.ParseABI()
	if err != nil {
		panic(errors.New("invalid ABI: " + err.Error()))
	}
	return &USDTToken{abi: *parsed}
}

// Instance creates a wrapper for a deployed contract instance at the given address.
// Use this to create the instance object passed to abigen v2 library functions Call, Transact, etc.
func (c *USDTToken) Instance(backend bind.ContractBackend, addr common.Address) *bind.BoundContract {
	return bind.NewBoundContract(addr, c.abi, backend, backend, backend)
}

// PackConstructor is the Go binding used to pack the parameters required for
// contract deployment.
//
// Solidity: constructor(string name_, string symbol_, uint8 decimals_) returns()
func (uSDTToken *USDTToken) PackConstructor(name_ string, symbol_ string, decimals_ uint8) []byte {
	enc, err := uSDTToken.abi.Pack("", name_, symbol_, decimals_)
	if err != nil {
		panic(err)
	}
	return enc
}

// PackAddBlackList is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0ecb93c0.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function addBlackList(address _evilUser) returns()
func (uSDTToken *USDTToken) PackAddBlackList(evilUser common.Address) []byte {
	enc, err := uSDTToken.abi.Pack("addBlackList", evilUser)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackAddBlackList is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x0ecb93c0.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function addBlackList(address _evilUser) returns()
func (uSDTToken *USDTToken) TryPackAddBlackList(evilUser common.Address) ([]byte, error) {
	return uSDTToken.abi.Pack("addBlackList", evilUser)
}

// PackAllowance is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdd62ed3e.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (uSDTToken *USDTToken) PackAllowance(arg0 common.Address, arg1 common.Address) []byte {
	enc, err := uSDTToken.abi.Pack("allowance", arg0, arg1)
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
func (uSDTToken *USDTToken) TryPackAllowance(arg0 common.Address, arg1 common.Address) ([]byte, error) {
	return uSDTToken.abi.Pack("allowance", arg0, arg1)
}

// UnpackAllowance is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xdd62ed3e.
//
// Solidity: function allowance(address , address ) view returns(uint256)
func (uSDTToken *USDTToken) UnpackAllowance(data []byte) (*big.Int, error) {
	out, err := uSDTToken.abi.Unpack("allowance", data)
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
func (uSDTToken *USDTToken) PackApprove(spender common.Address, amount *big.Int) []byte {
	enc, err := uSDTToken.abi.Pack("approve", spender, amount)
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
func (uSDTToken *USDTToken) TryPackApprove(spender common.Address, amount *big.Int) ([]byte, error) {
	return uSDTToken.abi.Pack("approve", spender, amount)
}

// UnpackApprove is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x095ea7b3.
//
// Solidity: function approve(address spender, uint256 amount) returns(bool)
func (uSDTToken *USDTToken) UnpackApprove(data []byte) (bool, error) {
	out, err := uSDTToken.abi.Unpack("approve", data)
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
func (uSDTToken *USDTToken) PackBalanceOf(arg0 common.Address) []byte {
	enc, err := uSDTToken.abi.Pack("balanceOf", arg0)
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
func (uSDTToken *USDTToken) TryPackBalanceOf(arg0 common.Address) ([]byte, error) {
	return uSDTToken.abi.Pack("balanceOf", arg0)
}

// UnpackBalanceOf is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x70a08231.
//
// Solidity: function balanceOf(address ) view returns(uint256)
func (uSDTToken *USDTToken) UnpackBalanceOf(data []byte) (*big.Int, error) {
	out, err := uSDTToken.abi.Unpack("balanceOf", data)
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
func (uSDTToken *USDTToken) PackBurn(from common.Address, amount *big.Int) []byte {
	enc, err := uSDTToken.abi.Pack("burn", from, amount)
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
func (uSDTToken *USDTToken) TryPackBurn(from common.Address, amount *big.Int) ([]byte, error) {
	return uSDTToken.abi.Pack("burn", from, amount)
}

// PackDecimals is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x313ce567.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function decimals() view returns(uint8)
func (uSDTToken *USDTToken) PackDecimals() []byte {
	enc, err := uSDTToken.abi.Pack("decimals")
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
func (uSDTToken *USDTToken) TryPackDecimals() ([]byte, error) {
	return uSDTToken.abi.Pack("decimals")
}

// UnpackDecimals is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x313ce567.
//
// Solidity: function decimals() view returns(uint8)
func (uSDTToken *USDTToken) UnpackDecimals(data []byte) (uint8, error) {
	out, err := uSDTToken.abi.Unpack("decimals", data)
	if err != nil {
		return *new(uint8), err
	}
	out0 := *abi.ConvertType(out[0], new(uint8)).(*uint8)
	return out0, nil
}

// PackDestroyBlackFunds is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf3bdc228.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function destroyBlackFunds(address _blackListedUser) returns()
func (uSDTToken *USDTToken) PackDestroyBlackFunds(blackListedUser common.Address) []byte {
	enc, err := uSDTToken.abi.Pack("destroyBlackFunds", blackListedUser)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackDestroyBlackFunds is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xf3bdc228.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function destroyBlackFunds(address _blackListedUser) returns()
func (uSDTToken *USDTToken) TryPackDestroyBlackFunds(blackListedUser common.Address) ([]byte, error) {
	return uSDTToken.abi.Pack("destroyBlackFunds", blackListedUser)
}

// PackGetBlackListStatus is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x59bf1abe.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function getBlackListStatus(address _maker) view returns(bool)
func (uSDTToken *USDTToken) PackGetBlackListStatus(maker common.Address) []byte {
	enc, err := uSDTToken.abi.Pack("getBlackListStatus", maker)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackGetBlackListStatus is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x59bf1abe.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function getBlackListStatus(address _maker) view returns(bool)
func (uSDTToken *USDTToken) TryPackGetBlackListStatus(maker common.Address) ([]byte, error) {
	return uSDTToken.abi.Pack("getBlackListStatus", maker)
}

// UnpackGetBlackListStatus is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x59bf1abe.
//
// Solidity: function getBlackListStatus(address _maker) view returns(bool)
func (uSDTToken *USDTToken) UnpackGetBlackListStatus(data []byte) (bool, error) {
	out, err := uSDTToken.abi.Unpack("getBlackListStatus", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackIsBlackListed is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe47d6060.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function isBlackListed(address ) view returns(bool)
func (uSDTToken *USDTToken) PackIsBlackListed(arg0 common.Address) []byte {
	enc, err := uSDTToken.abi.Pack("isBlackListed", arg0)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIsBlackListed is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe47d6060.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function isBlackListed(address ) view returns(bool)
func (uSDTToken *USDTToken) TryPackIsBlackListed(arg0 common.Address) ([]byte, error) {
	return uSDTToken.abi.Pack("isBlackListed", arg0)
}

// UnpackIsBlackListed is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xe47d6060.
//
// Solidity: function isBlackListed(address ) view returns(bool)
func (uSDTToken *USDTToken) UnpackIsBlackListed(data []byte) (bool, error) {
	out, err := uSDTToken.abi.Unpack("isBlackListed", data)
	if err != nil {
		return *new(bool), err
	}
	out0 := *abi.ConvertType(out[0], new(bool)).(*bool)
	return out0, nil
}

// PackIssue is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcc872b66.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function issue(uint256 amount) returns()
func (uSDTToken *USDTToken) PackIssue(amount *big.Int) []byte {
	enc, err := uSDTToken.abi.Pack("issue", amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackIssue is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xcc872b66.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function issue(uint256 amount) returns()
func (uSDTToken *USDTToken) TryPackIssue(amount *big.Int) ([]byte, error) {
	return uSDTToken.abi.Pack("issue", amount)
}

// PackMint is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x40c10f19.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function mint(address to, uint256 amount) returns()
func (uSDTToken *USDTToken) PackMint(to common.Address, amount *big.Int) []byte {
	enc, err := uSDTToken.abi.Pack("mint", to, amount)
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
func (uSDTToken *USDTToken) TryPackMint(to common.Address, amount *big.Int) ([]byte, error) {
	return uSDTToken.abi.Pack("mint", to, amount)
}

// PackName is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x06fdde03.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function name() view returns(string)
func (uSDTToken *USDTToken) PackName() []byte {
	enc, err := uSDTToken.abi.Pack("name")
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
func (uSDTToken *USDTToken) TryPackName() ([]byte, error) {
	return uSDTToken.abi.Pack("name")
}

// UnpackName is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x06fdde03.
//
// Solidity: function name() view returns(string)
func (uSDTToken *USDTToken) UnpackName(data []byte) (string, error) {
	out, err := uSDTToken.abi.Unpack("name", data)
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
func (uSDTToken *USDTToken) PackOwner() []byte {
	enc, err := uSDTToken.abi.Pack("owner")
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
func (uSDTToken *USDTToken) TryPackOwner() ([]byte, error) {
	return uSDTToken.abi.Pack("owner")
}

// UnpackOwner is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x8da5cb5b.
//
// Solidity: function owner() view returns(address)
func (uSDTToken *USDTToken) UnpackOwner(data []byte) (common.Address, error) {
	out, err := uSDTToken.abi.Unpack("owner", data)
	if err != nil {
		return *new(common.Address), err
	}
	out0 := *abi.ConvertType(out[0], new(common.Address)).(*common.Address)
	return out0, nil
}

// PackRedeem is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdb006a75.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function redeem(uint256 amount) returns()
func (uSDTToken *USDTToken) PackRedeem(amount *big.Int) []byte {
	enc, err := uSDTToken.abi.Pack("redeem", amount)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRedeem is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xdb006a75.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function redeem(uint256 amount) returns()
func (uSDTToken *USDTToken) TryPackRedeem(amount *big.Int) ([]byte, error) {
	return uSDTToken.abi.Pack("redeem", amount)
}

// PackRemoveBlackList is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe4997dc5.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function removeBlackList(address _clearedUser) returns()
func (uSDTToken *USDTToken) PackRemoveBlackList(clearedUser common.Address) []byte {
	enc, err := uSDTToken.abi.Pack("removeBlackList", clearedUser)
	if err != nil {
		panic(err)
	}
	return enc
}

// TryPackRemoveBlackList is the Go binding used to pack the parameters required for calling
// the contract method with ID 0xe4997dc5.  This method will return an error
// if any inputs are invalid/nil.
//
// Solidity: function removeBlackList(address _clearedUser) returns()
func (uSDTToken *USDTToken) TryPackRemoveBlackList(clearedUser common.Address) ([]byte, error) {
	return uSDTToken.abi.Pack("removeBlackList", clearedUser)
}

// PackSymbol is the Go binding used to pack the parameters required for calling
// the contract method with ID 0x95d89b41.  This method will panic if any
// invalid/nil inputs are passed.
//
// Solidity: function symbol() view returns(string)
func (uSDTToken *USDTToken) PackSymbol() []byte {
	enc, err := uSDTToken.abi.Pack("symbol")
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
func (uSDTToken *USDTToken) TryPackSymbol() ([]byte, error) {
	return uSDTToken.abi.Pack("symbol")
}

// UnpackSymbol is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x95d89b41.
//
// Solidity: function symbol() view returns(string)
func (uSDTToken *USDTToken) UnpackSymbol(data []byte) (string, error) {
	out, err := uSDTToken.abi.Unpack("symbol", data)
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
func (uSDTToken *USDTToken) PackTotalSupply() []byte {
	enc, err := uSDTToken.abi.Pack("totalSupply")
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
func (uSDTToken *USDTToken) TryPackTotalSupply() ([]byte, error) {
	return uSDTToken.abi.Pack("totalSupply")
}

// UnpackTotalSupply is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x18160ddd.
//
// Solidity: function totalSupply() view returns(uint256)
func (uSDTToken *USDTToken) UnpackTotalSupply(data []byte) (*big.Int, error) {
	out, err := uSDTToken.abi.Unpack("totalSupply", data)
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
func (uSDTToken *USDTToken) PackTransfer(to common.Address, amount *big.Int) []byte {
	enc, err := uSDTToken.abi.Pack("transfer", to, amount)
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
func (uSDTToken *USDTToken) TryPackTransfer(to common.Address, amount *big.Int) ([]byte, error) {
	return uSDTToken.abi.Pack("transfer", to, amount)
}

// UnpackTransfer is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0xa9059cbb.
//
// Solidity: function transfer(address to, uint256 amount) returns(bool)
func (uSDTToken *USDTToken) UnpackTransfer(data []byte) (bool, error) {
	out, err := uSDTToken.abi.Unpack("transfer", data)
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
func (uSDTToken *USDTToken) PackTransferFrom(from common.Address, to common.Address, amount *big.Int) []byte {
	enc, err := uSDTToken.abi.Pack("transferFrom", from, to, amount)
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
func (uSDTToken *USDTToken) TryPackTransferFrom(from common.Address, to common.Address, amount *big.Int) ([]byte, error) {
	return uSDTToken.abi.Pack("transferFrom", from, to, amount)
}

// UnpackTransferFrom is the Go binding that unpacks the parameters returned
// from invoking the contract method with ID 0x23b872dd.
//
// Solidity: function transferFrom(address from, address to, uint256 amount) returns(bool)
func (uSDTToken *USDTToken) UnpackTransferFrom(data []byte) (bool, error) {
	out, err := uSDTToken.abi.Unpack("transferFrom", data)
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
func (uSDTToken *USDTToken) PackTransferOwnership(newOwner common.Address) []byte {
	enc, err := uSDTToken.abi.Pack("transferOwnership", newOwner)
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
func (uSDTToken *USDTToken) TryPackTransferOwnership(newOwner common.Address) ([]byte, error) {
	return uSDTToken.abi.Pack("transferOwnership", newOwner)
}

// USDTTokenAddedBlackList represents a AddedBlackList event raised by the USDTToken contract.
type USDTTokenAddedBlackList struct {
	User common.Address
	Raw  *types.Log // Blockchain specific contextual infos
}

const USDTTokenAddedBlackListEventName = "AddedBlackList"

// ContractEventName returns the user-defined event name.
func (USDTTokenAddedBlackList) ContractEventName() string {
	return USDTTokenAddedBlackListEventName
}

// UnpackAddedBlackListEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event AddedBlackList(address _user)
func (uSDTToken *USDTToken) UnpackAddedBlackListEvent(log *types.Log) (*USDTTokenAddedBlackList, error) {
	event := "AddedBlackList"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != uSDTToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(USDTTokenAddedBlackList)
	if len(log.Data) > 0 {
		if err := uSDTToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range uSDTToken.abi.Events[event].Inputs {
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

// USDTTokenApproval represents a Approval event raised by the USDTToken contract.
type USDTTokenApproval struct {
	Owner   common.Address
	Spender common.Address
	Value   *big.Int
	Raw     *types.Log // Blockchain specific contextual infos
}

const USDTTokenApprovalEventName = "Approval"

// ContractEventName returns the user-defined event name.
func (USDTTokenApproval) ContractEventName() string {
	return USDTTokenApprovalEventName
}

// UnpackApprovalEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Approval(address indexed owner, address indexed spender, uint256 value)
func (uSDTToken *USDTToken) UnpackApprovalEvent(log *types.Log) (*USDTTokenApproval, error) {
	event := "Approval"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != uSDTToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(USDTTokenApproval)
	if len(log.Data) > 0 {
		if err := uSDTToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range uSDTToken.abi.Events[event].Inputs {
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

// USDTTokenDestroyedBlackFunds represents a DestroyedBlackFunds event raised by the USDTToken contract.
type USDTTokenDestroyedBlackFunds struct {
	BlackListedUser common.Address
	Balance         *big.Int
	Raw             *types.Log // Blockchain specific contextual infos
}

const USDTTokenDestroyedBlackFundsEventName = "DestroyedBlackFunds"

// ContractEventName returns the user-defined event name.
func (USDTTokenDestroyedBlackFunds) ContractEventName() string {
	return USDTTokenDestroyedBlackFundsEventName
}

// UnpackDestroyedBlackFundsEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event DestroyedBlackFunds(address _blackListedUser, uint256 _balance)
func (uSDTToken *USDTToken) UnpackDestroyedBlackFundsEvent(log *types.Log) (*USDTTokenDestroyedBlackFunds, error) {
	event := "DestroyedBlackFunds"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != uSDTToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(USDTTokenDestroyedBlackFunds)
	if len(log.Data) > 0 {
		if err := uSDTToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range uSDTToken.abi.Events[event].Inputs {
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

// USDTTokenIssue represents a Issue event raised by the USDTToken contract.
type USDTTokenIssue struct {
	Amount *big.Int
	Raw    *types.Log // Blockchain specific contextual infos
}

const USDTTokenIssueEventName = "Issue"

// ContractEventName returns the user-defined event name.
func (USDTTokenIssue) ContractEventName() string {
	return USDTTokenIssueEventName
}

// UnpackIssueEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Issue(uint256 amount)
func (uSDTToken *USDTToken) UnpackIssueEvent(log *types.Log) (*USDTTokenIssue, error) {
	event := "Issue"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != uSDTToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(USDTTokenIssue)
	if len(log.Data) > 0 {
		if err := uSDTToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range uSDTToken.abi.Events[event].Inputs {
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

// USDTTokenOwnershipTransferred represents a OwnershipTransferred event raised by the USDTToken contract.
type USDTTokenOwnershipTransferred struct {
	PreviousOwner common.Address
	NewOwner      common.Address
	Raw           *types.Log // Blockchain specific contextual infos
}

const USDTTokenOwnershipTransferredEventName = "OwnershipTransferred"

// ContractEventName returns the user-defined event name.
func (USDTTokenOwnershipTransferred) ContractEventName() string {
	return USDTTokenOwnershipTransferredEventName
}

// UnpackOwnershipTransferredEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)
func (uSDTToken *USDTToken) UnpackOwnershipTransferredEvent(log *types.Log) (*USDTTokenOwnershipTransferred, error) {
	event := "OwnershipTransferred"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != uSDTToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(USDTTokenOwnershipTransferred)
	if len(log.Data) > 0 {
		if err := uSDTToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range uSDTToken.abi.Events[event].Inputs {
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

// USDTTokenRedeem represents a Redeem event raised by the USDTToken contract.
type USDTTokenRedeem struct {
	Amount *big.Int
	Raw    *types.Log // Blockchain specific contextual infos
}

const USDTTokenRedeemEventName = "Redeem"

// ContractEventName returns the user-defined event name.
func (USDTTokenRedeem) ContractEventName() string {
	return USDTTokenRedeemEventName
}

// UnpackRedeemEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Redeem(uint256 amount)
func (uSDTToken *USDTToken) UnpackRedeemEvent(log *types.Log) (*USDTTokenRedeem, error) {
	event := "Redeem"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != uSDTToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(USDTTokenRedeem)
	if len(log.Data) > 0 {
		if err := uSDTToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range uSDTToken.abi.Events[event].Inputs {
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

// USDTTokenRemovedBlackList represents a RemovedBlackList event raised by the USDTToken contract.
type USDTTokenRemovedBlackList struct {
	User common.Address
	Raw  *types.Log // Blockchain specific contextual infos
}

const USDTTokenRemovedBlackListEventName = "RemovedBlackList"

// ContractEventName returns the user-defined event name.
func (USDTTokenRemovedBlackList) ContractEventName() string {
	return USDTTokenRemovedBlackListEventName
}

// UnpackRemovedBlackListEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event RemovedBlackList(address _user)
func (uSDTToken *USDTToken) UnpackRemovedBlackListEvent(log *types.Log) (*USDTTokenRemovedBlackList, error) {
	event := "RemovedBlackList"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != uSDTToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(USDTTokenRemovedBlackList)
	if len(log.Data) > 0 {
		if err := uSDTToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range uSDTToken.abi.Events[event].Inputs {
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

// USDTTokenTransfer represents a Transfer event raised by the USDTToken contract.
type USDTTokenTransfer struct {
	From  common.Address
	To    common.Address
	Value *big.Int
	Raw   *types.Log // Blockchain specific contextual infos
}

const USDTTokenTransferEventName = "Transfer"

// ContractEventName returns the user-defined event name.
func (USDTTokenTransfer) ContractEventName() string {
	return USDTTokenTransferEventName
}

// UnpackTransferEvent is the Go binding that unpacks the event data emitted
// by contract.
//
// Solidity: event Transfer(address indexed from, address indexed to, uint256 value)
func (uSDTToken *USDTToken) UnpackTransferEvent(log *types.Log) (*USDTTokenTransfer, error) {
	event := "Transfer"
	if len(log.Topics) == 0 {
		return nil, bind.ErrNoEventSignature
	}
	if log.Topics[0] != uSDTToken.abi.Events[event].ID {
		return nil, bind.ErrEventSignatureMismatch
	}
	out := new(USDTTokenTransfer)
	if len(log.Data) > 0 {
		if err := uSDTToken.abi.UnpackIntoInterface(out, event, log.Data); err != nil {
			return nil, err
		}
	}
	var indexed abi.Arguments
	for _, arg := range uSDTToken.abi.Events[event].Inputs {
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
