//go:build linux

// Command webstub is the ceiling for bench/webload on this machine: a server
// that does no work at all. It answers webload's requests with bytes held in
// memory (a patient page and a timeline recorded from a real `lsc serve`), so
// what webload measures against it is the cost of the load script, the HTTP
// stack and the kernel on the same cores, with nothing of lsc. With
// -import-cpu D an import POST keeps one core busy for D of CPU time (the CPU
// a real import spends, measured beside it) before it answers 201, so the
// "readers while an import runs" case can be measured the same way.
// It listens on a loopback address only, and builds on Linux (it reads the
// thread's CPU clock). See bench/README.md.
//
//	go run ./bench/webstub -page page.html -timeline timeline.json -patients 10000 -addr 127.0.0.1:18099 -import-cpu 9s
package main

import (
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"strings"
	"syscall"
	"time"
	"unsafe"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18099", "listen address (loopback only)")
	page := flag.String("page", "", "a patient page recorded from lsc serve (curl -H 'Authorization: Bearer TOKEN' .../studies/S/patients/P)")
	timeline := flag.String("timeline", "", "a timeline recorded from lsc serve (.../api/v1/patients/P/timeline)")
	patients := flag.Int("patients", 10000, "patients the list endpoint names")
	importCPU := flag.Duration("import-cpu", 0, "CPU time one import POST spends on one core before it answers 201")
	flag.Parse()
	if err := run(*addr, *page, *timeline, *patients, *importCPU); err != nil {
		fmt.Fprintln(os.Stderr, "webstub:", err)
		os.Exit(1)
	}
}

func run(addr, pagePath, timelinePath string, patients int, importCPU time.Duration) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %w", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		return fmt.Errorf("-addr %s is not a loopback address: this stub only serves this machine", addr)
	}
	if pagePath == "" || timelinePath == "" || patients < 1 {
		return fmt.Errorf("give -page and -timeline (recorded from lsc serve) and -patients >= 1")
	}
	page, err := os.ReadFile(pagePath)
	if err != nil {
		return err
	}
	tl, err := os.ReadFile(timelinePath)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString(`{"items":[`)
	for i := 0; i < patients; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"patient":"P%06d"}`, i)
	}
	b.WriteString(`],"next":""}`)
	list := []byte(b.String())
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/patients", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(list)
	})
	mux.HandleFunc("GET /api/v1/patients/{id}/timeline", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(tl)
	})
	mux.HandleFunc("GET /studies/{study}/patients/{id}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Write(page)
	})
	mux.HandleFunc("POST /api/v1/imports", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		spin(importCPU)
		w.WriteHeader(http.StatusCreated)
		io.WriteString(w, "{}\n")
	})
	fmt.Fprintf(os.Stderr, "webstub: serving recorded bytes on http://%s\n", addr)
	return http.ListenAndServe(addr, mux)
}

// spin keeps one core busy until its own OS thread has spent d of CPU time
// (wall time is longer when the readers get the core).
func spin(d time.Duration) {
	if d <= 0 {
		return
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start := threadCPU()
	x := uint64(1)
	for threadCPU()-start < d {
		for i := 0; i < 1e5; i++ {
			x = x*6364136223846793005 + 1442695040888963407
		}
	}
	if x == 0 {
		fmt.Fprintln(os.Stderr, "unreachable")
	}
}

// threadCPU is the CPU time of the calling OS thread.
func threadCPU() time.Duration {
	var ts syscall.Timespec
	const clockThreadCPUTimeID = 3
	syscall.Syscall(syscall.SYS_CLOCK_GETTIME, clockThreadCPUTimeID, uintptr(unsafe.Pointer(&ts)), 0)
	return time.Duration(ts.Nano())
}
