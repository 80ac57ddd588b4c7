// Command docgen renders Markdown reference documentation from the documentation protos
// (stardoc_output.ModuleInfo, <name>.binaryproto) that Bazel's built-in starlark_doc_extract
// rule extracts from .bzl files, and copies the rendered pages into the workspace.
//
// Usage:
//
//	docgen page -out defs.md [-summary_out defs.json] [-load LABEL] [-regenerate CMD]
//	       [-rules RULES.binaryproto]... [-macro MACRO=RULE]... [-set_by_macro RULE=ATTR,...]...
//	       MODULE.binaryproto
//	docgen index -out README.md [-title TITLE] [-intro TEXT] PAGE.md=PAGE.json...
//	docgen update [-check] GENERATED=WORKSPACE_PATH...
//
// page renders the reference of one .bzl file. A public file often exports macros that wrap
// private rules; -macro pairs such a macro with its rule, whose documentation is read from the
// -rules protos, so the page shows the attributes users really set, next to the macro's own
// parameters. -set_by_macro names the rule attributes the macro sets itself.
//
// index renders the table of contents of several pages from the summaries page wrote.
//
// update copies generated files into the workspace, for `bazel run`: it reads them relative to
// the working directory (the runfiles tree) and writes to $BUILD_WORKSPACE_DIRECTORY. With
// -check it writes nothing and fails if a file differs.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
)

func main() {
	if err := run(os.Args[1:], os.Stdout, os.Getenv); err != nil {
		fmt.Fprintf(os.Stderr, "docgen: %v\n", err)
		os.Exit(1)
	}
}

const usage = "usage: docgen page|index|update [flags] ARGS... (see the package documentation)"

func run(args []string, stdout io.Writer, getenv func(string) string) error {
	if len(args) == 0 {
		return errors.New(usage)
	}
	switch args[0] {
	case "page":
		return runPage(args[1:])
	case "index":
		return runIndex(args[1:])
	case "update":
		return runUpdate(args[1:], stdout, getenv)
	}
	return fmt.Errorf("unknown command %q; %s", args[0], usage)
}

// keyValue parses KEY=VALUE.
func keyValue(s string) (string, string, error) {
	k, v, ok := strings.Cut(s, "=")
	if !ok || k == "" || v == "" {
		return "", "", fmt.Errorf("%q: want KEY=VALUE", s)
	}
	return k, v, nil
}

func readModule(path string) (*ModuleInfo, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m, err := DecodeModuleInfo(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return m, nil
}

func runPage(args []string) error {
	fs := flag.NewFlagSet("page", flag.ContinueOnError)
	out := fs.String("out", "", "the Markdown file to write")
	summaryOut := fs.String("summary_out", "", "where to write the page's summary for the index (JSON)")
	cfg := PageConfig{Macros: map[string]string{}, SetByMacro: map[string][]string{}}
	fs.StringVar(&cfg.Load, "load", "", "the label users load the file with")
	fs.StringVar(&cfg.Regenerate, "regenerate", "", "the command that regenerates the page, for its header")
	var ruleFiles []string
	fs.Func("rules", "a documentation proto with rules that -macro refers to (repeatable)", func(s string) error {
		ruleFiles = append(ruleFiles, s)
		return nil
	})
	fs.Func("macro", "MACRO=RULE: document MACRO with the attributes of RULE (repeatable)", func(s string) error {
		k, v, err := keyValue(s)
		if err != nil {
			return err
		}
		if _, dup := cfg.Macros[k]; dup {
			return fmt.Errorf("macro %s given twice", k)
		}
		cfg.Macros[k] = v
		return nil
	})
	fs.Func("set_by_macro", "RULE=ATTR,...: attributes of RULE that its macro sets (repeatable)", func(s string) error {
		k, v, err := keyValue(s)
		if err != nil {
			return err
		}
		cfg.SetByMacro[k] = append(cfg.SetByMacro[k], strings.Split(v, ",")...)
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() != 1 {
		return errors.New("page: want -out FILE and one MODULE.binaryproto")
	}
	m, err := readModule(fs.Arg(0))
	if err != nil {
		return err
	}
	for _, f := range ruleFiles {
		rm, err := readModule(f)
		if err != nil {
			return err
		}
		cfg.Rules = append(cfg.Rules, rm.Rules...)
	}
	md, sum, err := RenderPage(m, cfg)
	if err != nil {
		return err
	}
	if err := os.WriteFile(*out, []byte(md), 0o644); err != nil {
		return err
	}
	if *summaryOut != "" {
		b, err := json.MarshalIndent(sum, "", "  ")
		if err != nil {
			return err
		}
		return os.WriteFile(*summaryOut, append(b, '\n'), 0o644)
	}
	return nil
}

func runIndex(args []string) error {
	fs := flag.NewFlagSet("index", flag.ContinueOnError)
	out := fs.String("out", "", "the Markdown file to write")
	title := fs.String("title", "Reference", "the title of the index")
	intro := fs.String("intro", "", "Markdown text after the title")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" || fs.NArg() == 0 {
		return errors.New("index: want -out FILE and PAGE.md=SUMMARY.json arguments")
	}
	var pages []IndexPage
	for _, a := range fs.Args() {
		file, summaryPath, err := keyValue(a)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(summaryPath)
		if err != nil {
			return err
		}
		pg := IndexPage{File: file}
		if err := json.Unmarshal(b, &pg.Summary); err != nil {
			return fmt.Errorf("%s: %w", summaryPath, err)
		}
		pages = append(pages, pg)
	}
	return os.WriteFile(*out, []byte(RenderIndex(*title, *intro, pages)), 0o644)
}

func runUpdate(args []string, stdout io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("update", flag.ContinueOnError)
	check := fs.Bool("check", false, "write nothing; fail if a file is stale")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("update: want GENERATED=WORKSPACE_PATH arguments")
	}
	var copies []Copy
	for _, a := range fs.Args() {
		c, err := parseCopy(a)
		if err != nil {
			return err
		}
		copies = append(copies, c)
	}
	root := getenv("BUILD_WORKSPACE_DIRECTORY")
	if root == "" {
		return errors.New("update: BUILD_WORKSPACE_DIRECTORY is not set; run it with `bazel run`")
	}
	return update(root, copies, *check, stdout)
}
