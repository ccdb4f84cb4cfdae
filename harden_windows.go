//go:build windows

package main

func setNoCore() {}
