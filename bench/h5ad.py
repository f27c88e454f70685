"""Write the synthetic benchmark matrix as an AnnData .h5ad (CSR X, gzip as
anndata.write_h5ad(compression="gzip") would), streaming the binary CSR
blocks that `go run ./bench/gen -csr` prints. Not part of the tests; needs h5py
and numpy (Debian: /usr/bin/python3 with python3-h5py).

    go run ./bench/gen -cells 1000000 -out /tmp/b1m -csr | /usr/bin/python3 bench/h5ad.py /tmp/b1m /tmp/b1m.h5ad

With --dense, X is written as a dense float32 matrix instead (h5py's own 2-D
chunk shape, gzip), as scanpy leaves it after selecting variable genes:

    go run ./bench/gen -cells 20000 -genes 2000 -umis 2000 -out /tmp/d20k -csr | /usr/bin/python3 bench/h5ad.py --dense /tmp/d20k /tmp/d20k.h5ad

With --10x, the output is a Cell Ranger >= 3 feature-barcode matrix (.h5):
/matrix/{data (int32), indices (int64), indptr, shape, barcodes, features/*},
gzip level 4 in chunks of 80,000 values as Cell Ranger writes them:

    go run ./bench/gen -cells 10000 -out /tmp/b10k -csr | /usr/bin/python3 bench/h5ad.py --10x /tmp/b10k /tmp/b10k.h5
"""
import gzip
import sys

import h5py
import numpy as np


def blocks(inp):
    """Yields (non-zeros per cell, gene indices, values) per block of cells."""
    while True:
        head = inp.read(12)
        if len(head) < 12:
            return
        n = int(np.frombuffer(head[:4], "<i4")[0])
        nnz = int(np.frombuffer(head[4:], "<i8")[0])
        counts = np.frombuffer(inp.read(4 * n), "<i4")
        idx = np.frombuffer(inp.read(4 * nnz), "<i4")
        val = np.frombuffer(inp.read(4 * nnz), "<f4")
        yield counts, idx, val


def write_csr(h, inp, n_cells, n_genes):
    X = h.create_group("X")
    X.attrs["encoding-type"] = "csr_matrix"
    X.attrs["encoding-version"] = "0.1.0"
    X.attrs["shape"] = np.array([n_cells, n_genes])
    # h5py's own chunk guess for a dataset of the expected final size (~2,600 non-zeros per cell).
    chunk = h5py.filters.guess_chunk((n_cells * 2600,), None, 4)
    data = X.create_dataset("data", (0,), np.float32, maxshape=(None,), chunks=chunk, compression="gzip")
    indices = X.create_dataset("indices", (0,), np.int32, maxshape=(None,), chunks=chunk, compression="gzip")
    indptr = [np.zeros(1, np.int64)]
    total = 0
    for counts, idx, val in blocks(inp):
        for ds, v in ((indices, idx), (data, val)):
            ds.resize((total + len(v),))
            ds[total:] = v
        indptr.append(total + np.cumsum(counts, dtype=np.int64))
        total += len(idx)
    X.create_dataset("indptr", data=np.concatenate(indptr))
    return total


def write_dense(h, inp, n_cells, n_genes):
    X = h.create_dataset("X", (n_cells, n_genes), np.float32, chunks=True, compression="gzip")
    X.attrs["encoding-type"] = "array"
    X.attrs["encoding-version"] = "0.2.0"
    row, total = 0, 0
    for counts, idx, val in blocks(inp):
        m = np.zeros((len(counts), n_genes), np.float32)
        m[np.repeat(np.arange(len(counts)), counts), idx] = val
        X[row:row + len(counts)] = m
        row += len(counts)
        total += len(idx)
    return total


def write_10x(h, inp, cells, features):
    """Cell Ranger's layout: one column per barcode, i.e. the cells x genes CSR."""
    m = h.create_group("matrix")
    gz = dict(chunks=(80000,), compression="gzip", compression_opts=4, maxshape=(None,))
    data = m.create_dataset("data", (0,), np.int32, **gz)
    indices = m.create_dataset("indices", (0,), np.int64, **gz)
    indptr = [np.zeros(1, np.int64)]
    total = 0
    for counts, idx, val in blocks(inp):
        for ds, v in ((indices, idx.astype(np.int64)), (data, val.astype(np.int32))):
            ds.resize((total + len(v),))
            ds[total:] = v
        indptr.append(total + np.cumsum(counts, dtype=np.int64))
        total += len(idx)
    m.create_dataset("indptr", data=np.concatenate(indptr))
    m.create_dataset("shape", data=np.array([len(features), len(cells)], np.int32))
    m.create_dataset("barcodes", data=np.array(cells, dtype="S"), compression="gzip")
    f = m.create_group("features")
    f.create_dataset("id", data=np.array([i for i, _ in features], dtype="S"), compression="gzip")
    f.create_dataset("name", data=np.array([n for _, n in features], dtype="S"), compression="gzip")
    f.create_dataset("feature_type", data=np.array([b"Gene Expression"] * len(features)), compression="gzip")
    f.create_dataset("genome", data=np.array([b"GRCh38"] * len(features)), compression="gzip")
    f.create_dataset("_all_tag_keys", data=np.array([b"genome"]))
    return total


def main(folder, out, dense, tenx=False):
    inp = sys.stdin.buffer
    inp.peek(1)  # gen writes the feature and barcode files before the matrix
    feats = [l.split("\t")[:2] for l in gzip.open(folder + "/features.tsv.gz", "rt").read().splitlines()]
    genes = [n for _, n in feats]
    cells = gzip.open(folder + "/barcodes.tsv.gz", "rt").read().splitlines()
    if tenx:
        with h5py.File(out, "w") as h:
            total = write_10x(h, inp, cells, feats)
        print(out, len(cells), "cells", len(genes), "genes", total, "non-zeros", file=sys.stderr)
        return
    with h5py.File(out, "w") as h:
        h.attrs["encoding-type"] = "anndata"
        h.attrs["encoding-version"] = "0.1.0"
        total = (write_dense if dense else write_csr)(h, inp, len(cells), len(genes))
        for name, idx in (("obs", cells), ("var", genes)):
            g = h.create_group(name)
            g.attrs["encoding-type"] = "dataframe"
            g.attrs["encoding-version"] = "0.2.0"
            g.attrs["_index"] = "_index"
            g.attrs["column-order"] = np.array([], dtype="S")
            g.create_dataset("_index", data=np.array(idx, dtype=object), dtype=h5py.string_dtype())
    print(out, len(cells), "cells", len(genes), "genes", total, "non-zeros", file=sys.stderr)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a not in ("--dense", "--10x")]
    main(args[0], args[1], "--dense" in sys.argv[1:], "--10x" in sys.argv[1:])
