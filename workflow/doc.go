// Package workflow writes a study as a Snakemake workflow: a Snakefile, its
// config.yaml and a Slurm profile, readable and editable, whose rules are
// plain lsc commands. Per-sample rules score one sample each into the cache
// file lsc stemcells reads (stemcell.CachePath), so a workflow run and a
// single-machine run continue each other; the gather rule runs lsc stemcells
// over the whole sheet with every sample cached and writes OUT/results with
// the files of lsc stemcells --out. Likewise, optionally, lsc flow
// compartments (one job per FCS file, --only SAMPLE writing a part in
// results/flow/cache, then a gather into results/flow) and lsc mrd assess
// (one job per patient, --only PATIENT writing the patient's page in
// results/mrd/cache, then a gather into results/mrd), and a last rule that
// imports every results folder into a study store.
//
// The files are written for Snakemake 7.21 (Debian bookworm's snakemake):
// the Slurm profile submits each job with `--cluster "sbatch ..."` and asks
// Slurm for job states with a small status script (scontrol, then sacct), so
// a job Slurm kills (time or memory limit) is reported as failed instead of
// waited for. See the Snakemake 7 documentation on cluster execution and
// profiles (snakemake.readthedocs.io, "Cluster Execution", "Profiles").
package workflow
