package main

// utf8 mode (issue 8 item 11): the real provider is sent a config whose
// msgpack has a value of the wrong type holding bytes that are not UTF-8
// (\xff\xfe); its diagnostic quotes the value. Go's protobuf refuses a message
// whose proto3 string fields are not valid UTF-8, so the response is decoded
// here with a real (dynamic) message type, as Terraform's client would.

import (
	"context"
	"strings"

	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/descriptorpb"
	"google.golang.org/protobuf/types/dynamicpb"
)

// The part of tfplugin6 the response needs: Diagnostic and
// ValidateResourceConfig.Response (field numbers as in tfplugin6.proto).
func validateResponseType() protoreflect.MessageDescriptor {
	str := descriptorpb.FieldDescriptorProto_TYPE_STRING.Enum()
	i32 := descriptorpb.FieldDescriptorProto_TYPE_INT32.Enum()
	msg := descriptorpb.FieldDescriptorProto_TYPE_MESSAGE.Enum()
	opt := descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum()
	rep := descriptorpb.FieldDescriptorProto_LABEL_REPEATED.Enum()
	field := func(name string, num int32, t *descriptorpb.FieldDescriptorProto_Type, l *descriptorpb.FieldDescriptorProto_Label, typeName string) *descriptorpb.FieldDescriptorProto {
		f := &descriptorpb.FieldDescriptorProto{Name: proto.String(name), Number: proto.Int32(num), Type: t, Label: l}
		if typeName != "" {
			f.TypeName = proto.String(typeName)
		}
		return f
	}
	fd := &descriptorpb.FileDescriptorProto{
		Name:    proto.String("fotest_tfplugin6_subset.proto"),
		Package: proto.String("fotest"),
		Syntax:  proto.String("proto3"),
		MessageType: []*descriptorpb.DescriptorProto{
			{Name: proto.String("Step"), Field: []*descriptorpb.FieldDescriptorProto{
				field("attribute_name", 1, str, opt, ""),
				field("element_key_string", 2, str, opt, ""),
			}},
			{Name: proto.String("AttributePath"), Field: []*descriptorpb.FieldDescriptorProto{
				field("steps", 1, msg, rep, ".fotest.Step"),
			}},
			{Name: proto.String("Diagnostic"), Field: []*descriptorpb.FieldDescriptorProto{
				field("severity", 1, i32, opt, ""),
				field("summary", 2, str, opt, ""),
				field("detail", 3, str, opt, ""),
				field("attribute", 4, msg, opt, ".fotest.AttributePath"),
			}},
			{Name: proto.String("Response"), Field: []*descriptorpb.FieldDescriptorProto{
				field("diagnostics", 1, msg, rep, ".fotest.Diagnostic"),
			}},
		},
	}
	f, err := protodesc.NewFile(fd, nil)
	if err != nil {
		fail("building the test descriptor: %v", err)
	}
	return f.Messages().ByName("Response")
}

func modeUTF8() {
	l := launch()
	conn := l.connect()
	// {"generation": "1\xff\xfe", active/id/reason/switched_at/previous: nil}
	mp := []byte{0x86, 0xaa}
	mp = append(mp, "generation"...)
	mp = append(mp, 0xa3, '1', 0xff, 0xfe)
	for _, k := range []string{"active", "id", "reason", "switched_at", "previous"} {
		mp = append(mp, byte(0xa0|len(k)))
		mp = append(mp, k...)
		mp = append(mp, 0xc0)
	}
	var dv, req []byte
	dv = protowire.AppendTag(dv, 1, protowire.BytesType) // DynamicValue.msgpack
	dv = protowire.AppendBytes(dv, mp)
	req = protowire.AppendTag(req, 1, protowire.BytesType) // type_name
	req = protowire.AppendString(req, "failover_switch")
	req = protowire.AppendTag(req, 2, protowire.BytesType) // config
	req = protowire.AppendBytes(req, dv)

	resp, err := invoke(context.Background(), conn, "/tfplugin6.Provider/ValidateResourceConfig", req)
	if err != nil {
		fail("ValidateResourceConfig: %v", err)
	}
	m := dynamicpb.NewMessage(validateResponseType())
	if err := proto.Unmarshal(resp, m); err != nil {
		fail("Go's protobuf refuses the response: %v", err)
	}
	diags := m.Get(m.Descriptor().Fields().ByName("diagnostics")).List()
	if diags.Len() != 1 {
		fail("want 1 diagnostic, got %d", diags.Len())
	}
	detail := diags.Get(0).Message().Get(diags.Get(0).Message().Descriptor().Fields().ByName("detail")).String()
	if !strings.Contains(detail, "generation") || !strings.Contains(detail, "\uFFFD") {
		fail("detail should name the attribute and show U+FFFD for the bad bytes: %q", detail)
	}
	println("ok: a diagnostic quoting bytes that are not UTF-8 decodes in Go: " + detail)
	l.stop(conn)
}
