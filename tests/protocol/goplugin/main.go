// fo-protocol-client: protocol tests for terraform-provider-failover's transport.
//
// Modes (first argument), each exits 0 on success and 1 with a message on failure:
//
//	goplugin  HashiCorp's go-plugin client (AutoMTLS, grpc) launches the binary,
//	          negotiates, pings, calls one method, Kill()s it; the exit must be graceful.
//	refused   TLS without a client certificate and with a wrong one are refused.
//	raw       raw gRPC (bytes codec) over AutoMTLS: concurrent calls, bad and
//	          truncated protobuf, unknown methods; health check after each.
//	cancel    (test provider) client cancellation and StopProvider-style stop.
//	nocookie  started by hand: exit 1, explanation on stderr, nothing on stdout.
//	debug     --debug: reattach line, plaintext serving, SIGINT stops it.
//	tcp       FO_PLUGIN_NETWORK=tcp within PLUGIN_MIN_PORT..PLUGIN_MAX_PORT.
//	signals   SIGINT is ignored (Terraform sends StopProvider), SIGTERM stops cleanly.
//	bench     figures only: start->handshake and round trip (bench.sh).
package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/hashicorp/go-hclog"
	plugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
)

const cookieKey = "TF_PLUGIN_MAGIC_COOKIE"
const cookieValue = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"

var (
	flagProvider = flag.String("provider", "", "path of the provider binary")
	flagMethod   = flag.String("method", "", "unary method to call (default: test echo, or GetProviderSchema for the real provider)")
	flagBadArg   = flag.String("bad-method", "", "method that must answer INVALID_ARGUMENT to undecodable bytes")
	flagValgrind = flag.Bool("valgrind", false, "run the provider under valgrind (goplugin mode)")
	flagRuns     = flag.Int("runs", 1, "goplugin mode: number of launches (timings are reported)")
	flagTest     = flag.Bool("test-provider", false, "the binary is fo-test-provider (fotest.Test methods)")
	flagVerbose  = flag.Bool("v", false, "print go-plugin's client log")
	flagWrap     = flag.String("wrap", "", "command prefix for launching the provider (e.g. valgrind or /usr/bin/time), space-separated")
	flagCalls    = flag.Int("calls", 1000, "bench mode: sequential calls for the round-trip figure")
)

func fail(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "FAIL: "+format+"\n", args...)
	removeTestTmp()
	os.Exit(1)
}

// Each run gets its own TMPDIR (inherited by every provider it launches, so
// their unix sockets land there), removed on exit. A socket still there after
// the providers stopped is a provider that did not clean up (issue 8 item 14).
var testTmp string

func makeTestTmp() {
	dir, err := os.MkdirTemp("", "fo-protocol-")
	if err != nil {
		fail("cannot make a temporary directory: %v", err)
	}
	testTmp = dir
	os.Setenv("TMPDIR", dir)
}

func removeTestTmp() {
	if testTmp != "" {
		os.RemoveAll(testTmp)
		testTmp = ""
	}
}

// checkNoSockets fails when a plugin* entry is left in the run's TMPDIR.
func checkNoSockets() {
	left, _ := filepath.Glob(filepath.Join(testTmp, "plugin*"))
	if len(left) > 0 {
		fail("the provider left %d socket(s) behind in TMPDIR: %v", len(left), left)
	}
	fmt.Println("ok: no plugin socket left in the run's TMPDIR")
}

// rawCodec passes []byte through unchanged, so we can send any bytes.
type rawCodec struct{}

func (rawCodec) Marshal(v interface{}) ([]byte, error) {
	b, ok := v.(*[]byte)
	if !ok {
		return nil, fmt.Errorf("rawCodec: %T", v)
	}
	return *b, nil
}
func (rawCodec) Unmarshal(data []byte, v interface{}) error {
	b, ok := v.(*[]byte)
	if !ok {
		return fmt.Errorf("rawCodec: %T", v)
	}
	*b = append((*b)[:0], data...)
	return nil
}
func (rawCodec) Name() string { return "proto" } // content-type application/grpc+proto

func invoke(ctx context.Context, conn *grpc.ClientConn, method string, req []byte) ([]byte, error) {
	var resp []byte
	err := conn.Invoke(ctx, method, &req, &resp, grpc.ForceCodec(rawCodec{}))
	return resp, err
}

// pbString encodes a message whose field 1 is the string s (HealthCheckRequest shape).
func pbString(s string) []byte {
	if s == "" {
		return []byte{}
	}
	b := []byte{0x0a}
	n := len(s)
	for n >= 0x80 {
		b = append(b, byte(n)|0x80)
		n >>= 7
	}
	b = append(b, byte(n))
	return append(b, s...)
}

