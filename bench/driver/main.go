// fo-bench: the provider-process half of bench/run.sh. Starts each provider
// as Terraform does, alternately, for several rounds, and prints medians:
//
//	fo-bench provider --rounds N --calls N name=/path/to/provider ...
//	fo-bench ir [--tls] /path/to/provider   (callgrind instructions to the handshake)
//
// Output: a markdown table on stdout and one JSON object per measurement on
// --json. Figures only: nothing here passes or fails on a time.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

func die(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "fo-bench: "+format+"\n", args...)
	os.Exit(1)
}

type sample map[string][]float64 // metric -> one value per round

func (s sample) add(k string, v float64) { s[k] = append(s[k], v) }

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	c := append([]float64(nil), v...)
	sort.Float64s(c)
	if len(c)%2 == 1 {
		return c[len(c)/2]
	}
	return (c[len(c)/2-1] + c[len(c)/2]) / 2
}

func pct(v []time.Duration, p float64) float64 {
	sort.Slice(v, func(i, j int) bool { return v[i] < v[j] })
	i := int(float64(len(v)-1) * p)
	return float64(v[i].Microseconds()) / 1000
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// startRound: one launch; start->handshake, threads and VmHWM at handshake,
// a health check, then Shutdown->exit.
func startRound(bin string, mtls bool, s sample, tag string) {
	p, err := launch([]string{bin}, mtls)
	if err != nil {
		die("%v", err)
	}
	// /proc is read right after the line: what the process holds at handshake
	th, hwm := p.status()
	conn, err := p.dial()
	if err != nil {
		die("dial: %v", err)
	}
	if _, err := invoke(conn, "/grpc.health.v1.Health/Check", []byte{}); err != nil {
		die("%s: health: %v", bin, err)
	}
	d, err := p.shutdown(conn)
	if err != nil {
		die("%s: Shutdown: %v", bin, err)
	}
	s.add(tag+"start_ms", ms(p.start))
	s.add(tag+"threads", float64(th))
	s.add(tag+"hwm_mib", float64(hwm)/1024)
	s.add(tag+"shutdown_ms", ms(d))
}

// callRound: GetProviderSchema or PlanResourceChange, `calls` calls spread
// over `callers` goroutines on one AutoMTLS connection (as Terraform holds one).
func callRound(bin, method string, req []byte, callers, calls int, s sample, tag string) {
	p, err := launch([]string{bin}, true)
	if err != nil {
		die("%v", err)
	}
	defer p.kill()
	conn, err := p.dial()
	if err != nil {
		die("dial: %v", err)
	}
	defer conn.Close()
	path := "/tfplugin6.Provider/" + method
	// warm-up: the first call pays connection set-up and the TLS handshake
	first, err := invoke(conn, path, req)
	if err != nil {
		die("%s %s: %v", bin, method, err)
	}
	// the answer's size: our schema has every failover_* type, the peer's one
	s.add(fmt.Sprintf("%s%s_bytes", tag, method), float64(len(first)))
	lat := make([]time.Duration, calls)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	next := 0
	t0 := time.Now()
	for c := 0; c < callers; c++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				mu.Lock()
				i := next
				next++
				mu.Unlock()
				if i >= calls {
					return
				}
				t := time.Now()
				resp, err := invoke(conn, path, req)
				lat[i] = time.Since(t)
				if err == nil && method == "PlanResourceChange" {
					err = planResponseOK(resp)
				}
				if err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	wall := time.Since(t0)
	if firstErr != nil {
		die("%s %s: %v", bin, method, firstErr)
	}
	_, hwm := p.status()
	k := fmt.Sprintf("%s%s_c%d_", tag, method, callers)
	s.add(k+"p50_ms", pct(lat, 0.5))
	s.add(k+"p90_ms", pct(lat, 0.9))
	s.add(k+"per_s", float64(calls)/wall.Seconds())
	s.add(k+"hwm_mib", float64(hwm)/1024)
}

type target struct{ name, bin string }

func modeProvider(args []string) {
	fs := flag.NewFlagSet("provider", flag.ExitOnError)
	rounds := fs.Int("rounds", 5, "rounds (each runs every provider once per measurement, alternately)")
	calls := fs.Int("calls", 400, "calls per call measurement")
	jsonOut := fs.String("json", "", "write the medians as JSON here")
	fs.Parse(args)
	var targets []target
	for _, a := range fs.Args() {
		k, v, ok := strings.Cut(a, "=")
		if !ok {
			die("want name=/path, got %q", a)
		}
		targets = append(targets, target{k, v})
	}
	if len(targets) == 0 {
		die("no provider given")
	}
	res := map[string]sample{}
	for _, t := range targets {
		res[t.name] = sample{}
		st, err := os.Stat(t.bin)
		if err != nil {
			die("%v", err)
		}
		res[t.name].add("size_mib", float64(st.Size())/(1<<20))
	}
	plan := planCreateRequest()
	for r := 0; r < *rounds; r++ {
		for _, t := range targets {
			startRound(t.bin, false, res[t.name], "plain_")
		}
		for _, t := range targets {
			startRound(t.bin, true, res[t.name], "mtls_")
		}
		for _, callers := range []int{1, 10} {
			for _, t := range targets {
				callRound(t.bin, "GetProviderSchema", []byte{}, callers, *calls, res[t.name], "")
			}
			for _, t := range targets {
				callRound(t.bin, "PlanResourceChange", plan, callers, *calls, res[t.name], "")
			}
		}
		fmt.Fprintf(os.Stderr, "fo-bench: round %d/%d done\n", r+1, *rounds)
	}
	med := map[string]map[string]float64{}
	for name, s := range res {
		med[name] = map[string]float64{}
		for k, v := range s {
			med[name][k] = median(v)
		}
	}
	if *jsonOut != "" {
		b, _ := json.MarshalIndent(map[string]interface{}{"rounds": *rounds, "calls": *calls, "medians": med,
			"samples": res}, "", "  ")
		os.WriteFile(*jsonOut, b, 0o644)
	}
	printTable(targets, med, *rounds, *calls)
}

var rows = []struct{ key, label string }{
	{"plain_start_ms", "start → handshake, plaintext (ms)"},
	{"mtls_start_ms", "start → handshake, AutoMTLS (ms)"},
	{"mtls_shutdown_ms", "Shutdown → exit (ms)"},
	{"plain_hwm_mib", "peak RSS at handshake, plaintext (MiB)"},
	{"mtls_hwm_mib", "peak RSS at handshake, AutoMTLS (MiB)"},
	{"mtls_threads", "threads at handshake"},
	{"GetProviderSchema_bytes", "GetProviderSchema response (bytes)"},
	{"GetProviderSchema_c1_p50_ms", "GetProviderSchema p50, 1 caller (ms)"},
	{"GetProviderSchema_c1_p90_ms", "GetProviderSchema p90, 1 caller (ms)"},
	{"GetProviderSchema_c10_p50_ms", "GetProviderSchema p50, 10 callers (ms)"},
	{"GetProviderSchema_c10_p90_ms", "GetProviderSchema p90, 10 callers (ms)"},
	{"GetProviderSchema_c10_per_s", "GetProviderSchema calls/s, 10 callers"},
	{"PlanResourceChange_c1_p50_ms", "PlanResourceChange p50, 1 caller (ms)"},
	{"PlanResourceChange_c1_p90_ms", "PlanResourceChange p90, 1 caller (ms)"},
	{"PlanResourceChange_c10_p50_ms", "PlanResourceChange p50, 10 callers (ms)"},
	{"PlanResourceChange_c10_p90_ms", "PlanResourceChange p90, 10 callers (ms)"},
	{"PlanResourceChange_c10_per_s", "PlanResourceChange calls/s, 10 callers"},
	{"PlanResourceChange_c10_hwm_mib", "peak RSS after 10-caller plans (MiB)"},
	{"size_mib", "binary size (MiB)"},
}

func printTable(targets []target, med map[string]map[string]float64, rounds, calls int) {
	fmt.Printf("Medians of %d rounds (calls: %d per measurement; each round runs every provider in turn).\n\n", rounds, calls)
	head := "| measure |"
	sep := "|---|"
	for _, t := range targets {
		head += " " + t.name + " |"
		sep += "---:|"
	}
	peer := targets[len(targets)-1].name
	for _, t := range targets[:len(targets)-1] {
		head += " " + t.name + "/" + peer + " |"
		sep += "---:|"
	}
	fmt.Println(head)
	fmt.Println(sep)
	for _, r := range rows {
		line := "| " + r.label + " |"
		for _, t := range targets {
			line += " " + fmtNum(med[t.name][r.key]) + " |"
		}
		for _, t := range targets[:len(targets)-1] {
			p := med[peer][r.key]
			if p == 0 {
				line += " – |"
			} else {
				line += fmt.Sprintf(" %.2f |", med[t.name][r.key]/p)
			}
		}
		fmt.Println(line)
	}
}

func fmtNum(v float64) string {
	switch {
	case v >= 1000:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	default:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
}

// modeIR: callgrind instruction count from exec to the handshake line
// (callgrind_control dumps the counters the moment the line is read).
func modeIR(args []string) {
	fs := flag.NewFlagSet("ir", flag.ExitOnError)
	mtls := fs.Bool("tls", false, "AutoMTLS")
	fs.Parse(args)
	if fs.NArg() != 1 {
		die("usage: fo-bench ir [--tls] PROVIDER")
	}
	dir, err := os.MkdirTemp("", "fo-bench-cg")
	if err != nil {
		die("%v", err)
	}
	defer os.RemoveAll(dir)
	out := filepath.Join(dir, "cg.out")
	p, err := launch([]string{"valgrind", "--tool=callgrind", "--callgrind-out-file=" + out, fs.Arg(0)}, *mtls,
		"GODEBUG=asyncpreemptoff=1", "TMPDIR="+dir)
	if err != nil {
		die("%v", err)
	}
	ctl := exec.Command("callgrind_control", "-d", strconv.Itoa(p.cmd.Process.Pid))
	ctl.Env = append(os.Environ(), "TMPDIR="+dir)
	if b, err := ctl.CombinedOutput(); err != nil {
		p.kill()
		die("callgrind_control: %v: %s", err, b)
	}
	p.cmd.Process.Signal(syscall.SIGKILL)
	p.cmd.Wait()
	b, err := os.ReadFile(out + ".1")
	if err != nil {
		die("no callgrind dump: %v", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, "summary: ") || strings.HasPrefix(l, "totals: ") {
			fmt.Println(strings.Fields(l)[1])
			return
		}
	}
	die("no summary in the callgrind dump")
}

func main() {
	if len(os.Args) < 2 {
		die("usage: fo-bench provider|ir ...")
	}
	switch os.Args[1] {
	case "provider":
		modeProvider(os.Args[2:])
	case "ir":
		modeIR(os.Args[2:])
	default:
		die("unknown mode %q", os.Args[1])
	}
}
