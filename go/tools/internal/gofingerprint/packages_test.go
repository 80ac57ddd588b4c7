package gofingerprint

import (
	"reflect"
	"strings"
	"testing"
	"testing/iotest"
)

func TestFormatPackages(t *testing.T) {
	for _, tc := range []struct {
		name string
		fps  map[string]string
		want string
	}{
		{"empty", nil, ""},
		{"one", map[string]string{"fmt": "0011223344556677"}, "fmt 0011223344556677\n"},
		{
			"sorted by path",
			map[string]string{
				"runtime":         "aa",
				"example.com/b":   "bb",
				"example.com/a/c": "cc",
				"fmt":             "dd",
			},
			"example.com/a/c cc\nexample.com/b bb\nfmt dd\nruntime aa\n",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := string(FormatPackages(tc.fps)); got != tc.want {
				t.Errorf("FormatPackages = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestParsePackagesFile(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in      string
		want    map[string]string
		wantErr string
	}{
		{"empty", "", map[string]string{}, ""},
		{"one", "fmt 0011223344556677\n", map[string]string{"fmt": "0011223344556677"}, ""},
		{"no final newline", "fmt 00\nruntime 01", map[string]string{"fmt": "00", "runtime": "01"}, ""},
		{"CRLF and blank lines", "fmt 00\r\n\r\n\nruntime 01\r\n", map[string]string{"fmt": "00", "runtime": "01"}, ""},
		{"unsorted is fine", "runtime 01\nfmt 00\n", map[string]string{"fmt": "00", "runtime": "01"}, ""},
		{"upper-case hex", "fmt ABCDEF\n", map[string]string{"fmt": "abcdef"}, ""},
		{"path with dots and version", "example.com/x/greet.v1 00\n", map[string]string{"example.com/x/greet.v1": "00"}, ""},
		{"one field", "fmt\n", nil, `line 1: "fmt": want`},
		{"three fields", "fmt 00 11\n", nil, `line 1: "fmt 00 11": want`},
		{"two spaces", "fmt  00\n", nil, "line 1:"},
		{"tab separated", "fmt\t00\n", nil, "line 1:"},
		{"empty fingerprint", "fmt \n", nil, "line 1:"},
		{"odd hex", "fmt 0\n", nil, `line 1: fingerprint "0" of fmt is not hex`},
		{"not hex", "ok 00\nfmt zz\n", nil, `line 2: fingerprint "zz" of fmt is not hex`},
		{"duplicate", "fmt 00\nfmt 00\n", nil, "line 2: package fmt listed twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ParsePackagesFile(strings.NewReader(tc.in))
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestParsePackagesFileReadError(t *testing.T) {
	if _, err := ParsePackagesFile(iotest.ErrReader(iotest.ErrTimeout)); err != iotest.ErrTimeout {
		t.Errorf("error %v, want %v", err, iotest.ErrTimeout)
	}
}

func TestFormatParseRoundTrip(t *testing.T) {
	fps := map[string]string{"runtime": "0123456789abcdef", "example.com/p": "fedcba9876543210", "plugin/x/y": "00"}
	got, err := ParsePackagesFile(strings.NewReader(string(FormatPackages(fps))))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, fps) {
		t.Errorf("round trip: got %v, want %v", got, fps)
	}
}
