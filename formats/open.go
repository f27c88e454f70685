package formats

import (
	"bytes"
	"errors"
	"io"
	"os"
)

// Kind is an input format recognised by content.
type Kind string

const (
	Kind10xMTX Kind = "10x-mtx" // a folder with matrix.mtx, barcodes.tsv, features/genes.tsv
	KindHDF5   Kind = "hdf5"    // 10x .h5 or AnnData .h5ad (told apart by their groups)
	KindTable  Kind = "table"   // dense text, genes in rows
	KindMTX    Kind = "mtx"     // a bare matrix.mtx file (give its folder instead)
)

// Sniff tells what kind of input path is, from the file system and the first
// bytes of the file (plain or gzip); the file name is not trusted.
func Sniff(path string) (Kind, error) {
	st, err := os.Stat(path)
	if err != nil {
		return "", Errorf(path, 0, "", "check the path", "cannot read input: %w", err)
	}
	if st.IsDir() {
		return Kind10xMTX, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	head := make([]byte, 8)
	n, _ := io.ReadFull(f, head)
	f.Close()
	head = head[:n]
	if bytes.Equal(head, []byte("\x89HDF\r\n\x1a\n")) {
		return KindHDF5, nil
	}
	rc, err := OpenText(path)
	if err != nil {
		return "", err
	}
	defer rc.Close()
	buf := make([]byte, 4096)
	n, err = io.ReadFull(rc, buf)
	if _, bad := AsParseError(err); bad || (err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, io.ErrUnexpectedEOF)) {
		return "", err // a damaged gzip stream (a ParseError naming the file) or a read error
	}
	buf = buf[:n]
	if bytes.HasPrefix(buf, []byte("%%MatrixMarket")) {
		return KindMTX, nil
	}
	if n == 0 {
		return "", Errorf(path, 0, "", "give a 10x folder, .h5, .h5ad or a genes x samples table", "empty file")
	}
	if bytes.IndexByte(buf, 0) >= 0 {
		return "", Errorf(path, 0, "", "lsc reads 10x folders and .h5, AnnData .h5ad, and TSV/CSV tables", "unrecognised binary file")
	}
	return KindTable, nil
}
