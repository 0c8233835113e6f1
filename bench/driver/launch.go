package main

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
)

const (
	cookieKey   = "TF_PLUGIN_MAGIC_COOKIE"
	cookieValue = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2"
)

// The client side of AutoMTLS, as go-plugin's client makes it (P-521 there;
// the client's key is not part of what is measured on the provider side).
var clientCert tls.Certificate
var clientPEM []byte

func init() {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		panic(err)
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
		NotAfter:              time.Now().Add(24 * time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		panic(err)
	}
	clientPEM = pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	clientCert = tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}
}

type proc struct {
	cmd     *exec.Cmd
	network string
	addr    string
	cert    *x509.Certificate
	start   time.Duration // exec -> handshake line read
}

// launch starts `argv` as Terraform would (cookie, protocol 6, with or without
// PLUGIN_CLIENT_CERT) and reads the handshake line.
func launch(argv []string, mtls bool, extraEnv ...string) (*proc, error) {
	cmd := exec.Command(argv[0], argv[1:]...)
	env := []string{cookieKey + "=" + cookieValue, "PLUGIN_PROTOCOL_VERSIONS=6", "PLUGIN_MIN_PORT=10000",
		"PLUGIN_MAX_PORT=25000"}
	for _, e := range os.Environ() {
		if !strings.HasPrefix(e, "PLUGIN_CLIENT_CERT=") && !strings.HasPrefix(e, "TF_LOG") {
			env = append(env, e)
		}
	}
	if mtls {
		env = append(env, "PLUGIN_CLIENT_CERT="+string(clientPEM))
	}
	cmd.Env = append(env, extraEnv...)
	cmd.Stderr = nil
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	p := &proc{cmd: cmd, start: time.Since(t0)}
	if err != nil {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("%s: no handshake line: %v", argv[len(argv)-1], err)
	}
	parts := strings.Split(strings.TrimSpace(line), "|")
	if len(parts) < 5 || parts[4] != "grpc" {
		cmd.Process.Kill()
		cmd.Wait()
		return nil, fmt.Errorf("bad handshake line %q", line)
	}
	p.network, p.addr = parts[2], parts[3]
	if mtls {
		der, err := base64.RawStdEncoding.DecodeString(strings.TrimRight(parts[5], "="))
		if err != nil {
			return nil, fmt.Errorf("handshake certificate: %v", err)
		}
		if p.cert, err = x509.ParseCertificate(der); err != nil {
			return nil, fmt.Errorf("handshake certificate: %v", err)
		}
	}
	return p, nil
}

func (p *proc) dial() (*grpc.ClientConn, error) {
	creds := insecure.NewCredentials()
	if p.cert != nil {
		pool := x509.NewCertPool()
		pool.AddCert(p.cert)
		creds = credentials.NewTLS(&tls.Config{RootCAs: pool, ServerName: "localhost",
			Certificates: []tls.Certificate{clientCert}, MinVersion: tls.VersionTLS12})
	}
	target := "unix://" + p.addr
	if p.network == "tcp" {
		target = p.addr
	}
	return grpc.NewClient(target, grpc.WithTransportCredentials(creds),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(256<<20)))
}

// status reads Threads and VmHWM (KiB) of the process.
func (p *proc) status() (threads, hwmKiB int) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		return 0, 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) < 2 {
			continue
		}
		switch f[0] {
		case "Threads:":
			threads, _ = strconv.Atoi(f[1])
		case "VmHWM:":
			hwmKiB, _ = strconv.Atoi(f[1])
		}
	}
	return
}

// shutdown calls plugin.GRPCController/Shutdown as go-plugin's Kill does and
// returns the time from the call to the process having exited.
func (p *proc) shutdown(conn *grpc.ClientConn) (time.Duration, error) {
	done := make(chan error, 1)
	t0 := time.Now()
	// go-plugin's own servers drop the connection before replying (their Shutdown
	// stops the gRPC server first) and its client ignores that: so do we
	_, _ = invoke(conn, "/plugin.GRPCController/Shutdown", []byte{})
	var err error
	conn.Close()
	go func() { done <- p.cmd.Wait() }()
	select {
	case werr := <-done:
		if err == nil {
			err = werr
		}
	case <-time.After(10 * time.Second):
		p.cmd.Process.Kill()
		<-done
		return 0, fmt.Errorf("still running 10 s after Shutdown")
	}
	return time.Since(t0), err
}

func (p *proc) kill() {
	p.cmd.Process.Kill()
	p.cmd.Wait()
}