func parsePbString(b []byte) string {
	if len(b) < 2 || b[0] != 0x0a {
		return ""
	}
	n, shift, i := 0, 0, 1
	for ; i < len(b); i++ {
		n |= int(b[i]&0x7f) << shift
		shift += 7
		if b[i] < 0x80 {
			i++
			break
		}
	}
	if i+n > len(b) {
		return ""
	}
	return string(b[i : i+n])
}

func healthy(conn *grpc.ClientConn, service string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := invoke(ctx, conn, "/grpc.health.v1.Health/Check", pbString(service))
	if err != nil {
		return fmt.Errorf("health check %q: %v", service, err)
	}
	if !bytes.Equal(resp, []byte{0x08, 0x01}) { // status = SERVING
		return fmt.Errorf("health check %q: response %x, want SERVING (0801)", service, resp)
	}
	return nil
}

func defaultMethod() string {
	if *flagMethod != "" {
		return *flagMethod
	}
	if *flagTest {
		return "/fotest.Test/Echo"
	}
	return "/tfplugin6.Provider/GetProviderSchema"
}

// ---- go-plugin mode --------------------------------------------------------

type connPlugin struct{ plugin.NetRPCUnsupportedPlugin }

func (connPlugin) GRPCServer(*plugin.GRPCBroker, *grpc.Server) error {
	return errors.New("client only")
}
func (connPlugin) GRPCClient(_ context.Context, _ *plugin.GRPCBroker, c *grpc.ClientConn) (interface{}, error) {
	return c, nil
}

type lockedBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *lockedBuf) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

func goPluginOnce() (time.Duration, time.Duration) {
	logs := &lockedBuf{}
	logger := hclog.New(&hclog.LoggerOptions{Name: "client", Output: logs, Level: hclog.Trace, JSONFormat: true})
	var cmd *exec.Cmd
	if *flagValgrind {
		cmd = exec.Command("valgrind", "--vgdb=no", "--error-exitcode=1", "--leak-check=full", *flagProvider)
	} else {
		cmd = exec.Command(*flagProvider)
	}
	client := plugin.NewClient(&plugin.ClientConfig{
		HandshakeConfig:  plugin.HandshakeConfig{ProtocolVersion: 6, MagicCookieKey: cookieKey, MagicCookieValue: cookieValue},
		VersionedPlugins: map[int]plugin.PluginSet{6: {"provider": connPlugin{}}},
		Cmd:              cmd,
		AllowedProtocols: []plugin.Protocol{plugin.ProtocolGRPC},
		AutoMTLS:         true,
		Logger:           logger,
		StartTimeout:     time.Minute,
	})
	dump := func() { fmt.Fprintf(os.Stderr, "--- go-plugin client log ---\n%s\n", logs.String()) }
	t0 := time.Now()
	rpc, err := client.Client()
	handshake := time.Since(t0)
	if err != nil {
		dump()
		client.Kill()
		fail("go-plugin could not start the provider: %v", err)
	}
	if err := rpc.Ping(); err != nil {
		dump()
		client.Kill()
		fail("go-plugin Ping: %v", err)
	}
	raw, err := rpc.Dispense("provider")
	if err != nil {
		dump()
		client.Kill()
		fail("dispense: %v", err)
	}
	conn := raw.(*grpc.ClientConn)
	method := defaultMethod()
	req := []byte{}
	if *flagTest {
		req = pbString("hello")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t1 := time.Now()
	resp, err := invoke(ctx, conn, method, req)
	rtt := time.Since(t1)
	cancel()
	if err != nil {
		dump()
		client.Kill()
		fail("call %s: %v", method, err)
	}
	if *flagTest && parsePbString(resp) != "hello" {
		client.Kill()
		fail("echo returned %x", resp)
	}
	if !*flagTest && len(resp) == 0 {
		client.Kill()
		fail("%s returned an empty response", method)
	}
	if *flagValgrind {
		// valgrind needs more than go-plugin's 2 s grace to exit: ask for the
		// shutdown ourselves and wait, then let Kill() find the process gone.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_, err := invoke(ctx, conn, "/plugin.GRPCController/Shutdown", []byte{})
		cancel()
		if err != nil {
			fail("Shutdown: %v", err)
		}
		for i := 0; i < 1200 && !client.Exited(); i++ {
			time.Sleep(50 * time.Millisecond)
		}
	}
	client.Kill()
	log := logs.String()
	exitedOK := false
	for _, line := range strings.Split(log, "\n") {
		var e map[string]interface{}
		if json.Unmarshal([]byte(line), &e) != nil {
			continue
		}
		msg, _ := e["@message"].(string)
		lvl, _ := e["@level"].(string)
		if msg == "plugin failed to exit gracefully" {
			dump()
			fail("go-plugin: plugin failed to exit gracefully")
		}
		if msg == "plugin process exited" {
			if lvl != "info" {
				dump()
				fail("go-plugin: plugin process exited with an error: %s", line)
			}
			exitedOK = true
		}
		if strings.Contains(line, "stdio") && lvl == "error" {
			dump()
			fail("go-plugin logged a stdio error: %s", line)
		}
	}
	if *flagVerbose {
		dump()
	}
	if !exitedOK || !client.Exited() {
		dump()
		fail("no clean 'plugin process exited' in go-plugin's log")
	}
	return handshake, rtt
}

func modeGoPlugin() {
	var hs, rt []time.Duration
	for i := 0; i < *flagRuns; i++ {
		h, r := goPluginOnce()
		hs = append(hs, h)
		rt = append(rt, r)
	}
	fmt.Printf("ok: %d go-plugin launches (AutoMTLS); start->handshake median %v; first %s call median %v\n",
		*flagRuns, median(hs), defaultMethod(), median(rt))
}

func median(d []time.Duration) time.Duration {
	s := append([]time.Duration(nil), d...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	return s[len(s)/2]
}

// ---- our own launcher (raw / refused / cancel) ----------------------------

type launched struct {
	cmd     *exec.Cmd
	network string
	addr    string
	cert    *x509.Certificate
	certDER []byte
	mine    tls.Certificate
	stdout  *bufio.Reader
	startUp time.Duration // process start -> handshake line read
}

func selfSigned() (tls.Certificate, []byte) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		fail("key: %v", err)
	}
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(time.Now().UnixNano()),
		Subject:               pkix.Name{CommonName: "localhost", Organization: []string{"HashiCorp"}},
		DNSNames:              []string{"localhost"},
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth},
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment | x509.KeyUsageCertSign,
		BasicConstraintsValid: true,
		IsCA:                  true,
		NotBefore:             time.Now().Add(-time.Minute),
		NotAfter:              time.Now().Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		fail("cert: %v", err)
	}
	pemBytes := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, pemBytes
}

