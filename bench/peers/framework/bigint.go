package main

import "math/big"

func bigInt(v int64) *big.Float { return new(big.Float).SetInt64(v) }
