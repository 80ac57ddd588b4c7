// Command capsproxy is a test fixture for tests/remote/run.sh: a gRPC proxy that lets
// Bazel 7 talk to a Remote Execution API server that no longer announces API version 2.0.
//
// Bazel 7.7.1 supports REAPI 2.0 only, and refuses buildbox-casd 1.4.30 (which announces
// 2.1 to 2.12) at its capabilities check: "The client supported API versions, 2.0 to 2.0, is
// not supported by the server, 2.1 to 2.12". Neither side has an option for it. The
// messages Bazel sends are valid 2.x messages, so the proxy forwards every method (CAS,
// ByteStream, ActionCache, Execution, Capabilities, ...) as raw bytes, copies metadata both
// ways, and changes one field: low_api_version in the GetCapabilities answer, lowered to
// -low_api_version.
//
// Usage:
//
//	capsproxy -backend 127.0.0.1:PORT [-listen 127.0.0.1:0] [-addr_file FILE] [-low_api_version 2.0] [-v]
//
// -backend is host:port or unix:PATH. With -addr_file the proxy writes the address it
// listens on (host:port) to FILE once it accepts connections. SIGINT/SIGTERM stop it.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

func main() {
	log.SetFlags(log.LstdFlags | log.Lmicroseconds)
	log.SetPrefix("capsproxy: ")
	listen := flag.String("listen", "127.0.0.1:0", "address to listen on (host:port)")
	backend := flag.String("backend", "", "REAPI server to forward to: host:port, grpc://host:port or unix:PATH")
	addrFile := flag.String("addr_file", "", "write the address the proxy listens on to this file")
	low := flag.String("low_api_version", "2.0", "lower the server's low_api_version to this version")
	verbose := flag.Bool("v", false, "log every call")
	flag.Parse()
	if *backend == "" || flag.NArg() != 0 {
		flag.Usage()
		os.Exit(2)
	}
	lowAPI, err := parseVersion(*low)
	if err != nil {
		log.Fatal(err)
	}
	target := strings.TrimPrefix(*backend, "grpc://")
	conn, err := grpc.NewClient(target, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		log.Fatalf("backend %s: %v", *backend, err)
	}
	defer conn.Close()

	p := &proxy{backend: conn, lowAPI: lowAPI}
	if *verbose {
		p.logf = log.Printf
	}
	srv := newServer(p)
	lis, err := net.Listen("tcp", *listen)
	if err != nil {
		log.Fatal(err)
	}
	if *addrFile != "" {
		if err := writeFileAtomic(*addrFile, lis.Addr().String()+"\n"); err != nil {
			log.Fatal(err)
		}
	}
	log.Printf("listening on %s, forwarding to %s (low_api_version <= %s)", lis.Addr(), *backend, *low)

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		done := make(chan struct{})
		go func() { srv.GracefulStop(); close(done) }()
		select {
		case <-done:
		case <-time.After(2 * time.Second):
			srv.Stop()
		}
	}()
	if err := srv.Serve(lis); err != nil {
		log.Fatal(err)
	}
	log.Printf("stopped after %d calls", p.calls.Load())
}

// writeFileAtomic writes data to path so that readers never see a partial file.
func writeFileAtomic(path, data string) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".capsproxy-*")
	if err != nil {
		return err
	}
	if _, err := tmp.WriteString(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("writing %s: %v", path, err)
	}
	return nil
}