func launch(extraEnv ...string) *launched {
	mine, pemBytes := selfSigned()
	argv := append(strings.Fields(*flagWrap), *flagProvider)
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), cookieKey+"="+cookieValue, "PLUGIN_PROTOCOL_VERSIONS=5,6",
		"PLUGIN_CLIENT_CERT="+string(pemBytes))
	cmd.Env = append(cmd.Env, extraEnv...)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		fail("pipe: %v", err)
	}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		fail("start %s: %v", *flagProvider, err)
	}
	l := &launched{cmd: cmd, mine: mine, stdout: bufio.NewReader(out)}
	lineCh := make(chan string, 1)
	go func() {
		s, _ := l.stdout.ReadString('\n')
		lineCh <- s
	}()
	var line string
	select {
	case line = <-lineCh:
	case <-time.After(60 * time.Second):
		cmd.Process.Kill()
		fail("no handshake line within 60 s")
	}
	l.startUp = time.Since(t0)
	parts := strings.Split(strings.TrimSpace(line), "|")
	if len(parts) != 6 || parts[0] != "1" || parts[1] != "6" || parts[4] != "grpc" {
		cmd.Process.Kill()
		fail("bad handshake line %q", line)
	}
	if strings.Contains(parts[5], "=") {
		fail("certificate field has '=' padding")
	}
	der, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil {
		fail("certificate field is not raw std base64: %v", err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		fail("certificate field is not a DER certificate: %v", err)
	}
	if pk, ok := cert.PublicKey.(*ecdsa.PublicKey); !ok || pk.Curve != elliptic.P256() {
		fail("server key is not ECDSA P-256")
	}
	l.network, l.addr, l.cert, l.certDER = parts[2], parts[3], cert, der
	return l
}

func (l *launched) dial(clientCert *tls.Certificate) (*grpc.ClientConn, error) {
	pool := x509.NewCertPool()
	pool.AddCert(l.cert)
	cfg := &tls.Config{RootCAs: pool, ServerName: "localhost", MinVersion: tls.VersionTLS12}
	if clientCert != nil {
		cfg.Certificates = []tls.Certificate{*clientCert}
	}
	target := "unix://" + l.addr
	if l.network == "tcp" {
		target = l.addr
	}
	return grpc.NewClient(target, grpc.WithTransportCredentials(credentials.NewTLS(cfg)),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(1<<30), grpc.MaxCallSendMsgSize(1<<30)))
}

// connect dials with the certificate the provider trusts.
func (l *launched) connect() *grpc.ClientConn {
	conn, err := l.dial(&l.mine)
	if err != nil {
		fail("dial: %v", err)
	}
	return conn
}

