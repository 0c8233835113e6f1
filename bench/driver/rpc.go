package main

import (
	"context"
	"fmt"
	"sort"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/encoding"
	"google.golang.org/protobuf/encoding/protowire"
)

// rawCodec sends and receives pre-encoded protobuf bytes: the driver needs no
// generated tfplugin6 code, and encoding costs nothing on the client side.
type rawCodec struct{}

func (rawCodec) Marshal(v interface{}) ([]byte, error) { return *(v.(*[]byte)), nil }
func (rawCodec) Unmarshal(data []byte, v interface{}) error {
	*(v.(*[]byte)) = append([]byte(nil), data...)
	return nil
}
func (rawCodec) Name() string { return "proto" }

func init() { encoding.RegisterCodec(rawCodec{}) }

func invoke(conn *grpc.ClientConn, method string, req []byte) ([]byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var resp []byte
	err := conn.Invoke(ctx, method, &req, &resp, grpc.ForceCodec(rawCodec{}))
	return resp, err
}

// --- msgpack of cty values, just what a failover_switch object needs -------

type mp []byte

func (m mp) str(s string) mp {
	switch n := len(s); {
	case n < 32:
		m = append(m, 0xa0|byte(n))
	case n < 256:
		m = append(m, 0xd9, byte(n))
	default:
		m = append(m, 0xda, byte(n>>8), byte(n))
	}
	return append(m, s...)
}
func (m mp) nilv() mp      { return append(m, 0xc0) }
func (m mp) unknown() mp   { return append(m, 0xd4, 0, 0) } // cty: extension 0
func (m mp) int(v int) mp  { return append(m, byte(v)) }    // positive fixint
func (m mp) mapn(n int) mp { return append(m, 0x80|byte(n)) }

type attr struct {
	name string
	enc  func(mp) mp
}

// object encodes attributes in cty's order (sorted by name).
func object(attrs ...attr) []byte {
	sort.Slice(attrs, func(i, j int) bool { return attrs[i].name < attrs[j].name })
	m := mp(nil).mapn(len(attrs))
	for _, a := range attrs {
		m = a.enc(m.str(a.name))
	}
	return m
}

func s(v string) func(mp) mp { return func(m mp) mp { return m.str(v) } }

var null = func(m mp) mp { return m.nilv() }
var unk = func(m mp) mp { return m.unknown() }

func dynamic(msgpack []byte) []byte {
	return protowire.AppendBytes(protowire.AppendTag(nil, 1, protowire.BytesType), msgpack)
}

func field(b []byte, num protowire.Number, v []byte) []byte {
	return protowire.AppendBytes(protowire.AppendTag(b, num, protowire.BytesType), v)
}

// planCreateRequest: tfplugin6.PlanResourceChange.Request for creating one
// failover_switch (prior null, proposed with computed attributes unknown).
func planCreateRequest() []byte {
	config := object(attr{"id", null}, attr{"active", s("primary")}, attr{"reason", s("bench")},
		attr{"switched_at", null}, attr{"previous", null}, attr{"generation", null})
	proposed := object(attr{"id", unk}, attr{"active", s("primary")}, attr{"reason", s("bench")},
		attr{"switched_at", unk}, attr{"previous", unk}, attr{"generation", unk})
	var b []byte
	b = field(b, 1, []byte("failover_switch"))
	b = field(b, 2, dynamic(mp(nil).nilv()))
	b = field(b, 3, dynamic(proposed))
	b = field(b, 4, dynamic(config))
	return b
}

// planResponseOK: the response has a planned_state (field 1) and no error
// diagnostic (field 3 with severity ERROR = 1).
func planResponseOK(b []byte) error {
	planned := false
	for len(b) > 0 {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return fmt.Errorf("bad response")
		}
		b = b[n:]
		m := protowire.ConsumeFieldValue(num, typ, b)
		if m < 0 {
			return fmt.Errorf("bad response")
		}
		if num == 1 {
			planned = true
		}
		if num == 4 && typ == protowire.BytesType { // diagnostics
			d, _ := protowire.ConsumeBytes(b)
			if len(d) >= 2 && d[0] == 0x08 && d[1] == 1 {
				return fmt.Errorf("error diagnostic in the plan: %q", d)
			}
		}
		b = b[m:]
	}
	if !planned {
		return fmt.Errorf("no planned_state in the response")
	}
	return nil
}
