package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"

	repb "github.com/bazelbuild/remote-apis/build/bazel/remote/execution/v2"
	"github.com/bazelbuild/remote-apis/build/bazel/semver"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
)

// capabilitiesMethod is the only method whose messages the proxy decodes.
const capabilitiesMethod = "/build.bazel.remote.execution.v2.Capabilities/GetCapabilities"

// maxMessageSize lifts gRPC's default 4 MiB limit on both sides of the proxy: the proxy
// must not refuse a message that client and server would accept (BatchUpdateBlobs and
// BatchReadBlobs carry up to the server's max_batch_total_size_bytes).
const maxMessageSize = 1 << 30

// frame is one gRPC message as raw bytes.
type frame struct{ b []byte }

// rawCodec passes messages through undecoded. It is named "proto", so requests keep the
// content type the client chose ("application/grpc" or "application/grpc+proto").
type rawCodec struct{}

func (rawCodec) Name() string { return "proto" }

func (rawCodec) Marshal(v any) ([]byte, error) {
	f, ok := v.(*frame)
	if !ok {
		return nil, fmt.Errorf("capsproxy: cannot marshal %T", v)
	}
	return f.b, nil
}

func (rawCodec) Unmarshal(data []byte, v any) error {
	f, ok := v.(*frame)
	if !ok {
		return fmt.Errorf("capsproxy: cannot unmarshal into %T", v)
	}
	f.b = append([]byte(nil), data...)
	return nil
}

// proxy forwards every gRPC method to backend.
type proxy struct {
	backend *grpc.ClientConn
	// lowAPI is the highest low_api_version the proxy lets through: a server announcing
	// a later one is reported with this one instead.
	lowAPI *semver.SemVer
	// logf, if set, is called once per call with its method and outcome.
	logf  func(format string, args ...any)
	calls atomic.Int64
}

// newServer returns a gRPC server that forwards every call, as raw bytes, to p.backend.
func newServer(p *proxy) *grpc.Server {
	return grpc.NewServer(
		grpc.ForceServerCodec(rawCodec{}),
		grpc.UnknownServiceHandler(p.handle),
		grpc.MaxRecvMsgSize(maxMessageSize),
		grpc.MaxSendMsgSize(maxMessageSize),
	)
}

// forwardable returns the metadata that can be passed on: without HTTP/2 pseudo-headers
// and the headers gRPC sets itself.
func forwardable(md metadata.MD) metadata.MD {
	out := metadata.MD{}
	for k, v := range md {
		switch {
		case strings.HasPrefix(k, ":"),
			k == "content-type", k == "user-agent", k == "te",
			k == "grpc-timeout", k == "grpc-encoding", k == "grpc-accept-encoding",
			k == "grpc-status", k == "grpc-message", k == "grpc-status-details-bin":
			continue
		}
		out[k] = append([]string(nil), v...)
	}
	return out
}

// handle forwards one call of any kind (unary or streaming) in both directions.
func (p *proxy) handle(_ any, ss grpc.ServerStream) (err error) {
	method, ok := grpc.MethodFromServerStream(ss)
	if !ok {
		return status.Error(codes.Internal, "capsproxy: no method name in the server stream")
	}
	p.calls.Add(1)
	if p.logf != nil {
		defer func() { p.logf("%s: %v", method, status.Code(err)) }()
	}
	ctx, cancel := context.WithCancel(ss.Context())
	defer cancel()
	md, _ := metadata.FromIncomingContext(ctx)
	ctx = metadata.NewOutgoingContext(ctx, forwardable(md))
	cs, err := p.backend.NewStream(ctx, &grpc.StreamDesc{ClientStreams: true, ServerStreams: true}, method,
		grpc.ForceCodec(rawCodec{}), grpc.MaxCallRecvMsgSize(maxMessageSize), grpc.MaxCallSendMsgSize(maxMessageSize))
	if err != nil {
		return err
	}

	// Client to backend. An error of the backend stream shows in the loop below; an error
	// of the client's (it went away) cancels the backend call.
	go func() {
		for {
			f := &frame{}
			if err := ss.RecvMsg(f); err != nil {
				if errors.Is(err, io.EOF) {
					cs.CloseSend()
				} else {
					cancel()
				}
				return
			}
			if err := cs.SendMsg(f); err != nil {
				return
			}
		}
	}()

	// Backend to client, then the backend's status and trailer.
	headerSent := false
	for {
		f := &frame{}
		rerr := cs.RecvMsg(f)
		if !headerSent {
			headerSent = true
			if h, herr := cs.Header(); herr == nil {
				if err := ss.SetHeader(forwardable(h)); err != nil {
					return err
				}
			}
		}
		if rerr != nil {
			ss.SetTrailer(forwardable(cs.Trailer()))
			if errors.Is(rerr, io.EOF) {
				return nil
			}
			return rerr
		}
		if method == capabilitiesMethod {
			b, err := rewriteCapabilities(f.b, p.lowAPI)
			if err != nil {
				return status.Errorf(codes.Internal, "capsproxy: %v", err)
			}
			f.b = b
		}
		if err := ss.SendMsg(f); err != nil {
			return err
		}
	}
}

// rewriteCapabilities lowers low_api_version in a serialized ServerCapabilities to low,
// if the server announced a later one. Everything else is kept.
func rewriteCapabilities(b []byte, low *semver.SemVer) ([]byte, error) {
	var caps repb.ServerCapabilities
	if err := proto.Unmarshal(b, &caps); err != nil {
		return nil, fmt.Errorf("decoding GetCapabilities response: %v", err)
	}
	if caps.LowApiVersion != nil && !later(caps.LowApiVersion, low) {
		return b, nil
	}
	caps.LowApiVersion = proto.Clone(low).(*semver.SemVer)
	return proto.MarshalOptions{Deterministic: true}.Marshal(&caps)
}

// later reports whether version a is later than b.
func later(a, b *semver.SemVer) bool {
	if a.GetMajor() != b.GetMajor() {
		return a.GetMajor() > b.GetMajor()
	}
	if a.GetMinor() != b.GetMinor() {
		return a.GetMinor() > b.GetMinor()
	}
	return a.GetPatch() > b.GetPatch()
}

// parseVersion parses "MAJOR.MINOR[.PATCH]".
func parseVersion(s string) (*semver.SemVer, error) {
	var v semver.SemVer
	parts := strings.Split(s, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return nil, fmt.Errorf("version %q: want MAJOR.MINOR[.PATCH]", s)
	}
	nums := []*int32{&v.Major, &v.Minor, &v.Patch}
	for i, p := range parts {
		var n int32
		if _, err := fmt.Sscanf(p, "%d", &n); err != nil || fmt.Sprint(n) != p || n < 0 {
			return nil, fmt.Errorf("version %q: %q is not a number", s, p)
		}
		*nums[i] = n
	}
	return &v, nil
}