// waitExit: the process must exit with status 0 within 20 s (a liveness
// bound, not a timing assertion) after `what`.
func waitExit(cmd *exec.Cmd, what string) {
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			fail("provider exit after %s: %v", what, err)
		}
	case <-time.After(20 * time.Second):
		cmd.Process.Kill()
		fail("provider still running 20 s after %s", what)
	}
}

func noSocket(path string) {
	if _, err := os.Stat(path); err == nil {
		fail("socket %s left behind", path)
	}
}

// stop: Shutdown RPC, then the process must exit 0 and remove its socket.
func (l *launched) stop(conn *grpc.ClientConn) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := invoke(ctx, conn, "/plugin.GRPCController/Shutdown", []byte{}); err != nil {
		fail("Shutdown: %v", err)
	}
	conn.Close()
	waitExit(l.cmd, "Shutdown")
	if l.network == "unix" {
		noSocket(l.addr)
	}
	if rest, _ := io.ReadAll(l.stdout); len(rest) > 0 {
		fail("provider wrote to stdout after the handshake: %q", rest)
	}
}

func mustCode(err error, want codes.Code, what string) {
	if status.Code(err) != want {
		fail("%s: got %v, want %v", what, err, want)
	}
}

func modeRefused() {
	l := launch()
	other, _ := selfSigned()
	// No certificate fails the TLS handshake; another certificate (its key
	// proven in the handshake) reaches the provider, which pins PLUGIN_CLIENT_CERT.
	for _, c := range []struct {
		name string
		cert *tls.Certificate
		want codes.Code
	}{{"no client certificate", nil, codes.Unavailable}, {"untrusted client certificate", &other, codes.Unauthenticated}} {
		conn, err := l.dial(c.cert)
		if err != nil {
			fail("dial: %v", err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err = invoke(ctx, conn, "/grpc.health.v1.Health/Check", pbString("plugin"))
		cancel()
		conn.Close()
		if err == nil {
			fail("%s: the call succeeded, want refusal", c.name)
		}
		mustCode(err, c.want, c.name)
		fmt.Printf("ok: %s refused (%v)\n", c.name, status.Code(err))
	}
	// plaintext client against the TLS server
	pconn, _ := grpc.NewClient("unix://"+l.addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	_, err := invoke(ctx, pconn, "/grpc.health.v1.Health/Check", pbString("plugin"))
	cancel()
	pconn.Close()
	if err == nil {
		fail("plaintext client: the call succeeded, want refusal")
	}
	fmt.Printf("ok: plaintext client refused (%v)\n", status.Code(err))
	conn := l.connect()
	if err := healthy(conn, "plugin"); err != nil {
		fail("the right client after refusals: %v", err)
	}
	l.stop(conn)
	fmt.Println("ok: the right client still served; clean exit")

	// A client certificate that only looks like one: the provider's own check is
	// shallow, gRPC's parse at bind refuses it; exit 1 naming the variable.
	bad := exec.Command(*flagProvider)
	bad.Env = append(os.Environ(), cookieKey+"="+cookieValue, "PLUGIN_PROTOCOL_VERSIONS=6",
		"PLUGIN_CLIENT_CERT=-----BEGIN CERTIFICATE-----\nMAMBAQA=\n-----END CERTIFICATE-----\n")
	var bout, berr bytes.Buffer
	bad.Stdout, bad.Stderr = &bout, &berr
	err = bad.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		fail("unusable PLUGIN_CLIENT_CERT: %v, want exit status 1", err)
	}
	if bout.Len() != 0 || !strings.Contains(berr.String(), "PLUGIN_CLIENT_CERT") {
		fail("unusable PLUGIN_CLIENT_CERT: stdout %q, stderr %q", bout.String(), berr.String())
	}
	if left, _ := filepath.Glob(filepath.Join(testTmp, "plugin*")); len(left) > 0 {
		fail("a refused client certificate left socket(s) behind: %v", left)
	}
	fmt.Println("ok: an unusable PLUGIN_CLIENT_CERT -> exit 1 naming it, no socket left")
}

func modeRaw() {
	l := launch()
	conn := l.connect()
	for _, svc := range []string{"plugin", ""} {
		if err := healthy(conn, svc); err != nil {
			fail("%v", err)
		}
	}
	ctx := context.Background()
	_, err := invoke(ctx, conn, "/grpc.health.v1.Health/Check", pbString("nope"))
	mustCode(err, codes.NotFound, "health check of an unknown service")

	// 50 concurrent calls
	method := defaultMethod()
	var wg sync.WaitGroup
	errs := make(chan error, 50)
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			req := []byte{}
			want := ""
			if *flagTest {
				want = fmt.Sprintf("call-%d", i)
				req = pbString(want)
			}
			cctx, cancel := context.WithTimeout(ctx, 60*time.Second)
			defer cancel()
			resp, err := invoke(cctx, conn, method, req)
			if err != nil {
				errs <- fmt.Errorf("concurrent call %d: %v", i, err)
			} else if *flagTest && parsePbString(resp) != want {
				errs <- fmt.Errorf("concurrent call %d: got %q", i, parsePbString(resp))
			}
		}(i)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		fail("%v", e)
	}
	fmt.Printf("ok: 50 concurrent %s calls\n", method)

	badMethod := *flagBadArg
	if badMethod == "" && *flagTest {
		badMethod = "/fotest.Test/Echo"
	}
	cases := []struct {
		what, method string
		body         []byte
		want         codes.Code
	}{
		{"garbage bytes to health", "/grpc.health.v1.Health/Check", []byte{0xff, 0xff, 0xff, 0xff}, codes.InvalidArgument},
		{"truncated protobuf to health", "/grpc.health.v1.Health/Check", []byte{0x0a, 0x10, 'p'}, codes.InvalidArgument},
		{"unknown method", "/tfplugin6.Provider/NoSuchMethod", []byte{}, codes.Unimplemented},
		{"unknown service", "/no.Such/Thing", []byte{0x01}, codes.Unimplemented},
	}
	if badMethod != "" {
		cases = append(cases,
			struct {
				what, method string
				body         []byte
				want         codes.Code
			}{"garbage bytes to " + badMethod, badMethod, []byte{0xff, 0xff, 0xff, 0xff, 0x07}, codes.InvalidArgument},
			struct {
				what, method string
				body         []byte
				want         codes.Code
			}{"truncated protobuf to " + badMethod, badMethod, []byte{0x0a, 0x7f, 'x', 'y'}, codes.InvalidArgument})
	}
	if *flagTest {
		cases = append(cases,
			struct {
				what, method string
				body         []byte
				want         codes.Code
			}{"handler error", "/fotest.Test/Echo", pbString("fail"), codes.InvalidArgument},
			struct {
				what, method string
				body         []byte
				want         codes.Code
			}{"handler returning a negative code", "/fotest.Test/Broken", []byte{}, codes.Internal})
	}
	for _, c := range cases {
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		_, err := invoke(cctx, conn, c.method, c.body)
		cancel()
		mustCode(err, c.want, c.what)
		if err := healthy(conn, "plugin"); err != nil {
			fail("after %s: %v", c.what, err)
		}
		fmt.Printf("ok: %s -> %v, still healthy\n", c.what, c.want)
	}
	if badMethod != "" && !*flagTest {
		// valid protobuf whose DynamicValue (field 1 of the request, msgpack =
		// field 1) holds bad msgpack: an error status, or an error diagnostic
		// (a top-level message field starting severity=ERROR) -- never a
		// crash, never a silent OK
		for _, mp := range [][]byte{{0xc1}, {0x81, 0xa3, 'f'}, {0xdf, 0xff, 0xff, 0xff, 0xff}} {
			dv := append([]byte{0x0a, byte(len(mp))}, mp...)
			req := append([]byte{0x0a, byte(len(dv))}, dv...)
			resp, err := invoke(ctx, conn, badMethod, req)
			switch {
			case err != nil && (status.Code(err) == codes.Unavailable || status.Code(err) == codes.Unknown):
				fail("bad msgpack %x to %s: %v", mp, badMethod, err)
			case err == nil && !hasErrorDiagnostic(resp):
				fail("bad msgpack %x to %s: OK without diagnostics (%x)", mp, badMethod, resp)
			}
			if err := healthy(conn, "plugin"); err != nil {
				fail("after bad msgpack: %v", err)
			}
			if err != nil {
				fmt.Printf("ok: bad msgpack %x -> %v, still healthy\n", mp, status.Code(err))
			} else {
				fmt.Printf("ok: bad msgpack %x -> error diagnostics, still healthy\n", mp)
			}
		}
	}
	if *flagTest {
		// 5 MiB each way: above gRPC core's 4 MiB default limit
		big := strings.Repeat("x", 5<<20)
		resp, err := invoke(ctx, conn, "/fotest.Test/Echo", pbString(big))
		if err != nil || parsePbString(resp) != big {
			fail("5 MiB echo: %v", err)
		}
		fmt.Println("ok: 5 MiB request and response")
		// concurrency: 10 calls must be inside handlers at the same time
		var bw sync.WaitGroup
		berrs := make(chan error, 10)
		for i := 0; i < 10; i++ {
			bw.Add(1)
			go func() {
				defer bw.Done()
				_, err := invoke(ctx, conn, "/fotest.Test/Barrier", pbString("10"))
				if err != nil {
					berrs <- err
				}
			}()
		}
		bw.Wait()
		close(berrs)
		for e := range berrs {
			fail("10 calls did not run concurrently: %v", e)
		}
		fmt.Println("ok: 10 calls ran concurrently (barrier met)")
	}
	l.stop(conn)
	fmt.Println("ok: clean exit after Shutdown, socket removed, stdout silent")
}

