// Command lsc finds, measures and follows leukemia stem cells: it reads
// single-cell and bulk expression files, scores stem-cell signatures and
// reports them. Run 'lsc help' for the commands.
package main

import (
	"errors"
	"fmt"
	"os"
	"runtime/debug"
	"runtime/pprof"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

type usageError struct{ error }

// memoryLimit is the heap size lsc asks Go's garbage collector to stay under
// (a soft limit: it collects more often near it); GOMEMLIMIT overrides it.
// Streaming keeps the live data far below it; without it the collector lets
// garbage grow to twice the live heap.
const memoryLimit = 1536 << 20

func main() {
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	root := &cobra.Command{
		Use:   "lsc",
		Short: "leukemia stem cells: signature scores, stem-like burden, outcome",
		Long: `lsc reads the expression files hematology labs already have (10x Genomics MTX folders and .h5,
AnnData .h5ad, dense TSV/CSV tables) and scores leukemia stem-cell signatures per cell or bulk sample
with methods checked against their reference implementations (UCell, AUCell, singscore, GSVA, Seurat).

Start with:  lsc demo`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	// Profiles for benchmarking (bench/README.md); hidden from help.
	var cpuProfile string
	root.PersistentFlags().StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile (go tool pprof) to this file")
	root.PersistentFlags().MarkHidden("cpuprofile")
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		if cpuProfile == "" {
			return nil
		}
		f, err := os.Create(cpuProfile)
		if err != nil {
			return err
		}
		return pprof.StartCPUProfile(f)
	}
	root.PersistentPostRun = func(cmd *cobra.Command, args []string) {
		if cpuProfile != "" {
			pprof.StopCPUProfile()
		}
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(scoreCmd(), inspectCmd(), signaturesCmd(), stemcellsCmd(), cohortCmd(), survivalCmd(), flowCmd(), mrdCmd(), demoCmd(), versionCmd())
	if err := root.Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "lsc:", err)
		var ue usageError
		if errors.As(err, &ue) || isUsage(err) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

func isUsage(err error) bool {
	s := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "accepts ", "requires at least", "required flag"} {
		if len(s) >= len(p) && contains(s, p) {
			return true
		}
	}
	return false
}

func contains(s, sub string) bool {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return true
		}
	}
	return false
}

func versionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "print the lsc version",
		Args:  cobra.NoArgs,
		Run: func(cmd *cobra.Command, args []string) {
			fmt.Fprintln(cmd.OutOrStdout(), "lsc", version)
		},
	}
}
