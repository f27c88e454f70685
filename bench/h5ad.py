"""Write the synthetic benchmark matrix as an AnnData .h5ad (CSR X, gzip as
anndata.write_h5ad(compression="gzip") would), streaming the binary CSR
blocks that `go run ./bench/gen -csr` prints. Not part of the tests; needs h5py
and numpy (Debian: /usr/bin/python3 with python3-h5py).

    go run ./bench/gen -cells 1000000 -out /tmp/b1m -csr | /usr/bin/python3 bench/h5ad.py /tmp/b1m /tmp/b1m.h5ad
"""
import gzip
import sys

import h5py
import numpy as np


def main(folder, out):
    inp = sys.stdin.buffer
    first = inp.read(12)  # gen writes the feature and barcode files before the matrix
    genes = [l.split("\t")[1] for l in gzip.open(folder + "/features.tsv.gz", "rt").read().splitlines()]
    cells = gzip.open(folder + "/barcodes.tsv.gz", "rt").read().splitlines()
    # h5py's own chunk guess for a dataset of the expected final size (~2,600 non-zeros per cell).
    chunk = h5py.filters.guess_chunk((len(cells) * 2600,), None, 4)
    with h5py.File(out, "w") as h:
        h.attrs["encoding-type"] = "anndata"
        h.attrs["encoding-version"] = "0.1.0"
        X = h.create_group("X")
        X.attrs["encoding-type"] = "csr_matrix"
        X.attrs["encoding-version"] = "0.1.0"
        X.attrs["shape"] = np.array([len(cells), len(genes)])
        data = X.create_dataset("data", (0,), np.float32, maxshape=(None,), chunks=chunk, compression="gzip")
        indices = X.create_dataset("indices", (0,), np.int32, maxshape=(None,), chunks=chunk, compression="gzip")
        indptr = [np.zeros(1, np.int64)]
        total = 0
        while True:
            head, first = (first, None) if first else (inp.read(12), None)
            if len(head) < 12:
                break
            n = int(np.frombuffer(head[:4], "<i4")[0])
            nnz = int(np.frombuffer(head[4:], "<i8")[0])
            counts = np.frombuffer(inp.read(4 * n), "<i4")
            idx = np.frombuffer(inp.read(4 * nnz), "<i4")
            val = np.frombuffer(inp.read(4 * nnz), "<f4")
            for ds, v in ((indices, idx), (data, val)):
                ds.resize((total + nnz,))
                ds[total:] = v
            indptr.append(total + np.cumsum(counts, dtype=np.int64))
            total += nnz
        X.create_dataset("indptr", data=np.concatenate(indptr))
        for name, idx in (("obs", cells), ("var", genes)):
            g = h.create_group(name)
            g.attrs["encoding-type"] = "dataframe"
            g.attrs["encoding-version"] = "0.2.0"
            g.attrs["_index"] = "_index"
            g.attrs["column-order"] = np.array([], dtype="S")
            g.create_dataset("_index", data=np.array(idx, dtype=object), dtype=h5py.string_dtype())
    print(out, len(cells), "cells", len(genes), "genes", total, "non-zeros", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
