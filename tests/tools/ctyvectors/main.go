// Command ctyvectors writes cross-check vectors from go-cty itself: for each
// case the cty type JSON, go-cty's msgpack bytes (hex) and cty JSON, so the C
// codec in common/value can be checked byte for byte against the reference.
//
// Output: one case per line, tab separated:
//
//	name  type-json  msgpack-hex  json-or-"-"  reencode-hex-or-"="
//
// reencode is what go-cty itself emits after decoding the msgpack again
// ("=" when that is the same bytes); it differs only for inputs such as
// refined unknowns that a provider receives but never sends back.
package main

import (
	"bytes"
	"encoding/hex"
	"flag"
	"fmt"
	"math"
	"math/big"
	"os"
	"strings"

	"github.com/zclconf/go-cty/cty"
	ctyjson "github.com/zclconf/go-cty/cty/json"
	ctymsgpack "github.com/zclconf/go-cty/cty/msgpack"
)

type vec struct {
	name string
	ty   cty.Type
	val  cty.Value
}

func num(s string) cty.Value { return cty.MustParseNumberVal(s) }

func cases() []vec {
	S, N, B, D := cty.String, cty.Number, cty.Bool, cty.DynamicPseudoType
	obj := cty.Object(map[string]cty.Type{"id": S, "port": N, "tags": cty.Map(S), "on": B})
	nested := cty.Object(map[string]cty.Type{
		"name":   S,
		"rules":  cty.List(cty.Object(map[string]cty.Type{"cidrs": cty.Set(S), "from": N, "meta": cty.Map(cty.List(N))})),
		"extra":  D,
		"weight": N,
	})
	big2_64, _ := new(big.Float).SetPrec(512).SetString("18446744073709551616")
	return []vec{
		{"string", S, cty.StringVal("hello")},
		{"string_empty", S, cty.StringVal("")},
		{"string_unicode", S, cty.StringVal("héllo ☃ 😀")},
		{"string_escapes", S, cty.StringVal("<a&b>\n\t\"\\ \u2028 \x01")},
		{"string_long", S, cty.StringVal(strings.Repeat("abcdefghij", 30))},
		{"string_null", S, cty.NullVal(S)},
		{"string_unknown", S, cty.UnknownVal(S)},
		{"num_small", cty.List(N), cty.ListVal([]cty.Value{cty.NumberIntVal(0), cty.NumberIntVal(1), cty.NumberIntVal(-1), cty.NumberIntVal(127), cty.NumberIntVal(128), cty.NumberIntVal(-32), cty.NumberIntVal(-33), cty.NumberIntVal(255), cty.NumberIntVal(256), cty.NumberIntVal(65535), cty.NumberIntVal(65536), cty.NumberIntVal(-129), cty.NumberIntVal(-32769)})},
		{"num_int64_edges", cty.List(N), cty.ListVal([]cty.Value{cty.NumberIntVal(math.MaxInt64), cty.NumberIntVal(math.MinInt64), cty.NumberIntVal(1 << 32), cty.NumberIntVal(-(1 << 31) - 1)})},
		{"num_floats", cty.List(N), cty.ListVal([]cty.Value{cty.NumberFloatVal(0.5), cty.NumberFloatVal(1.5), cty.NumberFloatVal(-2.25), cty.NumberFloatVal(0.1), cty.NumberFloatVal(3.0), cty.NumberFloatVal(1e-7)})},
		{"num_decimal_0.1", N, num("0.1")},
		{"num_decimals", cty.List(N), cty.ListVal([]cty.Value{num("0.1"), num("1.1"), num("-0.000001"), num("3.14159265358979323846264338327950288"), num("1e3"), num("12.50")})},
		{"num_bigint", N, num("123456789012345678901234567890")},
		{"num_2_64", N, cty.NumberVal(big2_64)},
		{"num_uint64_max", N, cty.NumberUIntVal(math.MaxUint64)},
		{"num_float_1e300", N, cty.NumberFloatVal(1e300)},
		{"num_decimal_1e40", N, num("1e40")},
		// beyond 512 bits: go-cty rounds (big.ParseFloat, 512, ToNearestEven)
		{"num_512bit_pi200", N, num("3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534211706798214808651328230664709384460955058223172535940812848111745028410270193852110555964462294895493038196")},
		{"num_512bit_int162", N, num("1" + strings.Repeat("0", 160) + "1")},
		{"num_512bit_frac200", N, num("0." + strings.Repeat("1", 200))},
		{"num_tiny", N, num("1e-400")},
		{"set_numbers_g10_ties", cty.Set(N), cty.SetVal([]cty.Value{num("123456789.05"), num("123456789.1"), num("123456789"), num("0.00012345678905"), num("0.0001234567891"), num("7.000000000500000000000000000000000000001")})},
		{"num_infinity", cty.List(N), cty.ListVal([]cty.Value{cty.PositiveInfinity, cty.NegativeInfinity})},
		{"bools", cty.Tuple([]cty.Type{B, B, B}), cty.TupleVal([]cty.Value{cty.True, cty.False, cty.NullVal(B)})},
		{"list_strings", cty.List(S), cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")})},
		{"list_empty", cty.List(S), cty.ListValEmpty(S)},
		{"list_null", cty.List(S), cty.NullVal(cty.List(S))},
		{"list_unknown_elems", cty.List(S), cty.ListVal([]cty.Value{cty.StringVal("a"), cty.UnknownVal(S), cty.NullVal(S)})},
		{"set_strings", cty.Set(S), cty.SetVal([]cty.Value{cty.StringVal("zeta"), cty.StringVal("alpha"), cty.StringVal("Mid"), cty.StringVal("é")})},
		{"set_numbers", cty.Set(N), cty.SetVal([]cty.Value{cty.NumberIntVal(10), num("0.1"), cty.NumberFloatVal(-2.5), num("1e30"), cty.NumberIntVal(2)})},
		{"set_bools", cty.Set(B), cty.SetVal([]cty.Value{cty.True, cty.False})},
		{"set_unknowns", cty.Set(S), cty.SetVal([]cty.Value{cty.StringVal("b"), cty.UnknownVal(S), cty.StringVal("a")})},
		{"set_objects", cty.Set(obj), cty.SetVal([]cty.Value{
			cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal("b"), "port": cty.NumberIntVal(443), "tags": cty.MapValEmpty(S), "on": cty.True}),
			cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal("a"), "port": cty.NumberIntVal(80), "tags": cty.MapVal(map[string]cty.Value{"k": cty.StringVal("v")}), "on": cty.False}),
			cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal("a"), "port": num("1.00000000001"), "tags": cty.NullVal(cty.Map(S)), "on": cty.NullVal(B)}),
			cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal("a"), "port": num("12345678901"), "tags": cty.MapValEmpty(S), "on": cty.True}),
			cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal("c\"q"), "port": num("0.00001"), "tags": cty.MapValEmpty(S), "on": cty.True}),
		})},
		{"set_objects_unknown_attrs", cty.Set(cty.Object(map[string]cty.Type{"id": S, "port": N})), cty.SetVal([]cty.Value{
			cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal("b"), "port": cty.NumberIntVal(1)}),
			cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal("a"), "port": cty.UnknownVal(N)}),
			cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal("a"), "port": cty.NumberIntVal(2)}),
			cty.ObjectVal(map[string]cty.Value{"id": cty.UnknownVal(S), "port": cty.NumberIntVal(2)}),
		})},
		{"set_objects_odd_strings", cty.Set(cty.Object(map[string]cty.Type{"id": S})), cty.SetVal([]cty.Value{
			cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal("\x7f")}),
			cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal("é")}),
			cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal("\t")}),
			cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal("😀")}),
			cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal("a\\b")}),
			cty.ObjectVal(map[string]cty.Value{"id": cty.NullVal(S)}),
		})},
		{"set_of_lists", cty.Set(cty.List(N)), cty.SetVal([]cty.Value{cty.ListVal([]cty.Value{cty.NumberIntVal(2), cty.UnknownVal(N)}), cty.ListVal([]cty.Value{cty.NumberIntVal(1)}), cty.ListValEmpty(N)})},
		{"map_unicode_keys", cty.Map(N), cty.MapVal(map[string]cty.Value{"é": cty.NumberIntVal(1), "z": cty.NumberIntVal(2), "A": cty.NumberIntVal(3), "": cty.NumberIntVal(4)})},
		{"set_numbers_g10", cty.Set(cty.Object(map[string]cty.Type{"n": N})), cty.SetVal([]cty.Value{
			cty.ObjectVal(map[string]cty.Value{"n": num("99999999995")}),
			cty.ObjectVal(map[string]cty.Value{"n": num("0.0001")}),
			cty.ObjectVal(map[string]cty.Value{"n": num("0.00001")}),
			cty.ObjectVal(map[string]cty.Value{"n": num("-1234567890.5")}),
			cty.ObjectVal(map[string]cty.Value{"n": cty.NumberFloatVal(2.5)}),
			cty.ObjectVal(map[string]cty.Value{"n": num("1e21")}),
		})},
		{"set_of_sets", cty.Set(cty.Set(N)), cty.SetVal([]cty.Value{cty.SetVal([]cty.Value{cty.NumberIntVal(3), cty.NumberIntVal(1)}), cty.SetVal([]cty.Value{cty.NumberIntVal(2)}), cty.SetValEmpty(N)})},
		{"map_numbers", cty.Map(N), cty.MapVal(map[string]cty.Value{"b": cty.NumberIntVal(2), "a": cty.NumberIntVal(1), "B": num("0.1")})},
		{"map_empty", cty.Map(S), cty.MapValEmpty(S)},
		{"map_of_lists", cty.Map(cty.List(S)), cty.MapVal(map[string]cty.Value{"x": cty.ListVal([]cty.Value{cty.StringVal("1")}), "y": cty.UnknownVal(cty.List(S))})},
		{"tuple", cty.Tuple([]cty.Type{S, N, B, cty.List(S)}), cty.TupleVal([]cty.Value{cty.StringVal("s"), cty.NumberIntVal(7), cty.True, cty.ListValEmpty(S)})},
		{"object_simple", obj, cty.ObjectVal(map[string]cty.Value{"id": cty.StringVal("i-1"), "port": cty.NumberIntVal(8080), "tags": cty.MapVal(map[string]cty.Value{"env": cty.StringVal("prod")}), "on": cty.True})},
		{"object_nulls", obj, cty.ObjectVal(map[string]cty.Value{"id": cty.NullVal(S), "port": cty.NullVal(N), "tags": cty.NullVal(cty.Map(S)), "on": cty.NullVal(B)})},
		{"object_unknown_whole", obj, cty.UnknownVal(obj)},
		{"object_nested_unknown_deep", nested, cty.ObjectVal(map[string]cty.Value{
			"name": cty.StringVal("web"),
			"rules": cty.ListVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{
				"cidrs": cty.SetVal([]cty.Value{cty.StringVal("10.0.0.0/8"), cty.UnknownVal(S)}),
				"from":  cty.NumberIntVal(22),
				"meta":  cty.MapVal(map[string]cty.Value{"a": cty.ListVal([]cty.Value{cty.UnknownVal(N), cty.NumberIntVal(1)})}),
			})}),
			"extra":  cty.ObjectVal(map[string]cty.Value{"k": cty.StringVal("v"), "n": cty.NumberIntVal(1)}),
			"weight": cty.NumberIntVal(255),
		})},
		{"object_nested_known", nested, cty.ObjectVal(map[string]cty.Value{
			"name": cty.StringVal("db"),
			"rules": cty.ListVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{
				"cidrs": cty.SetVal([]cty.Value{cty.StringVal("10.0.0.0/8"), cty.StringVal("192.168.0.0/16")}),
				"from":  cty.NumberIntVal(5432),
				"meta":  cty.MapValEmpty(cty.List(N)),
			})}),
			"extra":  cty.ListVal([]cty.Value{cty.NumberIntVal(1), num("2.5")}),
			"weight": cty.NumberIntVal(0),
		})},
		{"dynamic_string", D, cty.StringVal("x")},
		{"dynamic_list", D, cty.ListVal([]cty.Value{cty.StringVal("a")})},
		{"dynamic_null_untyped", D, cty.NullVal(D)},
		{"dynamic_unknown_untyped", D, cty.DynamicVal},
		{"dynamic_null_string", D, cty.NullVal(S)},
		{"dynamic_unknown_string", D, cty.UnknownVal(S)},
		{"dynamic_object", D, cty.ObjectVal(map[string]cty.Value{"a": cty.NumberIntVal(1), "b": cty.ListVal([]cty.Value{cty.True})})},
		{"list_of_dynamic", cty.List(D), cty.ListVal([]cty.Value{cty.StringVal("a"), cty.StringVal("b")})},
		{"list_of_dynamic_mixed", cty.List(D), cty.ListVal([]cty.Value{cty.StringVal("a"), cty.DynamicVal, cty.NullVal(D)})},
		{"object_dynamic_attrs", cty.Object(map[string]cty.Type{"d": D, "l": cty.List(D)}), cty.ObjectVal(map[string]cty.Value{"d": cty.NullVal(N), "l": cty.ListValEmpty(D)})},
		{"map_of_dynamic", cty.Map(D), cty.MapVal(map[string]cty.Value{"k": cty.NumberIntVal(3)})},
		{"refined_string_prefix", S, cty.UnknownVal(S).Refine().NotNull().StringPrefixFull("ab").NewValue()},
		{"refined_not_null", obj, cty.UnknownVal(obj).Refine().NotNull().NewValue()},
		{"refined_number_range", N, cty.UnknownVal(N).Refine().NotNull().NumberRangeLowerBound(cty.NumberIntVal(1), true).NumberRangeUpperBound(num("0.5e3"), false).NewValue()},
		{"refined_list_length", cty.List(S), cty.UnknownVal(cty.List(S)).Refine().NotNull().CollectionLengthLowerBound(1).CollectionLengthUpperBound(5).NewValue()},
	}
}

