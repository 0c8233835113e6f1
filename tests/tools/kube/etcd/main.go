// The etcd server binary: what go.etcd.io/etcd/v3's main.go does, built from
// the server module alone (the root module is not needed for the server).
package main

import (
	"os"

	"go.etcd.io/etcd/server/v3/etcdmain"
)

func main() {
	etcdmain.Main(os.Args)
}
