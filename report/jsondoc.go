package report

import (
	"encoding/json"
	"io"
)

// JSON writes v as the JSON documents lsc prints everywhere (command
// output, run.json, the REST API): two-space indent, one trailing newline,
// so the CLI and the API give the same bytes for the same value.
func JSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
