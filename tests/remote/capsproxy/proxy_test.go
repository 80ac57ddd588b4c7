package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"

	longrunning "cloud.google.com/go/longrunning/autogen/longrunningpb"
	repb "github.com/bazelbuild/remote-apis/build/bazel/remote/execution/v2"
	"github.com/bazelbuild/remote-apis/build/bazel/semver"
	"google.golang.org/genproto/googleapis/bytestream"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/anypb"
)

// fakeServer is an in-process REAPI server, typed, as a real one is: what it receives went
// through the proxy's raw codec and was decoded here.
type fakeServer struct {
	repb.UnimplementedCapabilitiesServer
	repb.UnimplementedContentAddressableStorageServer
	repb.UnimplementedActionCacheServer
	repb.UnimplementedExecutionServer
	bytestream.UnimplementedByteStreamServer

	low, high *semver.SemVer
	// What the server saw.
	incoming     metadata.MD
	unknown      []byte
	written      []byte
	writeResName string
}

var testCaps = &repb.CacheCapabilities{
	DigestFunctions:             []repb.DigestFunction_Value{repb.DigestFunction_SHA256},
	MaxBatchTotalSizeBytes:      4 << 20,
	SymlinkAbsolutePathStrategy: repb.SymlinkAbsolutePathStrategy_ALLOWED,
	ActionCacheUpdateCapabilities: &repb.ActionCacheUpdateCapabilities{
		UpdateEnabled: true,
	},
}

func (s *fakeServer) GetCapabilities(ctx context.Context, req *repb.GetCapabilitiesRequest) (*repb.ServerCapabilities, error) {
	return &repb.ServerCapabilities{
		CacheCapabilities:     testCaps,
		ExecutionCapabilities: &repb.ExecutionCapabilities{DigestFunction: repb.DigestFunction_SHA256, ExecEnabled: true},
		DeprecatedApiVersion:  s.low,
		LowApiVersion:         s.low,
		HighApiVersion:        s.high,
	}, nil
}

// FindMissingBlobs echoes the request's digests, answers with a header and a trailer, and
// records the incoming metadata and the request's unknown fields.
func (s *fakeServer) FindMissingBlobs(ctx context.Context, req *repb.FindMissingBlobsRequest) (*repb.FindMissingBlobsResponse, error) {
	s.incoming, _ = metadata.FromIncomingContext(ctx)
	s.unknown = req.ProtoReflect().GetUnknown()
	grpc.SetHeader(ctx, metadata.Pairs("x-server-header", "h1"))
	grpc.SetTrailer(ctx, metadata.Pairs("x-server-trailer", "t1"))
	return &repb.FindMissingBlobsResponse{MissingBlobDigests: req.BlobDigests}, nil
}

func (s *fakeServer) BatchUpdateBlobs(ctx context.Context, req *repb.BatchUpdateBlobsRequest) (*repb.BatchUpdateBlobsResponse, error) {
	resp := &repb.BatchUpdateBlobsResponse{}
	for _, r := range req.Requests {
		resp.Responses = append(resp.Responses, &repb.BatchUpdateBlobsResponse_Response{
			Digest: &repb.Digest{Hash: r.Digest.Hash, SizeBytes: int64(len(r.Data))},
		})
	}
	return resp, nil
}

func (s *fakeServer) GetActionResult(ctx context.Context, req *repb.GetActionResultRequest) (*repb.ActionResult, error) {
	return nil, status.Errorf(codes.NotFound, "no action result for %s", req.ActionDigest.GetHash())
}

// Execute streams two operations, as a server does for a queued, then finished action.
func (s *fakeServer) Execute(req *repb.ExecuteRequest, stream repb.Execution_ExecuteServer) error {
	stream.SetHeader(metadata.Pairs("x-exec", "1"))
	for _, done := range []bool{false, true} {
		op := &longrunning.Operation{Name: "op-" + req.ActionDigest.GetHash(), Done: done}
		if done {
			res, err := anypb.New(&repb.ExecuteResponse{Result: &repb.ActionResult{ExitCode: 3}})
			if err != nil {
				return err
			}
			op.Result = &longrunning.Operation_Response{Response: res}
		}
		if err := stream.Send(op); err != nil {
			return err
		}
	}
	return nil
}

