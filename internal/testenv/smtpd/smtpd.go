// Package smtpd is the one SMTP server of the e-mail tests: a real server
// (go-smtp) in another process, the test binary started again, which
// writes each message it accepts to a folder. It shares nothing with the
// client but the socket, as in production. A package that uses it calls
// ServeIfChild first thing in its TestMain.
//
// It imports nothing of Zhengxie, so that notify's own tests can use it.
package smtpd

import (
	"bufio"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// The account the server accepts (PLAIN authentication).
const (
	User     = "zx-office"
	Password = "口令-s3cret"
)

const (
	envDir = "ZX_SMTPD_DIR"
	envTLS = "ZX_SMTPD_TLS"
)

// Message is one message as the server saw it.
type Message struct {
	From string
	To   []string
	User string // who authenticated
	TLS  bool   // whether it came over TLS
	Data string
}

// ServeIfChild serves SMTP and exits when this process is the server a
// test started; otherwise it returns at once.
func ServeIfChild() {
	dir := os.Getenv(envDir)
	if dir == "" {
		return
	}
	if err := serve(dir, os.Getenv(envTLS)); err != nil {
		fmt.Fprintln(os.Stderr, "smtp server:", err)
		os.Exit(1)
	}
	os.Exit(0)
}

// serve listens on a free port of 127.0.0.1 and prints it; tlsMode is ""
// (no TLS), "starttls" or "implicit" (TLS from the first byte, as on 465).
func serve(dir, tlsMode string) error {
	var seq atomic.Int64
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{conn: c, dir: dir, seq: &seq}, nil
	}))
	s.Domain = "mail.test.invalid"
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	var tlsConfig *tls.Config
	if tlsMode != "" {
		cert, err := selfSignedCert(filepath.Join(dir, "ca.pem"))
		if err != nil {
			return err
		}
		tlsConfig = &tls.Config{Certificates: []tls.Certificate{cert}}
	}
	if tlsMode == "starttls" {
		s.TLSConfig = tlsConfig
	} else {
		// Without TLS the client may still log in, as net/smtp allows
		// plain authentication to a server on localhost.
		s.AllowInsecureAuth = true
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	if tlsMode == "implicit" {
		l = tls.NewListener(l, tlsConfig)
	}
	fmt.Println(l.Addr().String())
	// The server lives as long as the test holds its stdin open, so it
	// cannot outlive a test binary that crashed.
	go func() {
		io.Copy(io.Discard, os.Stdin)
		s.Close()
	}()
	if err := s.Serve(l); err != nil && !errors.Is(err, smtp.ErrServerClosed) {
		return err
	}
	return nil
}

type session struct {
	conn *smtp.Conn
	dir  string
	seq  *atomic.Int64
	msg  Message
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, username, password string) error {
		if username != User || password != Password {
			return smtp.ErrAuthFailed
		}
		s.msg.User = username
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.msg.User == "" {
		return smtp.ErrAuthRequired
	}
	s.msg.From = from
	return nil
}

// Rcpt refuses nobody@…, for the tests of a refused recipient.
func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if strings.HasPrefix(to, "nobody@") {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "no such user"}
	}
	s.msg.To = append(s.msg.To, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.msg.Data = string(b)
	_, s.msg.TLS = s.conn.TLSConnectionState()
	j, err := json.Marshal(s.msg)
	if err != nil {
		return err
	}
	name := filepath.Join(s.dir, fmt.Sprintf("msg-%06d.json", s.seq.Add(1)))
	// Written before DATA is acknowledged, and renamed so that a reader
	// never sees half a file.
	if err := os.WriteFile(name+".tmp", j, 0o600); err != nil {
		return err
	}
	return os.Rename(name+".tmp", name)
}

func (s *session) Reset()        { s.msg = Message{User: s.msg.User} }
func (s *session) Logout() error { return nil }

func selfSignedCert(caPath string) (tls.Certificate, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return tls.Certificate{}, err
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		IsCA:         true,

		BasicConstraintsValid: true,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return tls.Certificate{}, err
	}
	if err := os.WriteFile(caPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		return tls.Certificate{}, err
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: key}, nil
}

// Server is a running server process.
type Server struct {
	Host string
	Port int
	Dir  string // the messages, and ca.pem when it speaks TLS
}

// Start starts a server process for the test (tlsMode "", "starttls" or
// "implicit") and stops it when the test ends.
func Start(t testing.TB, tlsMode string) *Server {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), envDir+"="+dir, envTLS+"="+tlsMode)
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			cmd.Process.Kill()
			<-done
		}
	})
	lines := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(stdout).ReadString('\n')
		lines <- strings.TrimSpace(line)
	}()
	var addr string
	select {
	case addr = <-lines:
	case <-time.After(10 * time.Second):
		t.Fatal("the SMTP server process did not start (does TestMain call smtpd.ServeIfChild?)")
	}
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatalf("the SMTP server printed %q: %v", addr, err)
	}
	p, _ := strconv.Atoi(port)
	return &Server{Host: host, Port: p, Dir: dir}
}

// Messages returns what the server accepted, in the order it came.
func (s *Server) Messages(t testing.TB) []Message {
	t.Helper()
	paths, _ := filepath.Glob(filepath.Join(s.Dir, "msg-*.json"))
	var out []Message
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		var m Message
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}