// hasErrorDiagnostic: some top-level length-delimited field of the message
// is a Diagnostic whose first field is severity = ERROR (08 01).
func hasErrorDiagnostic(b []byte) bool {
	for i := 0; i < len(b); {
		key := b[i]
		i++
		switch key & 7 {
		case 0:
			for i < len(b) && b[i] >= 0x80 {
				i++
			}
			i++
		case 2:
			n, shift := 0, 0
			for i < len(b) {
				c := b[i]
				i++
				n |= int(c&0x7f) << shift
				shift += 7
				if c < 0x80 {
					break
				}
			}
			if i+n > len(b) {
				return false
			}
			if n >= 2 && b[i] == 0x08 && b[i+1] == 0x01 {
				return true
			}
			i += n
		default:
			return false
		}
	}
	return false
}

func activeSlow(conn *grpc.ClientConn) string {
	resp, err := invoke(context.Background(), conn, "/fotest.Test/Active", []byte{})
	if err != nil {
		fail("Active: %v", err)
	}
	return parsePbString(resp)
}

func waitIdle(conn *grpc.ClientConn, what string) {
	for i := 0; i < 400; i++ { // liveness bound only (20 s), not a timing assertion
		if activeSlow(conn) == "0" {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	fail("%s: the slow handler is still running", what)
}

func modeCancel() {
	l := launch()
	conn := l.connect()
	// client cancellation
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := invoke(ctx, conn, "/fotest.Test/Slow", []byte{}); done <- err }()
	for i := 0; i < 400 && activeSlow(conn) != "1"; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	mustCode(<-done, codes.Canceled, "cancelled slow call")
	waitIdle(conn, "after client cancel")
	fmt.Println("ok: client cancel ended the slow handler")

	// deadline
	dctx, dcancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	_, err := invoke(dctx, conn, "/fotest.Test/Slow", []byte{})
	dcancel()
	mustCode(err, codes.DeadlineExceeded, "slow call with a deadline")
	waitIdle(conn, "after deadline")
	fmt.Println("ok: deadline ended the slow handler")

	// stop (StopProvider): three in flight all end with CANCELLED, and it is sticky
	results := make(chan error, 3)
	for i := 0; i < 3; i++ {
		go func() { _, err := invoke(context.Background(), conn, "/fotest.Test/Slow", []byte{}); results <- err }()
	}
	for i := 0; i < 400 && activeSlow(conn) != "3"; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	if _, err := invoke(context.Background(), conn, "/fotest.Test/StopProvider", []byte{}); err != nil {
		fail("Stop: %v", err)
	}
	for i := 0; i < 3; i++ {
		mustCode(<-results, codes.Canceled, "slow call after stop")
	}
	_, err = invoke(context.Background(), conn, "/fotest.Test/Slow", []byte{})
	mustCode(err, codes.Canceled, "slow call started after stop (sticky)")
	if err := healthy(conn, "plugin"); err != nil {
		fail("after stop: %v", err)
	}
	fmt.Println("ok: stop cancelled 3 in-flight calls and stays in effect")

	// StopProvider when every worker is busy: it must not queue behind them
	stopSaturated()

	// shutdown with a slow call in flight: it is cancelled, the process exits 0
	go func() { _, err := invoke(context.Background(), conn, "/fotest.Test/Slow", []byte{}); results <- err }()
	time.Sleep(100 * time.Millisecond)
	l.stop(conn)
	fmt.Println("ok: Shutdown with a call in flight exits cleanly")
}

// stopSaturated: with 2 workers, 4 slow calls (2 running, 2 queued), a
// StopProvider call still gets through and ends all four with CANCELLED.
func stopSaturated() {
	l := launch("FO_PROVIDER_WORKERS=2")
	conn := l.connect()
	results := make(chan error, 4)
	slow := func() { _, err := invoke(context.Background(), conn, "/fotest.Test/Slow", []byte{}); results <- err }
	// one slow call, seen running (Active takes the other worker) ...
	go slow()
	for i := 0; i < 400 && activeSlow(conn) != "1"; i++ {
		time.Sleep(10 * time.Millisecond)
	}
	// ... then three more: one takes the last worker, two wait in the queue.
	// (Active would queue too now, so the saturation is given time, not polled.)
	for i := 0; i < 3; i++ {
		go slow()
	}
	time.Sleep(200 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	_, err := invoke(ctx, conn, "/fotest.Test/StopProvider", []byte{})
	cancel()
	if err != nil {
		fail("StopProvider with all workers busy: %v", err)
	}
	for i := 0; i < 4; i++ {
		mustCode(<-results, codes.Canceled, "slow call on a saturated pool after StopProvider")
	}
	l.stop(conn)
	fmt.Println("ok: StopProvider got through a saturated worker pool and cancelled all calls")
}

func modeNoCookie() {
	cmd := exec.Command(*flagProvider)
	var env []string
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, cookieKey+"=") {
			env = append(env, e)
		}
	}
	cmd.Env = env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 1 {
		fail("started without the cookie: %v, want exit status 1", err)
	}
	if stdout.Len() != 0 {
		fail("wrote to stdout without the cookie: %q", stdout.String())
	}
	if !strings.Contains(stderr.String(), "not meant to be executed directly") {
		fail("stderr has no explanation: %q", stderr.String())
	}
	// a wrong cookie is the same
	cmd = exec.Command(*flagProvider)
	cmd.Env = append(env, cookieKey+"=nope")
	if err := cmd.Run(); !errors.As(err, &ee) || ee.ExitCode() != 1 {
		fail("wrong cookie: %v, want exit status 1", err)
	}
	fmt.Println("ok: no cookie / wrong cookie -> exit 1 with an explanation, stdout empty")
}

