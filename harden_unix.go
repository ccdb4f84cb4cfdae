//go:build !linux && unix

package main

import "syscall"

func setNoCore() { syscall.Setrlimit(syscall.RLIMIT_CORE, &syscall.Rlimit{}) }
