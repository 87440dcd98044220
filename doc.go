// Package portfoliod is the domain of the portfoliod service: what a
// customer, a wallet, a balance and a portfolio are, the rules a profile
// must follow (Customer.Validate), and the error codes every layer speaks
// (Error, ErrorCode).
//
// The domain sits in the middle and imports no adapter. Each outside
// technology has one package that imports the domain: customers (the
// bbolt store), chain (the EVM node), api (HTTP, with gin); aggregator is
// the use case that joins a profile and its balances; cmd/portfoliod is
// the only package that knows every adapter and wires them. Imports point
// inward: adapters import the domain, never each other.
package portfoliod
