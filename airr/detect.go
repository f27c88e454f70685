package airr

import (
	"bufio"
	"bytes"
	"errors"
	"io"
	"os"
	"strings"

	"github.com/lsc-bio/lsc/formats"
)

// Format names a receptor file layout.
type Format string

const (
	Format10xCSV     Format = "10x-contig-csv"
	Format10xJSON    Format = "10x-contig-json"
	FormatAIRR       Format = "airr-rearrangement"
	FormatChangeO    Format = "changeo"
	FormatBD         Format = "bd-rhapsody-vdj"
	FormatFeatureRef Format = "10x-feature-reference"
	FormatUnknown    Format = ""
)

// ErrFormat is wrapped when a file is none of the receptor formats.
var ErrFormat = errors.New("not a receptor contig file")

// Detect tells the format from the first bytes of a file (its header line,
// after any BD "##" lines).
func Detect(head []byte) Format {
	t := bytes.TrimLeft(head, "\ufeff \t\r\n")
	if len(t) > 0 && t[0] == '[' {
		return Format10xJSON
	}
	sc := bufio.NewScanner(bytes.NewReader(t))
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20)
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.HasPrefix(line, "#") {
			continue
		}
		fields := map[string]bool{}
		sep := ","
		if strings.Count(line, "\t") > strings.Count(line, ",") {
			sep = "\t"
		}
		for _, f := range strings.Split(line, sep) {
			fields[strings.Trim(strings.TrimSpace(f), `"`)] = true
		}
		switch {
		case sep == "," && fields["barcode"] && fields["contig_id"] && fields["chain"]:
			return Format10xCSV
		case sep == "," && fields["Cell_Index"] && fields["Chain_Type"]:
			return FormatBD
		case sep == "," && fields["id"] && fields["pattern"] && fields["feature_type"]:
			return FormatFeatureRef
		case sep == "\t" && fields["sequence_id"] && (fields["junction"] || fields["junction_aa"]):
			return FormatAIRR
		case sep == "\t" && fields["SEQUENCE_ID"] && fields["JUNCTION"]:
			return FormatChangeO
		}
		return FormatUnknown
	}
	return FormatUnknown
}

// ReadFile reads a receptor contig file of any supported format (plain or
// gzip), telling the format by content.
func ReadFile(path string) (Format, []Chain, error) {
	rc, err := formats.OpenText(path)
	if err != nil {
		return "", nil, err
	}
	defer rc.Close()
	br := bufio.NewReaderSize(rc, 256<<10)
	head, _ := br.Peek(64 << 10)
	f := Detect(head)
	chains, err := ReadFormat(f, br, path)
	return f, chains, err
}

// ReadFormat reads r in the given format.
func ReadFormat(f Format, r io.Reader, name string) ([]Chain, error) {
	switch f {
	case Format10xCSV:
		return Read10xCSV(r, name)
	case Format10xJSON:
		return Read10xJSON(r, name)
	case FormatAIRR:
		return ReadAIRR(r, name)
	case FormatChangeO:
		return ReadChangeO(r, name)
	case FormatBD:
		return ReadBD(r, name)
	}
	return nil, &formats.ParseError{File: name, Line: 1, Where: "header", Err: ErrFormat,
		Reason: "not a receptor contig table",
		Hint:   "give a 10x filtered_contig_annotations.csv or all_contig_annotations.json, an AIRR Rearrangement TSV, a Change-O .tab or a BD Rhapsody VDJ table"}
}

// Sniff tells the receptor format of a file (plain or gzip) from its first
// bytes; FormatUnknown for anything else (including folders).
func Sniff(path string) (Format, error) {
	if st, err := os.Stat(path); err != nil || st.IsDir() {
		return FormatUnknown, err
	}
	rc, err := formats.OpenText(path)
	if err != nil {
		return FormatUnknown, err
	}
	defer rc.Close()
	head := make([]byte, 64<<10)
	n, _ := io.ReadFull(rc, head)
	if bytes.IndexByte(head[:n], 0) >= 0 {
		return FormatUnknown, nil
	}
	return Detect(head[:n]), nil
}
