// Command webload measures the web app under concurrent readers: N
// clients fetch patient pages and timeline API answers for random patients
// of a study (and, with -import, one client posts a run archive at the
// same time), bounded by a request count and a duration. It talks to
// loopback addresses only. See bench/README.md.
//
//	go run ./bench/webload -base http://127.0.0.1:8080 -token lsc_pat_... -study default -c 200 -n 20000 -d 60s
//	go run ./bench/webload ... -c 200 -d 60s -think 1s   # users who pause 1 s between requests
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

func main() {
	base := flag.String("base", "http://127.0.0.1:8080", "server address (loopback only)")
	token := flag.String("token", os.Getenv("LSC_TOKEN"), "personal access token (lsc user token create)")
	study := flag.String("study", "default", "study name")
	conc := flag.Int("c", 200, "concurrent clients")
	n := flag.Int("n", 20000, "at most this many requests")
	dur := flag.Duration("d", 60*time.Second, "at most this long")
	imp := flag.String("import", "", "a run archive (tar.gz) to POST to /api/v1/imports while the readers run")
	impTimeout := flag.Duration("import-timeout", 15*time.Minute, "client timeout of the import (the server gives imports 15 min; readers time out after 30 s)")
	seed := flag.Uint64("seed", 1, "seed for the choice of patients (and of think times)")
	think := flag.Duration("think", 0, "each client pauses this long between its requests (0: back to back); clients then start at seeded-random times within the first pause")
	jitter := flag.Bool("think-random", false, "pause a seeded-random time from 0 to 2x -think instead (same mean)")
	hot := flag.Int("patients", 0, "draw only from the study's first K patients (0: all), as readers who keep to a short list")
	flag.Parse()
	if *think < 0 || *hot < 0 {
		fmt.Fprintln(os.Stderr, "webload: -think and -patients must not be negative")
		os.Exit(2)
	}
	if err := run(*base, *token, *study, *conc, *n, *dur, *imp, *impTimeout, *seed, *think, *jitter, *hot); err != nil {
		fmt.Fprintln(os.Stderr, "webload:", err)
		os.Exit(1)
	}
}

func loopback(base string) error {
	u, err := url.Parse(base)
	if err != nil {
		return err
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("%s is not a loopback address: this load script only talks to this machine", base)
}

func run(base, token, study string, conc, n int, dur time.Duration, imp string, impTimeout time.Duration, seed uint64, think time.Duration, jitter bool, hot int) error {
	if err := loopback(base); err != nil {
		return err
	}
	client := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: conc}}
	get := func(path string) (int, []byte, error) {
		req, _ := http.NewRequest("GET", base+path, nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := client.Do(req)
		if err != nil {
			return 0, nil, err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp.StatusCode, b, err
	}
	var patients []string
	for off := 0; ; off += 1000 {
		code, b, err := get(fmt.Sprintf("/api/v1/patients?study=%s&offset=%d&limit=1000", url.QueryEscape(study), off))
		if err != nil || code != 200 {
			return fmt.Errorf("listing patients: %d %v %s", code, err, b)
		}
		var page struct {
			Items []struct {
				Patient string `json:"patient"`
			} `json:"items"`
			Next string `json:"next"`
		}
		json.Unmarshal(b, &page)
		for _, p := range page.Items {
			patients = append(patients, p.Patient)
		}
		if page.Next == "" {
			break
		}
	}
	if len(patients) == 0 {
		return fmt.Errorf("study %s has no patients", study)
	}
	if hot > 0 && hot < len(patients) {
		patients = patients[:hot]
	}
	var (
		issued, errs atomic.Int64
		mu           sync.Mutex
		lat          = map[string][]time.Duration{}
		wg           sync.WaitGroup
	)
	deadline := time.Now().Add(dur)
	start := time.Now()
	if imp != "" {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f, err := os.Open(imp)
			if err != nil {
				fmt.Fprintln(os.Stderr, "webload: import:", err)
				return
			}
			defer f.Close()
			req, _ := http.NewRequest("POST", base+"/api/v1/imports?study="+url.QueryEscape(study), f)
			req.Header.Set("Authorization", "Bearer "+token)
			t0 := time.Now()
			// Its own client: an upload and import under load may take
			// longer than a reader's 30 s (the run waits for it).
			ic := &http.Client{Timeout: impTimeout, Transport: client.Transport}
			resp, err := ic.Do(req)
			if err != nil {
				fmt.Fprintln(os.Stderr, "webload: import:", err)
				errs.Add(1)
				return
			}
			if resp.StatusCode != http.StatusCreated && resp.StatusCode != http.StatusOK {
				errs.Add(1)
			}
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			fmt.Printf("import: %d in %s\n", resp.StatusCode, time.Since(t0).Round(time.Millisecond))
		}()
	}
	for c := 0; c < conc; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(seed, uint64(c)))
			if think > 0 {
				// Users with think time arrive over the first think
				// time (seeded), not all in the same instant.
				time.Sleep(min(time.Duration(rng.Int64N(int64(think))), time.Until(deadline)))
			}
			for first := true; time.Now().Before(deadline); first = false {
				if !first && think > 0 {
					// Think time: the pause ends at the deadline at the latest.
					pause := think
					if jitter {
						pause = time.Duration(rng.Int64N(int64(2*think) + 1))
					}
					if rest := time.Until(deadline); pause > rest {
						pause = rest
					}
					time.Sleep(pause)
					if !time.Now().Before(deadline) {
						break
					}
				}
				if issued.Add(1) > int64(n) {
					break
				}
				p := url.PathEscape(patients[rng.IntN(len(patients))])
				kind, path := "timeline", "/api/v1/patients/"+p+"/timeline?study="+url.QueryEscape(study)
				if rng.IntN(2) == 0 {
					kind, path = "page", "/studies/"+url.PathEscape(study)+"/patients/"+p
				}
				t0 := time.Now()
				code, _, err := get(path)
				d := time.Since(t0)
				if err != nil || code != 200 {
					errs.Add(1)
					continue
				}
				mu.Lock()
				lat[kind] = append(lat[kind], d)
				mu.Unlock()
			}
		}(c)
	}
	wg.Wait()
	el := time.Since(start)
	total := 0
	for _, kind := range []string{"timeline", "page"} {
		ds := lat[kind]
		total += len(ds)
		slices.Sort(ds)
		q := func(f float64) time.Duration {
			if len(ds) == 0 {
				return 0
			}
			return ds[min(len(ds)-1, int(f*float64(len(ds))))].Round(100 * time.Microsecond)
		}
		fmt.Printf("%-8s %7d ok  p50 %-8s p95 %-8s p99 %s\n", kind, len(ds), q(0.50), q(0.95), q(0.99))
	}
	mode := "back to back"
	if think > 0 {
		mode = "think time " + think.String()
		if jitter {
			mode += " (random 0-2x)"
		}
	}
	fmt.Printf("%d requests in %s (%.0f/s), %d errors, %d clients (%s), %d patients\n", total, el.Round(time.Millisecond), float64(total)/el.Seconds(), errs.Load(), conc, mode, len(patients))
	if errs.Load() > 0 {
		return fmt.Errorf("%d requests failed", errs.Load())
	}
	return nil
}
