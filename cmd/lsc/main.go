// Command lsc finds, measures and follows leukemia stem cells: it reads
// single-cell and bulk expression files, scores stem-cell signatures and
// reports them. Run 'lsc help' for the commands.
package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"runtime/trace"
	"strings"

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
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// run executes one lsc command line and returns the exit code: 0 ok,
// 1 failure, 2 usage. Tests call it in-process.
func run(args []string, stdout, stderr io.Writer) int {
	return runWith(args, os.Stdin, stdout, stderr)
}

// runWith is run with a given standard input.
func runWith(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	root := newRoot()
	root.SetArgs(args)
	root.SetIn(stdin)
	root.SetOut(stdout)
	root.SetErr(stderr)
	if err := root.Execute(); err != nil {
		fmt.Fprintln(stderr, "lsc:", err)
		var ue usageError
		if errors.As(err, &ue) || isUsage(err) {
			return 2
		}
		return 1
	}
	return 0
}

// newRoot builds the command tree; every command is built afresh, so
// in-process runs share no flag state.
func newRoot() *cobra.Command {
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
	var cpuProfile, traceFile string
	root.PersistentFlags().StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile (go tool pprof) to this file")
	root.PersistentFlags().MarkHidden("cpuprofile")
	root.PersistentFlags().StringVar(&traceFile, "trace", "", "write an execution trace (go tool trace) to this file")
	root.PersistentFlags().MarkHidden("trace")
	root.PersistentPreRunE = func(cmd *cobra.Command, args []string) error {
		if cpuProfile != "" {
			f, err := os.Create(cpuProfile)
			if err != nil {
				return err
			}
			if err := pprof.StartCPUProfile(f); err != nil {
				return err
			}
		}
		if traceFile != "" {
			f, err := os.Create(traceFile)
			if err != nil {
				return err
			}
			return trace.Start(f)
		}
		return nil
	}
	root.PersistentPostRun = func(cmd *cobra.Command, args []string) {
		if cpuProfile != "" {
			pprof.StopCPUProfile()
		}
		if traceFile != "" {
			trace.Stop()
		}
	}
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return usageError{err} })
	root.AddCommand(userCmd(), serveCmd(), scoreCmd(), inspectCmd(), signaturesCmd(), withStudy(stemcellsCmd()), withStudy(cohortCmd()), survivalCmd(), flowCmd(), mrdCmd(), studyCmd(), twinCmd(), repertoireCmd(), adtCmd(), cartCmd(), demoCmd(), workflowCmd(), versionCmd())
	return root
}

func isUsage(err error) bool {
	s := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "accepts ", "requires at least", "required flag"} {
		if strings.Contains(s, p) {
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