func (s *fakeServer) Read(req *bytestream.ReadRequest, stream bytestream.ByteStream_ReadServer) error {
	for _, chunk := range []string{"abc", "def", "ghi"} {
		if err := stream.Send(&bytestream.ReadResponse{Data: []byte(chunk)}); err != nil {
			return err
		}
	}
	return nil
}

func (s *fakeServer) Write(stream bytestream.ByteStream_WriteServer) error {
	for {
		req, err := stream.Recv()
		if err != nil {
			return err
		}
		if req.ResourceName != "" {
			s.writeResName = req.ResourceName
		}
		s.written = append(s.written, req.Data...)
		if req.FinishWrite {
			return stream.SendAndClose(&bytestream.WriteResponse{CommittedSize: int64(len(s.written))})
		}
	}
}

// setup starts the fake server and the proxy in front of it on loopback, and returns a
// client connection to the proxy.
func setup(t *testing.T, low, high *semver.SemVer) (*fakeServer, *grpc.ClientConn, *proxy) {
	t.Helper()
	fake := &fakeServer{low: low, high: high}
	backendSrv := grpc.NewServer(grpc.MaxRecvMsgSize(maxMessageSize))
	repb.RegisterCapabilitiesServer(backendSrv, fake)
	repb.RegisterContentAddressableStorageServer(backendSrv, fake)
	repb.RegisterActionCacheServer(backendSrv, fake)
	repb.RegisterExecutionServer(backendSrv, fake)
	bytestream.RegisterByteStreamServer(backendSrv, fake)
	backendLis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go backendSrv.Serve(backendLis)
	t.Cleanup(backendSrv.Stop)

	backendConn, err := grpc.NewClient(backendLis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { backendConn.Close() })
	p := &proxy{backend: backendConn, lowAPI: &semver.SemVer{Major: 2}, logf: t.Logf}
	proxySrv := newServer(p)
	proxyLis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go proxySrv.Serve(proxyLis)
	t.Cleanup(proxySrv.Stop)

	conn, err := grpc.NewClient(proxyLis.Addr().String(),
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(maxMessageSize), grpc.MaxCallSendMsgSize(maxMessageSize)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return fake, conn, p
}

func v(major, minor int32) *semver.SemVer { return &semver.SemVer{Major: major, Minor: minor} }

func TestGetCapabilitiesLowersLowAPIVersion(t *testing.T) {
	_, conn, _ := setup(t, v(2, 1), v(2, 12))
	caps, err := repb.NewCapabilitiesClient(conn).GetCapabilities(context.Background(), &repb.GetCapabilitiesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if got := caps.LowApiVersion; !proto.Equal(got, v(2, 0)) {
		t.Errorf("low_api_version = %v, want 2.0", got)
	}
	// Everything else as the server said.
	if got := caps.HighApiVersion; !proto.Equal(got, v(2, 12)) {
		t.Errorf("high_api_version = %v, want 2.12", got)
	}
	if got := caps.DeprecatedApiVersion; !proto.Equal(got, v(2, 1)) {
		t.Errorf("deprecated_api_version = %v, want 2.1 (unchanged)", got)
	}
	if !proto.Equal(caps.CacheCapabilities, testCaps) {
		t.Errorf("cache_capabilities = %v, want %v", caps.CacheCapabilities, testCaps)
	}
	if !caps.ExecutionCapabilities.GetExecEnabled() {
		t.Errorf("execution_capabilities lost: %v", caps.ExecutionCapabilities)
	}
}

func TestGetCapabilitiesKeepsOlderLowAPIVersion(t *testing.T) {
	_, conn, _ := setup(t, v(1, 0), v(2, 3))
	caps, err := repb.NewCapabilitiesClient(conn).GetCapabilities(context.Background(), &repb.GetCapabilitiesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if got := caps.LowApiVersion; !proto.Equal(got, v(1, 0)) {
		t.Errorf("low_api_version = %v, want 1.0 (unchanged)", got)
	}
}

// TestUnaryCallForwardsBytesAndMetadata sends a request with a field the server's schema
// does not know: a proxy that decoded and re-encoded messages with an older schema would
// drop it; this one forwards the bytes. Metadata goes both ways.
func TestUnaryCallForwardsBytesAndMetadata(t *testing.T) {
	fake, conn, _ := setup(t, v(2, 1), v(2, 12))
	req := &repb.FindMissingBlobsRequest{
		InstanceName: "main",
		BlobDigests:  []*repb.Digest{{Hash: strings.Repeat("a", 64), SizeBytes: 3}},
	}
	unknown := protowire.AppendTag(nil, 999, protowire.BytesType)
	unknown = protowire.AppendBytes(unknown, []byte("from the future"))
	req.ProtoReflect().SetUnknown(unknown)

	ctx := metadata.AppendToOutgoingContext(context.Background(),
		"build.bazel.remote.execution.v2.requestmetadata-bin", string([]byte{0x0a, 0x05, 'b', 'a', 'z', 'e', 'l'}),
		"x-client", "c1")
	var header, trailer metadata.MD
	resp, err := repb.NewContentAddressableStorageClient(conn).FindMissingBlobs(ctx, req, grpc.Header(&header), grpc.Trailer(&trailer))
	if err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(resp, &repb.FindMissingBlobsResponse{MissingBlobDigests: req.BlobDigests}) {
		t.Errorf("response = %v", resp)
	}
	if !bytes.Equal(fake.unknown, unknown) {
		t.Errorf("server got unknown fields %q, want %q", fake.unknown, unknown)
	}
	if got := fake.incoming.Get("x-client"); len(got) != 1 || got[0] != "c1" {
		t.Errorf("server got x-client %q, want [c1]", got)
	}
	if got := fake.incoming.Get("build.bazel.remote.execution.v2.requestmetadata-bin"); len(got) != 1 || got[0] != "\x0a\x05bazel" {
		t.Errorf("server got requestmetadata-bin %q", got)
	}
	if got := header.Get("x-server-header"); len(got) != 1 || got[0] != "h1" {
		t.Errorf("client got header x-server-header %q, want [h1]", got)
	}
	if got := trailer.Get("x-server-trailer"); len(got) != 1 || got[0] != "t1" {
		t.Errorf("client got trailer x-server-trailer %q, want [t1]", got)
	}
}

func TestErrorStatusIsForwarded(t *testing.T) {
	_, conn, _ := setup(t, v(2, 1), v(2, 12))
	_, err := repb.NewActionCacheClient(conn).GetActionResult(context.Background(),
		&repb.GetActionResultRequest{ActionDigest: &repb.Digest{Hash: "abc", SizeBytes: 1}})
	st, _ := status.FromError(err)
	if st.Code() != codes.NotFound || st.Message() != "no action result for abc" {
		t.Errorf("error = %v, want NotFound: no action result for abc", err)
	}
}

func TestUnknownMethodIsUnimplemented(t *testing.T) {
	_, conn, _ := setup(t, v(2, 1), v(2, 12))
	stream, err := repb.NewContentAddressableStorageClient(conn).GetTree(context.Background(), &repb.GetTreeRequest{})
	if err == nil {
		_, err = stream.Recv()
	}
	if status.Code(err) != codes.Unimplemented {
		t.Errorf("GetTree (not implemented by the server): error %v, want Unimplemented", err)
	}
}

// TestLargeMessage passes a message above gRPC's default 4 MiB limit.
func TestLargeMessage(t *testing.T) {
	_, conn, _ := setup(t, v(2, 1), v(2, 12))
	data := bytes.Repeat([]byte("x"), 6<<20)
	resp, err := repb.NewContentAddressableStorageClient(conn).BatchUpdateBlobs(context.Background(), &repb.BatchUpdateBlobsRequest{
		Requests: []*repb.BatchUpdateBlobsRequest_Request{{Digest: &repb.Digest{Hash: "big", SizeBytes: int64(len(data))}, Data: data}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := resp.Responses[0].Digest.SizeBytes; got != int64(len(data)) {
		t.Errorf("server saw %d bytes, want %d", got, len(data))
	}
}

func TestServerStreaming(t *testing.T) {
	_, conn, _ := setup(t, v(2, 1), v(2, 12))
	stream, err := bytestream.NewByteStreamClient(conn).Read(context.Background(), &bytestream.ReadRequest{ResourceName: "blobs/x/9"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for {
		resp, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, string(resp.Data))
	}
	if strings.Join(got, ",") != "abc,def,ghi" {
		t.Errorf("Read chunks = %q, want abc,def,ghi", got)
	}
}

func TestExecuteStream(t *testing.T) {
	_, conn, _ := setup(t, v(2, 1), v(2, 12))
	stream, err := repb.NewExecutionClient(conn).Execute(context.Background(), &repb.ExecuteRequest{ActionDigest: &repb.Digest{Hash: "act", SizeBytes: 1}})
	if err != nil {
		t.Fatal(err)
	}
	var ops []*longrunning.Operation
	for {
		op, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		ops = append(ops, op)
	}
	if h, err := stream.Header(); err != nil || len(h.Get("x-exec")) != 1 {
		t.Errorf("header = %v, %v; want x-exec", h, err)
	}
	if len(ops) != 2 || ops[0].Done || !ops[1].Done || ops[1].Name != "op-act" {
		t.Fatalf("operations = %v", ops)
	}
	var resp repb.ExecuteResponse
	if err := ops[1].GetResponse().UnmarshalTo(&resp); err != nil {
		t.Fatal(err)
	}
	if resp.Result.GetExitCode() != 3 {
		t.Errorf("exit code = %d, want 3", resp.Result.GetExitCode())
	}
}

func TestClientStreaming(t *testing.T) {
	fake, conn, p := setup(t, v(2, 1), v(2, 12))
	stream, err := bytestream.NewByteStreamClient(conn).Write(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	const name = "uploads/u1/blobs/x/9"
	for i, chunk := range []string{"abc", "def", "ghi"} {
		req := &bytestream.WriteRequest{WriteOffset: int64(3 * i), Data: []byte(chunk), FinishWrite: i == 2}
		if i == 0 {
			req.ResourceName = name
		}
		if err := stream.Send(req); err != nil {
			t.Fatal(err)
		}
	}
	resp, err := stream.CloseAndRecv()
	if err != nil {
		t.Fatal(err)
	}
	if resp.CommittedSize != 9 || string(fake.written) != "abcdefghi" || fake.writeResName != name {
		t.Errorf("committed %d, server got %q for %q", resp.CommittedSize, fake.written, fake.writeResName)
	}
	if p.calls.Load() != 1 {
		t.Errorf("proxy counted %d calls, want 1", p.calls.Load())
	}
}

func TestRewriteCapabilitiesKeepsUnknownFields(t *testing.T) {
	caps := &repb.ServerCapabilities{LowApiVersion: v(2, 1), HighApiVersion: v(2, 12)}
	b, err := proto.Marshal(caps)
	if err != nil {
		t.Fatal(err)
	}
	b = protowire.AppendTag(b, 77, protowire.VarintType)
	b = protowire.AppendVarint(b, 5)
	out, err := rewriteCapabilities(b, v(2, 0))
	if err != nil {
		t.Fatal(err)
	}
	var got repb.ServerCapabilities
	if err := proto.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	if !proto.Equal(got.LowApiVersion, v(2, 0)) || !proto.Equal(got.HighApiVersion, v(2, 12)) {
		t.Errorf("got %v", &got)
	}
	if len(got.ProtoReflect().GetUnknown()) == 0 {
		t.Errorf("unknown field 77 was dropped")
	}
}

func TestParseVersion(t *testing.T) {
	for in, want := range map[string]*semver.SemVer{"2.0": v(2, 0), "2.12": v(2, 12), "1.2.3": {Major: 1, Minor: 2, Patch: 3}} {
		got, err := parseVersion(in)
		if err != nil || !proto.Equal(got, want) {
			t.Errorf("parseVersion(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "2", "2.x", "2.0.0.0", "-1.0", "02.0"} {
		if _, err := parseVersion(in); err == nil {
			t.Errorf("parseVersion(%q): no error", in)
		}
	}
}
