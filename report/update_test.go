package report

import "flag"

// update rewrites the golden files under testdata (go test ./report -update);
// look at the changes before committing them.
var update = flag.Bool("update", false, "rewrite the golden files under testdata")
