package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/axysdoctor/axysdoctor/emulator"
	"github.com/axysdoctor/axysdoctor/internal/cleanup"
	"github.com/axysdoctor/axysdoctor/internal/shell"
)

type emulatorFlags struct {
	dir, scenario, style, env string
	listen, dnsListen         string
	force, list, quiet        bool
}

func newEmulatorCmd(e env) *cobra.Command {
	var f emulatorFlags
	cmd := &cobra.Command{
		Use:   "emulator",
		Short: "Run a local stand-in for the Axys gateway in the foreground",
		Long: `Start the built-in emulator on 127.0.0.1 (random ports unless --listen and
--dns-listen say otherwise): an mTLS HTTPS gateway answering like the
documented one, its client CAs, an allowlist, a DNS server for FCrDNS and
myip.opendns.com, and an HTTPS proxy in front of the gateway. It writes a CA
bundle, a ready client certificate and key, and API keys into --dir, and
prints a check command line that passes against it.

Running again on the same --dir reuses its CAs, keys and files (kept in
emulator-state.json, mode 0600), so your own tests keep working. Every
request and refused handshake is logged on stderr. Stop it with Ctrl+C.`,
		Example: `  axysdoctor emulator --dir ./emu
  axysdoctor emulator --dir ./emu --listen 127.0.0.1:8443 --dns-listen 127.0.0.1:5353
  axysdoctor emulator --scenario ptr-mismatch --style nginx`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if f.list {
				listScenarios(e)
				return nil
			}
			return runEmulator(cmd.Context(), e, f)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.dir, "dir", "", "write the credentials here (default: a new temporary directory)")
	fl.StringVar(&f.scenario, "scenario", "ok", "fault to play (see --list-scenarios)")
	fl.StringVar(&f.style, "style", emulator.StyleStrict, "how a bad certificate is refused: strict (handshake alert) or nginx (HTTP 400)")
	fl.StringVar(&f.env, "env", "staging", "which environment the gateway plays: staging or production")
	fl.BoolVar(&f.force, "force", false, "replace files in --dir that another emulator or person wrote")
	fl.StringVar(&f.listen, "listen", "", "the gateway's HOST:PORT (default 127.0.0.1 on a random port)")
	fl.StringVar(&f.dnsListen, "dns-listen", "", "the DNS server's HOST:PORT, UDP and TCP (default 127.0.0.1 on a random port)")
	fl.BoolVar(&f.quiet, "quiet", false, "no request log on stderr")
	fl.BoolVar(&f.list, "list-scenarios", false, "list the scenarios and exit")
	return cmd
}

func listScenarios(e env) {
	for _, s := range emulator.Scenarios {
		line := fmt.Sprintf("%-20s %s", s.Name, s.Description)
		switch s.Expected() {
		case "":
		case "warn":
			line += fmt.Sprintf(" (%s warns on row %s; nothing fails)", s.ExpectCheck, s.ExpectRow)
		default:
			line += fmt.Sprintf(" (root cause: %s, row %s)", s.ExpectCheck, s.ExpectRow)
		}
		fmt.Fprintln(e.stdout, line)
	}
}

func runEmulator(ctx context.Context, e env, f emulatorFlags) error {
	dir := f.dir
	var err error
	temporary := dir == ""
	if temporary {
		if dir, err = os.MkdirTemp("", "axysdoctor-emulator-"); err != nil {
			return usageErr("%v", err)
		}
		// Throwaway keys: gone when the emulator stops, however it stops.
		defer os.RemoveAll(dir)
		defer cleanup.RemoveOnExit(dir)()
	} else if err := os.MkdirAll(dir, 0o700); err != nil {
		return usageErr("--dir: %v", err)
	}
	var log io.Writer = e.stderr
	if f.quiet {
		log = nil
	}
	emu, err := emulator.Start(emulator.Options{
		Scenario: f.scenario, Style: f.style, Environment: f.env,
		Listen: f.listen, DNSListen: f.dnsListen, StateDir: dir, Log: log,
	})
	if err != nil {
		return usageErr("%v", err)
	}
	defer emu.Close()
	files, err := emu.WriteDir(dir, f.force)
	if err != nil {
		return usageErr("%v", err)
	}
	w := e.stdout
	fmt.Fprintf(w, "Axys emulator running (%s gateway, scenario %s, %s style)\n", emu.Environment, emu.Scenario().Name, f.style)
	fmt.Fprintf(w, "  gateway  %s\n", emu.BaseURL)
	fmt.Fprintf(w, "  DNS      %s (UDP and TCP; FCrDNS and myip.opendns.com)\n", emu.DNSAddr)
	fmt.Fprintf(w, "  proxy    %s (CONNECT; calls reach the gateway from %s)\n", emu.ProxyURL, emulator.ProxyEgress)
	fmt.Fprintf(w, "  who-am-I %s (through the proxy: --egress-url)\n", emu.WhoAmIURL)
	fmt.Fprintf(w, "  files    %s: ca.pem, client.pem, client.key, api-key, tenant-api-key\n\n", files.Dir)
	fmt.Fprintf(w, "In another terminal:\n\n  %s\n\n", shell.Join(append([]string{"axysdoctor"}, emu.CheckArgs(files)...)))
	fmt.Fprintf(w, "(from a source checkout, `go run .` instead of axysdoctor). Stop with Ctrl+C.\n")
	<-ctx.Done()
	if temporary {
		fmt.Fprintf(e.stderr, "axysdoctor: emulator stopped; its temporary files are removed (give --dir to keep them)\n")
		return nil
	}
	fmt.Fprintf(e.stderr, "axysdoctor: emulator stopped; files remain in %s (a rerun with --dir %s reuses them)\n", files.Dir, files.Dir)
	return nil
}