func main() {
	out := flag.String("o", "", "output file (default stdout)")
	flag.Parse()
	var buf bytes.Buffer
	buf.WriteString("# generated by tests/tools/ctyvectors (go-cty cross-check vectors); do not edit\n")
	for _, c := range cases() {
		tj, err := c.ty.MarshalJSON()
		if err != nil {
			panic(err)
		}
		mp, err := ctymsgpack.Marshal(c.val, c.ty)
		if err != nil {
			panic(fmt.Sprintf("%s: %s", c.name, err))
		}
		js := "-"
		if c.val.IsWhollyKnown() {
			if j, err := ctyjson.Marshal(c.val, c.ty); err == nil {
				js = string(j)
			}
		}
		back, err := ctymsgpack.Unmarshal(mp, c.ty)
		if err != nil {
			panic(fmt.Sprintf("%s: unmarshal: %s", c.name, err))
		}
		re := "="
		unref, _ := back.Unmark()
		if !unref.IsKnown() {
			unref = cty.UnknownVal(unref.Type()) // what a provider sends back: refinements dropped
		}
		mp2, err := ctymsgpack.Marshal(unref, c.ty)
		if err != nil {
			panic(err)
		}
		if !bytes.Equal(mp, mp2) {
			re = hex.EncodeToString(mp2)
		}
		fmt.Fprintf(&buf, "%s\t%s\t%s\t%s\t%s\n", c.name, tj, hex.EncodeToString(mp), js, re)
	}
	if *out == "" {
		os.Stdout.Write(buf.Bytes())
		return
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
