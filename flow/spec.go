package flow

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseTransform reads a transform written as name:P=v,P=v, e.g.
// "logicle:T=262144,W=0.5,M=4.5,A=0", "asinh:T=262144,M=4.5,A=0",
// "hyperlog:T=262144,W=0.5,M=4.5,A=0", "log:T=262144,M=4.5",
// "linear:T=262144,A=0". Missing parameters take the usual defaults
// (T=262144, W=0.5, M=4.5, A=0).
func ParseTransform(spec string) (Transform, error) {
	name, args, _ := strings.Cut(spec, ":")
	p := map[string]float64{"T": 262144, "W": 0.5, "M": 4.5, "A": 0}
	if args != "" {
		for _, kv := range strings.Split(args, ",") {
			k, v, ok := strings.Cut(kv, "=")
			x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
			k = strings.ToUpper(strings.TrimSpace(k))
			if !ok || err != nil || (k != "T" && k != "W" && k != "M" && k != "A") {
				return nil, fmt.Errorf("transform %q: parameter %q must be T=, W=, M= or A= with a number", spec, kv)
			}
			p[k] = x
		}
	}
	switch strings.ToLower(name) {
	case "logicle":
		return NewLogicle(p["T"], p["W"], p["M"], p["A"])
	case "hyperlog":
		return NewHyperlog(p["T"], p["W"], p["M"], p["A"])
	case "asinh", "arcsinh":
		return Asinh{T: p["T"], M: p["M"], A: p["A"]}, nil
	case "log":
		return Log{T: p["T"], M: p["M"]}, nil
	case "linear", "lin":
		return Linear{T: p["T"], A: p["A"]}, nil
	}
	return nil, fmt.Errorf("transform %q: use logicle, hyperlog, asinh, log or linear", spec)
}
