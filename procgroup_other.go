//go:build !unix

package main

import (
	"os"
	"os/exec"
)

// ownProcessGroup leaves cmd as it is: this system has no process groups
// to separate.
func ownProcessGroup(*exec.Cmd) {}

// killProcessGroup kills p.
func killProcessGroup(p *os.Process) { p.Kill() }
