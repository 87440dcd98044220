package portfoliod

// PositionReport fixes what a holder register (SPEC section 10) is read
// at: one configured token and one resolved block. Every position of the
// report is read at Block.Hash, whatever happens to the head meanwhile.
type PositionReport struct {
	Token Token
	Block Block
}

// Position is one row of a holder register: a wallet of a customer and
// its balance at the report's block.
type Position struct {
	// Customer owns the wallet. The positions of one customer's wallets
	// share it: read only.
	Customer *Customer
	// Balance is the wallet's, and names it.
	Balance Balance
}
