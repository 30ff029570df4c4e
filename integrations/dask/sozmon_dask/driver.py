"""The passes of `sozmon part` as Dask tasks."""
import json
import os
import resource
import shutil
import subprocess
import tempfile
import time


class PartFailed(RuntimeError):
    """A task of one part failed (after Dask's retries): the part, the verb and sozmon's message."""


def sozmon_task(sozmon, arguments, part):
    """One call of the sozmon binary on a worker. Returns its wall time and the worker's largest child (peak RSS,
    bytes); raises PartFailed with the part and sozmon's message when it fails."""
    start = time.perf_counter()
    done = subprocess.run([sozmon, *arguments], capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        message = (done.stderr or done.stdout).strip()
        raise PartFailed(f"{part}: sozmon {' '.join(arguments[:2])} failed with status {done.returncode}: {message}")
    return {"part": part, "seconds": seconds, "peak_rss": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024,
            "worker_pid": os.getpid()}


def _local(sozmon, arguments, what):
    done = subprocess.run([sozmon, *arguments], capture_output=True, text=True)
    if done.returncode != 0:
        raise PartFailed(f"{what}: sozmon {' '.join(arguments[:2])} failed with status {done.returncode}: "
                         f"{(done.stderr or done.stdout).strip()}")
    return done.stdout


def run(config, parts, out, scheduler=None, local=None, sozmon="sozmon", work=None, retries=2):
    """Runs the edition of `config` in `parts` parts on a Dask cluster (`scheduler` address, or a LocalCluster of
    `local` workers) and writes the report folder `out`. Returns the number of parts (fewer than asked where there are
    fewer top-level units: a unit is never cut) and the timings: wall time per phase, the time the sozmon processes
    took on the workers, and each worker's peak memory."""
    from dask.distributed import Client, LocalCluster

    config, out = os.path.abspath(config), os.path.abspath(out)
    sozmon = shutil.which(sozmon) or os.path.abspath(sozmon)
    if not os.path.isfile(config):
        raise PartFailed(f"{config}: the config file does not exist")
    if not os.access(sozmon, os.X_OK):
        raise PartFailed(f"{sozmon}: no sozmon binary there (give --sozmon PATH)")
    if os.path.isdir(out) and os.listdir(out) and not os.path.isfile(os.path.join(out, "run.json")):
        raise PartFailed(f"{out}: exists and is not empty (sozmon replaces only a report folder it wrote)")
    made_work = work is None
    work = os.path.abspath(work or tempfile.mkdtemp(prefix=".sozmon-dask-", dir=os.path.dirname(out)))
    phases, tasks = {}, []
    started = time.perf_counter()
    try:
        cluster = None if scheduler else LocalCluster(n_workers=local or 2, threads_per_worker=1, processes=True,
                                                      dashboard_address=None)
        client = Client(scheduler or cluster, timeout="30s")
    except (OSError, TimeoutError) as error:
        raise PartFailed(f"cannot start or reach the Dask cluster ({scheduler or 'local'}): {error}") from None
    try:
        def timed(name, body):
            t = time.perf_counter()
            result = body()
            phases[name] = time.perf_counter() - t
            return result

        def each_part(name, build):
            """One task per part (Dask's retries), gathered in part order."""
            futures = [client.submit(sozmon_task, sozmon, build(k, p), p, key=f"{name}-{k:04d}", pure=False,
                                     retries=retries) for k, p in enumerate(names)]
            results = client.gather(futures)
            tasks.extend({**r, "phase": name} for r in results)
            return results

        folder = os.path.join(work, "parts")
        names = timed("split", lambda: _local(sozmon, ["part", "split", config, "--parts", str(parts), "--out", folder],
                                              "split").split())
        path = lambda p: os.path.join(folder, p)
        stem = lambda p: p[:-len(".csv")]
        for d in ("stats1", "stats2", "out", "spatial"):
            os.makedirs(os.path.join(work, d), exist_ok=True)
        timed("stats1", lambda: each_part("stats1", lambda k, p: [
            "part", "stats", config, "--part", path(p), "--out", os.path.join(work, "stats1", stem(p) + ".json")]))
        moments1 = os.path.join(work, "moments1.json")
        timed("merge1", lambda: _local(sozmon, ["part", "merge", *[os.path.join(work, "stats1", stem(p) + ".json")
                                                                   for p in names], "--out", moments1], "merge"))
        timed("stats2", lambda: each_part("stats2", lambda k, p: [
            "part", "stats", config, "--part", path(p), "--moments", moments1,
            "--out", os.path.join(work, "stats2", stem(p) + ".json")]))
        moments2 = os.path.join(work, "moments2.json")
        timed("merge2", lambda: _local(sozmon, ["part", "merge", *[os.path.join(work, "stats2", stem(p) + ".json")
                                                                   for p in names], "--out", moments2], "merge"))
        timed("apply", lambda: each_part("apply", lambda k, p: [
            "part", "apply", config, "--part", path(p), "--moments", moments2, "--out", os.path.join(work, "out", stem(p))]))
        finish = ["--split", folder]
        with open(os.path.join(work, "out", stem(names[0]), "part.json"), encoding="utf-8") as f:
            spatial = "values.csv" in json.load(f)["files"]  # apply wrote the part's [spatial] values
        if spatial:
            # [spatial]: all values in the table's order and each part's weights with its halo (gather, here), then
            # each part's local statistics and Moran sums (tasks); finish merges them.
            gathered = os.path.join(work, "gathered")
            timed("gather", lambda: _local(sozmon, ["part", "gather", config, *[os.path.join(work, "out", stem(p)) for p in names],
                                                    "--order", os.path.join(folder, "order.csv"), "--out", gathered], "gather"))
            timed("spatial", lambda: each_part("spatial", lambda k, p: [
                "part", "spatial", config, "--gathered", gathered, "--part", str(k + 1),
                "--out", os.path.join(work, "spatial", stem(p))]))
            finish += ["--gathered", gathered] + [a for p in names for a in ("--spatial", os.path.join(work, "spatial", stem(p)))]
        timed("finish", lambda: _local(sozmon, ["part", "finish", config, *[os.path.join(work, "out", stem(p)) for p in names],
                                                "--moments", moments2, *finish, "--out", out], "finish"))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
        if made_work:
            shutil.rmtree(work, ignore_errors=True)
    wall = time.perf_counter() - started
    workers = {}
    for t in tasks:
        workers[t["worker_pid"]] = max(workers.get(t["worker_pid"], 0), t["peak_rss"])
    task_seconds = {name: sum(t["seconds"] for t in tasks if t["phase"] == name) for name in ("stats1", "stats2", "apply", "spatial")}
    return {"parts": len(names), "parts_asked": parts, "wall_seconds": wall, "phases": phases, "sozmon_seconds_in_tasks": task_seconds,
            "worker_peak_rss_bytes": sorted(workers.values(), reverse=True)}
