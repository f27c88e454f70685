# Writes small_obs.h5ad: 6 cells x 4 genes of hand-chosen counts with a categorical obs
# column cell_type, for the stemcells obs test (cmd/lsc, stemcell). Run with Debian's
# python3 (anndata 0.8.0, h5py 3.7.0, numpy 1.24.2): /usr/bin/python3 make_small_obs.py
import anndata, numpy as np, pandas as pd, scipy.sparse as sp
X = np.array([
    [4, 0, 0, 0],   # c1 HSC-like
    [2, 2, 0, 0],   # c2 HSC-like
    [0, 0, 3, 1],   # c3 Mono-like
    [1, 0, 0, 5],   # c4 T
    [0, 6, 0, 0],   # c5 Prog-like
    [0, 0, 0, 2],   # c6 T
], dtype=np.float32)
obs = pd.DataFrame({"cell_type": pd.Categorical(["HSC-like", "HSC-like", "Mono-like", "T", "Prog-like", "T"])},
                   index=[f"c{i}" for i in range(1, 7)])
var = pd.DataFrame(index=["G1", "G2", "G3", "G4"])
anndata.AnnData(X=sp.csr_matrix(X), obs=obs, var=var).write_h5ad("small_obs.h5ad")