func modeDebug() {
	cmd := exec.Command(*flagProvider, "--debug")
	cmd.Stderr = os.Stderr
	out, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		fail("start: %v", err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		cmd.Process.Kill()
		fail("no reattach line: %v", err)
	}
	const prefix = "TF_REATTACH_PROVIDERS='"
	if !strings.HasPrefix(line, prefix) || !strings.HasSuffix(line, "'\n") {
		cmd.Process.Kill()
		fail("bad reattach line %q", line)
	}
	var v map[string]struct {
		Protocol        string
		ProtocolVersion int
		Pid             int
		Test            bool
		Addr            struct{ Network, String string }
	}
	if err := json.Unmarshal([]byte(line[len(prefix):len(line)-2]), &v); err != nil {
		cmd.Process.Kill()
		fail("reattach JSON: %v", err)
	}
	for _, k := range []string{"registry.terraform.io/failover/failover", "registry.opentofu.org/failover/failover"} {
		e, ok := v[k]
		if !ok || e.Protocol != "grpc" || e.ProtocolVersion != 6 || !e.Test || e.Pid != cmd.Process.Pid || e.Addr.Network != "unix" {
			cmd.Process.Kill()
			fail("reattach entry %s: %+v", k, e)
		}
	}
	addr := v["registry.terraform.io/failover/failover"].Addr.String
	conn, _ := grpc.NewClient("unix://"+addr, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err := healthy(conn, "plugin"); err != nil {
		cmd.Process.Kill()
		fail("debug mode, plaintext: %v", err)
	}
	conn.Close()
	cmd.Process.Signal(syscall.SIGINT)
	waitExit(cmd, "SIGINT")
	noSocket(addr)
	fmt.Println("ok: --debug prints a usable TF_REATTACH_PROVIDERS, serves plaintext, SIGINT stops it")
}

func modeSignals() {
	l := launch()
	conn := l.connect()
	if err := healthy(conn, "plugin"); err != nil {
		fail("%v", err)
	}
	for i := 0; i < 3; i++ {
		l.cmd.Process.Signal(syscall.SIGINT)
	}
	time.Sleep(300 * time.Millisecond)
	if err := healthy(conn, "plugin"); err != nil {
		fail("after SIGINT: %v", err)
	}
	fmt.Println("ok: SIGINT ignored, still serving")
	l.cmd.Process.Signal(syscall.SIGTERM)
	waitExit(l.cmd, "SIGTERM")
	conn.Close()
	noSocket(l.addr)
	fmt.Println("ok: SIGTERM -> exit 0, socket removed")

	l = launch()
	conn = l.connect()
	l.cmd.Process.Signal(syscall.SIGHUP)
	waitExit(l.cmd, "SIGHUP")
	conn.Close()
	noSocket(l.addr)
	fmt.Println("ok: SIGHUP -> exit 0, socket removed")

	// The handshake cannot be written (stdout's reader is gone) after the
	// socket was bound: the provider fails, and removes the socket on the way.
	r, w, err := os.Pipe()
	if err != nil {
		fail("pipe: %v", err)
	}
	r.Close()
	cmd := exec.Command(*flagProvider)
	cmd.Env = append(os.Environ(), cookieKey+"="+cookieValue, "PLUGIN_PROTOCOL_VERSIONS=6")
	cmd.Stdout = w
	err = cmd.Run()
	w.Close()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
		fail("provider with an unwritable stdout: want exit status 1, got %v", err)
	}
	if left, _ := filepath.Glob(filepath.Join(testTmp, "plugin*")); len(left) > 0 {
		fail("a failed handshake left socket(s) behind: %v", left)
	}
	fmt.Println("ok: a handshake that cannot be written -> exit 1, socket removed")
}

