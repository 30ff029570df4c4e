"""Run one sozmon edition over a Dask cluster (LocalCluster, dask-jobqueue, Kubernetes): the `sozmon` binary does
the work on the workers, in the passes of `sozmon part` (split, stats, merge, stats, merge, apply, finish); this
package only schedules them. See README.md beside it."""
from .driver import run

__all__ = ["run"]
