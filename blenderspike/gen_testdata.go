//go:build ignore

// Command gen_testdata writes the recordings of testdata/variants and
// testdata/bad from testdata/simple_ap.pickle:
//
//	go run gen_testdata.go
//
// The generator is testdataFiles in testdata_test.go, which loads the
// original and writes every variant with the tests' pickle builder,
// following CPython's pickler byte for byte; it lives with the tests so
// that TestTestdataCurrent checks the files against it on every run.
// This command runs that test with -update, which rewrites them.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
)

func main() {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		fmt.Fprintln(os.Stderr, "gen_testdata: cannot find the blenderspike package")
		os.Exit(1)
	}
	cmd := exec.Command("go", "test", "-count=1", "-run", "^TestTestdataCurrent$", ".", "-args", "-update")
	cmd.Dir = filepath.Dir(file)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	if err := cmd.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "gen_testdata:", err)
		os.Exit(1)
	}
}