func modeTCP() {
	// find a small free range: take a port the kernel gives, use [p, p+5]
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fail("listen: %v", err)
	}
	p := ln.Addr().(*net.TCPAddr).Port
	// keep p busy: the provider must skip it
	l := launch("FO_PLUGIN_NETWORK=tcp", fmt.Sprintf("PLUGIN_MIN_PORT=%d", p), fmt.Sprintf("PLUGIN_MAX_PORT=%d", p+5))
	ln.Close()
	if l.network != "tcp" || !strings.HasPrefix(l.addr, "127.0.0.1:") {
		fail("tcp handshake address %s %s", l.network, l.addr)
	}
	var got int
	fmt.Sscanf(strings.TrimPrefix(l.addr, "127.0.0.1:"), "%d", &got)
	if got <= p || got > p+5 {
		fail("port %d outside %d..%d or not skipping the busy one", got, p+1, p+5)
	}
	conn := l.connect()
	if err := healthy(conn, "plugin"); err != nil {
		fail("tcp: %v", err)
	}
	l.stop(conn)
	fmt.Printf("ok: tcp on %s (busy port %d skipped), clean exit\n", l.addr, p)
}

// modeBench: start -> handshake line (our launcher, AutoMTLS, no go-plugin
// overhead) over --runs launches, and the unary round trip of the method over
// --calls sequential calls on one connection. Figures only, no assertions.
func modeBench() {
	var starts, rtts []time.Duration
	method := defaultMethod()
	req := []byte{}
	if *flagTest {
		req = pbString("hello")
	}
	for i := 0; i < *flagRuns; i++ {
		l := launch()
		starts = append(starts, l.startUp)
		conn := l.connect()
		if err := healthy(conn, "plugin"); err != nil {
			fail("%v", err)
		}
		if i == 0 {
			for j := 0; j < *flagCalls; j++ {
				t1 := time.Now()
				if _, err := invoke(context.Background(), conn, method, req); err != nil {
					fail("%s: %v", method, err)
				}
				rtts = append(rtts, time.Since(t1))
			}
		}
		l.stop(conn)
	}
	sort.Slice(rtts, func(i, j int) bool { return rtts[i] < rtts[j] })
	fmt.Printf("start->handshake (AutoMTLS, P-256 keygen included): median %v over %d launches (min %v, max %v)\n",
		median(starts), len(starts), minD(starts), maxD(starts))
	if len(rtts) > 0 {
		fmt.Printf("%s round trip over mTLS unix socket: median %v, p90 %v over %d sequential calls\n",
			method, rtts[len(rtts)/2], rtts[len(rtts)*9/10], len(rtts))
	}
}

