package stats

import (
	"errors"
	"fmt"
)

// ErrOption reports an unknown method name ("unknown ... %q: use ...") (a confidence-interval scale or a
// tie method); callers on the command line treat it as a usage error.
var ErrOption = errors.New("unknown")

// ParseConfType validates a confidence-interval scale: log, log-log or plain
// (survfit's conf.type).
func ParseConfType(s string) (ConfType, error) {
	switch ConfType(s) {
	case ConfLog, ConfLogLog, ConfPlain:
		return ConfType(s), nil
	}
	return "", fmt.Errorf("%w confidence interval type %q: use log, log-log or plain", ErrOption, s)
}

// ParseTies validates a tie method for Cox models: efron or breslow
// (coxph's ties).
func ParseTies(s string) (Ties, error) {
	switch Ties(s) {
	case Efron, Breslow:
		return Ties(s), nil
	}
	return "", fmt.Errorf("%w tie method %q: use efron or breslow", ErrOption, s)
}