func minD(d []time.Duration) time.Duration {
	m := d[0]
	for _, x := range d {
		if x < m {
			m = x
		}
	}
	return m
}

func maxD(d []time.Duration) time.Duration {
	m := d[0]
	for _, x := range d {
		if x > m {
			m = x
		}
	}
	return m
}

func main() {
	if len(os.Args) < 2 {
		fail("usage: fo-protocol-client goplugin|refused|raw|cancel|nocookie|debug|tcp --provider PATH [flags]")
	}
	mode := os.Args[1]
	flag.CommandLine.Parse(os.Args[2:])
	if *flagProvider == "" {
		fail("--provider is required")
	}
	if _, err := os.Stat(*flagProvider); err != nil {
		fail("provider binary: %v", err)
	}
	makeTestTmp()
	switch mode {
	case "goplugin":
		modeGoPlugin()
	case "refused":
		modeRefused()
	case "raw":
		modeRaw()
	case "cancel":
		modeCancel()
	case "nocookie":
		modeNoCookie()
	case "debug":
		modeDebug()
	case "tcp":
		modeTCP()
	case "bench":
		modeBench()
	case "signals":
		modeSignals()
	case "utf8":
		modeUTF8()
	default:
		fail("unknown mode %q", mode)
	}
	if mode != "bench" {
		checkNoSockets()
	}
	removeTestTmp()
}
